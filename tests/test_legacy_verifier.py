"""Verifier logic with a scripted model: citations come from code, never from the model."""

from __future__ import annotations

import pytest

from quotecheck.errors import InvalidOutput
from quotecheck.evaluation.legacy_verifier import (
    NO_EVIDENCE,
    evidence_sentences,
    verify_claim_async,
    verify_passages_async,
)
from quotecheck.llm import Choice, Completion
from quotecheck.schema import Label, Passage, Usage


class ScriptedLLM:
    """Answers each prompt id from a script, running the caller's validator like ``LLM``.

    A validator error moves on to the next scripted answer (the retry with feedback);
    running out of answers raises ``InvalidOutput``, as the real client does.
    """

    model = "scripted"
    endpoint_kind = "test"
    base_url = None

    def __init__(
        self, script: dict[str, list[dict]], choices: dict[str, float] | None = None
    ) -> None:
        self.script = {k: list(v) for k, v in script.items()}
        self.choices = choices or {}
        self.prompts: dict[str, list[str]] = {}
        self.feedback: list[str] = []

    async def acomplete(
        self, messages, schema, *, prompt_id, validate=None, max_tokens=None, attempts=None
    ):
        text = messages if isinstance(messages, str) else messages[-1]["content"]
        self.prompts.setdefault(prompt_id, []).append(text)
        answers = self.script.get(prompt_id, [])
        calls = 0
        while answers:
            calls += 1
            try:
                value = schema.model_validate(answers.pop(0))
                if validate is not None:
                    validate(value)
            except ValueError as err:
                self.feedback.append(str(err))
                continue
            return Completion(
                value, Usage(calls=calls, prompt_tokens=10, completion_tokens=5), calls, ""
            )
        raise InvalidOutput("script exhausted", attempts=calls, last_completion=None)

    async def achoose(self, messages, options, *, prompt_id):
        """One-token scores: P("yes") from ``choices`` (a phrase of the claim -> P); the
        no-evidence question gets 0.5; a claim with no scripted phrase fails like an endpoint
        that keeps refusing."""
        text = messages[-1]["content"]
        self.prompts.setdefault(prompt_id, []).append(text)
        usage = Usage(calls=1, prompt_tokens=10, completion_tokens=1)
        if "(no evidence given)" in text:
            return Choice({"yes": 0.5, "no": 0.5}, "yes", True, usage)
        for phrase, p in self.choices.items():
            if phrase in text.split("\nEvidence:")[0]:
                return Choice({"yes": p, "no": 1 - p}, "yes" if p >= 0.5 else "no", True, usage)
        raise InvalidOutput("no scripted score", attempts=1, last_completion=None, usage=usage)

    async def aclose(self) -> None:
        pass


SOURCE = "The report came out in 2021. It valued the cars at $1m. Nobody was charged."


def _passage(text: str = SOURCE, source_id: str = "note.txt") -> Passage:
    return Passage(source_id=source_id, start=0, end=len(text), text=text)


def test_evidence_sentences_slice_their_source_and_skip_repeats():
    offset_text = "Intro line here. " + SOURCE
    p1 = Passage(source_id="s", start=17, end=len(offset_text), text=offset_text[17:])
    sents = evidence_sentences([p1, p1])
    assert [s.text for s in sents] == [
        "The report came out in 2021.",
        "It valued the cars at $1m.",
        "Nobody was charged.",
    ]
    for s in sents:
        assert offset_text[s.start : s.end] == s.text


async def test_no_passages_means_no_model_call():
    llm = ScriptedLLM({})
    result = await verify_passages_async("The cars cost $1m.", [], llm)
    assert result.verdict.label == Label.not_enough_evidence
    assert result.verdict.reason == NO_EVIDENCE
    assert llm.prompts == {}


async def test_citations_are_mapped_from_sentence_ids():
    llm = ScriptedLLM(
        {
            "verify": [
                {
                    "same_topic": True,
                    "label": "refuted",
                    "evidence": [2],
                    "rationale": "Value differs.",
                }
            ]
        }
    )
    result = await verify_passages_async("The cars were worth $5m.", [_passage()], llm)
    v = result.verdict
    assert v.label == Label.refuted and not v.partial
    assert [c.text for c in v.citations] == ["It valued the cars at $1m."]
    assert SOURCE[v.citations[0].start : v.citations[0].end] == v.citations[0].text
    assert "[2] It valued the cars at $1m." in llm.prompts["verify"][0]


async def test_invented_sentence_ids_are_sent_back_then_fixed():
    llm = ScriptedLLM(
        {
            "verify": [
                {"same_topic": True, "label": "supported", "evidence": [9], "rationale": "x"},
                {"same_topic": True, "label": "supported", "evidence": [], "rationale": "x"},
                {
                    "same_topic": True,
                    "label": "supported",
                    "evidence": [1],
                    "rationale": "Same year.",
                },
            ]
        }
    )
    result = await verify_passages_async("The report came out in 2021.", [_passage()], llm)
    assert result.verdict.label == Label.supported
    assert result.usage.calls == 3
    assert "[9]" in llm.feedback[0] and "evidence" in llm.feedback[1]


async def test_partly_supported_is_not_enough_evidence_with_partial_flag():
    llm = ScriptedLLM(
        {
            "verify": [
                {
                    "same_topic": True,
                    "label": "partly_supported",
                    "evidence": [1, 1],
                    "rationale": "Half.",
                }
            ]
        }
    )
    v = (
        await verify_passages_async("In 2021 a report named five buyers.", [_passage()], llm)
    ).verdict
    assert v.label == Label.not_enough_evidence and v.partial
    assert len(v.citations) == 1


