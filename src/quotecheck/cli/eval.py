"""``quotecheck eval``: score quote attribution on PolNeAR and claim verification sets.

A thin layer: it parses options, calls ``quotecheck.evaluation`` and prints rich tables or JSON.
Imports ``evaluation``, ``llm`` and ``cli.common``.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from quotecheck.cli.common import JsonAliasOpt, clean_errors, json_alias, model_options
from quotecheck.errors import BadInput
from quotecheck.llm import LLMConfig

eval_app = typer.Typer(
    name="eval",
    help="Measure quote attribution and fact-checking against gold data.",
    no_args_is_help=True,
)
_out = Console()

# metrics shown in the table, with short labels; JSON carries every tally
_QUOTE_ROWS = (
    ("articles", "articles"),
    ("failed_articles", "failed articles"),
    ("capped_articles", "hit token cap"),
    ("invalid_articles", "invalid answer"),
    ("gold", "gold quotes"),
    ("pred", "predicted"),
    ("precision", "P (overlap>=.5)"),
    ("recall", "R"),
    ("f1", "F1"),
    ("exact_f1", "exact F1"),
    ("char_precision", "char P"),
    ("char_recall", "char R"),
    ("speaker_accuracy", "speaker acc"),
    ("speaker_named", "  named"),
    ("speaker_pronoun", "  pronoun"),
    ("speaker_no_source", "  no source"),
    ("end_to_end_f1", "end-to-end F1"),
    ("pred_matching_other_gold", "pred. matching gold of another type"),
    ("f1_ignoring_other_gold", "F1, those left out"),
    ("end_to_end_f1_ignoring_other_gold", "end-to-end F1, those left out"),
    ("cue_accuracy", "cue acc"),
    ("type_accuracy", "type acc"),
    ("direct_verbatim_share", "direct verbatim"),
    ("tokens_per_article", "tokens/article"),
    ("calls_per_article", "model calls/article"),
    ("seconds_per_article", "s/article"),
)


_PUBLISHER_COLUMNS = (
    ("gold", "gold"),
    ("precision", "P"),
    ("recall", "R"),
    ("f1", "F1"),
    ("exact_f1", "exact"),
    ("speaker_accuracy", "speaker"),
    ("end_to_end_f1", "e2e F1"),
)


View = Literal["quotes", "all"]
System = Literal["pipeline", "regex", "naive"]
FactSet = Literal["summedits-podcast", "summedits-meeting", "wice", "averitec"]
FactSystem = Literal["verifier", "majority"]


FormatOpt = Annotated[
    Literal["table", "json"] | None, typer.Option("--format", "-f", help="table or json.")
]


def _fmt(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def _quote_tables(view: str, scores: dict) -> list[Table]:
    """Every metric overall, then the headline metrics per publisher (fits 80 columns)."""
    overall = Table(title=f"{view} view: overall")
    overall.add_column("metric", no_wrap=True)
    overall.add_column("value", justify="right")
    for key, label in _QUOTE_ROWS:
        overall.add_row(label, _fmt(scores["overall"][key]))
    per_pub = Table(title=f"{view} view: per publisher")
    per_pub.add_column("publisher", no_wrap=True)
    for _, label in _PUBLISHER_COLUMNS:
        per_pub.add_column(label, justify="right")
    for name, m in scores["by_publisher"].items():
        per_pub.add_row(name, *(_fmt(m[key]) for key, _ in _PUBLISHER_COLUMNS))
    return [overall, per_pub]


@eval_app.command("quotes")
@clean_errors
@model_options
def quotes(
    gold: Annotated[Path, typer.Option(help="PolNeAR-format gold JSONL (primary rows are used)")],
    limit: Annotated[
        int | None, typer.Option(min=1, help="score only the first N articles")
    ] = None,
    split_view: Annotated[
        View | None, typer.Option(help="quotes: gold direct+mixed only; all: every attribution")
    ] = None,
    system: Annotated[System, typer.Option(help="what produces the predictions")] = "pipeline",
    predictions_out: Annotated[
        Path | None, typer.Option(help="save each article's report as JSONL for re-scoring")
    ] = None,
    rescore: Annotated[
        Path | None, typer.Option(help="score saved predictions instead of running a system")
    ] = None,
    max_tokens: Annotated[
        int, typer.Option(min=16, help="output cap of the naive baseline")
    ] = 1024,
    output_format: FormatOpt = None,
    as_json: JsonAliasOpt = False,
    every: Annotated[
        int, typer.Option(min=1, help="take every Kth article (a subset across publishers)")
    ] = 1,
    indirect: Annotated[
        bool, typer.Option(help="pipeline: also attribute reported speech (--no-indirect: quotes)")
    ] = True,
    *,
    config: LLMConfig,
) -> None:
    """Score quote extraction and attribution against gold, overall and per publisher."""
    from quotecheck.evaluation import runner
    from quotecheck.text import load_gold

    views = [split_view] if split_view else ["quotes", "all"]
    docs = load_gold(gold)[::every][:limit]
    if rescore is not None:
        predictions = runner.read_predictions(rescore)
        label = f"rescored {rescore.name}"
    else:

        def progress(pred: runner.Prediction) -> None:
            if system != "regex":
                n = len(pred.report.quotes) if pred.report else 0
                typer.echo(f"{pred.doc_id}: {pred.error or f'{n} quotes'}", err=True)

        run = runner.predict(
            docs,
            system,
            config=None if system == "regex" else config,
            out_path=predictions_out,
            max_tokens=max_tokens,
            on_done=progress,
            indirect=indirect,
        )
        predictions = {p.doc_id: p for p in asyncio.run(run)}
        label = system
    scores, warnings = runner.score(docs, predictions, views)
    result = {
        "system": label,
        "gold": str(gold),
        "views": {v: s.to_dict() for v, s in scores.items()},
        "warnings": warnings,
    }
    if json_alias(output_format, as_json, "table") == "json":
        typer.echo(json.dumps(result, indent=2))
    else:
        _print_quote_scores(label, str(gold), result["views"])
    for w in warnings:
        typer.echo(f"warning: {w}", err=True)
    failed = next(iter(scores.values())).overall.failed_articles  # the same in every view
    if failed:
        typer.echo(f"error: {failed} articles failed; they count as empty predictions", err=True)
        raise typer.Exit(1)


def _print_quote_scores(label: str, gold: str, views: dict) -> None:
    _out.print(f"system: {label}  gold: {gold}", markup=False, highlight=False, soft_wrap=True)
    for view, s in views.items():
        for table in _quote_tables(view, s):
            _out.print(table)


def _fact_rows(fe: Any, gold: list[str], runs: dict) -> dict[str, dict]:
    """One summary per system, each on the items it answered; where today's verifier answered
    only some, the scored verifier again on exactly those."""
    rows = {}
    for name, run in runs.items():
        probs = run.probs if name in fe.SYSTEMS else None
        rows[name] = fe.summary([gold[i] for i in run.index], run.labels, probs) | run.per_item()
    legacy = runs.get(fe.LEGACY)
    if legacy is not None and len(legacy.index) < len(gold):
        ours = runs["verifier"]
        rows["verifier, on today's items"] = fe.summary(
            [gold[i] for i in legacy.index], [ours.labels[i] for i in legacy.index]
        )
    return rows


@eval_app.command("factcheck")
@clean_errors
@model_options
def factcheck(
    set_name: Annotated[FactSet, typer.Option("--set", help="which gold set")],
    split: Annotated[
        Literal["report", "fit", "all"],
        typer.Option(
            help="REPORT: what figures are measured on; FIT: what calibration is fitted on"
        ),
    ] = "report",
    limit: Annotated[int | None, typer.Option(min=1, help="use only the first N items")] = None,
    every: Annotated[
        int, typer.Option(min=1, help="take every Kth item (a sample spread over the set)")
    ] = 1,
    system: Annotated[
        FactSystem, typer.Option(help="the LLM verifier, or only the majority-class baseline")
    ] = "verifier",
    legacy: Annotated[
        bool, typer.Option("--legacy-baseline", help="also score today's generative verifier")
    ] = False,
    legacy_every: Annotated[
        int, typer.Option(min=1, help="with --legacy-baseline: today's verifier on every Kth item")
    ] = 1,
    data: Annotated[Path, typer.Option(help="the shared factcheck data folder")] = Path(
        "../shared/data/factcheck"
    ),
    output_format: FormatOpt = None,
    as_json: JsonAliasOpt = False,
    predictions_out: Annotated[
        Path | None,
        typer.Option(help="write each item's gold, features and verdicts here (JSONL)"),
    ] = None,
    rescore: Annotated[
        Path | None,
        typer.Option(help="score saved --predictions-out records under today's calibration"),
    ] = None,
    recheck: Annotated[
        bool,
        typer.Option(
            "--recheck",
            help="with --rescore: measure the code checks again by today's code (the saved "
            "model answers are kept; the items are read from --data)",
        ),
    ] = False,
    *,
    config: LLMConfig,
) -> None:
    """Score claim verification on one set: balanced accuracy (95 % interval), ECE, precision."""
    from quotecheck.evaluation import factcheck_eval as fe
    from quotecheck.evaluation import factcheck_sets

    errors: list[str] = []
    if rescore is not None:
        records = [json.loads(line) for line in rescore.read_text("utf-8").splitlines() if line]
        if recheck:
            by_id = {i.id: i for i in factcheck_sets.load_set(set_name, data, split="all")}
            lost = [r["id"] for r in records if r.get("id") not in by_id]
            if lost:
                raise BadInput(f"{len(lost)} records name items {set_name} lacks, e.g. {lost[0]}")
            records = [fe.rechecked(r, by_id[r["id"]]) for r in records]
        gold, runs = fe.rescore(records)
        if predictions_out is not None:
            lines = fe.prediction_lines(fe.relabelled(records, runs))
            predictions_out.write_text("\n".join(lines) + "\n", "utf-8")
        top = Counter(gold).most_common(1)[0][0] if gold else "supported"
        rows = {"majority": fe.summary(gold, [top] * len(gold))}
        rows |= _fact_rows(fe, gold, runs)
        items: list = records
    else:
        items = factcheck_sets.load_set(set_name, data, limit=limit, every=every, split=split)
        gold = [i.label for i in items]
        rows = {"majority": fe.summary(gold, fe.majority_labels(items))}
    if system == "verifier" and rescore is None:
        every_kth = legacy_every if legacy else 0
        runs, records = asyncio.run(fe.run_verifiers(items, config, legacy_every=every_kth))
        rows |= _fact_rows(fe, gold, runs)
        for run in runs.values():
            errors += run.errors
        if predictions_out is not None:
            predictions_out.write_text("\n".join(fe.prediction_lines(records)) + "\n", "utf-8")
    result = {"set": set_name, "split": split, "systems": rows, "errors": errors}
    if json_alias(output_format, as_json, "table") == "json":
        typer.echo(json.dumps(result, indent=2))
        return
    table = Table(title=f"{set_name}, {split} ({len(items)} items)")
    cols = ("system", "balanced acc [95% CI]", "ECE", "prec sup", "prec ref", "review", "s/claim")
    for col in cols:
        table.add_column(col, justify="right" if col != "system" else "left")
    for name, m in rows.items():
        lo, hi = m["balanced_accuracy_95ci"] or (None, None)
        table.add_row(
            name,
            f"{_fmt(m['balanced_accuracy'])} [{_fmt(lo)}, {_fmt(hi)}]",
            _fmt(m.get("ece")),
            _fmt(m["precision_supported"]),
            _fmt(m["precision_refuted"]),
            _fmt(m["review_share"]),
            _fmt(m.get("seconds_per_item")),
        )
    _out.print(table)
    for line in errors:
        typer.echo(f"failed (counted wrong): {line}", err=True)
