"""The one door to any model: client, configuration, response cache, prompt templates, and the
embedded llama.cpp server with its weights. Knows no task: imports only ``schema`` and ``errors``.
"""

from quotecheck.llm.cache import ResponseCache, default_cache_path
from quotecheck.llm.choice import Choice, Peek, option_probs, peek
from quotecheck.llm.client import LLM, Completion, parse_json, schema_for, validation_message
from quotecheck.llm.config import (
    DEFAULT_OPENAI_MODEL,
    EMBEDDED_MODEL_NAME,
    KEEP_ALIVE_ENV,
    LLMConfig,
    LocalConfig,
    cache_env,
)
from quotecheck.llm.doctor import diagnose
from quotecheck.llm.prompts import render, template
from quotecheck.llm.server import EmbeddedServer, shared_server, stop_shared_server
from quotecheck.llm.sync import run_sync, sync_twin
from quotecheck.llm.weights import (
    DEFAULT_MODEL,
    KNOWN_MODELS,
    model_status,
    resolve_model,
)
from quotecheck.llm.weights import verify as verify_weights


def stop_background_servers() -> list[int]:
    """End the embedded model servers kept alive for later commands (``llm.daemon``)."""
    from quotecheck.llm.daemon import stop_all

    return stop_all()


def background_started() -> list[int]:
    """Pids of the background model servers this process started (``llm.daemon``)."""
    import sys

    daemon = sys.modules.get("quotecheck.llm.daemon")
    return list(daemon.started) if daemon is not None else []


__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "EMBEDDED_MODEL_NAME",
    "KEEP_ALIVE_ENV",
    "KNOWN_MODELS",
    "LLM",
    "Choice",
    "Peek",
    "Completion",
    "EmbeddedServer",
    "LLMConfig",
    "LocalConfig",
    "ResponseCache",
    "background_started",
    "cache_env",
    "default_cache_path",
    "diagnose",
    "model_status",
    "option_probs",
    "parse_json",
    "peek",
    "render",
    "resolve_model",
    "run_sync",
    "schema_for",
    "shared_server",
    "stop_background_servers",
    "stop_shared_server",
    "sync_twin",
    "template",
    "validation_message",
    "verify_weights",
]
