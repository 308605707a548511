"""`quotecheck doctor`: which backend would run and why, and whether it actually answers.
Imports the rest of ``llm`` and ``errors``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from quotecheck.errors import QuotecheckError
from quotecheck.llm.config import LLMConfig


def _why(config: LLMConfig) -> str:
    kind = config.endpoint_kind
    if kind == "embedded":
        return "no --base-url, OPENAI_BASE_URL or OPENAI_API_KEY is set"
    if kind == "azure":
        return "AZURE_OPENAI_ENDPOINT is set"
    if kind == "openai":
        return "OPENAI_API_KEY is set and no base URL"
    return f"base URL {config.base_url}"


def _background_line() -> str:
    from quotecheck.llm.daemon import running

    live = running()
    if not live:
        return "background model: none running (extract and check leave one for the next command)"
    servers = "; ".join(
        f"pid {r['pid']} at {r['base_url']}, idle {r['idle_s']:.0f} s" for r in live
    )
    return f"background model: {servers} (`quotecheck models stop` ends it)"


def diagnose(config: LLMConfig, *, probe: bool = True) -> Iterator[str]:
    from quotecheck.llm.server import default_threads, engine_version
    from quotecheck.llm.weights import DEFAULT_MODEL, model_status

    yield f"backend: {config.endpoint_kind} ({_why(config)})"
    status = model_status(DEFAULT_MODEL)
    engine = engine_version() or "not installed (pip install 'quotecheck[local]')"
    yield f"embedded engine: xllamacpp {engine}"
    yield (
        f"embedded model: {status['file']} — "
        + ("cached, SHA-256 verified" if status["cached_verified"] else "not cached")
        + f"; offline packages {'installed' if status['offline_packages'] else 'not installed'}"
    )
    yield f"model cache: {status['cache_path']}"
    if os.environ.get("QUOTECHECK_MODEL_PATH"):
        yield f"QUOTECHECK_MODEL_PATH: {os.environ['QUOTECHECK_MODEL_PATH']}"
    local = config.local
    threads = local.threads or default_threads()
    yield f"threads: {threads}, context {local.n_ctx}, parallel slots {local.n_parallel}"
    yield f"structured output: {config.structured}"
    yield _background_line()
    if not probe:
        return
    from pydantic import BaseModel

    from quotecheck.llm.client import LLM
    from quotecheck.llm.sync import run_sync

    class Probe(BaseModel):
        answer: str

    llm = LLM(config)
    t0 = time.perf_counter()
    try:
        if config.endpoint_kind == "embedded":
            from quotecheck.llm.server import shared_server

            info = shared_server(config.local).start()
            yield f"load: {info.load_seconds:.1f} s from {info.model_path}"
        messages = [
            {"role": "system", "content": "Answer in JSON."},
            {"role": "user", "content": "Count from one to twenty in words, separated by spaces."},
        ]
        done = run_sync(llm.acomplete(messages, Probe, prompt_id="doctor", max_tokens=80))
    except QuotecheckError as exc:
        yield f"probe: FAILED — {exc}"
        return
    u = done.usage
    yield (
        f"probe: ok in {time.perf_counter() - t0:.1f} s; {u.prompt_tokens} prompt tokens, "
        f"{u.completion_tokens} output tokens in {u.seconds:.1f} s"
    )
    timings = getattr(done, "timings", None)
    if timings:
        yield (
            f"speed: prompt {timings['prompt_per_second']:.1f} tok/s, "
            f"generation {timings['predicted_per_second']:.1f} tok/s"
        )
