import re

import pytest

from newsprism.lexicon import (
    ABBREVIATION_END,
    ABBREVIATIONS,
    CALENDAR_WORDS,
    MONTH,
    REPORTED_SPEECH,
    ROLE_ABBREVIATIONS,
    ROLE_NOUNS,
    WEEKDAY,
    month_number,
    verb_forms,
    weekday_number,
)


@pytest.mark.parametrize(
    ("lemma", "forms"),
    [
        ("say", {"say", "says", "said", "saying"}),
        ("tell", {"told"}),
        ("speak", {"spoke", "spoken"}),
        ("write", {"wrote", "written"}),
        ("see", {"saw", "seen", "seeing"}),
        ("slam", {"slammed", "slamming"}),
        ("admit", {"admitted", "admitting"}),
        ("agree", {"agreeing"}),
        ("deny", {"denies", "denied"}),
    ],
)
def test_verb_forms_include_irregular_and_doubled_forms(lemma, forms):
    assert forms <= verb_forms(lemma)


def test_reported_speech_dates_past_attributions_and_says_only():
    pattern = re.compile(rf"\b{REPORTED_SPEECH}\b")
    for word in ("said", "says", "told", "wrote", "tweeted", "quoted", "according to"):
        assert pattern.fullmatch(word), word
    for word in ("reports", "states", "notes", "say"):
        assert not pattern.fullmatch(word), word


def test_calendar_names_and_numbers():
    assert [month_number(m) for m in ("January", "Sept", "Sep.", "dec")] == [1, 9, 9, 12]
    assert [weekday_number(d) for d in ("Monday", "Tues", "thurs", "Sun")] == [0, 1, 3, 6]
    assert re.fullmatch(MONTH, "Oct.") and re.fullmatch(MONTH, "September")
    assert not re.fullmatch(MONTH, "Octo")
    assert re.fullmatch(WEEKDAY, "Thurs.") and re.fullmatch(WEEKDAY, "Wednesday")
    assert {"oct", "thurs", "gmt", "th", "pm"} <= CALENDAR_WORDS


def test_abbreviations_expand_and_keep_sentences_open():
    assert ABBREVIATIONS["sen."] == ("senator",) and ABBREVIATIONS["fm"] == ("foreign", "minister")
    for text in ("on Oct.", "Mr.", "Sen.", "the U.S.", "No."):
        assert ABBREVIATION_END.search(text), text
    assert not ABBREVIATION_END.search("the talks ended.")


def test_every_abbreviated_role_ends_in_a_role_noun():
    for words in ROLE_ABBREVIATIONS.values():
        assert " ".join(words) in ROLE_NOUNS or words[-1] in ROLE_NOUNS, words
