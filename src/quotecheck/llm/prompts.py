"""Prompt templates: Jinja files in ``prompts/``, shipped inside the wheel.

The installed package reads them through ``importlib.resources`` (``quotecheck/prompts``);
an editable checkout falls back to the repository's top-level ``prompts/`` folder. Imports
nothing of the package.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jinja2

_REPO_PROMPTS = Path(__file__).resolve().parents[3] / "prompts"


def _source(name: str) -> str:
    fname = f"{name}.j2"
    packaged = resources.files("quotecheck").joinpath("prompts", fname)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    local = _REPO_PROMPTS / fname
    if local.is_file():
        return local.read_text(encoding="utf-8")
    raise FileNotFoundError(f"prompt template {fname!r} not found")


@lru_cache(maxsize=64)
def template(name: str) -> tuple[jinja2.Template, str]:
    """The compiled template and the first 12 hex digits of its source's SHA-256."""
    src = _source(name)
    env = jinja2.Environment(
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False
    )
    return env.from_string(src), hashlib.sha256(src.encode()).hexdigest()[:12]


def render(name: str, **variables: object) -> tuple[str, str]:
    tpl, sha = template(name)
    return tpl.render(**variables), sha
