"""Score instead of generate: one answer token, read from its log-probabilities.

The caller asks a question whose answer is one of a few option words ("yes"/"no") and gets the
probability of each option: the softmax of the options' log-probabilities among the answer
token's ``top_logprobs`` (an option outside them gets the lowest shown minus one). An endpoint
that returns no log-probabilities still answers: its generated token gets probability 1, and
``from_logprobs`` says so. One output token per question. ``peek`` is the same request with a
few tokens of answer: their text and the first token's alternatives, for a caller that matches
them to words of its own. Knows no task: imports ``schema`` and the rest of ``llm``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from quotecheck.llm.transport import count_usage
from quotecheck.schema import Usage

TOP_LOGPROBS = 10


@dataclass
class Choice:
    """The options' probabilities for one question, and what it cost."""

    probs: dict[str, float]
    token: str
    from_logprobs: bool
    usage: Usage = field(default_factory=Usage)


def option_probs(options: Sequence[str], token: str, top: list[dict[str, Any]]) -> Choice:
    """Probabilities of ``options`` from one token's top log-probabilities (or its text)."""
    if top:
        floor = min(t["logprob"] for t in top) - 1.0
        best: dict[str, float] = {}
        for t in top:
            word = t["token"].strip().lower()
            for o in options:
                if o.lower() == word:
                    best[o] = max(best.get(o, -1e9), t["logprob"])
        lps = {o: best.get(o, floor) for o in options}
        m = max(lps.values())
        z = sum(math.exp(v - m) for v in lps.values())
        return Choice({o: math.exp(v - m) / z for o, v in lps.items()}, token, True)
    said = next((o for o in options if o.lower() == token.strip().lower()), None)
    return Choice({o: float(o == said) for o in options}, token, False)


def _read(response: Any) -> tuple[str, list[dict[str, Any]]]:
    choice = response["choices"][0] if response.get("choices") else {}
    token = (choice.get("message") or {}).get("content") or ""
    content = (choice.get("logprobs") or {}).get("content") or []
    return token, (content[0].get("top_logprobs") or []) if content else []


@dataclass
class Peek:
    """A short answer's text, its first token's alternatives (token, log-probability; empty
    where the endpoint returns none) and what it cost."""

    text: str
    first: list[tuple[str, float]]
    usage: Usage = field(default_factory=Usage)


async def _ask(
    llm: Any, messages: list[dict[str, str]], max_tokens: int, *, prompt_id: str
) -> tuple[dict[str, Any], Usage]:
    """One greedy request with the first tokens' log-probabilities, through ``llm``'s cache,
    prefix store and transport (``llm`` is the ``client.LLM`` asking)."""
    kwargs: dict[str, Any] = {
        "temperature": 0.0,
        "seed": llm.config.seed,
        "max_tokens": max_tokens,
        "logprobs": True,
        "top_logprobs": TOP_LOGPROBS,
    }
    usage = Usage()
    key = llm._cache_key(prompt_id, messages, kwargs)
    if key is not None:
        hit = llm._cache.get(key)
        if hit is not None:
            usage.cached_calls = 1
            return hit["response"], usage
    llm._ensure_endpoint()
    t0 = time.perf_counter()
    held = await llm.prefix.before(messages) if llm.prefix else None
    raw = await llm._create(messages, kwargs)
    if held is not None:
        await llm.prefix.after(held)
    response = {"choices": raw.model_dump().get("choices")}
    usage.calls, usage.seconds = 1, time.perf_counter() - t0
    count_usage(usage, raw.usage)
    if key is not None:
        llm._cache.put(key, {"response": response})
    return response, usage


async def choose(
    llm: Any, messages: list[dict[str, str]], options: Sequence[str], *, prompt_id: str
) -> Choice:
    """Ask ``messages`` for one token and return the probabilities of ``options``."""
    response, usage = await _ask(llm, messages, 1, prompt_id=prompt_id)
    found = option_probs(options, *_read(response))
    found.usage = usage
    return found


async def peek(
    llm: Any, messages: list[dict[str, str]], max_tokens: int, *, prompt_id: str
) -> Peek:
    """Ask ``messages`` for at most ``max_tokens`` tokens: their text and the first token's
    alternatives."""
    response, usage = await _ask(llm, messages, max_tokens, prompt_id=prompt_id)
    text, top = _read(response)
    return Peek(text, [(t["token"], t["logprob"]) for t in top], usage)
