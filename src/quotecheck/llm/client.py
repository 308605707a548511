"""The one door to a model: any OpenAI-compatible endpoint or the embedded one.

A call asks for JSON matching a pydantic schema, re-validates it on our side, runs the caller's
check (grounding, for the quote pipeline) and, when either fails, shows the model its error and
asks again (a bounded number of times). Transport retries live in ``transport``. Knows no task:
imports only ``schema``, ``errors`` and the rest of ``llm``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from quotecheck.errors import (
    AuthenticationFailed,
    ConfigError,
    EndpointUnavailable,
    InvalidOutput,
    ModelNotFound,
)
from quotecheck.llm.choice import Choice, choose
from quotecheck.llm.config import DEFAULT_OPENAI_MODEL, EMBEDDED_MODEL_NAME, LLMConfig
from quotecheck.llm.transport import UNREACHABLE, count_usage, create_completion
from quotecheck.schema import Usage

log = logging.getLogger("quotecheck.llm")
T = TypeVar("T", bound=BaseModel)
Validator = Callable[[Any], None]

_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.S)


@dataclass
class Completion:
    """One model answer that passed validation, with what it cost."""

    value: Any
    usage: Usage
    attempts: int
    raw: str
    timings: dict[str, Any] | None = None  # llama.cpp's own speed figures, when it sends them


def schema_for(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema()


def parse_json(raw: str) -> Any:
    """Parse a model's JSON answer, tolerating a code fence around it."""
    text = raw.strip()
    fenced = _FENCE.match(text)
    if fenced:
        text = fenced.group(1)
    return json.loads(text)


