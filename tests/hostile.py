"""Hypothesis strategies for hostile input: arbitrary bytes and text, and the real seed articles broken
the ways scrapes, exports and hand edits break articles (cut short, re-encoded, NUL bytes, stray quote
marks, giant lines, markup, a page or feed around them, right-to-left and combining characters, odd
line breaks).

Random data alone rarely gets past the first check of a stage; a real article with one thing wrong
reaches the rules deep inside cleaning, dating and quote attribution, which is where bugs hide.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import cache

from conftest import SEEDS
from hypothesis import strategies as st

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le", "utf-16-be")
QUOTE_MARKS = '"\'“”‘’«»„‹›「」'
MARKUP = (
    "<p>", "</p>", "<br>", "<div class='x'>", "</div>", "<script>var a = '</p>';</script>", "<!--", "-->",
    "<![CDATA[", "]]>", "&amp;", "&nbsp;", "&#xD800;", "&#0;", "&bogus;", "<?xml version='1.0'?>",
    "<html>", "</body>", "<a href='http://[::1'>", "<rss>", "<table><tr><td>", "<<<>>>",
)  # fmt: skip
RTL_AND_INVISIBLE = (
    "\u202e", "\u202d", "\u200f", "\u200e", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad",
    "مرحبا بالعالم", "שלום עולם", "\u0627\u0644\u0633\u0644\u0627\u0645",
)  # fmt: skip
COMBINING = "\u0301\u0308\u0327\u0336\u0489\u20dd\u0345\u035c\u1ab0"
LINE_BREAKS = ("\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\n\n\n\n")
GIANT_UNITS = ("word ", "x", "“", "a, ", "Oct. 4, 2016 ", "\u0301", "<b>", "Kerry said “", "- ")
# A giant line is tens of kilobytes: enough to show a quadratic rule, not enough to trip the size caps.
GIANT_CHARS = (1_000, 60_000)


@cache
def seed_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))


@cache
def seed_paragraphs() -> tuple[str, ...]:
    """The seeds' paragraphs of news prose (a dozen words or more)."""
    return tuple(p for t in seed_texts() for p in t.split("\n") if len(p.split()) >= 12)


def _position(draw: st.DrawFn, text: str) -> int:
    return draw(st.integers(0, len(text)))


def _insert(draw: st.DrawFn, text: str, piece: str) -> str:
    at = _position(draw, text)
    return text[:at] + piece + text[at:]


def _truncate(draw: st.DrawFn, text: str) -> str:
    at = _position(draw, text)
    return text[:at] if draw(st.booleans()) else text[at:]


def _nul(draw: st.DrawFn, text: str) -> str:
    return _insert(draw, text, "\x00" * draw(st.integers(1, 3)))


def _quote_marks(draw: st.DrawFn, text: str) -> str:
    for mark in draw(st.lists(st.sampled_from(QUOTE_MARKS), min_size=1, max_size=6)):
        text = _insert(draw, text, mark)
    return text


def _drop_quote_mark(draw: st.DrawFn, text: str) -> str:
    marks = [i for i, ch in enumerate(text) if ch in QUOTE_MARKS]
    if not marks:
        return text
    at = draw(st.sampled_from(marks))
    return text[:at] + text[at + 1 :]


