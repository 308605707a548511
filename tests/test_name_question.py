"""The name question: a claim's name blanked and filled from the deciding window by the model,
matched to the window's names by code. The model is the fake server here; the answers it gives
are the two kinds the embedded model gives (the name itself, or the sentence copied)."""

from __future__ import annotations

import asyncio
import math

from conftest_fakeserver import FAKE_KEY, FAKE_MODEL
from fakeserver import FakeOpenAIServer, chat_completion
from quotecheck.factcheck import FULL, plain_passages
from quotecheck.factcheck.calibration import NAME_SWAP_P
from quotecheck.factcheck.cloze import AFIELD_MARGIN, BLANK, blanks, name_check
from quotecheck.factcheck.scoring import Scored, Signals, code_checks
from quotecheck.factcheck.verify import ask_names, decide
from quotecheck.factcheck.windows import units, windows
from quotecheck.llm import LLM, LLMConfig
from quotecheck.schema import Label
from quotecheck.text import names, same_name

EVIDENCE = (
    "The harbour board named Lena Varga its new harbour master on Monday. "
    "Marta Okafor, who chairs the board, said the post had been empty since March."
)
CLAIM = "Marta Okafor was named the new harbour master."


def test_names_are_runs_of_capitals_without_their_openers_and_titles() -> None:
    text = (
        "Q: Did Senator Ruth Abara visit? A: Yes. Voting ended in March.\n"
        'Chet "JR" Moss of the Bank of Aldwin'
    )
    got = [(n.text, n.opener) for n in names(text)]
    assert got == [
        ("Ruth Abara", False),
        ("Voting", True),  # one word opening its sentence: maybe no name
        ('Chet "JR" Moss', False),
        ("Bank of Aldwin", False),
    ]
    assert all(text[n.start : n.end] == n.text for n in names(text))
    # one thing named two ways is one name; two people who share no word are two
    assert same_name("HBA", "Harbour Board of Aldwin") and same_name("U.S.", "United States")
    assert same_name("Okafor", "Marta Okafor") and same_name("Nigerian", "Nigeria")
    assert not same_name("Lena Varga", "Marta Okafor")


def test_a_name_is_asked_about_only_beside_other_names_of_the_window() -> None:
    us = units([EVIDENCE])
    found = blanks(CLAIM.replace(".", " of Port Aldwin."), us, windows(us)[0])
    # "Port Aldwin" is nowhere in the evidence: the names check speaks for it, not this question
    assert [(b.name.text, b.own) for b in found] == [("Marta Okafor", ["Marta Okafor"])]
    assert [o[0] for o in found[0].others] == ["Lena Varga"]  # "Monday", "March": dates
    alone = units(["Marta Okafor chairs the board."])
    assert blanks("Marta Okafor chairs the board.", alone, windows(alone)[0]) == []


AFIELD = [
    "Dara Quill opened the new ferry terminal at Port Aldwin last spring.",
    "The harbour board met on Tuesday to review the budget.",
    "Tomas Reyes, its treasurer, said costs had doubled.",
    "He said the board would ask the bank for a loan.",
]


def test_a_name_the_window_lacks_is_asked_of_the_window_and_the_units_before_it() -> None:
    us = units(AFIELD)
    window = next(w for w in windows(us) if (w.first, w.last) == (2, 3))
    (b,) = blanks("Dara Quill said costs had doubled.", us, window)
    # read back to the unit that gives the name, and no further
    assert [u.passage for u in b.units] == [0, 1, 2, 3] and b.own == ["Dara Quill"]
    assert b.margin == AFIELD_MARGIN
    # a window that opens the evidence has no units before it: still a name it lacks
    (opening,) = blanks("Tomas Reyes opened the ferry terminal.", us, windows(us)[0])
    assert [u.passage for u in opening.units] == [0, 1] and opening.margin == AFIELD_MARGIN
    assert blanks(CLAIM, units([EVIDENCE]), windows(units([EVIDENCE]))[0])[0].margin == 0
    assert [o[0] for o in b.others] == ["Port Aldwin", "Tomas Reyes"]
    (b,) = blanks("Dara Quill said costs had doubled.", us, windows(us)[-1])
    assert [u.passage for u in b.units] == [0, 1, 2, 3]
    # further back than three units: asked all the same, with none of its own to choose
    filler = ["The meeting opened at nine with a short prayer.", "Tea was served at ten."]
    far = units([AFIELD[0], *filler, *AFIELD[1:]])
    window = next(w for w in windows(far) if (w.first, w.last) == (4, 5))
    (b,) = blanks("Dara Quill said costs had doubled.", far, window)
    assert [u.passage for u in b.units] == [1, 2, 3, 4, 5] and b.own == []


