"""Start the service: check the bind rule, then run uvicorn on the app. The FastAPI stack is
imported only here and below, so the package face stays importable without the extra.
Imports the rest of ``service`` and ``errors``.
"""

from __future__ import annotations

import logging
from typing import Any

from quotecheck.errors import ConfigError
from quotecheck.service.config import ServiceConfig, check_bind

INSTALL_HINT = "the service needs its extra: pip install 'quotecheck[service]'"


def create_app(config: ServiceConfig | None = None) -> Any:
    """The ASGI app (see ``service.app``); raises ``ConfigError`` without the extra."""
    try:
        from quotecheck.service.app import create_app as build
    except ImportError as err:
        raise ConfigError(f"{INSTALL_HINT} ({err.name} is missing)") from err
    return build(config)


def serve(config: ServiceConfig, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Listen on ``host:port`` until stopped (Ctrl-C / SIGTERM finish in-flight work).
    Refuses a non-loopback host without tokens. Access logs carry no headers or bodies."""
    check_bind(host, config.tokens)
    app = create_app(config)
    import uvicorn

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpx2", "openai", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # one line per model call is noise
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=True,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
