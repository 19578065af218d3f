import datetime
import json
import re
from pathlib import Path

import pytest

from newsprism.article.times import extract_times

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "seeds.gold.json"
SEED_ANCHORS = {
    "000": "2016-10-04",
    "001": "2016-10-04",
    "002": "2018-04-05",
    "003": "2016-10-04",
    "004": "2016-10-01",
}


def _norm(text: str) -> str:
    text = re.sub(r"[“”\"‘’`]", "'", text.lower())
    return " ".join(re.sub(r"[^\w\s']+|(?<!\w)'|'(?!\w)", " ", text).split())


def _values(body: str, anchor: str | None) -> dict[str, str]:
    day = datetime.date.fromisoformat(anchor) if anchor else None
    return {ref.text: ref.value for ref in extract_times("a", body, day)}


def _seed_cases() -> list[tuple[str, str, str]]:
    if not GOLD.exists():
        return []
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    return [(item["article"], item["text"], item["value"]) for item in gold["times"]]


@pytest.mark.skipif(not GOLD.exists(), reason="shared seed corpus not available")
@pytest.mark.parametrize(("article", "gold_text", "value"), _seed_cases())
def test_seed_gold_times(article, gold_text, value):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    body = (SEEDS / gold["articles"][article]["file"]).read_text(encoding="utf-8")
    refs = extract_times(article, body, datetime.date.fromisoformat(SEED_ANCHORS[article]))
    assert all(body[r.start : r.end] == r.text for r in refs)
    hits = [r for r in refs if r.value == value and f" {_norm(gold_text)} " in f" {_norm(r.text)} "]
    assert hits, f"{gold_text!r} -> {value} not found in {[(r.text, r.value) for r in refs]}"


@pytest.mark.skipif(not GOLD.exists(), reason="shared seed corpus not available")
def test_seed_false_positives_are_absent():
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    texts = []
    for article, info in gold["articles"].items():
        body = (SEEDS / info["file"]).read_text(encoding="utf-8")
        texts += [
            r.text for r in extract_times(article, body, datetime.date.fromisoformat(SEED_ANCHORS[article]))
        ]
    for not_a_date in ("120", "12", "S-300", "300", "five-year", "ten", "four months"):
        assert not_a_date not in texts


def test_weekday_past_and_future():
    anchor = "2016-10-04"  # a Tuesday
    values = _values(
        "Kerry said on Tuesday that talks were over. On Monday, Washington announced the move. "
        "Ministers are to hold a meeting in Berlin on Wednesday. The team met on Friday.",
        anchor,
    )
    assert values == {
        "on Tuesday": "2016-10-04",
        "On Monday": "2016-10-03",
        "on Wednesday": "2016-10-05",
        "on Friday": "2016-09-30",
    }


def test_weekday_future_cues():
    anchor = "2016-10-04"
    assert _values("The ministers will meet on Monday in Brussels.", anchor) == {"on Monday": "2016-10-10"}
    assert _values("The vote is scheduled for Friday.", anchor) == {"Friday": "2016-10-07"}
    assert _values("He plans to fly to Geneva next Tuesday.", anchor) == {"next Tuesday": "2016-10-11"}
    assert _values("They met last Tuesday.", anchor) == {"last Tuesday": "2016-09-27"}


def test_relative_days_and_units():
    values = _values(
        "Officials said yesterday that the deal, signed last year, will be reviewed next month "
        "and again tomorrow. Sales fell this month.",
        "2016-10-04",
    )
    assert values == {
        "yesterday": "2016-10-03",
        "last year": "2015",
        "next month": "2016-11",
        "tomorrow": "2016-10-05",
        "this month": "2016-10",
    }


def test_last_week_takes_the_month_that_holds_it():
    assert _values("The talks collapsed last week.", "2016-10-20") == {"last week": "2016-10"}
    # Monday 26 September to Sunday 2 October straddles two months: only the year is certain.
    assert _values("The talks collapsed last week.", "2016-10-04") == {"last week": "2016"}


def test_partial_date_crosses_year_boundary():
    assert _values("The attack happened on Dec. 28 near the border.", "2017-01-03") == {
        "on Dec. 28": "2016-12-28"
    }
    assert _values("Elections are due on Jan. 5.", "2016-12-30") == {"on Jan. 5": "2017-01-05"}


