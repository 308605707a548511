"""The attribution tagger: labels, grouping, training at first use, the cache, the pipeline and
the CLI option. Training is real (python-crfsuite) on a small corpus this file writes from
sentences of the project's own; the PolNeAR test reads ../shared/data and skips without it."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import shared_file
from conftest_fakeserver import fake_env
from fakeserver import attribution_responder
from quotecheck.errors import BadInput
from quotecheck.quotes import extract_quotes, load_tagger, tagger_trained
from quotecheck.quotes import tagger as tagger_mod
from quotecheck.quotes.features import labels, tokens

NAMES = ["Mara Quist", "Olek Varn", "Ines Dahl", "Teo Brandt", "Lena Moss", "Pavel Ruda"]
ROLES = ["the harbour master", "a council spokesman", "the ferry operator", "two residents"]
CONTENTS = [
    "the new pier would open in June",
    "ticket prices were too high",
    "the storm had damaged three boats",
    "the timetable would change next week",
    "the repairs were behind schedule",
    "the market would move to the square",
]
FILLER = [
    "The ferry left at noon.",
    "Rain fell over the bay for most of the day.",
    "The bridge opened to traffic in 2019.",
]


def _doc(rng: random.Random, n: int) -> dict:
    """One article: attribution sentences in three shapes, with fillers between them."""
    text, atts = "", []
    for k in range(4):
        src = rng.choice(NAMES + ROLES)
        content = rng.choice(CONTENTS)
        shape = rng.randrange(3)
        if shape == 0:
            sent, cue, c_text = f"{src} said that {content}.", "said", f"that {content}"
        elif shape == 1:
            c_text = content[0].upper() + content[1:]
            sent, cue = f"{c_text}, {src} said.", "said"
        else:
            sent, cue, c_text = f"According to {src}, {content}.", "According to", content
        base = len(text)
        cs = base + sent.index(c_text)
        s_at = base + sent.index(src)
        k_at = base + sent.index(cue)
        atts.append(
            {
                "id": f"E{k}",
                "source": [{"start": s_at, "end": s_at + len(src), "text": src}],
                "cue": [{"start": k_at, "end": k_at + len(cue), "text": cue}],
                "content": [{"start": cs, "end": cs + len(c_text), "text": c_text}],
            }
        )
        text += sent + "\n\n" + rng.choice(FILLER) + "\n\n"
    for a in atts:
        for part in ("source", "cue", "content"):
            (sp,) = a[part]
            assert text[sp["start"] : sp["end"]] == sp["text"]
    return {"doc_id": f"d{n}", "text": text, "attributions": atts}


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("QUOTECHECK_HOME", str(tmp_path / "home"))
    rng = random.Random(7)
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(_doc(rng, n)) for n in range(40)) + "\n", "utf-8")
    return path


def test_labels_mark_bio_runs_and_let_a_nested_cue_win() -> None:
    text = "Ana said Bo thinks rain will come."
    toks = tokens(text, 0, len(text))
    outer = ([(0, 3)], [(4, 8)], [(9, 33)])  # Ana | said | Bo thinks rain will come
    inner = ([(9, 11)], [(12, 18)], [(19, 33)])  # Bo | thinks | rain will come
    got = labels(toks, [outer, inner])
    assert got == ["B-SRC", "B-CUE", "B-SRC", "B-CUE", "B-CON", "I-CON", "I-CON", "O"]


def test_group_gives_a_closing_cue_the_whole_clause_before_it() -> None:
    text = "Ships were late , the harbour master said ."
    toks = tokens(text, 0, len(text))
    labs = ["B-CON", "I-CON", "I-CON", "O", "B-SRC", "I-SRC", "I-SRC", "B-CUE", "O"]
    ((cue, src, content),) = tagger_mod._group(labs, [0] * len(toks), text, toks)
    assert (cue, src, content) == ((7, 8), (4, 7), [(0, 4)])


def test_trained_at_first_use_then_opened_from_the_cache(corpus: Path) -> None:
    tg = load_tagger(corpus)
    text = "Olek Varn said that the ferry would sail at dawn.\n\nThe ferry left at noon."
    (found,) = tg.tag(text)
    assert found.source is not None and found.source.text == "Olek Varn"
    assert found.cue.text == "said"
    assert [c.text for c in found.content] == ["that the ferry would sail at dawn"]
    assert all(text[s.start : s.end] == s.text for s in (found.source, found.cue, *found.content))
    stored = tagger_mod.model_path(corpus)
    stamp = stored.stat().st_mtime_ns
    load_tagger(corpus)  # opened, not trained again
    assert stored.stat().st_mtime_ns == stamp
    assert stored.is_relative_to(corpus.parent / "home")


def test_a_changed_corpus_gets_a_tagger_of_its_own(corpus: Path) -> None:
    first = tagger_mod.model_path(corpus)
    corpus.write_text(corpus.read_text("utf-8") + "\n", "utf-8")
    assert tagger_mod.model_path(corpus) != first


def test_bad_corpora_give_one_clear_error(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("QUOTECHECK_HOME", str(tmp_path / "home"))
    with pytest.raises(BadInput, match="not found"):
        load_tagger(tmp_path / "missing.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text(json.dumps({"doc_id": "a", "text": "Rain.", "attributions": []}) + "\n")
    with pytest.raises(BadInput, match="no attributions"):
        load_tagger(empty)
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\x00\xff{not json")
    with pytest.raises(BadInput):
        load_tagger(broken)


def test_the_pipeline_asks_the_model_nothing_the_tagger_covers(corpus: Path, fake_llm_env):
    text = (
        "In June, as the boats came in, Ines Dahl said that the repairs were behind schedule."
        "\n\n"
        "Ticket prices were too high, the ferry operator said.\n\n"
        "The bridge opened to traffic in 2019."
    )
    report = extract_quotes(text, tagger=load_tagger(corpus), strategy="item")
    got = {(q.speaker_name, q.cue.text if q.cue else None) for q in report.quotes}
    assert ("Ines Dahl", "said") in got
    assert any(
        q.fragments[-1].text == "that the repairs were behind schedule" for q in report.quotes
    )
    assert any(q.text == "Ticket prices were too high" for q in report.quotes)
    assert all(q.verbatim for q in report.quotes)
    assert fake_llm_env.requests == []  # every reported-speech sentence was the tagger's
    assert report.run is not None and report.run.tagger == tagger_mod.model_path(corpus).name
    # without the tagger the sentence no rule settles goes to the model, as before
    fake_llm_env.responder = attribution_responder()
    plain = extract_quotes(text, tagger=None, strategy="item")
    assert fake_llm_env.requests
    assert plain.run is not None and plain.run.tagger is None


def test_cli_option_trains_once_and_reports_the_taggers_attributions(
    corpus: Path, fake_server, tmp_path: Path
) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Pavel Ruda said that the market would move to the square.\n", "utf-8")
    env = {
        **fake_env(fake_server),
        "QUOTECHECK_HOME": str(tmp_path / "home"),
        "QUOTECHECK_CACHE": str(tmp_path / "cache"),
        "QUOTECHECK_KEEP_ALIVE": "0",
        "PATH": "/usr/bin:/bin",
    }
    cmd = [sys.executable, "-m", "quotecheck", "extract", str(article), "-f", "json"]
    cmd += ["--strategy", "item"]  # one question at a time, as with the embedded model
    first = subprocess.run(
        [*cmd, "--tagger-corpus", str(corpus)], env=env, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert "training the attribution tagger" in first.stderr
    (quote,) = json.loads(first.stdout)["quotes"]
    assert (quote["speaker_name"], quote["cue"]["text"]) == ("Pavel Ruda", "said")
    again = subprocess.run(
        cmd, env={**env, "QUOTECHECK_TAGGER_CORPUS": str(corpus)}, capture_output=True, text=True
    )
    assert again.returncode == 0 and "training" not in again.stderr
    assert json.loads(again.stdout)["quotes"] == json.loads(first.stdout)["quotes"]
    missing = subprocess.run(
        [*cmd, "--tagger-corpus", str(tmp_path / "nope.jsonl")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [
        f"error: tagger corpus {tmp_path / 'nope.jsonl'} not found: "
        "pass a PolNeAR-format .jsonl file"
    ]


def test_tagger_trained_reads_the_environment(corpus: Path, monkeypatch) -> None:
    monkeypatch.setenv(tagger_mod.TAGGER_CORPUS_ENV, str(corpus))
    assert not tagger_trained()
    load_tagger(corpus)
    assert tagger_trained()


def test_learned_from_polnear_train_it_finds_reported_speech_on_dev(tmp_path, monkeypatch):
    """A small slice of PolNeAR train (60 articles, seconds to train) already finds over half
    of dev's attributions, spans verbatim; the full figures are in BENCHMARKS.md."""
    from quotecheck.evaluation.scoring import overlap_f1, trimmed_chars
    from quotecheck.text import load_gold

    train = shared_file("polnear", "jsonl", "train.jsonl")
    dev = load_gold(shared_file("polnear", "jsonl", "dev.jsonl"), limit=20)
    docs = [
        (d.text, [(a.source, a.cue, a.content) for a in d.attributions])
        for d in load_gold(train, limit=60)
    ]
    path = tmp_path / "small.crfsuite"
    tagger_mod.train(docs, path)
    tg = tagger_mod.Tagger(path)
    gold = found = matched = 0
    for d in dev:
        tags = tg.tag(d.text)
        found += len(tags)
        for t in tags:
            for s in (t.cue, *t.content, *([t.source] if t.source else [])):
                assert d.text[s.start : s.end] == s.text
        for a in d.attributions:
            gold += 1
            g = trimmed_chars(d.text, a.content)
            matched += any(
                overlap_f1(g, trimmed_chars(d.text, [(c.start, c.end) for c in t.content])) >= 0.5
                for t in tags
            )
    assert matched / gold > 0.5
    assert matched / found > 0.6


