"""Serve a recorded cassette over real HTTP: the fake OpenAI server answers each request with
the recorded model answer whose request body has the same SHA-256 (cassettes store bodies as
hashes, see ``conftest._hash_body``). A request the cassette does not hold gets a 500 naming
its hash (or, with a ``fallback``, that responder's answer; ``missed`` lists them either way),
so a prompt change fails loudly, as replay under vcr does.

This lets a real ``quotecheck serve`` (or CLI) subprocess get the real embedded model's
recorded answers for the example article, without a model and without vcr in the child.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

import yaml

from conftest import REPO
from fakeserver import Reply, Responder, error_body

EXAMPLE_CASSETTE = REPO / "cassettes" / "test_quotes_e2e" / "test_example_article.yaml"
FACTCHECK_CASSETTE = (
    REPO / "cassettes" / "test_factcheck_e2e" / "test_seed_article_claims_and_quotes.yaml"
)


class CassetteResponder:
    """``raw_responder`` for :class:`fakeserver.FakeOpenAIServer`; counts what it served."""

    def __init__(self, path: Path, fallback: Responder | None = None) -> None:
        self.fallback = fallback  # answers what the cassette does not hold (else a 500)
        data = yaml.safe_load(path.read_text("utf-8"))
        self.answers: dict[str, list[str]] = {}
        for item in data["interactions"]:
            request, response = item["request"], item["response"]
            if request["uri"].endswith("/chat/completions"):
                self.answers.setdefault(request["body"], []).append(response["body"]["string"])
        self.served: list[str] = []
        self.missed: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, raw: bytes) -> Reply:
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
        with self._lock:
            answers = self.answers.get(key)
            if not answers:
                self.missed.append(key)
                if self.fallback is not None:
                    return self.fallback(json.loads(raw))
                return 500, {}, error_body(500, f"no recorded answer for body {key}")
            self.served.append(key)
            # the same question asked again gets the same recorded answer
            answer = answers.pop(0) if len(answers) > 1 else answers[0]
        return 200, {}, json.loads(answer)
