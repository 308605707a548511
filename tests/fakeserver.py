"""A programmable fake OpenAI-compatible chat-completions server on 127.0.0.1.

Tests give it a ``responder(request_json) -> (status, headers, body)`` that computes the
correct answer from the request, and fault-injection knobs (shares of 429 with and without
Retry-After, 500, 503, hangs past the client timeout, truncated JSON, invented content). It
exists so error paths and batch runs can be tested without a model; it never stands in for
a model's judgement (that is what recorded cassettes are for).
"""

from __future__ import annotations

import json
import random
import re
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Body = bytes | str | dict
Reply = tuple[int, dict[str, str], Body]
Responder = Callable[[dict], Reply]
Inventor = Callable[[dict], str]

FAULT_KINDS = ("429", "429_bare", "500", "503", "hang", "truncated", "invented")


class QuietHTTPServer(ThreadingHTTPServer):
    """Quiet when a client hangs up early (a fetcher that stops reading a PDF after its headers,
    a client that times out).

    socketserver prints such tracebacks to ``sys.stderr``, which a ``CliRunner`` test captures
    as the command's own output; any other error still prints.
    """

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


@dataclass
class Faults:
    """Share (0..1) of requests that get each fault; the rest get the responder's answer."""

    rate_429: float = 0.0  # 429 with a Retry-After header
    rate_429_bare: float = 0.0  # 429 without Retry-After
    rate_500: float = 0.0
    rate_503: float = 0.0
    rate_hang: float = 0.0  # no answer until ``hang_seconds`` (past the client's timeout)
    rate_truncated: float = 0.0  # the assistant content cut in half, finish_reason "length"
    rate_invented: float = 0.0  # a well-formed answer naming text that is not in the article
    retry_after: str = "1"
    hang_seconds: float = 5.0
    seed: int = 0

    def shares(self) -> list[tuple[str, float]]:
        return list(
            zip(
                FAULT_KINDS,
                (
                    self.rate_429,
                    self.rate_429_bare,
                    self.rate_500,
                    self.rate_503,
                    self.rate_hang,
                    self.rate_truncated,
                    self.rate_invented,
                ),
                strict=True,
            )
        )