def test_models_tagger_trains_now_and_then_says_it_is_trained(corpus: Path) -> None:
    from typer.testing import CliRunner

    from quotecheck.cli import app

    first = CliRunner().invoke(app, ["models", "tagger", str(corpus)])
    assert first.exit_code == 0, first.output
    path = tagger_mod.model_path(corpus)
    assert f"{path}\ttrained in" in first.output and path.is_file()
    again = CliRunner().invoke(app, ["models", "tagger", str(corpus)])
    assert f"{path}\talready trained" in again.output
    bad = CliRunner().invoke(app, ["models", "tagger", str(corpus.parent / "nope.jsonl")])
    assert bad.exit_code == 2 and "not found" in bad.output


def test_a_source_is_named_without_the_relative_clause_after_it() -> None:
    text = "Ibrahim Sall, who leads the association, said it."
    toks = tokens(text, 0, len(text))
    assert tagger_mod._source(text, toks, 0, 7).text == "Ibrahim Sall"
    assert tagger_mod._source(text, toks, 0, 2).text == "Ibrahim Sall"


@pytest.fixture(scope="module")
def polnear_tagger(tmp_path_factory: pytest.TempPathFactory) -> tagger_mod.Tagger:
    """A tagger learned from the first 60 articles of PolNeAR train (seconds to train)."""
    from quotecheck.text import load_gold

    train = shared_file("polnear", "jsonl", "train.jsonl")
    docs = [
        (d.text, [(a.source, a.cue, a.content) for a in d.attributions])
        for d in load_gold(train, limit=60)
    ]
    path = tmp_path_factory.mktemp("tagger") / "small.crfsuite"
    tagger_mod.train(docs, path)
    return tagger_mod.Tagger(path)


