"""Run a system over gold articles, save its reports, and score saved reports.

Predictions are JSONL lines ``{"doc_id", "report": QuoteReport JSON | null, "error": str | null}``
so a slow model run is paid once and can be re-scored as the scorer evolves.
Imports ``errors``, ``schema``, the ``quotes`` and ``llm`` faces and the rest of ``evaluation``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from quotecheck.errors import FATAL_ERRORS, BadInput, ConfigError, QuotecheckError
from quotecheck.evaluation.baselines import regex_quotes
from quotecheck.evaluation.naive import DEFAULT_MAX_TOKENS, naive_quotes
from quotecheck.evaluation.scoring import Scores, score_corpus
from quotecheck.schema import QuoteReport
from quotecheck.text import GoldDoc

if TYPE_CHECKING:
    from quotecheck.llm import LLMConfig

SYSTEMS = ("pipeline", "regex", "naive")


@dataclass(frozen=True)
class Prediction:
    doc_id: str
    report: QuoteReport | None
    error: str | None = None

    def to_json(self) -> str:
        report = self.report.model_dump(mode="json") if self.report else None
        return json.dumps({"doc_id": self.doc_id, "report": report, "error": self.error})


def _make_llm(config: LLMConfig | None):
    from quotecheck.llm import LLM  # imported late: the regex system needs no model stack

    return LLM(config)


async def _pipeline(doc: GoldDoc, llm, indirect: bool = True) -> QuoteReport:
    from quotecheck.quotes import extract_quotes_async

    return await extract_quotes_async(doc.text, article_id=doc.doc_id, llm=llm, indirect=indirect)


async def predict(
    docs: Iterable[GoldDoc],
    system: str,
    *,
    config: LLMConfig | None = None,
    out_path: Path | None = None,
    max_tokens: int = DEFAULT_MAX_TOKENS,
    on_done: Callable[[Prediction], None] | None = None,
    indirect: bool = True,
) -> list[Prediction]:
    """Reports for each article, written to ``out_path`` as they finish.

    An article whose run fails is recorded with its error and scored as empty; errors that
    would fail every article (no endpoint, bad key, unknown model) stop the run at once.
    """
    if system not in SYSTEMS:
        raise ConfigError(f"unknown system {system!r}: use one of {', '.join(SYSTEMS)}")
    if system == "naive":  # one prompt, one answer: no validation-feedback retries
        from quotecheck.llm import LLMConfig

        config = replace(config or LLMConfig.from_env(), attempts=1)
    llm = _make_llm(config) if system != "regex" else None
    out = out_path.open("w", encoding="utf-8") if out_path else None
    results: list[Prediction] = []
    try:
        for doc in docs:
            try:
                if system == "regex":
                    report = regex_quotes(doc.text, article_id=doc.doc_id)
                elif system == "naive":
                    report = await naive_quotes(
                        doc.text, llm, article_id=doc.doc_id, max_tokens=max_tokens
                    )
                else:
                    report = await _pipeline(doc, llm, indirect)
                pred = Prediction(doc.doc_id, report)
            except FATAL_ERRORS:
                raise
            except QuotecheckError as err:
                pred = Prediction(doc.doc_id, None, f"{type(err).__name__}: {err}")
            results.append(pred)
            if out:
                out.write(pred.to_json() + "\n")
                out.flush()
            if on_done:
                on_done(pred)
    finally:
        if out:
            out.close()
        close = getattr(llm, "aclose", None)
        if close is not None:
            await close()
    return results


def read_predictions(path: Path) -> dict[str, Prediction]:
    """Saved predictions by doc id (eval or batch output); a malformed file gives one clear
    error."""
    if not path.is_file():
        raise BadInput(f"predictions file {path} not found: run with --predictions-out first")
    preds: dict[str, Prediction] = {}
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as err:
        raise BadInput(f"{path} is not UTF-8 text: pass a predictions .jsonl file") from err
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            raw = row.get("report")
            report = QuoteReport.model_validate(raw) if raw is not None else None
            # eval runs write "doc_id"; `quotecheck batch` output writes "id"
            doc_id = str(row["doc_id"] if "doc_id" in row else row["id"])
            preds[doc_id] = Prediction(doc_id, report, row.get("error"))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as err:
            raise BadInput(f"{path}:{lineno} is not a prediction line ({err})") from err
        except ValidationError as err:
            raise BadInput(
                f"{path}:{lineno} holds a report this version cannot read "
                f"({err.error_count()} errors): re-run the predictions"
            ) from err
    return preds


def score(
    docs: Iterable[GoldDoc], predictions: dict[str, Prediction], views: Iterable[str]
) -> tuple[dict[str, Scores], list[str]]:
    """Scores per view over the gold articles that have a prediction, plus warnings.

    Gold articles without a prediction are left out (and reported): a run stopped early or
    limited with --limit should be scored on what it covered.
    """
    docs = list(docs)
    warnings = []
    missing = [d.doc_id for d in docs if d.doc_id not in predictions]
    if missing:
        warnings.append(f"{len(missing)} gold articles have no prediction and are not scored")
    triples = []
    for doc in docs:
        pred = predictions.get(doc.doc_id)
        if pred is None:
            continue
        report = pred.report
        if report is not None and report.text_length != len(doc.text):
            raise BadInput(
                f"prediction for {doc.doc_id} was made on a different text "
                f"({report.text_length} vs {len(doc.text)} characters): wrong gold file?"
            )
        triples.append((doc, report, report is None))
    if not triples:
        raise BadInput("no prediction matches a gold article: check --gold and the predictions")
    return {v: score_corpus(triples, v) for v in views}, warnings
