"""``quotecheck eval`` as a user runs it: tables, JSON, re-scoring and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from quotecheck.cli.eval import eval_app

TEXT = 'The vote passed. "It was close," said Dana Whitfield. Nobody else spoke.'


def _gold(tmp_path: Path) -> Path:
    piece, src = '"It was close,"', "Dana Whitfield"
    c0, s0 = TEXT.index(piece), TEXT.index(src)
    row = {
        "doc_id": "d1",
        "is_primary": True,
        "publisher": "gazette",
        "text": TEXT,
        "attributions": [
            {
                "id": "E1",
                "source": [{"start": s0, "end": s0 + len(src), "text": src}],
                "cue": [{"start": s0 - 5, "end": s0 - 1, "text": "said"}],
                "content": [{"start": c0, "end": c0 + len(piece), "text": piece}],
                "derived": {"quote_type": "direct", "source_is_pronoun": False, "has_source": True},
            }
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    return path


def test_quotes_regex_json_then_rescore(tmp_path: Path) -> None:
    gold, preds = _gold(tmp_path), tmp_path / "preds.jsonl"
    runner = CliRunner()
    args = ["quotes", "--gold", str(gold), "--system", "regex", "--predictions-out", str(preds)]
    result = runner.invoke(eval_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["views"]["quotes"]["overall"]["end_to_end_f1"] == 1.0
    assert data["views"]["all"]["by_publisher"]["gazette"]["cue_accuracy"] == 1.0
    again = runner.invoke(
        eval_app, ["quotes", "--gold", str(gold), "--rescore", str(preds), "--split-view", "all"]
    )
    assert again.exit_code == 0 and "all view: overall" in again.stdout
    assert "quotes view" not in again.stdout and "gazette" in again.stdout


def test_quotes_errors_are_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(eval_app, ["quotes", "--gold", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2
    assert missing.stderr.count("\n") == 1 and "not found" in missing.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\x00\xff\xfe binary")
    garbled = runner.invoke(eval_app, ["quotes", "--gold", str(bad), "--system", "regex"])
    assert garbled.exit_code == 2 and "Traceback" not in garbled.output


def test_factcheck_majority_on_a_tiny_set(tmp_path: Path) -> None:
    folder = tmp_path / "fc" / "wice"
    folder.mkdir(parents=True)
    rows = [
        {"label": "supported", "claim": "A", "evidence": ["a"], "meta": {"id": "1"}},
        {"label": "not_supported", "claim": "B", "evidence": ["b"], "meta": {"id": "2"}},
        {"label": "not_supported", "claim": "C", "evidence": ["c"], "meta": {"id": "3"}},
    ]
    (folder / "entailment_retrieval_claim_dev.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    args = ["factcheck", "--set", "wice", "--system", "majority", "--split", "all"]
    args += ["--data", str(tmp_path / "fc")]
    result = CliRunner().invoke(eval_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    majority = json.loads(result.stdout)["systems"]["majority"]
    assert majority["label_accuracy"] == 2 / 3 and majority["balanced_accuracy"] == 0.5


def test_failed_articles_score_as_empty_and_exit_one(tmp_path: Path) -> None:
    preds = tmp_path / "preds.jsonl"
    line = {"doc_id": "d1", "report": None, "error": "InvalidOutput: kept answering badly"}
    preds.write_text(json.dumps(line) + "\n", encoding="utf-8")
    args = ["quotes", "--gold", str(_gold(tmp_path)), "--rescore", str(preds), "--json"]
    result = CliRunner().invoke(eval_app, args)
    assert result.exit_code == 1 and "1 articles failed" in result.stderr
    overall = json.loads(result.stdout)["views"]["quotes"]["overall"]
    assert overall["failed_articles"] == 1 and overall["recall"] == 0.0


def test_factcheck_scores_every_system_on_the_same_items(tmp_path: Path, fake_llm_env) -> None:
    """The scored verifier reads the answer token's probabilities; with --legacy-baseline the
    generative verifier answers the same items in the same run."""
    import math
    import re

    from fakeserver import chat_completion, json_responder

    legacy = json_responder(
        lambda request: {
            "same_topic": True,
            "label": "supported",
            "evidence": [1],
            "rationale": "x",
        }
    )

    def answer(request: dict):
        if request.get("max_tokens") != 1:  # today's verifier: a JSON verdict
            return legacy(request)
        user = request["messages"][-1]["content"]
        claim = re.search(r"^Claim: (.*)$", user, re.M).group(1)
        evidence = re.search(r"^Evidence: (.*)$", user, re.M).group(1)
        yes = all(w in evidence for w in claim.rstrip(".").split())  # every word is there
        p = 0.95 if yes else 0.05
        logprobs = {"yes": math.log(p), "no": math.log(1 - p)}
        return 200, {}, chat_completion("yes" if yes else "no", top_logprobs=logprobs)

    fake_llm_env.responder = answer
    rows = [
        {
            "label": "supported",
            "claim": "The tunnel cost forty million dollars.",
            "evidence": ["The tunnel cost forty million dollars in the end, the council said."],
            "meta": {"id": "backed"},
        },
        {
            "label": "not_supported",
            "claim": "The ferry sails every 20 minutes at night.",
            "evidence": ["At night the ferry sails every 60 minutes, the operator said."],
            "meta": {"id": "other-number"},
        },
    ]
    folder = tmp_path / "fc" / "wice"
    folder.mkdir(parents=True)
    (folder / "entailment_retrieval_claim_dev.jsonl").write_text(
        "\n".join(json.dumps(r) for r in rows), encoding="utf-8"
    )
    saved = tmp_path / "verdicts.jsonl"
    args = ["factcheck", "--set", "wice", "--split", "all", "--data", str(tmp_path / "fc")]
    args += ["--legacy-baseline", "--predictions-out", str(saved), "--json"]
    result = CliRunner().invoke(eval_app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)["systems"]
    assert set(out) == {"majority", "verifier", "verifier, no code checks", "today's verifier"}
    assert out["verifier"]["balanced_accuracy"] == 1.0, out
    assert out["verifier"]["output_tokens_per_item"] <= 3  # one token per question
    # it backs both, but its names-and-numbers veto stops the second (20 is not 60)
    assert out["today's verifier"]["balanced_accuracy"] == 1.0
    backed, other = (json.loads(line) for line in saved.read_text("utf-8").splitlines())
    assert backed["verifier"]["label"] == "supported" and backed["verifier"]["citations"]
    assert other["verifier"]["label"] == "refuted"
    # each window shown keeps the model's answer for it (its units and P(yes))
    assert [round(w["p_yes"], 2) for w in backed["windows"]] == [0.95]
    assert [round(w["p_yes"], 2) for w in other["windows"]] == [0.05]
    assert any(f.startswith("number_mismatch") for f in other["features"] if other["features"][f])
    # the saved records score again without a model, to the same figures
    again = CliRunner().invoke(
        eval_app, ["factcheck", "--set", "wice", "--rescore", str(saved), "--json"]
    )
    assert again.exit_code == 0, again.output
    rescored = json.loads(again.stdout)["systems"]
    for name in ("verifier", "verifier, no code checks", "today's verifier"):
        assert rescored[name]["balanced_accuracy"] == out[name]["balanced_accuracy"], name
        assert rescored[name]["output_tokens_per_item"] == out[name]["output_tokens_per_item"]
    # --recheck measures the code checks again from the set's items, keeping the model's answers:
    # a record whose checks were saved wrong (or by older code) gets today's back
    lines = [json.loads(line) for line in saved.read_text("utf-8").splitlines()]
    stale = [r | {"features": r["features"] | {"number_mismatch@E": 0.0}} for r in lines]
    saved.write_text("".join(json.dumps(r) + "\n" for r in stale), "utf-8")
    rechecked = tmp_path / "rechecked.jsonl"
    args = ["factcheck", "--set", "wice", "--data", str(tmp_path / "fc"), "--rescore", str(saved)]
    again = CliRunner().invoke(
        eval_app, [*args, "--recheck", "--predictions-out", str(rechecked), "--json"]
    )
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["systems"]["verifier"]["balanced_accuracy"] == 1.0
    for before, after in zip(
        lines, map(json.loads, rechecked.read_text("utf-8").splitlines()), strict=True
    ):
        assert after["features"] == before["features"]  # the model's m_* kept, the checks redone
        assert (
            after["verifier"]["rescored"]
            and after["verifier"]["label"] == before["verifier"]["label"]
        )
    assert other["features"]["number_mismatch@E"] > 0
    # records of items the set does not hold are refused, not scored
    saved.write_text(saved.read_text("utf-8").replace('"other-number"', '"elsewhere"'), "utf-8")
    foreign = CliRunner().invoke(eval_app, [*args, "--recheck"])
    assert foreign.exit_code != 0 and "elsewhere" in foreign.output