def test_with_the_tagger_the_project_articles_keep_their_attributions(
    polnear_tagger, fake_llm_env
) -> None:
    """The example and the injection article (both written for the project) through the
    pipeline with a PolNeAR tagger; the model is the fake server, which answers each question
    from the passage's own words, so what is checked is what code decides."""
    from quotecheck.text import find_quote_spans

    fake_llm_env.responder = attribution_responder()
    repo = Path(__file__).resolve().parents[1]
    example = (repo / "examples" / "harbour-bridge.txt").read_text("utf-8")
    report = extract_quotes(example, tagger=polnear_tagger, strategy="item")
    by_text = {q.text: q for q in report.quotes}
    label = next(q for t, q in by_text.items() if "bridge to nowhere" in t)
    assert label.speaker_mention is not None and label.speaker_mention.text == "critics"
    lind = next(q for t, q in by_text.items() if "dead end for modern shipping" in t)
    assert "chief executive" not in lind.text
    injected = (repo / "tests" / "fixtures" / "injection-article.txt").read_text("utf-8")
    report = extract_quotes(injected, tagger=polnear_tagger, strategy="item")
    quoted = [(s.start, s.end) for s in find_quote_spans(injected)]
    assert report.quotes
    for q in report.quotes:
        assert "Crane" not in (q.speaker_name or "")
        for span in (q.speaker_mention, q.cue):
            if span is not None:
                assert not any(a < span.end and span.start < b for a, b in quoted), span
        assert all(injected[f.start : f.end] == f.text for f in q.fragments)


def test_doctor_names_the_tagger_in_use(corpus: Path, fake_llm_env) -> None:
    from typer.testing import CliRunner

    from quotecheck.cli import app

    plain = CliRunner().invoke(app, ["doctor", "--no-probe"])
    assert plain.exit_code == 0, plain.output
    assert "attribution tagger: none" in plain.output
    named = CliRunner().invoke(app, ["doctor", "--no-probe", "--tagger-corpus", str(corpus)])
    assert named.exit_code == 0, named.output
    assert f"attribution tagger: {tagger_mod.model_path(corpus)}" in named.output
    assert os.environ[tagger_mod.TAGGER_CORPUS_ENV] == str(corpus.resolve())  # set for workers


