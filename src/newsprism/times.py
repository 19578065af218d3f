"""Find date expressions in an article body and resolve them to calendar values.

Finding is done with regular expressions (no spaCy), so the stage is cheap enough to re-run at corpus
level once an undated article gets a date from its story. Resolution is relative to ``anchor``, the
article's publication date:

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
from dataclasses import dataclass

from newsprism.records import Granularity, TimeRef

Tense = str  # "past" | "future" | "neutral"
# Tense of the clause around one expression, computed only when resolution needs it;
# ``intent=True`` also counts infinitives as pointing ahead.
TenseOf = Callable[..., Tense]

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# Abbreviated months need a day or a year after them to count; "Sept" is the common news spelling.
_MONTH = (
    r"(?P<mon>(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?)"
)
_MONTH_FULL = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b)"
)
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%]|[.:-]\d)"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)(?![\d:%s]|\.\d|[-/]\d|'s)"
_WEEKDAY = r"(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_WEEKDAY_ANY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?)"
_ON = r"(?:(?:on|On)\s+)?"
_LEAD = rf"{_ON}(?:{_WEEKDAY_ANY},?\s+)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_MOD = r"(?:(?:early|late|mid|Early|Late|Mid)(?:-|\s+)|(?:the\s+)?(?:end|beginning|middle|start)\s+of\s+)?"
_NUMBER = "|".join(_NUMBER_WORDS)
_REL = r"[Ll]ast|[Tt]his|[Nn]ext"
_REL_DAY = r"[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("iso", r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
        ("slash", r"(?<![\w/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
        ("mdy", rf"{_LEAD}{_MONTH}\s+{_DAY},?\s+{_YEAR}"),
        ("dmy", rf"{_LEAD}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}"),
        ("my", rf"{_MOD}{_MONTH}(?:\s+of)?,?\s+{_YEAR}"),
        ("m_rel_year", rf"{_MOD}{_MONTH_FULL}(?:\s+of)?\s+(?P<rel>this|last|next)\s+year\b"),
        ("md", rf"{_LEAD}{_MONTH}\s+{_DAY}"),
        ("dm", rf"{_ON}(?:(?:the|The)\s+)?(?<![\d,.])\b{_DAY}(?:\s+of)?\s+{_MONTH}"),
        ("month", rf"(?:(?P<rel>[Ll]ast|[Tt]his|[Nn]ext)\s+|{_MOD}){_MONTH_FULL}(?!\s+\d)"),
        ("year_range", r"(?<![\w$£€.,-])(?P<y1>(?:19|20)\d\d)\s?[-–]\s?(?P<y2>\d\d|(?:19|20)\d\d)(?![\w%-])"),
        ("year", rf"(?<![\w$£€.,/:#-]){_MOD}{_YEAR}"),
        ("rel_day", rf"\b(?:(?:late|early)\s+)?(?P<w>{_REL_DAY}){_PART_OF_DAY}\b"),
        ("rel_unit", rf"\b(?:(?:[Ee]arlier|[Ll]ater)\s+)?(?P<rel>{_REL})\s+(?P<unit>week|month|year)\b"),
        ("ago", rf"\b(?P<n>\d{{1,2}}|{_NUMBER}|{_NUMBER.title()})\s+(?P<unit>day|week|month|year)s?\s+ago\b"),
        ("weekday", rf"(?:(?P<rel>[Oo]n|[Ll]ast|[Nn]ext|[Tt]his)\s+)?\b{_WEEKDAY}{_PART_OF_DAY}\b"),
    )
)  # fmt: skip

# Words before a bare "May" or "March" that make it the month and not the verb.
_MONTH_CUES = frozenset({
    "in", "since", "by", "until", "till", "through", "during", "from", "before", "after", "between",
    "and", "or", "of", "to", "early", "late", "mid", "last", "this", "next",
})  # fmt: skip
# Words before a number that make it a year even when a plural follows ("in 1989 sales fell").
_YEAR_CUES = frozenset({"in", "since", "by", "until", "through", "during", "before", "after", "fiscal"})
_AMBIGUOUS_MONTHS = frozenset({"May", "March"})
# Counts that look like years: "2000 troops", "1500 people".
_COUNT_NOUNS = frozenset({"people", "men", "women", "children", "police", "personnel", "staff", "civilians"})
_NOT_PLURAL = frozenset({"was", "is", "has", "as", "its", "this", "thus", "plus", "versus"})

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

_SENTENCE_END = re.compile(r"[.!?]+[”\"’]*(?=\s)|\n")
# A period after these ends an abbreviation, not a sentence: "Oct. 17", "U.S. officials", "Mr. Smith".
_ABBREVIATION = re.compile(
    r"(?:\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|Mr|Mrs|Ms|Dr"
    r"|St|Gen|Sen|Rep|Gov|Lt|Col|No|vs)|\b[A-Z]|\.[A-Z])\.$"
)
# Past and present forms of speech that date a quote ("said on Monday"); metadata reads the same list.
REPORTED_SPEECH = (
    r"(?:said|says|told|added|stated|noted|declared|wrote|explained|stressed|insisted|warned|"
    r"remarked|argued|asked|announced|reported|tweeted|quoted|according to)"
)
_REPORTING = re.compile(rf"\b{REPORTED_SPEECH}\b")

# A partial date this close to the anchor is taken as the nearest whatever the tense: news about
# "Oct. 17" on October 4 means this October even in a sloppy past-tense sentence.
_TENSE_FREE_DAYS = 90

_SPEECH_DATE_KINDS = frozenset({"weekday", "rel_day", "md", "mdy", "dmy", "iso", "slash"})


@dataclass(frozen=True)
class _Match:
    kind: str
    start: int
    end: int
    groups: dict[str, str]


@dataclass(frozen=True)
class _Value:
    """A resolved calendar value; ``month``/``day`` are None for coarser granularities."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def granularity(self) -> Granularity:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def extract_times(article_id: str, body: str, anchor: datetime.date | None) -> tuple[TimeRef, ...]:
    """Every date expression of ``body`` that resolves to a calendar value, in text order.

    ``anchor`` is the publication date; when None, only expressions with their own year are kept.
    """
    matches = _find(body)
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


