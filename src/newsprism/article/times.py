"""Find date expressions in an article body and resolve them to calendar values.

Finding is ``newsprism.article.dates``' regular expressions (no spaCy), so the stage is cheap enough to re-run
at corpus level once an undated article gets a date from its story. Resolution is relative to
``anchor``, the article's publication date:

* absolute expressions ("October 4, 2016", "2016-10-04", "September 2016", "in 2015") resolve alone;
* partial dates ("Oct. 17") take the year that puts them nearest the anchor;
* weekdays and bare months look at the tense of their clause: the past one (same day allowed) in
  past or neutral context, the coming one when the clause speaks of the future;
* "yesterday", "last week", "next month", "February this year", "two years ago" count from the anchor,
  except inside a direct quote whose attribution dates the speech ("..." he said on Monday), where
  they count from that day.

Without an anchor only expressions that carry their own year are emitted: nothing relative is guessed.
A value is only ever as fine as the text supports: "last week" becomes the month (or year) that holds
the whole week, since a week has no YYYY-MM-DD form.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable, Iterator

from newsprism.article.dates import (
    ABSOLUTE_KINDS,
    CalendarValue,
    Expression,
    absolute_values,
    find_expressions,
)
from newsprism.lexicon import ABBREVIATION_END, NUMBER_WORDS, REPORTED_SPEECH, month_number, weekday_number
from newsprism.records import TimeRef

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
# 2: the tense is read within 400 characters of a sentence without end.
VERSION = 2  # date expressions and their values

Tense = str  # "past" | "future" | "neutral"
# Tense of the clause around one expression, computed only when resolution needs it;
# ``intent=True`` also counts infinitives as pointing ahead.
TenseOf = Callable[..., Tense]

_FUTURE = re.compile(
    r"\b(?:will|shall|won't|would|going to|(?:is|are|am) to|expect(?:s|ed)?|scheduled|planned|plans? to"
    r"|planning|upcoming|intends? to|aims? to|hopes? to|set (?:to|for)|due|to be|as soon as|until|till)\b"
    r"|\w'll\b",
    re.IGNORECASE,
)
# An infinitive ("agreed to buy it in February") points ahead. Too weak for weekdays, which news
# mostly uses for the days just gone, but right more often than not for months.
_INFINITIVE = re.compile(
    r"\bto (?!(?:the|a|an|his|her|its|their|our|this|that|these|those|some|any|all|about|around|more"
    r"|less|record|new|date|power|office|court|work|death|prison)\b)[a-z]+\b"
)
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|met|came|went|took|made|began|held|saw|spoke|left|gave|"
    r"got|became|fell|rose|won|lost|sent|put|brought|thought|knew|found|wrote|ago|yesterday|since|"
    r"[a-z]{2,}ed)\b"
)
# "-ed" words that are not past-tense verbs in news prose.
_PAST_EXCEPTIONS = frozenset({
    "need", "united", "based", "armed", "related", "proposed", "alleged", "detailed", "limited",
    "advanced", "indeed", "speed", "feed", "bed", "red", "seed", "hundred",
})  # fmt: skip
# A participle after these is passive present ("is expected"), not past.
_PASSIVE_PRESENT = re.compile(r"\b(?:is|are|am|be|being)\s+$")
_FUTURE_WORDS = re.compile(r"\b(?:next|coming|later)\b", re.IGNORECASE)

_SENTENCE_REACH = 400
_AUXILIARY_REACH = 40  # "being" and the spaces after it
_SENTENCE_END = re.compile(r"[.!?]+[”\"’]*(?=\s)|\n")
_REPORTING = re.compile(rf"\b{REPORTED_SPEECH}\b")

# A partial date this close to the anchor is taken as the nearest whatever the tense: news about
# "Oct. 17" on October 4 means this October even in a sloppy past-tense sentence.
_TENSE_FREE_DAYS = 90

_SPEECH_DATE_KINDS = frozenset({"weekday", "rel_day", "md", "mdy", "dmy", "iso", "slash"})


def extract_times(article_id: str, body: str, anchor: datetime.date | None) -> tuple[TimeRef, ...]:
    """Every date expression of ``body`` that resolves to a calendar value, in text order.

    ``anchor`` is the publication date; when None, only expressions with their own year are kept.
    """
    matches = find_expressions(body)
    quotes = _quote_regions(body)
    speech_dates = _speech_dates(body, quotes, matches, anchor)
    refs: list[TimeRef] = []
    for match in matches:
        local_anchor = anchor
        for (q_start, q_end), spoken in speech_dates.items():
            if q_start <= match.start and match.end <= q_end:
                local_anchor = spoken
        for value in _resolve(match, local_anchor, functools.partial(_tense, body, match.start, match.end)):
            text = body[match.start : match.end]
            refs.append(TimeRef(article_id, match.start, match.end, text, str(value), value.granularity))
    return tuple(refs)


def _resolve(match: Expression, anchor: datetime.date | None, tense_of: TenseOf) -> list[CalendarValue]:
    """The calendar values an expression stands for (two for a year range, none when unresolvable)."""
    if match.kind in ABSOLUTE_KINDS:
        return absolute_values(match)
    if anchor is None:
        return []
    g = match.groups
    kind = match.kind
    if kind == "m_rel_year":
        shift = {"this": 0, "last": -1, "next": 1}[g["rel"]]
        return [CalendarValue(anchor.year + shift, month_number(g["mon"]))]
    if kind in ("md", "dm"):
        return _nearest_day(anchor, month_number(g["mon"]), int(g["day"]), tense_of)
    if kind == "month":
        return [_resolve_month(anchor, month_number(g["mon"]), g.get("rel", "").lower(), tense_of)]
    if kind == "rel_day":
        shift = {"yes": -1, "tod": 0, "ton": 0, "tom": 1}[g["w"][:3].lower()]
        return [CalendarValue.of(anchor + datetime.timedelta(days=shift))]
    if kind == "rel_unit":
        return _resolve_unit(anchor, g["rel"].lower(), g["unit"])
    if kind == "ago":
        return _resolve_ago(anchor, g["n"].lower(), g["unit"])
    if kind == "weekday":
        return [CalendarValue.of(_resolve_weekday(anchor, g["wd"], g.get("rel", "").lower(), tense_of))]
    return []


def _nearest_day(anchor: datetime.date, month: int, day: int, tense_of: TenseOf) -> list[CalendarValue]:
    """The year that puts a month and day nearest the anchor: "Dec. 28" read on Jan. 3 is last year's.

    When even the nearest is months away, tense decides: "the year ended March 31", read in November,
    is the March just gone, though next March is nearer.
    """
    dates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            dates.append(datetime.date(year, month, day))
        except ValueError:
            continue
    if not dates:
        return []
    dates.sort(key=lambda d: abs((d - anchor).days))
    best = dates[0]
    if abs((best - anchor).days) > _TENSE_FREE_DAYS:
        tense = tense_of()
        if tense == "past":
            best = max((d for d in dates if d <= anchor), default=best)
        elif tense == "future":
            best = min((d for d in dates if d >= anchor), default=best)
    return [CalendarValue.of(best)]


def _resolve_month(anchor: datetime.date, month: int, rel: str, tense_of: TenseOf) -> CalendarValue:
    if rel == "this":
        return CalendarValue(anchor.year, month)
    if rel == "last":
        return CalendarValue(anchor.year if month < anchor.month else anchor.year - 1, month)
    if rel == "next":
        return CalendarValue(anchor.year if month > anchor.month else anchor.year + 1, month)
    if month == anchor.month:
        return CalendarValue(anchor.year, month)
    tense = tense_of(intent=True)
    if tense == "past":
        return CalendarValue(anchor.year if month < anchor.month else anchor.year - 1, month)
    if tense == "future":
        return CalendarValue(anchor.year if month > anchor.month else anchor.year + 1, month)
    nearest_year = min(
        (anchor.year - 1, anchor.year, anchor.year + 1),
        key=lambda y: abs((y - anchor.year) * 12 + month - anchor.month),
    )
    return CalendarValue(nearest_year, month)


def _add_months(anchor: datetime.date, months: int) -> CalendarValue:
    index = anchor.year * 12 + anchor.month - 1 + months
    return CalendarValue(index // 12, index % 12 + 1)


def _resolve_unit(anchor: datetime.date, rel: str, unit: str) -> list[CalendarValue]:
    shift = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        return [CalendarValue(anchor.year + shift)]
    if unit == "month":
        return [_add_months(anchor, shift)]
    monday = anchor - datetime.timedelta(days=anchor.weekday()) + datetime.timedelta(weeks=shift)
    return _enclosing(monday, monday + datetime.timedelta(days=6))


def _enclosing(first: datetime.date, last: datetime.date) -> list[CalendarValue]:
    """The finest calendar value that holds a whole stretch of days."""
    if (first.year, first.month) == (last.year, last.month):
        return [CalendarValue(first.year, first.month)]
    return [CalendarValue(first.year)] if first.year == last.year else []


def _resolve_ago(anchor: datetime.date, number: str, unit: str) -> list[CalendarValue]:
    count = int(number) if number.isdigit() else NUMBER_WORDS[number]
    if unit == "year":
        return [CalendarValue(anchor.year - count)]
    if unit == "month":
        return [_add_months(anchor, -count)]
    days = count * (7 if unit == "week" else 1)
    return [CalendarValue.of(anchor - datetime.timedelta(days=days))]


def _resolve_weekday(anchor: datetime.date, name: str, rel: str, tense_of: TenseOf) -> datetime.date:
    target = weekday_number(name)
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if rel == "last":
        return anchor - datetime.timedelta(days=back or 7)
    if rel == "next":
        return anchor + datetime.timedelta(days=ahead or 7)
    if rel == "this" and tense_of() != "past" or tense_of() == "future":
        return anchor + datetime.timedelta(days=ahead)
    return anchor - datetime.timedelta(days=back)


def _past(intent: bool = False) -> Tense:
    """The tense of an attribution: a quote was spoken before it was reported."""
    return "past"


def _sentence_bounds(body: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around an expression, at most ``_SENTENCE_REACH`` characters each side: a page
    with no sentence end near the expression (a transcript, a list) must not make its whole length
    the sentence, which every expression of the page would scan again."""
    left = max(0, start - _SENTENCE_REACH)
    for boundary in _SENTENCE_END.finditer(body, left, start):
        if not _ends_abbreviation(body, boundary):
            left = boundary.end()
    right = min(len(body), end + _SENTENCE_REACH)
    for boundary in _SENTENCE_END.finditer(body, end, right):
        if not _ends_abbreviation(body, boundary):
            right = boundary.start()
            break
    return left, right


