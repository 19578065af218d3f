"""Quotation marks: the spans between them, paired over the whole body so that a quote may run
across paragraphs and unbalanced marks are recovered from."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_OPENERS = frozenset("“«„‘‹")
_OPEN_CONTEXT = frozenset("([{—–-/:") | _OPENERS


@dataclass(frozen=True)
class Marked:
    """A span between quotation marks: ``start``/``end`` is the content, ``open_at`` the opening mark."""

    start: int
    end: int
    open_at: int
    close_at: int | None


def _role(body: str, i: int) -> str | None:
    """'open', 'close' or None (undecided) for the quotation mark at ``body[i]``."""
    prev = body[i - 1] if i > 0 else "\n"
    nxt = body[i + 1] if i + 1 < len(body) else "\n"
    if (prev.isspace() or prev in _OPEN_CONTEXT) and not nxt.isspace():
        return "open"
    if not prev.isspace() and (nxt.isspace() or unicodedata.category(nxt).startswith("P")):
        return "close"
    return None


def paragraph_starts(body: str) -> list[int]:
    starts, at = [0], body.find("\n\n")
    while at != -1:
        starts.append(at + 2)
        at = body.find("\n\n", at + 2)
    return starts


def scan_text(body: str) -> str:
    """``body`` with each doubled apostrophe ('' for a double quote, as some outlets write it) turned
    into one double mark and a space, on the side that keeps the offsets of the content unchanged."""
    def one(m: re.Match) -> str:
        before = body[m.start() - 1] if m.start() else " "
        return ' "' if before.isspace() or before in _OPEN_CONTEXT else '" '
    return re.sub(r"(?<!')''(?!')", one, body)


def double_marks(body: str, paras: list[int]) -> list[Marked]:
    """Pair double-level marks over the whole body, recovering from unbalanced ones."""
    found: list[Marked] = []
    pending: int | None = None

    def para_end(pos: int) -> int:
        k = bisect_right(paras, pos)
        return paras[k] - 2 if k < len(paras) else len(body)

    def close_unfinished(upto: int) -> None:
        end = len(body[pending + 1:upto].rstrip()) + pending + 1
        if end > pending + 1:
            found.append(Marked(pending + 1, end, pending, None))

    for i, ch in enumerate(body):
        if ch not in '"“”«»„':
            continue
        role = _role(body, i)
        if ch in "“«„" and role != "close" or ch in "”»" and role == "open" and pending is None:
            role = "open"
        elif ch in "”»":
            role = "close"
        if pending is not None and bisect_right(paras, i) != bisect_right(paras, pending):
            gap = bisect_right(paras, i) - bisect_right(paras, pending)
            para_start = body[paras[bisect_right(paras, i) - 1]:i].strip() == ""
            if role == "open" and para_start:
                # A quote running over paragraphs re-opens each one; keep the first opening.
                continue
            if role != "close" or gap > 2:
                close_unfinished(para_end(pending))
                pending = None
        if role == "open" or role is None and pending is None:
            if pending is not None:
                close_unfinished(i)
            pending = i
        elif pending is not None:
            if i > pending + 1:
                found.append(Marked(pending + 1, i, pending, i))
            pending = None
    if pending is not None:
        close_unfinished(para_end(pending))
    return found


def single_marks(body: str, paras: list[int], taken: list[Marked]) -> list[Marked]:
    """Single-quote pairs outside double quotes; an opening ‘ or ' must close in its paragraph."""
    covered = [(m.open_at, m.end + 1) for m in taken]
    found: list[Marked] = []
    pending: int | None = None
    for i, ch in enumerate(body):
        if ch not in "'‘’‹›" or any(a <= i < b for a, b in covered):
            continue
        prev = body[i - 1] if i > 0 else " "
        nxt = body[i + 1] if i + 1 < len(body) else " "
        if prev.isalnum() and nxt.isalnum():
            continue
        role = _role(body, i)
        if pending is not None and bisect_right(paras, i) != bisect_right(paras, pending):
            pending = None
        if role == "open" and ch in "'‘‹" and nxt.isalnum():
            pending = i
        elif role == "close" and pending is not None and ch in "'’›":
            found.append(Marked(pending + 1, i, pending, i))
            pending = None
    return found
