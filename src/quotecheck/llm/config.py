"""Where the model lives and how to talk to it, from arguments first, then the environment.

No base URL and no API key means the embedded llama.cpp model on this machine. Imports
nothing of the package.

Words: the *model* is the name an endpoint serves (``--model``); the embedded model's file is
its *weights* (``llm.weights``); the report shapes are the *schema*.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

StructuredMode = Literal["json_schema", "json_object", "plain"]
EndpointKind = Literal["embedded", "openai", "azure", "openai-compatible"]

EMBEDDED_MODEL_NAME = "qwen2.5-coder-1.5b-instruct"
DEFAULT_OPENAI_MODEL = "gpt-4o-mini"


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value.strip() or None if value is not None else None


CACHE_ENV = "QUOTECHECK_CACHE"
KEEP_ALIVE_ENV = "QUOTECHECK_KEEP_ALIVE"
_CACHE_ENV_OLD = "QUOTECHECK_CACHE_DIR"  # the old name; still read, for one release


def cache_env() -> Path | None:
    """The response-cache folder named by ``QUOTECHECK_CACHE`` (or its old name), if any."""
    raw = _env(CACHE_ENV) or _env(_CACHE_ENV_OLD)
    return Path(raw).expanduser() if raw else None


def _env_float(name: str, default: float) -> float:
    raw = _env(name)
    try:
        return float(raw) if raw is not None else default
    except ValueError:
        return default


def _env_int(name: str, default: int | None) -> int | None:
    raw = _env(name)
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class LocalConfig:
    """Settings of the embedded llama.cpp server."""

    model_path: Path | None = None
    threads: int | None = None  # None: the machine's cores
    n_ctx: int = 8192
    n_parallel: int = 1
    port: int | None = None  # None: a free port
    prefix_cache: bool = True  # keep the shared prompt prefix across processes (llm.prefix)
    keep_alive: float = 0.0  # seconds a background server outlives its last use (llm.daemon)

    @classmethod
    def from_env(cls, **overrides: object) -> LocalConfig:
        path = _env("QUOTECHECK_MODEL_PATH")
        cfg = cls(
            model_path=Path(path).expanduser() if path else None,
            threads=_env_int("QUOTECHECK_THREADS", None),
            n_ctx=_env_int("QUOTECHECK_CTX", 8192) or 8192,
            n_parallel=_env_int("QUOTECHECK_PARALLEL", 1) or 1,
            prefix_cache=(_env("QUOTECHECK_PREFIX_CACHE") or "1") not in ("0", "false", "no"),
            keep_alive=max(0.0, _env_float(KEEP_ALIVE_ENV, 0.0)),
        )
        return replace(cfg, **{k: v for k, v in overrides.items() if v is not None})


@dataclass(frozen=True)
class LLMConfig:
    """Everything needed to reach a model. ``from_env`` fills what arguments leave open."""

    base_url: str | None = None
    api_key: str | None = None
    model: str | None = None
    azure_endpoint: str | None = None
    api_version: str | None = None
    structured: StructuredMode = "json_schema"
    temperature: float = 0.0
    seed: int = 42
    timeout: float = 600.0
    attempts: int = 3  # validation-feedback attempts per call
    transport_retries: int = 4  # 429 / 5xx / timeout retries per attempt
    max_backoff: float = 60.0
    max_tokens: int | None = None
    extra_body: dict[str, object] | None = None  # server-specific request fields
    use_cache: bool = False
    cache_path: Path | None = None
    local: LocalConfig = field(default_factory=LocalConfig)

    @classmethod
    def from_env(cls, **overrides: object) -> LLMConfig:
        cache_dir = cache_env()
        structured = _env("QUOTECHECK_STRUCTURED") or "json_schema"
        if structured not in ("json_schema", "json_object", "plain"):
            structured = "json_schema"
        cfg = cls(
            base_url=_env("QUOTECHECK_BASE_URL") or _env("OPENAI_BASE_URL"),
            api_key=_env("QUOTECHECK_API_KEY") or _env("OPENAI_API_KEY"),
            model=_env("QUOTECHECK_MODEL"),
            azure_endpoint=_env("AZURE_OPENAI_ENDPOINT"),
            api_version=_env("OPENAI_API_VERSION"),
            structured=structured,  # type: ignore[arg-type]
            timeout=_env_float("QUOTECHECK_TIMEOUT", 600.0),
            attempts=_env_int("QUOTECHECK_ATTEMPTS", 3) or 3,
            transport_retries=_env_int("QUOTECHECK_TRANSPORT_RETRIES", 4) or 0,
            max_backoff=_env_float("QUOTECHECK_MAX_BACKOFF", 60.0),
            use_cache=cache_dir is not None,
            cache_path=cache_dir,
            local=LocalConfig.from_env(),
        )
        if cfg.azure_endpoint and not cfg.api_key:
            cfg = replace(cfg, api_key=_env("AZURE_OPENAI_API_KEY"))
        return replace(cfg, **{k: v for k, v in overrides.items() if v is not None})

    @property
    def endpoint_kind(self) -> EndpointKind:
        if self.azure_endpoint:
            return "azure"
        if self.base_url:
            return "openai-compatible"
        if self.api_key:
            return "openai"
        return "embedded"
