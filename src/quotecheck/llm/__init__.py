"""The one door to any model: client, configuration, response cache, prompt templates, and the
embedded llama.cpp server with its weights. Knows no task: imports only ``schema`` and ``errors``.
"""

from quotecheck.llm.cache import ResponseCache, default_cache_path
from quotecheck.llm.choice import Choice, option_probs
from quotecheck.llm.client import LLM, Completion, parse_json, schema_for, validation_message
from quotecheck.llm.config import (
    DEFAULT_OPENAI_MODEL,
    EMBEDDED_MODEL_NAME,
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

__all__ = [
    "DEFAULT_MODEL",
    "DEFAULT_OPENAI_MODEL",
    "EMBEDDED_MODEL_NAME",
    "KNOWN_MODELS",
    "LLM",
    "Choice",
    "Completion",
    "EmbeddedServer",
    "LLMConfig",
    "LocalConfig",
    "ResponseCache",
    "cache_env",
    "default_cache_path",
    "diagnose",
    "model_status",
    "option_probs",
    "parse_json",
    "render",
    "resolve_model",
    "run_sync",
    "schema_for",
    "shared_server",
    "stop_shared_server",
    "sync_twin",
    "template",
    "validation_message",
    "verify_weights",
]
