"""Reaching Ray for the Ray engine: is it installed (without importing it), is the cluster
there (in seconds, not Ray's minutes of retries), and ``ray.init`` for an address or for a
private instance on this machine's loopback.

Imports only ``errors``; ``ray`` inside :func:`connect`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import socket
import sys
from typing import Any

from quotecheck.errors import ConfigError

RAY_INSTALL_HINT = "--engine ray needs Ray: pip install 'quotecheck[ray]'"
#: a private instance (no address) stays on this machine's loopback; read when ray is imported
_LOOPBACK_ENV = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"


def require_ray() -> None:
    """Raise the one-line install hint when Ray is missing (checked without importing it)."""
    try:
        found = importlib.util.find_spec("ray") is not None
    except (ImportError, ValueError):  # a broken or blocked installation
        found = False
    if not found:
        raise ConfigError(RAY_INSTALL_HINT)


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Fail in seconds, not minutes (Ray keeps retrying), when nothing listens at ``address``."""
    host_port = address.removeprefix("ray://")
    host, _, port = host_port.rpartition(":")
    if address == "auto" or not host or not port.isdigit():
        return  # "auto" and names Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except OSError as err:
        raise ConfigError(
            f"cannot reach the Ray cluster at {address} ({err.strerror or err}); "
            "is `ray start --head` running there?"
        ) from err


def connect(address: str | None) -> tuple[Any, bool]:
    """The ``ray`` module, connected; and whether this call started the connection (then the
    caller shuts it down). ``address`` None: ``RAY_ADDRESS``, else a private instance."""
    address = address or os.environ.get("RAY_ADDRESS") or None
    if address is None and "ray" not in sys.modules:
        os.environ.setdefault(_LOOPBACK_ENV, "0")  # a private instance: loopback only
    require_ray()
    import ray

    if ray.is_initialized():
        return ray, False
    if address is not None:
        _check_reachable(address)
    quiet: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address is None:
            ray.init(address="local", include_dashboard=False, **quiet)
        else:
            ray.init(address=address, **quiet)
    except (ConnectionError, RuntimeError, ValueError) as err:
        where = address or "a local instance"
        raise ConfigError(f"cannot start or reach Ray at {where}: {err}") from err
    return ray, True
