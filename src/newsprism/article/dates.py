"""Date expressions in text: where they are, and the value of those that carry their own year.

Finding is done with regular expressions (no spaCy). Cleaning reads a timestamp's or a caption's
date with ``full_date``; the times stage resolves every expression ``find_expressions`` returns,
the relative ones against the article's publication date.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from newsprism.lexicon import (
    ABBREVIATION_END,
    MONTH,
    MONTH_NAME,
    NUMBER_WORDS,
    ORDINAL,
    WEEKDAY,
    WEEKDAY_NAME,
    month_number,
)
from newsprism.records import Granularity

# Abbreviated months need a day or a year after them to count.
_MONTH = rf"(?P<mon>{MONTH})"
_MONTH_FULL = rf"(?P<mon>{MONTH_NAME})"
_DAY = rf"(?P<day>3[01]|[12]\d|0?[1-9]){ORDINAL}?(?![\d%]|[.:-]\d)"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)(?![\d:%s]|\.\d|[-/]\d|'s)"
_WEEKDAY = rf"(?P<wd>{WEEKDAY_NAME})"
_ON = r"(?:(?:on|On)\s+)?"
_LEAD = rf"{_ON}(?:{WEEKDAY},?\s+)?"
_PART_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_MOD = r"(?:(?:early|late|mid|Early|Late|Mid)(?:-|\s+)|(?:the\s+)?(?:end|beginning|middle|start)\s+of\s+)?"
_NUMBER = "|".join(NUMBER_WORDS)
_REL = r"[Ll]ast|[Tt]his|[Nn]ext"
_REL_DAY = r"[Yy]esterday|[Tt]oday|[Tt]omorrow|[Tt]onight"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("iso", r"(?<![\w-])(?P<year>(?:19|20)\d\d)-(?P<m>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
        ("slash", r"(?<![\w/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>(?:19|20)\d\d)\b"),
        ("mdy", rf"{_LEAD}{_MONTH}\s+{_DAY}\s*,?\s+{_YEAR}"),
        ("dmy", rf"{_LEAD}{_DAY}(?:\s+of)?\s+{_MONTH}\s*,?\s+{_YEAR}"),
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
# Expressions whose value needs no anchor: they name their own year.
ABSOLUTE_KINDS = frozenset({"iso", "slash", "mdy", "dmy", "my", "year", "year_range"})

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


@dataclass(frozen=True)
class Expression:
    """A date expression at ``[start, end)`` of its text; ``groups`` holds the parts its pattern read."""

    kind: str
    start: int
    end: int
    groups: dict[str, str]


@dataclass(frozen=True)
class CalendarValue:
    """A resolved calendar value; ``month``/``day`` are None for coarser granularities."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, date: datetime.date) -> CalendarValue:
        return cls(date.year, date.month, date.day)

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


@dataclass(frozen=True)
class FullDate:
    """A date written with its own day, month and year: ``text`` as written, ``value`` as YYYY-MM-DD."""

    text: str
    value: str


def find_expressions(text: str) -> list[Expression]:
    """All date expressions of ``text`` in order, keeping the longest where candidates overlap."""
    found = [
        Expression(kind, m.start(), m.end(), {k: v for k, v in m.groupdict().items() if v is not None})
        for kind, pattern in _PATTERNS
        for m in pattern.finditer(text)
    ]
    found = [_trim(text, e) for e in found if _plausible(text, e)]
    found.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[Expression] = []
    for expression in found:
        if kept and expression.start < kept[-1].end:
            continue
        kept.append(expression)
    return kept


def absolute_values(expression: Expression) -> list[CalendarValue]:
    """The values of an expression of ``ABSOLUTE_KINDS`` (two for a year range, none for a day that
    does not exist)."""
    g = expression.groups
    kind = expression.kind
    if kind == "iso":
        return _valid(int(g["year"]), int(g["m"]), int(g["day"]))
    if kind == "slash":
        first, second = int(g["a"]), int(g["b"])
        month, day = (second, first) if first > 12 else (first, second)
        return _valid(int(g["year"]), month, day)
    if kind in ("mdy", "dmy"):
        return _valid(int(g["year"]), month_number(g["mon"]), int(g["day"]))
    if kind == "my":
        return [CalendarValue(int(g["year"]), month_number(g["mon"]))]
    if kind == "year":
        return [CalendarValue(int(g["year"]))]
    if kind == "year_range":
        first, last = _year_range(g)
        return [CalendarValue(first), CalendarValue(last)]
    raise ValueError(f"a {kind!r} expression needs an anchor to resolve")


def full_date(text: str) -> FullDate | None:
    """The first date in ``text`` that names its own day, month and year."""
    for expression in find_expressions(text):
        if expression.kind in ABSOLUTE_KINDS:
            days = [v for v in absolute_values(expression) if v.granularity == "day"]
            if days:
                return FullDate(text[expression.start : expression.end], str(days[0]))
    return None


def _valid(year: int, month: int, day: int) -> list[CalendarValue]:
    try:
        return [CalendarValue.of(datetime.date(year, month, day))]
    except ValueError:
        return []


def _year_range(groups: dict[str, str]) -> tuple[int, int]:
    """First and last year of "1998-2003" or "1998-03"."""
    first, second = int(groups["y1"]), groups["y2"]
    return first, int(second) if len(second) == 4 else first // 100 * 100 + int(second)


def _trim(text: str, expression: Expression) -> Expression:
    """Drop a trailing period that ends the sentence rather than abbreviates a month."""
    written = text[expression.start : expression.end]
    if written.endswith(".") and not ABBREVIATION_END.search(written):
        return Expression(expression.kind, expression.start, expression.end - 1, expression.groups)
    return expression


def _plausible(text: str, expression: Expression) -> bool:
    """Reject the look-alikes: modal "May", verb "March", counts that look like years, names."""
    before = text[max(0, expression.start - 30) : expression.start].split()
    previous = before[-1].lower().strip('("“') if before else ""
    after = text[expression.end : expression.end + 30].split()
    following = after[0] if after else ""
    groups = expression.groups
    if expression.kind == "month":
        month = groups["mon"]
        has_cue = (
            "rel" in groups or text[expression.start : expression.end] != month or previous in _MONTH_CUES
        )
        if month in _AMBIGUOUS_MONTHS and not has_cue:
            return False
        # "April Ryan", "June Carter": a capitalized word after a bare month makes it a first name.
        return has_cue or not following[:1].isupper()
    if expression.kind == "year" and previous not in _YEAR_CUES:
        word = following.lower().strip(".,;:!?")
        if word in _COUNT_NOUNS or (word.endswith("s") and word.isalpha() and word not in _NOT_PLURAL):
            return following[:1].isupper()
    if expression.kind == "rel_day" and groups["w"] in ("Today", "Tomorrow", "Tonight") and before \
            and before[-1][:1].isupper() and not re.search(r"[.!?:]\s*$", text[: expression.start]):
        # "USA Today", "Russia Today", "Good Morning America Tonight": a title, not a day.
        return False
    if expression.kind == "year_range":
        first, last = _year_range(groups)
        return first < last <= first + 100
    return True
