"""The HTTP service (FastAPI on uvicorn): the ``/v1`` routes, the editor page at ``/``,
``/healthz``, ``/readyz`` and ``/metrics``, and one error shape (``Problem``) for everything
that goes wrong: 401 token, 413 body, 422 bad body or input, 429 queue full, 502 no valid model
answer, 503 model loading or down, 504 timeout. Never a traceback to the client, never a token
or a body in the log. Imports ``errors`` and the rest of ``service``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from quotecheck.errors import (
    AuthenticationFailed,
    BadInput,
    ConfigError,
    EndpointUnavailable,
    InvalidOutput,
    LocalModelError,
    ModelNotFound,
    QuotecheckError,
    RateLimited,
)
from quotecheck.service.api import router
from quotecheck.service.config import ServiceConfig
from quotecheck.service.editor import editor_page
from quotecheck.service.gate import QueueFull
from quotecheck.service.metrics import CONTENT_TYPE
from quotecheck.service.middleware import Guard
from quotecheck.service.models import Readiness
from quotecheck.service.state import ModelLoading, RequestTimeout, Service

log = logging.getLogger("quotecheck.service")
VERSION = "1"


def _problem(status: int, detail: str, *, errors: list | None = None, retry: int | None = None):
    headers = {"Retry-After": str(retry)} if retry is not None else None
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


def _validation_summary(errors: list[dict]) -> str:
    first = errors[0] if errors else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
    if first.get("type") == "missing" and tuple(first.get("loc", ())) == ("body",):
        return "the request has no body; send a JSON object (it is not valid JSON without one)"
    if first.get("type") == "json_invalid":
        reason = (first.get("ctx") or {}).get("error", "invalid JSON")
        return f"the body is not valid JSON ({reason}); send a JSON object"
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', 'invalid')}{more}"


def _clean(errors: list[dict]) -> list[dict]:
    """Validation errors without the input echoed back (it may be a whole article)."""
    keep = ("type", "loc", "msg")
    return [{k: e[k] for k in keep if k in e} for e in errors[:20]]


def _install_handlers(app: FastAPI, service: Service) -> None:
    rejected = service.metrics.rejected

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return _problem(422, _validation_summary(errors), errors=_clean(errors))

    @app.exception_handler(HTTPException)
    async def http(_: Request, exc: HTTPException) -> Response:
        if exc.status_code == 413:
            rejected.labels(reason="too_large").inc()
            limit = service.config.max_body
            return _problem(413, f"the request body is over the {limit:,}-byte limit; split it")
        if exc.status_code == 404:
            return _problem(404, "no such route or job")
        if exc.status_code == 400:  # FastAPI could not read the body at all (not UTF-8)
            return _problem(422, "the body is not valid JSON (not UTF-8 text); send a JSON object")
        response = _problem(exc.status_code, str(exc.detail))
        response.headers.update(exc.headers or {})  # e.g. Allow on a 405
        return response

    @app.exception_handler(KeyError)
    async def missing(_: Request, exc: KeyError) -> JSONResponse:
        return _problem(404, "no such job (it may have been deleted)")

    @app.exception_handler(QueueFull)
    async def full(_: Request, exc: QueueFull) -> JSONResponse:
        rejected.labels(reason="queue_full").inc()
        return _problem(429, str(exc), retry=exc.retry_after)

    @app.exception_handler(ModelLoading)
    async def loading(_: Request, exc: ModelLoading) -> JSONResponse:
        return _problem(503, str(exc), retry=exc.retry_after)

    @app.exception_handler(RequestTimeout)
    async def timeout(_: Request, exc: RequestTimeout) -> JSONResponse:
        return _problem(504, str(exc))

    @app.exception_handler(QuotecheckError)
    async def library(_: Request, exc: QuotecheckError) -> JSONResponse:
        if isinstance(exc, BadInput):
            return _problem(422, str(exc))
        if isinstance(exc, (EndpointUnavailable, LocalModelError, RateLimited)):
            return _problem(503, f"the model is unavailable: {exc}", retry=30)
        if isinstance(exc, (InvalidOutput, AuthenticationFailed, ModelNotFound, ConfigError)):
            return _problem(502, f"the model gave no usable answer: {exc}")
        return _problem(502, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
        return _problem(500, "internal error; the server log has the details")


def create_app(config: ServiceConfig | None = None) -> Guard:
    """The service as an ASGI app (FastAPI wrapped in the token and metrics guard)."""
    config = config or ServiceConfig()
    service = Service(config)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    app = FastAPI(
        title="quotecheck",
        version=VERSION,
        summary="Quotes, speakers and fact-checks of news articles",
        description=(
            "Every `/v1` route needs `Authorization: Bearer <token>` when the server has "
            'API tokens. Errors are `{"detail": ...}` with the status saying what happened.'
        ),
        lifespan=lifespan,
        max_body_size=config.max_body,
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: not here
        redoc_url=None,
    )
    app.state.service = service
    _install_handlers(app, service)
    app.include_router(router)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def editor() -> HTMLResponse:
        page, policy = editor_page()
        return HTMLResponse(page, headers={"Content-Security-Policy": policy})

    @app.get("/healthz", tags=["ops"], summary="The process answers")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["ops"],
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "Model not ready"}},
        summary="The model is loaded (embedded) or its endpoint answers",
    )
    async def readyz() -> Any:
        ready = await service.readiness()
        body = Readiness(
            ready=ready,
            model=service.model,
            endpoint_kind=service.llm.endpoint_kind,
            reason=None if ready else service.reason,
        )
        return JSONResponse(body.model_dump(), status_code=200 if ready else 503)

    @app.get(
        "/metrics",
        tags=["ops"],
        response_class=PlainTextResponse,
        summary="Prometheus metrics (text format)",
    )
    async def metrics() -> Response:
        return Response(service.metrics.render(), media_type=CONTENT_TYPE)

    return Guard(app, config.tokens, service.metrics, config.max_body)