def test_the_check_fires_on_a_name_from_elsewhere_in_the_evidence(
    fake_server: FakeOpenAIServer,
) -> None:
    seen = _answering(fake_server, "Tomas Reyes", {"Tom": -0.1, "D": -3.0})
    us = units(AFIELD)
    window = next(w for w in windows(us) if (w.first, w.last) == (2, 3))
    claim = "Dara Quill said costs had doubled."
    check, _ = asyncio.run(name_check(_llm(fake_server), claim, us, window, 0.5))
    assert check.value == 1
    evidence_side = check.spans[1]
    assert evidence_side.passage == 2
    assert AFIELD[2][evidence_side.start : evidence_side.end] == "Tomas Reyes"
    # the question showed the units before the window, a line each
    assert AFIELD[0] in seen[0]["messages"][-1]["content"]
    # for a name the window lacks, the other name must be backed clearly better
    _answering(fake_server, "Tomas Reyes", {"Tom": -0.1, "D": -3.0}, swapped=0.55)
    check, _ = asyncio.run(name_check(_llm(fake_server), claim, us, window, 0.5))
    assert check.value == 0


def _answering(
    server: FakeOpenAIServer, text: str, first: dict[str, float], swapped: float = 0.9
) -> list[dict]:
    """The name question gets ``text``; the verifier's yes/no question on the claim with the
    other name gets P(yes) ``swapped``."""
    seen: list[dict] = []

    def answer(request: dict):
        seen.append(request)
        if request["max_tokens"] == 1:
            lps = {"yes": math.log(swapped), "no": math.log(1 - swapped)}
            return 200, {}, chat_completion("yes", top_logprobs=lps)
        return 200, {}, chat_completion(text, top_logprobs=first)

    server.responder = answer
    return seen


def _llm(server: FakeOpenAIServer) -> LLM:
    return LLM(LLMConfig(base_url=server.base_url, api_key=FAKE_KEY, model=FAKE_MODEL, attempts=1))


def test_the_check_fires_when_the_window_gives_another_name(fake_server: FakeOpenAIServer) -> None:
    seen = _answering(fake_server, "Lena Varga", {"Lena": -0.1, "Mart": -2.5})
    us = units([EVIDENCE])
    check, usage = asyncio.run(name_check(_llm(fake_server), CLAIM, us, windows(us)[0], 0.5))
    assert check.value == 1 and usage.calls == 2
    claim_side, evidence_side = check.spans
    assert CLAIM[claim_side.start : claim_side.end] == "Marta Okafor"
    assert EVIDENCE[evidence_side.start : evidence_side.end] == "Lena Varga"
    asked = seen[0]["messages"][-1]["content"]
    assert f"Sentence: {BLANK} was named the new harbour master" in asked
    assert seen[0]["max_tokens"] > 1 and seen[0]["logprobs"]
    # then the verifier's own question, on the claim with the window's name
    assert (
        "Claim: Lena Varga was named the new harbour master" in seen[1]["messages"][-1]["content"]
    )


def test_the_check_stays_quiet_on_the_claims_own_name_or_a_copied_sentence(
    fake_server: FakeOpenAIServer,
) -> None:
    us = units([EVIDENCE])
    for text, first in [
        ("Marta Okafor", {"Mart": -0.1, "Lena": -2.5}),
        ("The harbour board named", {"The": -0.2, "Lena": -2.0}),
        # the answer names another, but the first token leans to the claim's name
        ("Lena Varga", {"Lena": -1.2, "Mart": -0.5}),
    ]:
        _answering(fake_server, text, first)
        check, _ = asyncio.run(name_check(_llm(fake_server), CLAIM, us, windows(us)[0], 0.5))
        assert check.value == 0 and not check.spans, text
    # the answer names another, but the window backs the claim as written no worse
    _answering(fake_server, "Lena Varga", {"Lena": -0.1}, swapped=0.4)
    check, _ = asyncio.run(name_check(_llm(fake_server), CLAIM, us, windows(us)[0], 0.5))
    assert check.value == 0


def _signals(claim: str, p_yes: float) -> tuple[Signals, list]:
    passages = plain_passages([EVIDENCE])
    us = units([p.text for p in passages])
    ws = windows(us)
    shown, document = code_checks(claim, us, [ws[0]])
    return Signals(us, [Scored(ws[0], 1.0, p_yes)], 0.01, shown, document), passages


def test_a_name_the_evidence_gives_to_another_makes_the_claim_refuted(
    fake_server: FakeOpenAIServer,
) -> None:
    _answering(fake_server, "Lena Varga", {"Lena": -0.1, "Mart": -2.5}, swapped=0.99)
    signals, passages = _signals(CLAIM.replace(" of Port Aldwin", ""), 0.95)
    before = decide(CLAIM, signals, passages, FULL)
    asyncio.run(ask_names(_llm(fake_server), CLAIM.replace(" of Port Aldwin", ""), signals))
    after = decide(CLAIM, signals, passages, FULL)
    assert before.label is Label.supported
    assert after.label is Label.refuted and after.probability <= NAME_SWAP_P
    f = next(f for f in after.findings if f.check == "name_swap")
    assert [w.text for w in f.claim] == ["Marta Okafor"] and [w.text for w in f.evidence] == [
        "Lena Varga"
    ]
    assert "“Marta Okafor” against “Lena Varga”" in after.explanation
    assert any("Lena Varga" in c.text for c in after.citations)


def test_the_question_is_not_asked_of_a_claim_headed_elsewhere(
    fake_server: FakeOpenAIServer,
) -> None:
    seen = _answering(fake_server, "Lena Varga", {"Lena": -0.1})
    signals, _ = _signals(CLAIM, 0.001)
    asyncio.run(ask_names(_llm(fake_server), CLAIM, signals))
    assert signals.names is None and not seen
