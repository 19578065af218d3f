"""Sentence spans of a clean body, one rule for every corpus-level stage that quotes sentences
(facts, the timeline, a story's headline): a sentence ends at a full stop, question or exclamation
mark (a closing quote may follow) before a capital or an opening quote, and at a paragraph's end.
"Oct. 17" stays one sentence; "Mr. Smith" is split, a rare cut that leaves both halves readable.

Words too are cut here, for every stage that counts or compares them. The shapes differ on purpose,
and each stage keeps the one its thresholds were set with (a stage moved to another shape would
count other words and change what it finds).

And one shape of a day, YYYY-MM-DD, the one every selection by date is given in."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“‘'])|\n\n")

# Any run of letters, digits and underscores: the length of a text and the overlap of two facts.
WORD = re.compile(r"\w+")
# An apostrophe inside a word keeps it whole ("Russia's", "don't"): two outlets quoting or copying
# one text match word for word, and "Russia's" cut in two would be a "s" shared with every text.
CONTRACTED_WORD = re.compile(r"\w+(?:['’]\w+)*")
# English letters of two or more, hyphens and apostrophes kept: a story's features are lemmas, and
# digits, single letters and foreign scripts would only add noise to its profile.
LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
# ASCII letters and digits of lower-cased text: the timeline's agreement between sentences.
# Unlike ``WORD`` an accented letter or an underscore splits a word.
ASCII_WORD = re.compile(r"[a-z0-9]+")
# English letters alone: the words just before a name, read against small lists ("the", "in").
LETTERS = re.compile(r"[A-Za-z]+")
# A letter or a digit: what a text needs to say anything ("×" or "* * *" alone says nothing).
HAS_WORD = re.compile(r"[^\W_]")
# What renders as nothing: spaces, format characters (byte-order mark, direction marks, soft hyphen),
# marks with nothing to combine with, controls.
INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cf", "Mn", "Me", "Cc"})
# Published dates are stored, and compared with a selection's bounds, as YYYY-MM-DD text:
# ``date.fromisoformat`` alone would also take 20161004 and 2016-W40-2, which compare as other days.
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

T = TypeVar("T")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, surrounding spaces left out."""
    spans, start = [], 0
    for end, next_start in [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)] + [
        (len(text), len(text))
    ]:
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            left = start + len(piece) - len(piece.lstrip())
            spans.append((left, left + len(stripped)))
        start = next_start
    return spans


def words(text: str) -> list[str]:
    return WORD.findall(text)


def contracted_words(text: str) -> list[str]:
    return CONTRACTED_WORD.findall(text)


def letter_words(text: str) -> list[str]:
    return LETTER_WORD.findall(text)


def ascii_words(text: str) -> list[str]:
    return ASCII_WORD.findall(text)


def letters(text: str) -> list[str]:
    return LETTERS.findall(text)


def is_day(text: str) -> bool:
    """True for a day of the calendar written YYYY-MM-DD."""
    if not DAY.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def shingles(tokens: Sequence[T], size: int) -> list[Sequence[T]]:
    """Every run of ``size`` consecutive tokens, in order; none when there are fewer tokens."""
    return [tokens[i : i + size] for i in range(len(tokens) - size + 1)]


def visible(text: str) -> bool:
    """Whether ``text`` shows anything; a line that does not is a blank line."""
    return any(unicodedata.category(ch) not in INVISIBLE for ch in text)