def _find(body: str) -> list[_Match]:
    """All candidate expressions, keeping the longest where they overlap."""
    found = [
        _Match(kind, m.start(), m.end(), {k: v for k, v in m.groupdict().items() if v is not None})
        for kind, pattern in _PATTERNS
        for m in pattern.finditer(body)
    ]
    found = [_trim(body, m) for m in found if _plausible(body, m)]
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[_Match] = []
    for match in found:
        if kept and match.start < kept[-1].end:
            continue
        kept.append(match)
    return kept


def _trim(body: str, match: _Match) -> _Match:
    """Drop a trailing period that ends the sentence rather than abbreviates a month."""
    if body[match.end - 1] == "." and not _ABBREVIATION.search(body[match.start : match.end]):
        return _Match(match.kind, match.start, match.end - 1, match.groups)
    return match


def _plausible(body: str, match: _Match) -> bool:
    """Reject the look-alikes: modal "May", verb "March", counts that look like years, names."""
    before = body[max(0, match.start - 30) : match.start].split()
    previous = before[-1].lower().strip('("“') if before else ""
    after = body[match.end : match.end + 30].split()
    following = after[0] if after else ""
    if match.kind == "month":
        month = match.groups["mon"]
        has_cue = "rel" in match.groups or body[match.start : match.end] != month or previous in _MONTH_CUES
        if month in _AMBIGUOUS_MONTHS and not has_cue:
            return False
        # "April Ryan", "June Carter": a capitalized word after a bare month makes it a first name.
        return has_cue or not following[:1].isupper()
    if match.kind == "year" and previous not in _YEAR_CUES:
        word = following.lower().strip(".,;:!?")
        if word in _COUNT_NOUNS or (word.endswith("s") and word.isalpha() and word not in _NOT_PLURAL):
            return following[:1].isupper()
    if match.kind == "rel_day" and match.groups["w"] in ("Today", "Tomorrow", "Tonight") \
            and before and before[-1][:1].isupper() and not re.search(r"[.!?:]\s*$", body[: match.start]):
        # "USA Today", "Russia Today", "Good Morning America Tonight": a title, not a day.
        return False
    if match.kind == "year_range":
        first, second = int(match.groups["y1"]), match.groups["y2"]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        return first < last <= first + 100
    return True


def _resolve(match: _Match, anchor: datetime.date | None, tense_of: TenseOf) -> list[_Value]:
    """The calendar values an expression stands for (two for a year range, none when unresolvable)."""
    g = match.groups
    kind = match.kind
    if kind == "iso":
        return _valid(int(g["year"]), int(g["m"]), int(g["day"]))
    if kind == "slash":
        first, second = int(g["a"]), int(g["b"])
        month, day = (second, first) if first > 12 else (first, second)
        return _valid(int(g["year"]), month, day)
    if kind in ("mdy", "dmy"):
        return _valid(int(g["year"]), _month(g["mon"]), int(g["day"]))
    if kind == "my":
        return [_Value(int(g["year"]), _month(g["mon"]))]
    if kind == "year":
        return [_Value(int(g["year"]))]
    if kind == "year_range":
        first, second = int(g["y1"]), g["y2"]
        last = int(second) if len(second) == 4 else first // 100 * 100 + int(second)
        return [_Value(first), _Value(last)]
    if anchor is None:
        return []
    if kind == "m_rel_year":
        shift = {"this": 0, "last": -1, "next": 1}[g["rel"]]
        return [_Value(anchor.year + shift, _month(g["mon"]))]
    if kind in ("md", "dm"):
        return _nearest_day(anchor, _month(g["mon"]), int(g["day"]), tense_of)
    if kind == "month":
        return [_resolve_month(anchor, _month(g["mon"]), g.get("rel", "").lower(), tense_of)]
    if kind == "rel_day":
        shift = {"yes": -1, "tod": 0, "ton": 0, "tom": 1}[g["w"][:3].lower()]
        return [_day(anchor + datetime.timedelta(days=shift))]
    if kind == "rel_unit":
        return _resolve_unit(anchor, g["rel"].lower(), g["unit"])
    if kind == "ago":
        return _resolve_ago(anchor, g["n"].lower(), g["unit"])
    if kind == "weekday":
        return [_day(_resolve_weekday(anchor, g["wd"], g.get("rel", "").lower(), tense_of))]
    return []


