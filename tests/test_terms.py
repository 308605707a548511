"""The names-and-numbers check: what counts as a claim's key term, and what counts as the
evidence mentioning it."""

from __future__ import annotations

from quotecheck.text.terms import key_terms, missing_terms, spelled_numbers


def test_key_terms_are_numbers_and_names_not_sentence_openers():
    assert key_terms("On March 1, 2017, Powell's aide said 3,500 jobs went. It was Tuesday.") == {
        "march", "1", "2017", "powell", "3500", "tuesday"
    }  # fmt: skip
    assert missing_terms("The UN met in Geneva on 4 May.", ["United Nations staff met."]) == [
        "geneva", "4", "may"
    ]  # fmt: skip


def test_numbers_spelled_out_in_transcripts_count() -> None:
    transcript = ["we had twenty five machines and about three hundred jobs, forty-two in all"]
    assert missing_terms("The lab had 25 machines and 300 jobs.", transcript) == []
    assert missing_terms("The lab had 26 machines.", transcript) == ["26"]


def test_discourse_openers_list_marks_plurals_and_decimals_are_not_new_terms() -> None:
    evidence = ["The PhD students priced it at 12.5 euros; the Board agreed."]
    claim = "2) The PhDs set 12.50 euros. However, the Board agreed. Furthermore, it sold."
    assert missing_terms(claim, evidence) == []


def test_spoken_prices_and_decimals_in_transcripts_count() -> None:
    meeting = ["so the cost should stay under twelve Euro fifty .", "say nine point five per cent"]
    assert missing_terms("The cost must stay under 12.50 Euros.", meeting) == []
    assert missing_terms("They put margins at 9.5 per cent.", meeting) == []
    assert missing_terms("The cost must stay under 12.40 Euros.", meeting) == ["12.4"]
    # two numbers in a row that are not one price stay two numbers
    assert spelled_numbers("between two and three, then twelve . fifty") == {"2", "3", "12", "50"}
    assert spelled_numbers("twelve euros and fifty cents") == {"12", "50", "12.5"}
    assert spelled_numbers("three dollars five") == {"3", "5", "3.05"}


def test_a_name_written_another_way_is_not_missing_but_another_name_is() -> None:
    qa = ["Q: Has the USA listed the group? A: No. Q: Has the U.K.? A: No, nor has Britain."]
    assert missing_terms("The United States and the UK have not listed it.", qa) == []
    assert missing_terms("American and British officials have not listed it.", qa) == []
    assert missing_terms("France has not listed it.", qa) == ["france"]
    # a title before a name the evidence gives is not a missing name; another first name is
    assert missing_terms("President Trump left Walter Reed.", ["Trump left Walter Reed."]) == []
    assert missing_terms("Jane Smith left.", ["Mary Smith left."]) == ["jane"]
    assert missing_terms("Russian President Vladimir Putin gave it.", ["Kim got a car."]) == [
        "russian",
        "president",
        "vladimir",
        "putin",
    ]
    # an acronym is not found in a lower-case word that spells it
    assert missing_terms("The US said so.", ["They told us so."]) == ["us"]
    assert missing_terms("The US said so.", ["The U.S. said so."]) == []