def _ends_abbreviation(body: str, boundary: re.Match[str]) -> bool:
    return ABBREVIATION_END.search(body[max(0, boundary.start() - 6) : boundary.start() + 1]) is not None


def _tense(body: str, start: int, end: int, intent: bool = False) -> Tense:
    """Past, future or neutral, from the tense cue nearest before the expression, else after it.

    The verb an adverbial modifies usually precedes it ("said on Tuesday", "will meet on Friday");
    a fronted adverbial ("On Monday, Washington announced") takes the first cue after it.
    """
    left, right = _sentence_bounds(body, start, end)
    expression = body[start:end]
    if _FUTURE_WORDS.search(expression):
        return "future"
    if body.startswith("'s", end) or body.startswith("’s", end):
        # "Wednesday's ruling" names an event; news mostly names the ones that already happened.
        return "neutral"
    before = body[left:start]
    nearest = _last_cue(before, intent)
    if nearest is None:
        nearest = _first_cue(body[end:right], intent)
    return nearest or "neutral"


def _cues(text: str, intent: bool) -> Iterator[tuple[int, int, Tense]]:
    """(end, priority, tense) of every tense cue; a future cue outranks a past one ending with it."""
    for m in _FUTURE.finditer(text):
        yield m.end(), 1, "future"
    if intent:
        for m in _INFINITIVE.finditer(text):
            yield m.end(), 1, "future"
    for m in _PAST.finditer(text):
        word = m.group(0)
        if word in _PAST_EXCEPTIONS:
            continue
        # Only the words just before the participle matter; searching from the text's start made
        # every past cue rescan the whole sentence.
        if word.endswith("ed") and _passive(text, m.start()):
            continue
        yield m.end(), 0, "past"