def validation_message(exc: ValidationError) -> str:
    """Errors without URLs, so cassettes and prompts do not change with pydantic releases."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(root)"
        lines.append(f"- {loc}: {err['msg']}")
    return "\n".join(lines[:20])


class LLM:
    """A configured model endpoint; cheap to create, safe to share across tasks."""

    def __init__(self, config: LLMConfig | None = None) -> None:
        self.config = config or LLMConfig.from_env()
        self._clients: weakref.WeakKeyDictionary[Any, openai.AsyncOpenAI] = (
            weakref.WeakKeyDictionary()
        )
        self._resolve_lock = threading.Lock()
        self._base_url: str | None = None
        self._api_key: str | None = None  # a background server's key (llm.daemon)
        self._model: str | None = self.config.model
        self._cache: Any = None
        self.prefix: Any = None  # llm.prefix.PrefixStore, for the embedded model
        if self.config.use_cache:
            from quotecheck.llm.cache import ResponseCache

            self._cache = ResponseCache(self.config.cache_path)

    # -- endpoint resolution -------------------------------------------------------------
    @property
    def endpoint_kind(self) -> str:
        return self.config.endpoint_kind

    def _ensure_endpoint(self) -> str:
        """Base URL to talk to; starts the embedded server on first use when none is configured."""
        with self._resolve_lock:
            if self._base_url is not None:
                return self._base_url
            kind = self.config.endpoint_kind
            if kind == "embedded":
                local, info = self.config.local, None
                if local.keep_alive > 0:
                    from quotecheck.llm.daemon import background

                    info = background(local)
                if info is None:
                    from quotecheck.llm.server import shared_server

                    info = shared_server(local).start()
                self._base_url = info.base_url
                self._api_key = info.api_key
                self._model = self._model or EMBEDDED_MODEL_NAME
                if info.kv_folder is not None:
                    from quotecheck.llm.prefix import PrefixStore

                    server_url = info.base_url.removesuffix("/v1")
                    self.prefix = PrefixStore(
                        server_url, info.kv_folder, info.identity, api_key=info.api_key
                    )
            elif kind == "openai":
                self._base_url = "https://api.openai.com/v1"
                self._model = self._model or DEFAULT_OPENAI_MODEL
            elif kind == "azure":
                if not self._model:
                    raise ConfigError("Azure OpenAI needs a deployment name: set QUOTECHECK_MODEL")
                self._base_url = str(self.config.azure_endpoint)
            else:
                self._base_url = str(self.config.base_url)
            return self._base_url

    @property
    def model(self) -> str:
        return self._model or self.config.model or "(auto)"

    @property
    def base_url(self) -> str | None:
        return self._base_url

    def _client(self) -> openai.AsyncOpenAI:
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None:
            base_url = self._ensure_endpoint()
            timeout = self.config.timeout
            if self.config.endpoint_kind == "azure":
                client = openai.AsyncAzureOpenAI(
                    azure_endpoint=base_url,
                    api_key=self.config.api_key,
                    api_version=self.config.api_version or "2024-10-21",
                    timeout=timeout,
                    max_retries=0,
                )
            else:
                client = openai.AsyncOpenAI(
                    base_url=base_url,
                    api_key=self._api_key or self.config.api_key or "not-needed",
                    timeout=timeout,
                    max_retries=0,
                )
            self._clients[loop] = client
        return client

    async def aprobe(self) -> str:
        """Reach the endpoint and return the model it will answer with: starts the embedded
        model (off the event loop) when that is the backend, then lists the endpoint's
        models. Raises ``EndpointUnavailable``, ``AuthenticationFailed``, ``ModelNotFound``."""
        await asyncio.to_thread(self._ensure_endpoint)
        first = await self._first_model(self._client())
        self._model = self._model or first
        return self._model

    async def _auto_model(self, client: openai.AsyncOpenAI) -> str:
        """Self-hosted servers (vLLM, Ollama, llama.cpp) name their model in /models."""
        if self._model:
            return self._model
        self._model = await self._first_model(client)
        return self._model

    async def _first_model(self, client: openai.AsyncOpenAI) -> str:
        try:
            page = await client.models.list()
            first = next(iter(page.data), None)
        except openai.APIConnectionError as exc:
            raise EndpointUnavailable(UNREACHABLE.format(url=self._base_url)) from exc
        except openai.AuthenticationError as exc:
            raise AuthenticationFailed(
                "the endpoint rejected the API key; check OPENAI_API_KEY"
            ) from exc
        except openai.APIError as exc:
            raise ConfigError(
                f"could not list models at {self._base_url} ({exc}); set QUOTECHECK_MODEL"
            ) from exc
        if first is None:
            raise ModelNotFound(f"the endpoint at {self._base_url} serves no model")
        return first.id

    # -- one request, with transport retries ---------------------------------------------
    def _request_kwargs(self, schema: type[BaseModel], max_tokens: int | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "temperature": self.config.temperature,
            "seed": self.config.seed,
        }
        if self.config.extra_body:
            kwargs["extra_body"] = dict(self.config.extra_body)
        limit = max_tokens or self.config.max_tokens
        if limit:
            kwargs["max_tokens"] = limit
        mode = self.config.structured
        if mode == "json_schema":
            kwargs["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": schema.__name__,
                    "schema": schema_for(schema),
                    "strict": True,
                },
            }
        elif mode == "json_object":
            # llama.cpp and vLLM honour a schema beside json_object; others just get valid JSON
            kwargs["response_format"] = {"type": "json_object", "schema": schema_for(schema)}
        return kwargs

    async def _create(self, messages: list[dict[str, str]], kwargs: dict[str, Any]) -> Any:
        client = self._client()
        model = await self._auto_model(client)
        cfg = self.config
        return await create_completion(
            client,
            model=model,
            messages=messages,
            kwargs=kwargs,
            retries=cfg.transport_retries,
            max_backoff=cfg.max_backoff,
            timeout=cfg.timeout,
            base_url=self._base_url,
        )

    # -- the structured call with validation feedback ------------------------------------
    def _cache_key(
        self, prompt_id: str, messages: list[dict[str, str]], params: dict, **extra: Any
    ) -> str | None:
        """The response-cache key of one request, or None when the cache is off."""
        if self._cache is None:
            return None
        from quotecheck.llm.cache import cache_key

        self._ensure_endpoint()
        return cache_key(
            endpoint=self._base_url,
            model=self.model,
            prompt=prompt_id,
            messages=messages,
            params=params,
            **extra,
        )

    async def acomplete(
        self,
        messages: list[dict[str, str]] | str,
        schema: type[T],
        *,
        prompt_id: str,
        validate: Validator | None = None,
        max_tokens: int | None = None,
        attempts: int | None = None,
    ) -> Completion:
        """One answer to ``messages`` (a string is one user turn) that ``schema`` and
        ``validate`` accept; each rejection is shown to the model, up to ``attempts`` times."""
        if isinstance(messages, str):
            messages = [{"role": "user", "content": messages}]
        kwargs = self._request_kwargs(schema, max_tokens)
        convo = list(messages)
        if self.config.structured != "json_schema":
            hint = (
                "\n\nAnswer with one JSON object only, matching this JSON schema:\n"
                + json.dumps(schema_for(schema), separators=(",", ":"))
            )
            convo[-1] = {**convo[-1], "content": convo[-1]["content"] + hint}
        usage = Usage()
        key = self._cache_key(prompt_id, convo, kwargs, schema=schema_for(schema))
        if key is not None:
            hit = self._cache.get(key)
            if hit is not None:
                try:
                    value = self._check(hit["raw"], schema, validate)
                    usage.cached_calls = 1
                    return Completion(value, usage, 0, hit["raw"])
                except (ValueError, ValidationError):
                    pass  # stale entry (validator changed): ask the model again
        last_raw: str | None = None
        attempts = max(1, attempts or self.config.attempts)
        self._ensure_endpoint()
        for attempt in range(1, attempts + 1):
            t0 = time.perf_counter()
            held = await self.prefix.before(convo) if self.prefix and attempt == 1 else None
            response = await self._create(convo, kwargs)
            if held is not None:
                await self.prefix.after(held)
            usage.seconds += time.perf_counter() - t0
            usage.calls += 1
            count_usage(usage, response.usage)
            choice = response.choices[0] if response.choices else None
            last_raw = (choice.message.content if choice else None) or ""
            try:
                if choice is not None and choice.finish_reason == "length":
                    raise ValueError(
                        "your answer was cut off at the token limit; answer more briefly"
                    )
                value = self._check(last_raw, schema, validate)
            except ValidationError as exc:
                feedback = "Your JSON does not match the schema:\n" + validation_message(exc)
            except json.JSONDecodeError as exc:
                feedback = f"Your answer is not valid JSON ({exc.msg} at position {exc.pos})."
            except ValueError as exc:
                feedback = str(exc)
            else:
                log.debug("%s attempt %d ok: %s", prompt_id, attempt, last_raw)
                extra = getattr(response, "model_extra", None) or {}
                if key is not None:
                    self._cache.put(key, {"raw": last_raw})
                return Completion(value, usage, attempt, last_raw, extra.get("timings"))
            log.debug("%s attempt %d rejected: %s -- %s", prompt_id, attempt, last_raw, feedback)
            convo = [
                *convo,
                {"role": "assistant", "content": last_raw},
                {"role": "user", "content": feedback + "\nAnswer again with corrected JSON."},
            ]
        raise InvalidOutput(
            f"the model's answer was still invalid after {attempts} attempts ({prompt_id})",
            attempts=attempts,
            last_completion=last_raw,
            usage=usage,
        )

    async def achoose(
        self, messages: list[dict[str, str]], options: Sequence[str], *, prompt_id: str
    ) -> Choice:
        """One answer token: the probability of each of ``options`` (see ``llm.choice``)."""
        return await choose(self, messages, options, prompt_id=prompt_id)

    @staticmethod
    def _check(raw: str, schema: type[T], validate: Validator | None) -> T:
        value = schema.model_validate(parse_json(raw))
        if validate is not None:
            validate(value)
        return value

    async def aclose(self) -> None:
        for client in list(self._clients.values()):
            await client.close()
        self._clients.clear()