def _month(name: str) -> int:
    return _MONTHS[name[:3].lower()]


def _day(date: datetime.date) -> _Value:
    return _Value(date.year, date.month, date.day)


def _valid(year: int, month: int, day: int) -> list[_Value]:
    try:
        return [_day(datetime.date(year, month, day))]
    except ValueError:
        return []


def _nearest_day(anchor: datetime.date, month: int, day: int, tense_of: TenseOf) -> list[_Value]:
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
    return [_day(best)]


def _resolve_month(anchor: datetime.date, month: int, rel: str, tense_of: TenseOf) -> _Value:
    if rel == "this":
        return _Value(anchor.year, month)
    if rel == "last":
        return _Value(anchor.year if month < anchor.month else anchor.year - 1, month)
    if rel == "next":
        return _Value(anchor.year if month > anchor.month else anchor.year + 1, month)
    if month == anchor.month:
        return _Value(anchor.year, month)
    tense = tense_of(intent=True)
    if tense == "past":
        return _Value(anchor.year if month < anchor.month else anchor.year - 1, month)
    if tense == "future":
        return _Value(anchor.year if month > anchor.month else anchor.year + 1, month)
    nearest_year = min(
        (anchor.year - 1, anchor.year, anchor.year + 1),
        key=lambda y: abs((y - anchor.year) * 12 + month - anchor.month),
    )
    return _Value(nearest_year, month)


def _add_months(anchor: datetime.date, months: int) -> _Value:
    index = anchor.year * 12 + anchor.month - 1 + months
    return _Value(index // 12, index % 12 + 1)


def _resolve_unit(anchor: datetime.date, rel: str, unit: str) -> list[_Value]:
    shift = {"last": -1, "this": 0, "next": 1}[rel]
    if unit == "year":
        return [_Value(anchor.year + shift)]
    if unit == "month":
        return [_add_months(anchor, shift)]
    monday = anchor - datetime.timedelta(days=anchor.weekday()) + datetime.timedelta(weeks=shift)
    return _enclosing(monday, monday + datetime.timedelta(days=6))


def _enclosing(first: datetime.date, last: datetime.date) -> list[_Value]:
    """The finest calendar value that holds a whole stretch of days."""
    if (first.year, first.month) == (last.year, last.month):
        return [_Value(first.year, first.month)]
    return [_Value(first.year)] if first.year == last.year else []


def _resolve_ago(anchor: datetime.date, number: str, unit: str) -> list[_Value]:
    count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
    if unit == "year":
        return [_Value(anchor.year - count)]
    if unit == "month":
        return [_add_months(anchor, -count)]
    days = count * (7 if unit == "week" else 1)
    return [_day(anchor - datetime.timedelta(days=days))]


def _resolve_weekday(anchor: datetime.date, name: str, rel: str, tense_of: TenseOf) -> datetime.date:
    target = _WEEKDAYS[name[:3].lower()]
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
    left = 0
    for boundary in _SENTENCE_END.finditer(body, max(0, start - 400), start):
        if not _ends_abbreviation(body, boundary):
            left = boundary.end()
    right = len(body)
    for boundary in _SENTENCE_END.finditer(body, end, min(len(body), end + 400)):
        if not _ends_abbreviation(body, boundary):
            right = boundary.start()
            break
    return left, right


def _ends_abbreviation(body: str, boundary: re.Match[str]) -> bool:
    return _ABBREVIATION.search(body[max(0, boundary.start() - 6) : boundary.start() + 1]) is not None


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
        if word.endswith("ed") and _PASSIVE_PRESENT.search(text, 0, m.start()):
            continue
        yield m.end(), 0, "past"


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
    body: str, quotes: list[tuple[int, int]], matches: list[_Match], anchor: datetime.date | None
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
