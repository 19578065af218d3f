"""Article metadata inferred from what a scrape reveals: outlet from a URL, publication date from
timestamps, captions, URLs and datelines.

A date is only ever inferred from evidence in the article, and each inference records the text
that supports it and a confidence; with no evidence the answer is None.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from urllib.parse import urlparse

import dateparser

from newsprism.article.dates import full_date
from newsprism.lexicon import (
    CLOCK_TIME,
    MONTH,
    ORDINAL,
    REPORTED_SPEECH,
    TIME_ZONES,
    WEEKDAY,
    WEEKDAY_NAME,
    either,
    weekday_number,
)
from newsprism.records import DateEvidence

CLOCK = re.compile(rf"\b{CLOCK_TIME}", re.I)
STAMP_WORDS = re.compile(
    rf"\b(?:{WEEKDAY}|{either(TIME_ZONES)}|published|updated|posted|last|modified|on|at|"
    r"[+-]\d{2}:?\d{2})\b|[|,:/()-]",
    re.I,
)
# A host name's label: letters, digits and hyphens (any script's letters, for internationalized names).
HOST_LABEL = re.compile(r"(?=.*[^\W_])[\w-]+")
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
# The weekday of a dateline's day is the one its lead attaches to the report: "said on Thursday",
# "on Thursday told"; a weekday elsewhere in the lead may be an announced future day.
SAID_ON_WEEKDAY = re.compile(
    rf"\b{REPORTED_SPEECH}\s+(?:\w+\s+){{0,2}}?on\s+({WEEKDAY_NAME})\b"
    rf"|\bon\s+({WEEKDAY_NAME}),?\s+(?:\w+\s+){{0,4}}?{REPORTED_SPEECH}\b"
)
WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{WEEKDAY_NAME}),?\s+(?:the\s+)?"
    rf"(?P<date>{MONTH}\s+\d{{1,2}}{ORDINAL}?(?:,?\s+(?:19|20)\d\d)?|\d{{1,2}}{ORDINAL}?\s+(?:of\s+)?"
    rf"{MONTH}(?:,?\s+(?:19|20)\d\d)?)\b"
)
EARLIEST_YEAR = 1900
YEAR = re.compile(r"\b(19\d\d|20\d\d)\b")
# A timestamp line is a date with at most a clock, a weekday and a label around it.
STAMP_MAX_LEFTOVER_CHARS = 3
STAMP_MAX_CHARS = 80

CONFIDENCE = {"timestamp": 0.95, "url": 0.9, "caption": 0.8, "dateline+weekday": 0.7, "weekday+date": 0.5}


@cache
def _outlets() -> dict[str, str]:
    text = resources.files("newsprism").joinpath("data/outlets.json").read_text(encoding="utf-8")
    return json.loads(text)


def outlet_names() -> set[str]:
    """The names of the news outlets newsprism knows."""
    return set(_outlets().values())


def outlet_from_url(url: str | None) -> str | None:
    """Name the outlet behind a URL: a known domain's name, else the site's own label."""
    if not url:
        return None
    try:
        host = (urlparse(url if "://" in url else f"http://{url}").hostname or "").lower()
    except ValueError:  # malformed netloc, e.g. an unclosed IPv6 bracket
        return None
    host = re.sub(r"^(?:www\d?|m|amp|mobile|edition|news)\.", "", host)
    if not host:
        return None
    known = _outlets()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        if ".".join(parts[i:]) in known:
            return known[".".join(parts[i:])]
    # Second-level labels under country codes ("bbc.co.uk") are not the site's name.
    label = (
        parts[-3]
        if len(parts) >= 3 and parts[-2] in {"co", "com", "org", "net", "gov", "ac"}
        else parts[-2]
        if len(parts) >= 2
        else parts[0]
    )
    # What a malformed URL leaves ("a b", " ", "-") names no site.
    if not HOST_LABEL.fullmatch(label):
        return None
    return label.upper() if len(label) <= 4 else label.capitalize()


def normalize_date(text: str | None, reference_date: dt.date) -> str | None:
    """A given date with its own day, month and year, in any common form, as YYYY-MM-DD; None when
    it is not one or lies after ``reference_date``, the day the run treats as today. Partial
    ("October 2016") and relative ("yesterday") dates are refused: filling them in would invent a day."""
    text = (text or "").strip()
    if not YEAR.search(text):
        return None
    try:
        day = dt.date.fromisoformat(text[:10])
    except ValueError:
        parsed = _parse(text, reference_date, REQUIRE_PARTS=["day", "month", "year"])
        day = parsed.date() if parsed else None
    latest = reference_date + dt.timedelta(days=1)  # time zones put some dates a day ahead
    return day.isoformat() if day and day.year >= EARLIEST_YEAR and day <= latest else None


def _parse(text: str, reference_date: dt.date, **settings: object) -> dt.datetime | None:
    """dateparser's reading of ``text``; what the text leaves out (the year of "April 5") comes from
    the reference date, never from the clock."""
    base = dt.datetime.combine(reference_date, dt.time())
    return dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": base, **settings})


def date_from_timestamp(line: str) -> DateEvidence | None:
    """A line that is only a date and time ("Sat Oct 1, 2016 14:27:12", "Updated: 4 October 2016")."""
    if len(line) > STAMP_MAX_CHARS:
        return None
    found = full_date(line)
    if found is None:
        return None
    leftover = STAMP_WORDS.sub(" ", CLOCK.sub(" ", line.replace(found.text, " ")))
    if len(re.sub(r"\W", "", leftover)) > STAMP_MAX_LEFTOVER_CHARS:
        return None
    return DateEvidence(found.value, line, "timestamp", CONFIDENCE["timestamp"])


# A page's stamp in a language the dates are not read in ("Última actualización: jueves, 11 de junio
# de 2009 - 17:02 GMT"): a year, a clock time and one more number on a short line that is no sentence.
FOREIGN_STAMP_MAX_WORDS = 14
_NUMBER = re.compile(r"\d+")


def is_stamp_line(line: str) -> bool:
    """A short line holding a year, a clock time and a day's number, in any language."""
    if len(line.split()) > FOREIGN_STAMP_MAX_WORDS or line.rstrip().endswith((".", "!", "?", '"', "”")):
        return False
    clock = CLOCK.search(line)
    year = YEAR.search(line)
    if clock is None or year is None:
        return False
    numbers = _NUMBER.findall(line[: clock.start()] + " " + line[clock.end() :])
    return len(numbers) >= 2