def _passive(text: str, participle: int) -> bool:
    return _PASSIVE_PRESENT.search(text, max(0, participle - _AUXILIARY_REACH), participle) is not None


def _last_cue(text: str, intent: bool) -> Tense | None:
    cues = sorted(_cues(text, intent))
    return cues[-1][2] if cues else None


def _first_cue(text: str, intent: bool) -> Tense | None:
    cues = sorted(_cues(text, intent), key=lambda cue: (cue[0], -cue[1]))
    return cues[0][2] if cues else None


def _quote_regions(body: str) -> list[tuple[int, int]]:
    """Direct quotes as (start, end) of their inside, paragraph by paragraph.

    A quote left open at the end of a paragraph runs to its end, as in multi-paragraph quotes.
    """
    regions: list[tuple[int, int]] = []
    offset = 0
    for paragraph in body.split("\n\n"):
        opened: int | None = None
        for i, char in enumerate(paragraph):
            if char == "“" or (char == '"' and opened is None):
                opened = i + 1
            elif char in '”"' and opened is not None:
                regions.append((offset + opened, offset + i))
                opened = None
        if opened is not None:
            regions.append((offset + opened, offset + len(paragraph)))
        offset += len(paragraph) + 2
    return regions


def _speech_dates(
    body: str, quotes: list[tuple[int, int]], matches: list[Expression], anchor: datetime.date | None
) -> dict[tuple[int, int], datetime.date]:
    """The day each dated quote was spoken, read from its attribution ("..., he said on Monday")."""
    if anchor is None:
        return {}
    dated: dict[tuple[int, int], datetime.date] = {}
    for q_start, q_end in quotes:
        for a_start, a_end in _attribution_spans(body, q_start, q_end):
            clause = body[a_start:a_end]
            if not _REPORTING.search(clause):
                continue
            for match in matches:
                if match.kind in _SPEECH_DATE_KINDS and a_start <= match.start and match.end <= a_end:
                    values = _resolve(match, anchor, _past)
                    if values and values[0].granularity == "day":
                        v = values[0]
                        dated[(q_start, q_end)] = datetime.date(v.year, v.month, v.day)
                        break
            if (q_start, q_end) in dated:
                break
    return dated


def _attribution_spans(body: str, q_start: int, q_end: int) -> list[tuple[int, int]]:
    """The text after the closing quote up to the sentence end, and before the opening quote."""
    spans = []
    after_end = q_end + 1
    stop = re.compile(r"[.!?]\s|[“\"]|\n|$")
    m = stop.search(body, after_end)
    if m:
        spans.append((after_end, m.start()))
    line_start = body.rfind("\n", 0, q_start - 1) + 1
    lead = body[line_start : max(line_start, q_start - 1)]
    if lead.rstrip().endswith((":", ",")):
        last_stop = max(lead.rfind(". "), lead.rfind("” "), lead.rfind('" '))
        spans.append((line_start + last_stop + 1, q_start - 1))
    return spans