async def test_not_enough_evidence_drops_citations():
    llm = ScriptedLLM(
        {
            "verify": [
                {
                    "same_topic": True,
                    "label": "not_enough_evidence",
                    "evidence": [1],
                    "rationale": "-",
                }
            ]
        }
    )
    v = (await verify_passages_async("Kim is 40.", [_passage()], llm)).verdict
    assert v.label == Label.not_enough_evidence and v.citations == []


async def test_verify_claim_async_wraps_plain_passages():
    llm = ScriptedLLM(
        {"verify": [{"same_topic": True, "label": "supported", "evidence": [2], "rationale": "ok"}]}
    )
    v = await verify_claim_async(
        "It was $1m.", ["Nothing relevant is here.", "It valued the cars at $1m."], llm
    )
    assert v.label == "supported"
    assert v.citations[0].source_id == "passage-2"
    assert v.citations[0].start == 0


async def test_exhausted_retries_raise_invalid_output():
    llm = ScriptedLLM(
        {"verify": [{"same_topic": True, "label": "refuted", "evidence": [], "rationale": "x"}]}
    )
    with pytest.raises(InvalidOutput):
        await verify_passages_async("The report came out in 2021.", [_passage()], llm)


def test_long_evidence_is_cut_to_the_sentences_about_the_claim():
    from quotecheck.evaluation.legacy_verifier import MAX_SENTENCES, select_sentences

    filler = " ".join(f"Line {i} talks about gardening and roses." for i in range(60))
    text = filler + " The harbour crane lifted 40 tonnes in March. " + filler
    sents = evidence_sentences([_passage(text)])
    chosen = select_sentences("How many tonnes did the harbour crane lift?", sents)
    assert len(chosen) == MAX_SENTENCES
    assert "The harbour crane lifted 40 tonnes in March." in [c.text for c in chosen]
    assert [c.start for c in chosen] == sorted(c.start for c in chosen)


async def test_off_topic_answers_become_not_enough_evidence():
    llm = ScriptedLLM(
        {
            "verify": [
                {"same_topic": False, "label": "refuted", "evidence": [1], "rationale": "x"},
                {"same_topic": True, "label": "refuted", "evidence": [3], "rationale": "y"},
            ]
        }
    )
    claim = "The mayor visited Paris in May with two ministers."
    first = (await verify_passages_async(claim, [_passage()], llm)).verdict
    second = (await verify_passages_async(claim, [_passage()], llm)).verdict
    for v in (first, second):
        assert v.label == Label.not_enough_evidence and v.citations == [] and v.reason
    assert first.reason != second.reason


async def test_names_alone_are_not_evidence_but_numbers_with_names_are():
    profile = _passage("Kim Jong Un, the leader, is 52 years old.", "profile.md")
    llm = ScriptedLLM(
        {
            "verify": [
                {"same_topic": True, "label": "supported", "evidence": [1], "rationale": "x"},
                {"same_topic": True, "label": "refuted", "evidence": [1], "rationale": "y"},
            ]
        }
    )
    weapons = (await verify_passages_async("Kim Jong Un tests missiles.", [profile], llm)).verdict
    age = (await verify_passages_async("Kim Jong Un is 40.", [profile], llm)).verdict
    assert weapons.label == Label.not_enough_evidence and weapons.reason
    assert age.label == Label.refuted and age.citations[0].source_id == "profile.md"


def test_without_retrieval_the_model_reads_the_first_sentences() -> None:
    from quotecheck.evaluation.legacy_verifier import (
        MAX_SENTENCES,
        plain_passages,
        retrieval_applies,
        shown_sentences,
    )

    filler = [f"Item {n} of the agenda was about parking fees." for n in range(40)]
    doc = " ".join([*filler, "The bridge cost forty million dollars in the end."])
    claim = "The bridge cost forty million dollars."
    wrapped = plain_passages([doc])
    retrieved = shown_sentences(claim, wrapped)
    first = shown_sentences(claim, wrapped, retrieval=False)
    assert len(retrieved) == len(first) == MAX_SENTENCES
    assert any("bridge" in c.text for c in retrieved)
    assert not any("bridge" in c.text for c in first)
    assert retrieval_applies(claim, [doc])
    assert not retrieval_applies(claim, ["The bridge cost forty million dollars in the end."])


async def test_supported_needs_the_claims_names_and_numbers_in_the_evidence():
    note = _passage(
        "The United Arab Emirates shipped 12 cars to Ningbo. The buyer paid in cash.", "note.md"
    )
    said_supported = {"same_topic": True, "label": "supported", "evidence": [1], "rationale": "x"}
    llm = ScriptedLLM({"verify": [dict(said_supported), dict(said_supported)]})
    swapped = (await verify_passages_async("Oman shipped 12 cars to Ningbo.", [note], llm)).verdict
    backed = (
        await verify_passages_async("The UAE shipped 12 cars to Ningbo.", [note], llm)
    ).verdict
    assert swapped.label == Label.not_enough_evidence and swapped.partial
    assert swapped.reason is not None and swapped.reason.endswith(": oman")
    assert swapped.citations  # what the evidence does back stays cited
    assert backed.label == Label.supported and backed.reason is None