def test_month_expressions():
    values = _values(
        "Washington undertook it as early as in February this year. A truce reached in September 2016 "
        "collapsed. Talks resumed in early March, officials said on 4 October 2016.",
        "2016-10-04",
    )
    assert values["February this year"] == "2016-02"
    assert values["September 2016"] == "2016-09"
    assert values["on 4 October 2016"] == "2016-10-04"
    assert values["early March"] == "2016-03"


def test_scraped_space_before_the_comma_keeps_the_year():
    values = _values("He was born on July 31 , 1987 in Ohio and left on 2 May , 2001.", "2011-01-05")
    assert values["on July 31 , 1987"] == "1987-07-31"
    assert values["on 2 May , 2001"] == "2001-05-02"


def test_future_month_goes_forward():
    assert _values("The company expects to report results in January.", "1989-10-30") == {
        "January": "1990-01"
    }
    assert _values("Prices fell sharply in January.", "1989-10-30") == {"January": "1989-01"}


def test_years_and_ranges_but_not_counts_or_decades():
    values = _values(
        "Russia deployed forces in 2015. Grozny was devastated in 1994-96. The 1990s were hard. "
        "Some 2000 troops and 120 tanks took part in the five-year war; the S-300 arrived at 10:30.",
        "2016-10-04",
    )
    assert values == {"2015": "2015", "1994-96": "1996"}
    refs = extract_times("a", "Grozny was devastated in 1994-96.", None)
    assert [r.value for r in refs] == ["1994", "1996"]


def test_modal_may_and_verb_march_are_not_months():
    body = "Protesters may march on the embassy. Thousands March through the city. It may 5 times."
    assert _values(body, "2016-10-04") == {}
    assert _values("The deal was signed in May.", "2016-10-04") == {"May": "2016-05"}


def test_no_anchor_keeps_only_absolute_expressions():
    values = _values(
        "On Monday, officials said yesterday's strike, the worst since October 4, 2016, "
        "recalled Sept. 9 and 2015.",
        None,
    )
    assert values == {"October 4, 2016": "2016-10-04", "2015": "2015"}


def test_quote_dated_by_its_attribution():
    body = "“The deal collapsed yesterday,” the minister said on Tuesday. It collapsed again today."
    values = _values(body, "2016-10-06")  # a Thursday
    assert values["yesterday"] == "2016-10-03"
    assert values["on Tuesday"] == "2016-10-04"
    assert values["today"] == "2016-10-06"


def test_undated_quote_counts_from_the_anchor():
    body = "“It was achieved yesterday,” he said."
    assert _values(body, "2016-10-04") == {"yesterday": "2016-10-03"}


def test_spans_are_exact_slices():
    body = "BRUSSELS (Reuters) - On Tuesday, Oct. 4, 2016, Kerry spoke.\n\nHe left on Friday."
    refs = extract_times("a", body, datetime.date(2016, 10, 5))
    assert [(r.text, r.value, r.granularity) for r in refs] == [
        ("On Tuesday, Oct. 4, 2016", "2016-10-04", "day"),
        ("on Friday", "2016-09-30", "day"),
    ]
    assert all(body[r.start : r.end] == r.text for r in refs)


def test_far_partial_date_follows_tense():
    # Next March 31 is nearer to November 1, but "the year ended" looks back.
    assert _values("Revenue was $76 million for the year ended March 31.", "1989-11-01") == {
        "March 31": "1989-03-31"
    }
    assert _values("The pact takes effect, officials expect, on June 1.", "1989-10-26") == {
        "on June 1": "1990-06-01"
    }


def test_possessive_weekday_names_a_past_event():
    body = "Relatives said they would look for ways to get around Wednesday's ruling."
    assert _values(body, "2000-01-15") == {"Wednesday": "2000-01-12"}


def test_titles_ending_in_today_are_not_dates():
    refs = extract_times("a", "The minister told USA Today that talks would resume. Today he flew home.",
                         datetime.date(2016, 10, 4))
    assert [(r.text, r.value) for r in refs] == [("Today", "2016-10-04")]


def test_a_tense_cue_far_beyond_a_sentence_without_end_does_not_date_it():
    # A transcript or list with no sentence end must not be read as one sentence: a cue hundreds of
    # characters away says nothing of the expression, and reading that far made a giant page quadratic.
    run_on = " and".join(f" item {n}" for n in range(120))
    near = _values(f"Talks on Monday will resume{run_on}", "2010-06-02")
    far = _values(f"Talks on Monday{run_on} will resume", "2010-06-02")
    assert near == {"on Monday": "2010-06-07"}
    assert far == {"on Monday": "2010-05-31"}
