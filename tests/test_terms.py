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


def test_shorter_and_other_forms_of_a_name_and_rounded_figures_are_not_missing() -> None:
    # a first name the evidence never replaces; a company ending; a people for its country
    assert missing_terms("US President Donald Trump left.", ["Mr Trump left the US."]) == []
    assert missing_terms("Jane Smith left.", ["Ms Mary Smith left.", "Smith said."]) == ["jane"]
    assert missing_terms("Sightway is owned by Two Sigma Investments.", ["Two Sigma"]) == [
        "sightway"
    ]
    assert missing_terms("Two Sigma Partners owns it.", ["Sigma owns it."]) == ["two", "partners"]
    assert missing_terms("The Indian and Nigerian governments agreed.", ["India, Nigeria"]) == []
    assert missing_terms("Chinese and Japanese firms.", ["China and Japan"]) == []
    assert missing_terms("India and Japan agreed.", ["Indian and Japanese officials"]) == []
    assert missing_terms("The Ian Fund paid.", ["Indians paid."]) == ["ian", "fund"]
    # a rounded figure, not another figure, and never another year
    evidence = ["The population was 45.1 million in 1960; today it is 206 million."]
    assert missing_terms("It had 45 million people, now over 200 million.", evidence) == []
    assert missing_terms("It had 46 million people, now 300 million.", evidence) == ["46", "300"]
    assert missing_terms("In 1961 it had 25 people.", ["In 1960 it had 26.2 people."]) == [
        "1961", "25"
    ]  # fmt: skip
    assert missing_terms("They were 30.", ["They were 29."]) == ["30"]
    assert missing_terms("Even so, it rose 3.1.2 percent.", ["it rose 3.1 percent"]) == ["3.1.2"]


def test_headline_capitals_and_titles_opening_a_sentence_are_not_names() -> None:
    evidence = ["Q: Did activists start the fires? A: No, police said; the FBI agreed."]
    assert missing_terms("Police: Political Activists Didn’t Cause Oregon’s Fires", evidence) == []
    assert missing_terms("Police Say Activists Caused 12 Fires In The US", evidence) == ["12", "us"]
    assert missing_terms("Vice president Pence said so.", ["Pence said so."]) == []
    assert missing_terms("U.S. President Donald Trump left.", ["President Trump left."]) == []
    assert missing_terms("Democratic nominee Biden.", ["the Democrat Biden"]) == []


def test_a_short_year_after_a_year_and_dash_is_a_year() -> None:
    assert missing_terms("It runs in the 2018–19 year.", ["It runs in 2018-2019."]) == []
    assert missing_terms("It runs in the 2018-2019 year.", ["It runs in 2018–19."]) == []
    assert missing_terms("It runs in the 2018–20 year.", ["It runs in 2018-2019."]) == ["2020"]
