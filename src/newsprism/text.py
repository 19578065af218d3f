"""Sentence spans of a clean body, one rule for every corpus-level stage that quotes sentences
(facts, the timeline, a story's headline): a sentence ends at a full stop, question or exclamation
mark (a closing quote may follow) before a capital or an opening quote, and at a paragraph's end.
"Oct. 17" stays one sentence; "Mr. Smith" is split, a rare cut that leaves both halves readable."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“‘'])|\n\n")


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
