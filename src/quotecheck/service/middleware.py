"""Pure ASGI middleware around the app: bearer tokens on ``/v1`` and the declared body size
(both checked before any body is read), security headers on every response, and request
metrics by route template.

Never logs a header or a body. Imports the rest of ``service``.
"""

from __future__ import annotations

import json
import time
from typing import Any

from quotecheck.service.config import TokenSet
from quotecheck.service.metrics import Metrics

Scope = dict[str, Any]
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cache-control", b"no-store"),
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


def bearer(scope: Scope) -> str | None:
    value = _header(scope, b"authorization")
    if value is None:
        return None
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _send_json(
    send: Any, status: int, body: dict, headers: list[tuple[bytes, bytes]]
) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data})


class Guard:
    """Auth for ``/v1``, security headers, metrics. Wraps the whole FastAPI app."""

    def __init__(self, app: Any, tokens: TokenSet, metrics: Metrics, max_body: int) -> None:
        self.app = app
        self.tokens = tokens
        self.metrics = metrics
        self.max_body = max_body  # a declared length over it is refused before reading;
        # a chunked body is cut off by FastAPI's own limit (the same number) as it arrives

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        path = scope.get("path", "")
        route = "unmatched"
        try:
            if (
                self.tokens
                and (path == "/v1" or path.startswith("/v1/"))
                and not self.tokens.accepts(bearer(scope))
            ):
                route = "unauthorized"
                self.metrics.rejected.labels(reason="unauthorized").inc()
                detail = "missing or wrong API token: send 'Authorization: Bearer <token>'"
                await _send_json(
                    send_with_headers,
                    401,
                    {"detail": detail},
                    [(b"www-authenticate", b'Bearer realm="quotecheck"')],
                )
                return
            declared = _header(scope, b"content-length")
            if declared is not None and (not declared.isdigit() or int(declared) > self.max_body):
                route = "too_large"
                self.metrics.rejected.labels(reason="too_large").inc()
                detail = f"the request body is over the {self.max_body:,}-byte limit; split it"
                await _send_json(send_with_headers, 413, {"detail": detail}, [])
                return
            await self.app(scope, receive, send_with_headers)
            matched = scope.get("route")
            route = getattr(matched, "path", None) or "unmatched"
        finally:
            code = str(status["code"])
            self.metrics.requests.labels(
                route=route, method=scope.get("method", ""), status=code
            ).inc()
            self.metrics.latency.labels(route=route).observe(time.perf_counter() - started)
