"""How the service runs, and its safety rules: where it may listen, who may call it, how much
it takes in and how long it waits.

Secure by default: without an API token it listens only on the loopback interface; with
tokens (``QUOTECHECK_API_TOKENS``, comma-separated, or a token file with one per line) every
``/v1`` route needs ``Authorization: Bearer <token>``, compared in constant time. Tokens are
kept as SHA-256 digests and never printed. Imports ``errors`` and ``llm``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from quotecheck.errors import ConfigError
from quotecheck.llm import LLMConfig

TOKENS_ENV = "QUOTECHECK_API_TOKENS"
MIN_TOKEN_LENGTH = 16
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class TokenSet:
    """Accepted bearer tokens, held as digests; ``accepts`` compares in constant time."""

    def __init__(self, tokens: list[str]) -> None:
        short = [t for t in tokens if len(t) < MIN_TOKEN_LENGTH]
        if short:
            raise ConfigError(
                f"{len(short)} API token(s) are shorter than {MIN_TOKEN_LENGTH} characters; "
                "use long random tokens, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe())'"
            )
        self._digests = [_digest(t) for t in dict.fromkeys(tokens)]

    def __bool__(self) -> bool:
        return bool(self._digests)

    def __len__(self) -> int:
        return len(self._digests)

    def __repr__(self) -> str:  # never the tokens themselves
        return f"TokenSet({len(self)} token(s))"

    def accepts(self, token: str | None) -> bool:
        if token is None:
            return False
        given = _digest(token)
        ok = False
        for digest in self._digests:  # every digest is compared: no early exit to time
            ok |= hmac.compare_digest(given, digest)
        return ok


def read_token_file(path: Path) -> list[str]:
    """One token per line; blank lines and ``#`` comments ignored. Refuses a file that others
    may read or write (it holds secrets)."""
    try:
        mode = path.stat().st_mode
        text = path.read_text("utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read the token file {path}: {err.strerror or err}") from err
    if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(f"the token file {path} is readable by others; chmod 600 {path}")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def load_tokens(token_file: Path | None = None) -> TokenSet:
    """Tokens from ``QUOTECHECK_API_TOKENS`` and the token file, if any."""
    tokens = [t.strip() for t in os.environ.get(TOKENS_ENV, "").split(",") if t.strip()]
    if token_file is not None:
        tokens += read_token_file(token_file)
    return TokenSet(tokens)


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, tokens: TokenSet) -> None:
    """Refuse to listen beyond this machine without a token."""
    if not tokens and not is_loopback(host):
        raise ConfigError(
            f"refusing to listen on {host} without an API token: anyone on the network could "
            f"use the model; set {TOKENS_ENV} or --token-file, or listen on 127.0.0.1"
        )


@dataclass
class ServiceConfig:
    """Everything the app needs. ``concurrency`` None: the embedded model's parallel slots,
    else 4 for a remote endpoint. ``queue``: requests that may wait for the model beyond
    those (more get 429). ``request_timeout``: seconds one request may take in all."""

    llm: LLMConfig = field(default_factory=LLMConfig.from_env)
    tokens: TokenSet = field(default_factory=lambda: TokenSet([]))
    jobs_dir: Path = field(default_factory=lambda: Path("quotecheck-jobs"))
    max_body: int = 16 * 1024 * 1024
    request_timeout: float = 600.0
    concurrency: int | None = None
    queue: int = 16
    job_workers: int = 1
    max_job_articles: int = 10_000
    warm: bool = True

    def slots(self) -> int:
        if self.concurrency is not None:
            return max(1, self.concurrency)
        return self.llm.local.n_parallel if self.llm.endpoint_kind == "embedded" else 4