def date_from_header(header: str) -> DateEvidence | None:
    """A timestamp header cut off the lede ("LONDON | Tue Jul 27, 2010 7:37 am EDT") dates the page."""
    found = full_date(header)
    return DateEvidence(found.value, header, "timestamp", CONFIDENCE["timestamp"]) if found else None


def date_from_caption(caption: str) -> DateEvidence | None:
    """Agency photo captions end with the day the photo was taken, which is the day of the news."""
    found = full_date(caption)
    return DateEvidence(found.value, caption, "caption", CONFIDENCE["caption"]) if found else None


def date_from_url(url: str | None) -> DateEvidence | None:
    match = URL_DATE.search(url or "")
    if not match:
        return None
    try:
        value = dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None
    return DateEvidence(value, url or "", "url", CONFIDENCE["url"])


def infer_published(
    candidates: Sequence[DateEvidence],
    body: str,
    dateline_date: str | None,
    lead: str,
    reference_date: dt.date,
) -> DateEvidence | None:
    """Pick the best-supported publication date, or None when the article gives no evidence.

    ``reference_date`` is the day the run treats as today: no article is published after it."""
    usable = [c for c in candidates if c.value <= reference_date.isoformat()]
    if usable:
        return max(usable, key=lambda c: c.confidence)
    if dateline_date and (evidence := date_from_dateline_weekday(dateline_date, lead, body, reference_date)):
        return evidence
    return date_from_weekday_date(body, reference_date)


def date_from_dateline_weekday(
    dateline_date: str, lead: str, body: str, reference_date: dt.date
) -> DateEvidence | None:
    """A month-day dateline ("MOSCOW, April 5") lacks a year; the weekday the lead names for the
    same day ("said on Thursday") fixes it."""
    weekday = SAID_ON_WEEKDAY.search(lead)
    month_day = _parse(dateline_date, reference_date, STRICT_PARSING=False)
    if not weekday or month_day is None:
        return None
    wanted = weekday_number(weekday[1] or weekday[2])
    return _year_from_weekday(
        month_day.month,
        month_day.day,
        wanted,
        body,
        reference_date,
        f"{dateline_date} … {weekday.group(0)}",
        "dateline+weekday",
    )


def date_from_weekday_date(body: str, reference_date: dt.date) -> DateEvidence | None:
    """A weekday written next to a date ("on Tuesday, Oct. 4") dates the events the article reports;
    it is published on or soon after the latest of them. Without a year, the weekday fixes it."""
    best: DateEvidence | None = None
    for match in WEEKDAY_DATE.finditer(body):
        parsed = _parse(match["date"], reference_date, STRICT_PARSING=False)
        if parsed is None:
            continue
        wanted = weekday_number(match["weekday"])
        if YEAR.search(match["date"]):
            day = parsed.date()
            found = (
                None
                if day.weekday() != wanted or day > reference_date
                else DateEvidence(day.isoformat(), match.group(0), "weekday+date", CONFIDENCE["weekday+date"])
            )
        else:
            found = _year_from_weekday(
                parsed.month, parsed.day, wanted, body, reference_date, match.group(0), "weekday+date"
            )
        if found and (best is None or found.value > best.value):
            best = found
    return best


def _year_from_weekday(
    month: int, day_of_month: int, weekday: int, body: str, reference_date: dt.date, text: str, method: str
) -> DateEvidence | None:
    """A month, day and weekday leave one year in each 28-year cycle (sometimes 6 or 11 apart). The
    latest year the text mentions sets a floor and the reference date a ceiling; when more than one
    year is left, the text does not say which, and no date is better than a guessed one."""
    years = [int(y) for y in YEAR.findall(body)]
    if not years:
        return None
    fits = []
    for year in range(max(years), reference_date.year + 1):
        try:
            day = dt.date(year, month, day_of_month)
        except ValueError:
            continue
        if day.weekday() == weekday and day <= reference_date:
            fits.append(day)
    if len(fits) != 1:
        return None
    return DateEvidence(fits[0].isoformat(), text, method, CONFIDENCE[method])
