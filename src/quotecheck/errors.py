"""One exception family, whose messages tell the user what to do next.

May import only the schema (for the usage an invalid answer cost).
"""

from __future__ import annotations

from quotecheck.schema import Usage


class QuotecheckError(Exception):
    """Base class: the CLI prints ``str(err)`` as one line and exits with ``exit_code``."""

    exit_code = 1


class ConfigError(QuotecheckError):
    exit_code = 2


class BadInput(QuotecheckError):
    """Input that cannot be analysed (binary, wrong encoding, too large)."""

    exit_code = 2


class EndpointUnavailable(QuotecheckError):
    """The endpoint cannot be reached at all: retrying each article would not help."""


class AuthenticationFailed(QuotecheckError):
    pass


class ModelNotFound(QuotecheckError):
    pass


class RateLimited(QuotecheckError):
    pass


class LocalModelError(QuotecheckError):
    """The embedded backend cannot start (engine missing, weights missing or corrupt)."""


class InvalidOutput(QuotecheckError):
    """The model kept answering with invalid or ungrounded output."""

    def __init__(
        self,
        message: str,
        *,
        attempts: int,
        last_completion: str | None,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.last_completion = last_completion
        self.usage = usage if usage is not None else Usage()


__all__ = [
    "FATAL_ERRORS", "AuthenticationFailed", "BadInput", "ConfigError", "EndpointUnavailable",
    "InvalidOutput", "LocalModelError", "ModelNotFound", "QuotecheckError", "RateLimited",
]  # fmt: skip

#: errors after which a batch stops at once instead of failing every article
FATAL_ERRORS: tuple[type[QuotecheckError], ...] = (
    ConfigError,
    EndpointUnavailable,
    AuthenticationFailed,
    ModelNotFound,
    LocalModelError,
)