def test_no_test_inherits_a_tagger() -> None:
    """The variable the doctor test set is gone again (conftest restores it)."""
    assert os.environ.get(tagger_mod.TAGGER_CORPUS_ENV, "") == ""


def test_a_huge_paragraph_is_read_in_bounded_pieces(corpus: Path) -> None:
    from quotecheck.quotes.features import MAX_SEQUENCE, sequences

    one = "Olek Varn said that the ferry would sail at dawn, and the crowd went home early "
    text = one * 1500 + "."  # one sentence, one paragraph, about 25,000 tokens
    lengths = [len(toks) for toks, _, _ in sequences(text)]
    assert max(lengths) <= MAX_SEQUENCE and sum(lengths) > 20_000
    found = load_tagger(corpus).tag(text)
    assert all(text[s.start : s.end] == s.text for t in found for s in (t.cue, *t.content))


def test_one_tagger_shared_by_threads_gives_each_text_its_own_answer(corpus: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    tg = load_tagger(corpus)
    texts = [
        f"{name} said that the timetable would change next week.\n\nThe ferry left at noon."
        for name in NAMES
    ]
    alone = [tg.tag(t) for t in texts]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(tg.tag, texts * 4))
    assert together == alone * 4


class _FixedTagger:
    """Marks what it is given: the pipeline's wiring tested apart from what a CRF learns."""

    def __init__(self, text: str, source: str, cue: str, content: str) -> None:
        from quotecheck.schema import Span

        def span(words: str) -> Span:
            at = text.index(words)
            return Span(start=at, end=at + len(words), text=words)

        self.path = Path("fixed.crfsuite")
        self.found = [tagger_mod.Tagged(span(source), span(cue), (span(content),), 0.9)]

    def tag(self, text: str) -> list[tagger_mod.Tagged]:
        return self.found


def test_a_quotation_the_rules_leave_takes_the_taggers_source(fake_llm_env) -> None:
    text = (
        "The harbour master, in a long interview on Monday, and again at a hearing, "
        "insisted that “the pier will open in June, whatever the weather does.”\n\n"
        "The ferry left at noon."
    )
    fixed = _FixedTagger(
        text, "The harbour master", "insisted", "that “the pier will open in June, whatever"
    )
    for indirect in (True, False):
        report = extract_quotes(text, tagger=fixed, strategy="item", indirect=indirect)
        assert fake_llm_env.requests == []  # the quotation was settled without the model
        (quote,) = report.quotes
        assert quote.speaker_mention is not None
        assert quote.speaker_mention.text == "The harbour master"
        assert quote.cue is not None and quote.cue.text == "insisted"
        assert report.run is not None and report.run.tagger == "fixed.crfsuite"
    bare = extract_quotes(text, tagger=None, strategy="item", indirect=False)
    assert fake_llm_env.requests and bare.run is not None and bare.run.tagger is None


def test_a_sentence_the_best_path_leaves_is_read_again_from_the_marginals(
    polnear_tagger: tagger_mod.Tagger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the best path marks no cue in a sentence but the tagger thought one likely, the
    marginals give a fallback attribution, marked unsure: more of dev's attributions found,
    spans verbatim, each unsure one in a sentence without a sure cue."""
    from quotecheck.evaluation.scoring import overlap_f1, trimmed_chars
    from quotecheck.text import load_gold, sentence_at, sentences

    dev = load_gold(shared_file("polnear", "jsonl", "dev.jsonl"), limit=20)

    def matched(tags: list[tagger_mod.Tagged], d) -> int:  # type: ignore[no-untyped-def]
        spans = [trimmed_chars(d.text, [(c.start, c.end) for c in t.content]) for t in tags]
        return sum(
            any(overlap_f1(trimmed_chars(d.text, a.content), s) >= 0.5 for s in spans)
            for a in d.attributions
        )

    with_reread = without = unsure = 0
    for d in dev:
        tags = polnear_tagger.tag(d.text)
        sents = sentences(d.text)
        sure = {sentence_at(sents, t.cue.start) for t in tags if t.sure}
        for t in tags:
            for s in (t.cue, *t.content, *([t.source] if t.source else [])):
                assert d.text[s.start : s.end] == s.text
            assert t.cue.text.strip()  # a colon cue keeps its colon; no cue is empty
            if not t.sure:
                unsure += 1
                assert sentence_at(sents, t.cue.start) not in sure
        with_reread += matched(tags, d)
        with monkeypatch.context() as m:
            m.setattr(tagger_mod, "CUE_P", 1.01)  # no token is that likely: no re-read
            plain = polnear_tagger.tag(d.text)
        assert all(t.sure for t in plain)
        without += matched(plain, d)
    assert unsure > 0
    assert with_reread > without
