"""Estimated cost of a run from token counts and a per-model price table.

Prices are USD per million tokens. The defaults below are list prices of common hosted
models at the time of writing and go stale: pass ``--prices FILE`` (TOML or JSON) to use your
own. The file maps model names to ``{input = ..., output = ...}``, e.g. in TOML::

    ["gpt-4o-mini"]
    input = 0.15
    output = 0.60

A model name matches its exact entry, else the longest entry it starts with
(``gpt-4o-mini-2024-07-18`` uses ``gpt-4o-mini``). The embedded local model costs 0; a model
with no entry has an unknown cost (reported as such, never guessed).
Imports only ``errors``.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from quotecheck.errors import ConfigError

#: USD per 1M tokens (input, output)
DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-nano": (0.10, 0.40),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "o4-mini": (1.10, 4.40),
    "gpt-5-nano": (0.05, 0.40),
    "gpt-5-mini": (0.25, 2.00),
    "gpt-5": (1.25, 10.00),
}
LOCAL_KINDS = frozenset({"embedded"})


@dataclass
class PriceTable:
    prices: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_PRICES))

    @classmethod
    def load(cls, path: Path | None) -> PriceTable:
        """Defaults, overridden/extended by the entries of ``path`` (TOML or JSON)."""
        table = cls()
        if path is None:
            return table
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise ConfigError(f"cannot read price table {path}: {err.strerror or err}") from err
        try:
            data = (
                json.loads(raw) if path.suffix.lower() == ".json" else tomllib.loads(raw.decode())
            )
        except (ValueError, UnicodeDecodeError) as err:
            raise ConfigError(f"price table {path} is not valid TOML/JSON: {err}") from err
        if not isinstance(data, dict):
            raise ConfigError(f"price table {path}: expected model = {{input, output}} entries")
        for model, entry in data.items():
            try:
                table.prices[str(model)] = (float(entry["input"]), float(entry["output"]))
            except (TypeError, KeyError, ValueError) as err:
                raise ConfigError(
                    f"price table {path}: entry {model!r} needs numeric 'input' and 'output' "
                    "(USD per million tokens)"
                ) from err
        return table

    def lookup(self, model: str) -> tuple[float, float] | None:
        if model in self.prices:
            return self.prices[model]
        prefixes = [name for name in self.prices if model.startswith(name)]
        return self.prices[max(prefixes, key=len)] if prefixes else None

    def cost(
        self, model: str | None, endpoint_kind: str | None, prompt_tokens: int, output_tokens: int
    ) -> float | None:
        """USD for the tokens, 0 for the embedded model, None when the model is unknown."""
        if endpoint_kind in LOCAL_KINDS:
            return 0.0
        price = self.lookup(model) if model else None
        if price is None:
            return None
        return (prompt_tokens * price[0] + output_tokens * price[1]) / 1_000_000
