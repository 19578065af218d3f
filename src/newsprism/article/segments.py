"""Where ``annotate`` cuts a long body into segments that spaCy parses one at a time.

spaCy's memory follows the text it parses at once, at about 3.5 KB per character of news text on
top of the model (measured with this pipeline on Timeline17 paragraphs: 100 MiB for 30,000
characters, 1 GiB for 300,000), so one 670,000-character transcript took a worker to gigabytes.
A body of at most ``SEGMENT_CHARS`` characters, which is nearly every news article, is one segment:
the whole body, parsed as it always was. A longer one is cut into segments of at most that many
characters each, and each is parsed with up to ``CONTEXT_CHARS`` characters of the text before it.

Where a cut may fall:

* between paragraphs, and never inside a quotation: the double quotation marks are paired over the
  whole body first (``quote_marks.double_marks``; an opening mark a paragraph leaves open carries
  the quote on into the next ones), and no cut falls between a pair, so a quote running over
  paragraphs is read whole, with its attribution after the last paragraph;
* inside a paragraph longer than a segment, as a fallback: after the last sentence end outside
  quotation marks, else at whitespace outside them, else at whitespace (a quotation longer than a
  segment is then split and lost), else anywhere.

What looks back across a cut is handled by the context, the text before the segment: the
paragraphs that fit in ``CONTEXT_CHARS`` (the tail of the paragraph before when none fits). It is
parsed with the segment and what is found in it is dropped, as the segment before found it, but it
gives the segment what the rules read before a quote: a pronoun's antecedent (quotes look back
120 tokens, some 650 characters), the previous paragraph's quote that an unattributed direct quote
continues, a title that a later role reference ("the foreign minister") recalls. ``annotate``
carries what quotes read further back: the last person who spoke and the people named so far. A
role reference further from its title than the context reaches is not taken for that person.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.article.quote_marks import Marked, paragraph_starts
from newsprism.records import PARAGRAPH_SEPARATOR

# Chosen to keep news articles whole (all of PolNeAR's, the longest 33,672 characters, and the seeds;
# all but 4 of Timeline17's 1,862 clean bodies, which run to 114,000) while a segment costs spaCy
# about 170 MiB, less than a batch of 32 ordinary articles did before batches were cut by characters.
SEGMENT_CHARS = 50_000
# Three times the 120-token window in which a pronoun's antecedent is looked for, and more than the
# paragraph or two a quote's speaker is carried over: 4 % more parsing for a body that is cut.
CONTEXT_CHARS = 2_000

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’»)\]]*\s+")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    """``body[start:end]`` is parsed; annotations starting before ``own`` belong to the segment
    before and are dropped (``start == own`` for the first segment)."""

    start: int
    own: int
    end: int


def segments(body: str, double: Sequence[Marked]) -> list[Segment]:
    """The segments of ``body``, whose double quotation marks, paired over the whole of it, are
    ``double`` (in body order)."""
    if len(body) <= SEGMENT_CHARS:
        return [Segment(0, 0, len(body))]
    quoted = _Quoted(double)
    paragraphs = paragraph_starts(body)
    found: list[Segment] = []
    own = 0
    while True:
        start = _context_start(body, paragraphs, own)
        if len(body) - own <= SEGMENT_CHARS:
            found.append(Segment(start, own, len(body)))
            return found
        end, after = _cut(body, paragraphs, quoted, own, own + SEGMENT_CHARS)
        found.append(Segment(start, own, end))
        own = after


def within(double: Sequence[Marked], segment: Segment) -> list[Marked]:
    """The quotations of ``double`` (in body order) that ``segment`` holds whole, in its offsets."""
    found = []
    at = segment.start
    for k in range(bisect_left(double, at, key=lambda m: m.open_at), len(double)):
        m = double[k]
        if m.open_at >= segment.end:
            break
        if _stop(m) <= segment.end:
            close = m.close_at - at if m.close_at is not None else None
            found.append(Marked(m.start - at, m.end - at, m.open_at - at, close))
    return found


def _stop(m: Marked) -> int:
    """Where a quotation ends: after its closing mark, or where an unclosed one is taken to end."""
    return m.close_at + 1 if m.close_at is not None else m.end


class _Quoted:
    """The body's quotations, to tell whether a cut would split one."""

    def __init__(self, double: Sequence[Marked]):
        self.opens = [m.open_at for m in double]
        self.stops = [_stop(m) for m in double]

    def splits(self, cut: int) -> bool:
        k = bisect_left(self.opens, cut) - 1
        return k >= 0 and cut < self.stops[k]


def _cut(body: str, paragraphs: list[int], quoted: _Quoted, own: int, limit: int) -> tuple[int, int]:
    """(end of a segment starting at ``own`` and ending by ``limit``, start of the next)."""
    # The last paragraph that starts by the limit, counting its separator out of the segment.
    k = bisect_right(paragraphs, limit + len(PARAGRAPH_SEPARATOR)) - 1
    while k > 0 and paragraphs[k] > own:
        if not quoted.splits(paragraphs[k]):
            return paragraphs[k] - len(PARAGRAPH_SEPARATOR), paragraphs[k]
        k -= 1
    for pattern, outside in ((_SENTENCE_END, True), (_WHITESPACE, True), (_WHITESPACE, False)):
        cut = next((m.end() for m in reversed(list(pattern.finditer(body, own + 1, limit)))
                    if not (outside and quoted.splits(m.end()))), None)
        if cut is not None:
            return cut, cut
    return limit, limit


def _context_start(body: str, paragraphs: list[int], own: int) -> int:
    """Where the context before ``own`` starts: the first paragraph within ``CONTEXT_CHARS`` of it,
    or, when the paragraph before is longer, a sentence (or word) of it within them."""
    if own == 0:
        return 0
    k = bisect_left(paragraphs, own - CONTEXT_CHARS)
    if k < len(paragraphs) and paragraphs[k] < own:
        return paragraphs[k]
    for pattern in (_SENTENCE_END, _WHITESPACE):
        found = pattern.search(body, own - CONTEXT_CHARS, own)
        if found is not None and found.end() < own:
            return found.end()
    return own - CONTEXT_CHARS
