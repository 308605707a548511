"""The HTTP service: ``/v1`` JSON routes on the public API, the editor page, health, readiness
and metrics (FastAPI + uvicorn, the ``[service]`` extra). Other packages import this face only.
"""

from quotecheck.service.config import (
    TOKENS_ENV,
    ServiceConfig,
    TokenSet,
    check_bind,
    is_loopback,
    load_tokens,
)
from quotecheck.service.run import create_app, serve

__all__ = [
    "TOKENS_ENV",
    "ServiceConfig",
    "TokenSet",
    "check_bind",
    "create_app",
    "is_loopback",
    "load_tokens",
    "serve",
]