def chat_completion(
    content: str,
    *,
    model: str = "fake-model",
    prompt_tokens: int = 0,
    completion_tokens: int | None = None,
    finish_reason: str = "stop",
    top_logprobs: dict[str, float] | None = None,
) -> dict:
    """An OpenAI chat.completion body carrying ``content`` as the assistant message (with the
    answer token's ``top_logprobs`` when given, as llama.cpp, vLLM and OpenAI send them)."""
    return {
        "id": f"chatcmpl-fake-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
                "logprobs": None
                if top_logprobs is None
                else {
                    "content": [
                        {
                            "token": content,
                            "logprob": top_logprobs.get(content, -9.0),
                            "bytes": None,
                            "top_logprobs": [
                                {"token": t, "logprob": lp, "bytes": None}
                                for t, lp in top_logprobs.items()
                            ],
                        }
                    ]
                },
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": (
                completion_tokens if completion_tokens is not None else max(1, len(content) // 4)
            ),
            "total_tokens": prompt_tokens
            + (completion_tokens if completion_tokens is not None else max(1, len(content) // 4)),
        },
    }


def prompt_text(request: dict) -> str:
    """All message text of a chat request joined (string or content-part messages)."""
    out: list[str] = []
    for msg in request.get("messages", []):
        content = msg.get("content")
        if isinstance(content, str):
            out.append(content)
        elif isinstance(content, list):
            out.extend(p.get("text", "") for p in content if isinstance(p, dict))
    return "\n".join(out)


def error_body(status: int, message: str, *, code: str | None = None) -> dict:
    """OpenAI's error envelope, so the SDK maps the status to its typed exception."""
    kinds = {401: "invalid_request_error", 404: "invalid_request_error", 429: "rate_limit_error"}
    return {
        "error": {
            "message": message,
            "type": kinds.get(status, "server_error"),
            "param": None,
            "code": code,
        }
    }


def json_responder(answer: Callable[[dict], dict | str]) -> Responder:
    """Wrap ``answer(request) -> content`` into a responder returning a 200 completion."""

    def respond(request: dict) -> Reply:
        content = answer(request)
        text = content if isinstance(content, str) else json.dumps(content)
        body = chat_completion(
            text,
            model=request.get("model", "fake-model"),
            prompt_tokens=max(1, len(prompt_text(request)) // 4),
        )
        return 200, {}, body

    return respond


def _default_inventor(request: dict) -> str:
    return json.dumps({"invented": "words that appear nowhere in the article"})


# -- a correct answer for quotecheck's attribution prompt -----------------------------------
_MARKER = re.compile(r"\[([QS]\d+)\]")
_NAME = r"((?:[A-Z][\w'-]+)(?: [A-Z][\w'-]+)*)"
_CUES = r"(said|says|told reporters|added|wrote)"
_AFTER_CUE = re.compile(_CUES + r",? " + _NAME)  # "... ," said Mayor Ana Ruiz.
_BEFORE_CUE = re.compile(_NAME + r" " + _CUES + r"\b")  # Ana Ruiz said ...


def schema_ids(request: dict) -> list[str]:
    """The ids the attribution schema asks for (json_schema mode), else from the prompt."""
    fmt = request.get("response_format") or {}
    schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema") or {}
    if schema.get("properties"):
        return list(schema["properties"])
    found = re.search(r"Answer for these ids: ([^\n]*)", prompt_text(request))
    return [i.strip() for i in found.group(1).split(",")] if found else []


def attribution_answer(request: dict, *, invent: bool = False) -> dict:
    """Attribute each marked id to the name next to a reporting verb in its segment (from its
    marker to the next marker or line end); null when there is none. ``invent`` returns a
    speaker that is not in the article, to exercise the grounding loop."""
    marked = ""
    for msg in request.get("messages", []):
        content = msg.get("content")
        if msg.get("role") == "user" and isinstance(content, str) and "Article:" in content:
            marked = content  # the first user message holds the article
            break
    answer: dict[str, dict] = {}
    for ident in schema_ids(request):
        speaker = cue = None
        at = marked.find(f"[{ident}]")
        if at >= 0:
            line_end = marked.find("\n", at)
            segment = marked[at : line_end if line_end >= 0 else len(marked)]
            segment = _MARKER.sub("", segment)
            hit = _AFTER_CUE.search(segment)
            if hit:
                cue, speaker = hit.group(1), hit.group(2)
            else:
                hit = _BEFORE_CUE.search(segment)
                if hit:
                    speaker, cue = hit.group(1), hit.group(2)
        if invent:
            speaker, cue = "Professor Imaginary Nobody", "proclaimed"
        answer[ident] = {"speaker": speaker, "cue": cue, "name": None}
    return answer


def attribution_responder() -> Responder:
    return json_responder(attribution_answer)


def attribution_inventor(request: dict) -> str:
    return json.dumps(attribution_answer(request, invent=True))


class FakeOpenAIServer:
    """Threaded HTTP server speaking enough of the OpenAI API for the SDK.

    Attributes may be changed while it runs (``responder``, ``faults``, ``latency``,
    ``force_status``); ``outcomes`` counts what each request got.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        faults: Faults | None = None,
        latency: float = 0.0,
        models: tuple[str, ...] = ("fake-model",),
        api_key: str | None = "sk-fake",
        inventor: Inventor | None = None,
        keep_requests: bool = True,
    ) -> None:
        self.responder: Responder = responder or json_responder(lambda _req: {})
        self.faults = faults or Faults()
        self.latency = latency
        self.models = models
        self.api_key = api_key
        self.inventor = inventor or _default_inventor
        self.force_status: int | None = None  # answer every request with this error status
        # answers from the raw request bytes (e.g. a recorded cassette); beats ``responder``
        self.raw_responder: Callable[[bytes], Reply] | None = None
        self.keep_requests = keep_requests
        self.requests: list[dict] = []
        self.times: list[float] = []  # time.monotonic() of each chat request's arrival
        self.outcomes: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._rng = random.Random(self.faults.seed)
        self._stop = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """The value for ``OPENAI_BASE_URL`` / ``LLMConfig.base_url``."""
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> FakeOpenAIServer:
        handler = type("Handler", (_Handler,), {"fake": self})
        httpd = QuietHTTPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        httpd.daemon_threads = True
        httpd.block_on_close = False
        httpd.request_queue_size = 512  # a burst of -j 128 connections must not hit the backlog
        httpd.server_bind()
        httpd.server_activate()
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, args=(0.05,), name="fake-openai", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()  # releases hanging handlers
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def reseed(self, seed: int) -> None:
        with self._lock:
            self._rng = random.Random(seed)

    # -- request handling ------------------------------------------------------------------
    def _pick_fault(self) -> str | None:
        with self._lock:
            draw = self._rng.random()
        edge = 0.0
        for kind, share in self.faults.shares():
            edge += share
            if draw < edge:
                return kind
        return None

    def handle_chat(self, request: dict, authorization: str | None, raw: bytes = b"") -> Reply:
        with self._lock:
            self.times.append(time.monotonic())
            if self.keep_requests:
                self.requests.append(request)
        if self.api_key is not None and authorization != f"Bearer {self.api_key}":
            return self._count("401", (401, {}, error_body(401, "Incorrect API key provided.")))
        if self.force_status is not None:
            status = self.force_status
            return self._count(str(status), (status, {}, error_body(status, f"forced {status}")))
        if request.get("model") not in self.models:
            msg = f"The model `{request.get('model')}` does not exist."
            return self._count("404", (404, {}, error_body(404, msg, code="model_not_found")))
        if self.latency:
            self._stop.wait(self.latency)
        fault = self._pick_fault()
        self._count(fault or "ok", (0, {}, b""))  # counted on arrival: a hang returns late
        if fault == "429":
            reply = (429, {"Retry-After": self.faults.retry_after}, error_body(429, "slow down"))
        elif fault == "429_bare":
            reply = (429, {}, error_body(429, "slow down"))
        elif fault in ("500", "503"):
            reply = (int(fault), {}, error_body(int(fault), "the server had an error"))
        elif fault == "hang":
            self._stop.wait(self.faults.hang_seconds)
            reply = self.responder(request)
        elif fault == "truncated":
            reply = self._truncate(self.responder(request))
        elif fault == "invented":
            reply = json_responder(lambda r: self.inventor(r))(request)
        elif self.raw_responder is not None:
            reply = self.raw_responder(raw)
        else:
            reply = self.responder(request)
        return reply

    def _count(self, outcome: str, reply: Reply) -> Reply:
        with self._lock:
            self.outcomes[outcome] += 1
        return reply

    @staticmethod
    def _truncate(reply: Reply) -> Reply:
        status, headers, body = reply
        if status != 200 or not isinstance(body, dict):
            return reply
        body = json.loads(json.dumps(body))
        message = body["choices"][0]["message"]
        content = message.get("content") or ""
        message["content"] = content[: max(1, len(content) // 2)]
        body["choices"][0]["finish_reason"] = "length"
        return status, headers, body


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the SDK's connection pool expects
    disable_nagle_algorithm = True  # else headers and body meet the client's delayed ACK (40 ms)
    fake: FakeOpenAIServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _send(self, status: int, headers: dict[str, str], body: Body) -> None:
        if isinstance(body, dict):
            data = json.dumps(body).encode()
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = body
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (timeout); nothing to tell it

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        if self.path.rstrip("/").endswith("/models"):
            data = [{"id": m, "object": "model", "owned_by": "fake"} for m in self.fake.models]
            self._send(200, {}, {"object": "list", "data": data})
        else:
            self._send(404, {}, error_body(404, f"no route {self.path}"))

    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, {}, error_body(404, f"no route {self.path}"))
            return
        try:
            request = json.loads(raw)
        except ValueError:
            self._send(400, {}, error_body(400, "request body is not JSON"))
            return
        status, headers, body = self.fake.handle_chat(
            request, self.headers.get("Authorization"), raw
        )
        self._send(status, headers, body)
