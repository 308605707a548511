"""One chat-completion request with transport retries: 429, 5xx, timeouts and dropped
connections are retried with backoff that honours ``Retry-After``; faults no retry can mend
(bad key, unknown model) raise at once as the package's own errors.

Knows no task and no schema; imports only ``errors``, ``schema.Usage`` and the ``openai`` SDK.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from quotecheck.errors import (
    AuthenticationFailed,
    EndpointUnavailable,
    ModelNotFound,
    QuotecheckError,
    RateLimited,
)
from quotecheck.schema import Usage

UNREACHABLE = (
    "cannot reach the endpoint at {url}; is the server running? "
    "(check --base-url / OPENAI_BASE_URL)"
)


class _Retryable(Exception):
    def __init__(self, cause: Exception, wait: float | None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.wait = wait


def _retry_after(exc: openai.APIStatusError) -> float | None:
    headers = getattr(exc.response, "headers", None) or {}
    raw = headers.get("retry-after-ms")
    if raw:
        try:
            return float(raw) / 1000
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if raw:
        try:
            return float(raw)
        except ValueError:
            return None
    return None


def _wait_strategy(base: Callable[..., float], cap: float) -> Callable[..., float]:
    def wait(state: Any) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.wait is not None:
            return min(exc.wait, cap)
        return base(state)

    return wait


def _mapped(exc: openai.APIError, model: str, base_url: str | None) -> Exception:
    """The package error (or a retryable wrapper) for one failed request."""
    if isinstance(exc, openai.AuthenticationError):
        return AuthenticationFailed(
            f"the endpoint rejected the API key ({exc.status_code}); check OPENAI_API_KEY"
        )
    if isinstance(exc, openai.PermissionDeniedError):
        return AuthenticationFailed(f"the API key may not use model {model!r} ({exc.status_code})")
    if isinstance(exc, openai.NotFoundError):
        return ModelNotFound(
            f"model {model!r} was not found at {base_url}; "
            "check --model / QUOTECHECK_MODEL and --base-url"
        )
    if isinstance(exc, openai.RateLimitError | openai.InternalServerError):
        return _Retryable(exc, _retry_after(exc))
    if isinstance(exc, openai.APITimeoutError | openai.APIConnectionError):
        return _Retryable(exc, None)
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code in (408, 409, 425) or exc.status_code >= 500:
            return _Retryable(exc, _retry_after(exc))
        return QuotecheckError(f"the endpoint refused the request: {exc}")
    return QuotecheckError(f"the endpoint failed: {exc}")


async def create_completion(
    client: openai.AsyncOpenAI,
    *,
    model: str,
    messages: list[dict[str, str]],
    kwargs: dict[str, Any],
    retries: int,
    max_backoff: float,
    timeout: float,
    base_url: str | None,
) -> Any:
    """``chat.completions.create`` with up to ``retries`` transport retries."""

    async def once() -> Any:
        try:
            return await client.chat.completions.create(model=model, messages=messages, **kwargs)
        except openai.APIError as exc:
            raise _mapped(exc, model, base_url) from exc

    retrying = AsyncRetrying(
        retry=retry_if_exception(lambda e: isinstance(e, _Retryable)),
        stop=stop_after_attempt(retries + 1),
        wait=_wait_strategy(wait_exponential_jitter(multiplier=0.5, max=max_backoff), max_backoff),
        reraise=True,
    )
    try:
        return await retrying(once)
    except _Retryable as exc:
        cause = exc.cause
        if isinstance(cause, openai.RateLimitError):
            raise RateLimited(
                f"still rate-limited after {retries + 1} tries; lower -j or wait"
            ) from cause
        if isinstance(cause, openai.APITimeoutError):
            raise QuotecheckError(
                f"the model did not answer within {timeout:g} s ({retries + 1} tries); "
                "raise --timeout"
            ) from cause
        if isinstance(cause, openai.APIConnectionError):
            raise EndpointUnavailable(UNREACHABLE.format(url=base_url)) from cause
        raise QuotecheckError(f"the endpoint kept failing ({cause}); try again later") from cause


def count_usage(usage: Usage, reported: Any) -> None:
    """Add one response's token counts, with the prompt tokens the server had cached."""
    if reported is None:
        return
    usage.prompt_tokens += reported.prompt_tokens or 0
    usage.completion_tokens += reported.completion_tokens or 0
    details = getattr(reported, "prompt_tokens_details", None)
    usage.cached_prompt_tokens += (getattr(details, "cached_tokens", None) or 0) if details else 0