def _giant_line(draw: st.DrawFn, text: str) -> str:
    unit = draw(st.sampled_from(GIANT_UNITS))
    size = draw(st.integers(*GIANT_CHARS))
    return _insert(draw, text, "\n" + unit * (size // len(unit)) + "\n")


def _markup(draw: st.DrawFn, text: str) -> str:
    for tag in draw(st.lists(st.sampled_from(MARKUP), min_size=1, max_size=8)):
        text = _insert(draw, text, tag)
    return text


def page(text: str, title: str = "") -> str:
    """``text`` as an article page, a paragraph element per line."""
    paragraphs = "".join(f"<p>{p}</p>\n" for p in text.split("\n") if p.strip())
    return f"<!DOCTYPE html><html><head>{title}</head><body><article>{paragraphs}</article></body></html>"


def _as_page(draw: st.DrawFn, text: str) -> str:
    return page(text, draw(st.sampled_from(("", "<title>Talks on Syria</title>", "<title></title>"))))


def _as_feed(draw: st.DrawFn, text: str) -> str:
    items = "".join(
        f"<item><title>Item {n}</title><pubDate>Tue, 04 Oct 2016 10:00:00 GMT</pubDate>"
        f"<description><![CDATA[{p}]]></description></item>"
        for n, p in enumerate(text.split("\n\n"))
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Wire</title>{items}</channel></rss>"


def _rtl(draw: st.DrawFn, text: str) -> str:
    for piece in draw(st.lists(st.sampled_from(RTL_AND_INVISIBLE), min_size=1, max_size=6)):
        text = _insert(draw, text, piece)
    return text


def _combining(draw: st.DrawFn, text: str) -> str:
    for _ in range(draw(st.integers(1, 6))):
        text = _insert(draw, text, draw(st.text(COMBINING, min_size=1, max_size=12)))
    return text


def _line_breaks(draw: st.DrawFn, text: str) -> str:
    return text.replace("\n", draw(st.sampled_from(LINE_BREAKS)))


def _splice(draw: st.DrawFn, text: str) -> str:
    return _insert(draw, text, draw(st.text(max_size=200)))


def _shuffle_lines(draw: st.DrawFn, text: str) -> str:
    return "\n".join(draw(st.permutations(text.split("\n"))))


def _shout(draw: st.DrawFn, text: str) -> str:
    return text.upper()


Mutation = Callable[[st.DrawFn, str], str]
MUTATIONS: tuple[Mutation, ...] = (
    _truncate, _nul, _quote_marks, _drop_quote_mark, _giant_line, _markup, _as_page, _as_feed, _rtl,
    _combining, _line_breaks, _splice, _shuffle_lines, _shout,
)  # fmt: skip


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A seed article with one to four mutations applied in turn."""
    text = draw(st.sampled_from(seed_texts()))
    for mutation in draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=4)):
        text = mutation(draw, text)
    return text


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """``text`` in some encoding (characters it cannot hold replaced), then maybe cut at a byte, which
    can split a multi-byte character, or given a few random bytes."""
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at]
    for byte in draw(st.lists(st.integers(0, 255), max_size=3)):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + bytes([byte]) + data[at:]
    return data


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(st.text(max_size=500), mutated_text())


def hostile_bytes() -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=2000), hostile_text().flatmap(encoded))


def anchors() -> st.SearchStrategy[dt.date | None]:
    """Publication dates an article can carry: none, or any day newsprism can infer or be given."""
    return st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
                           max_leaves=8)
ISO_DATES = st.dates().map(dt.date.isoformat)


def records() -> st.SearchStrategy[dict]:
    """Objects shaped like a JSONL article, each field missing, hostile or of the wrong type."""
    field = st.one_of(hostile_text(), JSON_VALUES)
    return st.fixed_dictionaries(
        {},
        optional={
            "text": field, "html": st.one_of(mutated_text().map(page), field), "id": field,
            "url": field, "outlet": field, "title": field, "published": st.one_of(ISO_DATES, field),
        },
    )  # fmt: skip


def jsonl_lines() -> st.SearchStrategy[str]:
    """One line of a JSONL file: an article record, JSON that is not one, or not JSON at all."""
    dumped = st.builds(json.dumps, records(), ensure_ascii=st.booleans())
    return st.one_of(
        dumped,
        dumped.flatmap(lambda line: st.integers(0, len(line)).map(lambda at: line[:at])),
        st.builds(json.dumps, JSON_VALUES),
        st.text(max_size=200),
        st.sampled_from(("[" * 100_000, "1" * 5_000, '{"text": "\\ud800 lone"}', '{"text": "\\u0000"}',
                         '{"text": "a", "text": ""}', "NaN", '{"html": "<p>&#xD800;</p>"}')),
    ).map(lambda line: line.replace("\n", " "))
