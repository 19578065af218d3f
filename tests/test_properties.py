"""Properties every stage keeps on any input, checked with hypothesis on arbitrary and mutated real input
(``hostile.py``): bad input is an ``InputError`` naming its file and line, never a traceback; every span
is a slice of the body; every input article is stored or reported, exactly once; a corpus grown in two
runs is the corpus made in one.

The loaded profile's ``max_examples`` is the budget of this whole file, shared out by ``budget``: the
suite's profile (tests/conftest.py) keeps it short, ``bench/fuzz.py`` loads one of 100,000 and more.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

import pytest
from conftest import SEEDS
from hostile import (
    anchors,
    hostile_bytes,
    hostile_text,
    jsonl_lines,
    mutated_text,
    page,
    seed_paragraphs,
    seed_texts,
)
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_corpus import dates, exported, partition, quote_groups, times

import newsprism
from newsprism.article import metadata
from newsprism.article.annotate import annotate
from newsprism.article.clean import clean, clean_html
from newsprism.article.ingest import SUFFIXES, jsonl_doc, make_doc, read_file
from newsprism.article.times import extract_times
from newsprism.errors import InputError
from newsprism.options import Options
from newsprism.pipeline import analyze, read_articles
from newsprism.records import Annotations, Article, RawDoc
from newsprism.store import open_store
from newsprism.text import HAS_WORD, visible
from newsprism.versions import stage_keys

# Fixed, so that what is inferred from weekdays and "last year" does not move with the calendar.
REFERENCE_DATE = dt.date(2026, 12, 1)
# One process: a worker pool per example would cost more than the example.
OPTIONS = Options(workers=1, reference_date=REFERENCE_DATE)
# Small enough that a giant line or article is over it.
SMALL_CAP = replace(OPTIONS, max_article_bytes=20_000)
SPAN_VALUE = {
    "day": re.compile(r"\d{4}-\d\d-\d\d"), "month": re.compile(r"\d{4}-\d\d"), "year": re.compile(r"\d{4}")
}

# Shares of the profile's examples: a spaCy property runs the model on each example and an analysis
# property fills a store, so they get far fewer; the fast ones share the rest (see ``FAST_SHARE``).
ANNOTATE_SHARE = 0.02
ANALYSIS_SHARE = 0.001
GROWTH_SHARE = 0.00005
FAST_PROPERTIES = 7  # the properties below that run neither spaCy nor a store
FAST_SHARE = (1 - ANNOTATE_SHARE - ANALYSIS_SHARE - GROWTH_SHARE) / FAST_PROPERTIES
# Fewer examples than this find nothing a plain test would not.
MIN_EXAMPLES = 3


def budget(share: float) -> settings:
    return settings(max_examples=max(MIN_EXAMPLES, round(settings.default.max_examples * share)))


def where(error: InputError) -> str:
    """The input an error names: a file, or a file's line or feed entry."""
    return error.source if error.line is None else f"{error.source}:{error.line}"


def assert_article(article: Article) -> None:
    """An article has text to read: every paragraph shows something, and the body has a word."""
    assert article.paragraphs and all(visible(p) for p in article.paragraphs), article.paragraphs
    assert HAS_WORD.search(article.body), article.paragraphs
    if article.published is not None:
        assert dt.date.fromisoformat(article.published) <= REFERENCE_DATE + dt.timedelta(days=1)


@budget(FAST_SHARE)
@given(data=hostile_bytes(), suffix=st.sampled_from(sorted(SUFFIXES)))
@example(data=b"\xef\xbb\xbf", suffix=".htm")  # a byte-order mark alone was an article of no text
@example(data=b"<item<", suffix=".atom")  # a feed of entries without text yielded nothing at all
def test_reading_any_file_yields_articles_and_errors_naming_it(data: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        items = list(read_file(path, OPTIONS))
    assert items
    for item in items:
        assert isinstance(item, RawDoc | InputError), item
        assert item.source.startswith(str(path))
        if isinstance(item, RawDoc):
            assert item.text.strip()
            item.text.encode("utf-8")  # a store keeps UTF-8: no lone surrogates


@budget(FAST_SHARE)
@given(line=jsonl_lines())
def test_a_jsonl_line_is_a_clean_article_or_an_error_naming_its_line(line: str):
    try:
        doc = jsonl_doc(line, "in.jsonl", 7)
    except InputError as exc:
        assert where(exc) == "in.jsonl:7"
        return
    assert doc.source == "in.jsonl:7" and doc.text.strip()
    try:
        assert_article(clean(doc, REFERENCE_DATE))
    except InputError as exc:
        assert where(exc) == "in.jsonl:7"


def jsonl_bytes() -> st.SearchStrategy[bytes]:
    """A JSONL line in a legacy encoding, or with a NUL byte, or blank."""
    encodings = st.sampled_from(("utf-8", "utf-8", "cp1252", "latin-1"))
    lines = st.builds(lambda line, enc: line.encode(enc, errors="replace"), jsonl_lines(), encodings)
    odd = (b"", b"  \r", b'{"text": "NUL\x00 in the line"}', b'{"text": "\xff\xfe"}')
    return lines | st.sampled_from(odd)


def accounted(
    lines: Sequence[bytes], path: Path, articles: Sequence[str], errors: Sequence[InputError]
) -> None:
    """Every non-blank line is an article or an error naming the line, once; a whole-file error names
    the lines it stopped."""
    whole_file = [e for e in errors if e.source == str(path) and e.line is None]
    assert len(whole_file) <= 1, whole_file
    for number, line in enumerate(lines, start=1):
        if not line or line.isspace():
            continue
        here = f"{path}:{number}"
        stored = articles.count(here)
        reported = sum(where(e) == here for e in errors)
        assert stored + reported == 1 or (stored + reported == 0 and whole_file), (number, line[:200])


def write_lines(folder: str, lines: Sequence[bytes]) -> Path:
    path = Path(folder) / "input.jsonl"
    path.write_bytes(b"\n".join(lines))
    return path


@budget(FAST_SHARE)
@given(lines=st.lists(jsonl_bytes(), min_size=1, max_size=8))
def test_every_jsonl_line_is_read_as_an_article_or_reported_never_both(lines: list[bytes]):
    with tempfile.TemporaryDirectory() as folder:
        path = write_lines(folder, lines)
        articles, errors = read_articles([str(path)], SMALL_CAP)
    accounted(lines, path, [a.source for a in articles], errors)
    for article in articles:
        assert_article(article)


@budget(FAST_SHARE)
@given(text=hostile_text())
@example(text="×")  # a body that says nothing
@example(text="\x1b")  # a body that shows nothing
def test_cleaning_any_text_gives_an_article_or_an_error_naming_it(text: str):
    try:
        assert_article(clean(make_doc("in.txt", text, is_html=False), REFERENCE_DATE))
    except InputError as exc:
        assert where(exc) == "in.txt"


@budget(FAST_SHARE)
@given(html=st.one_of(hostile_text(), mutated_text().map(page)), url=st.none() | st.text(max_size=60))
@example(html=page("\u0300\n" + seed_texts()[2]), url=None)  # a stray accent was a paragraph
def test_cleaning_any_page_gives_an_article_or_an_error_naming_it(html: str, url: str | None):
    try:
        assert_article(clean_html(html, "in.html", REFERENCE_DATE, {"url": url}))
    except InputError as exc:
        assert where(exc) == "in.html"


def assert_evidence(evidence: metadata.DateEvidence | None, reference: dt.date) -> None:
    if evidence is not None:
        assert dt.date.fromisoformat(evidence.value) <= reference + dt.timedelta(days=1)


@budget(FAST_SHARE)
@given(text=hostile_text(), reference=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
@example(text=" ", reference=dt.date(2000, 1, 1))  # a blank URL named the outlet " "
def test_metadata_of_any_text_is_a_date_or_none(text: str, reference: dt.date):
    line = text[: metadata.STAMP_MAX_CHARS]
    if (day := metadata.normalize_date(text, reference)) is not None:
        assert dt.date.fromisoformat(day).year >= metadata.EARLIEST_YEAR
        assert dt.date.fromisoformat(day) <= reference + dt.timedelta(days=1)
    assert metadata.outlet_from_url(text) is None or metadata.outlet_from_url(text).strip()
    for evidence in (metadata.date_from_timestamp(line), metadata.date_from_header(line),
                     metadata.date_from_caption(text), metadata.date_from_url(text)):
        if evidence is not None:
            dt.date.fromisoformat(evidence.value)
    assert_evidence(metadata.date_from_weekday_date(text, reference), reference)
    assert_evidence(metadata.infer_published([], text, line, text, reference), reference)


def assert_spans(body: str, spans: Sequence[object]) -> None:
    for span in spans:
        assert body[span.start : span.end] == span.text, span


@budget(FAST_SHARE)
@given(body=hostile_text(), anchor=anchors())
def test_every_date_expression_is_a_slice_of_the_body_with_a_value(body: str, anchor: dt.date | None):
    refs = extract_times("a1", body, anchor)
    assert_spans(body, refs)
    for ref in refs:
        assert SPAN_VALUE[ref.granularity].fullmatch(ref.value), ref
        if ref.granularity == "day":
            dt.date.fromisoformat(ref.value)


def assert_annotations(article: Article, found: Annotations) -> None:
    assert found.article == article.id and found.error is None, found.error
    body = article.body
    assert_spans(body, found.mentions)
    assert_spans(body, found.quotes)
    assert_spans(body, found.times)
    for quote in found.quotes:
        if quote.speaker.start is not None:
            assert body[quote.speaker.start : quote.speaker.end] == quote.speaker.text, quote


@st.composite
def articles(draw: st.DrawFn) -> Article:
    text = draw(st.one_of(mutated_text(), hostile_text()))
    try:
        article = clean(make_doc(f"in{draw(st.integers(0, 9))}.txt", text, is_html=False), REFERENCE_DATE)
    except InputError:
        assume(False)
    published = draw(anchors())
    return replace(article, published=published.isoformat() if published else None)


@budget(ANNOTATE_SHARE)
@given(batch=st.lists(articles(), min_size=1, max_size=3))
def test_annotation_never_fails_and_every_span_is_a_slice_of_the_body(batch: list[Article]):
    found = annotate(batch)
    assert len(found) == len(batch)
    for article, result in zip(batch, found, strict=True):
        assert_annotations(article, result)


# Few enough that a file often holds one line twice.
GOOD_PARAGRAPHS = 6


def good_lines() -> st.SearchStrategy[bytes]:
    """A JSONL line of real news prose, which the analysis stores."""
    return st.builds(
        lambda n, text: json.dumps({"id": f"good-{n}", "text": text}).encode(),
        st.integers(0, 1), st.sampled_from(seed_paragraphs()[:GOOD_PARAGRAPHS]),
    )


@budget(ANALYSIS_SHARE)
@given(lines=st.lists(st.one_of(good_lines(), jsonl_bytes()), min_size=1, max_size=6))
def test_every_input_article_is_stored_or_reported_never_both_never_neither(lines: list[bytes]):
    with tempfile.TemporaryDirectory() as folder:
        path = write_lines(folder, lines)
        with newsprism.open(Path(folder) / "store.duckdb", OPTIONS) as corpus:
            report = corpus.add([path])
            keys = stage_keys()
            stored = []
            for number in range(1, len(lines) + 1):
                ids = corpus.store.select(source=f"{path}:{number}")
                if ids and corpus.store.current(ids, keys.clean, keys.annotate) == set(ids):
                    stored.append(f"{path}:{number}")
    accounted(lines, path, stored, report.failed)


def stories(doc: dict) -> set[frozenset[str]]:
    return {frozenset(s["articles"]) for s in doc["stories"]}


def own_dated(doc: dict) -> set[str]:
    """The articles dated by their own text or metadata, not by their story."""
    methods = {a["id"]: (a["published_evidence"] or {}).get("method") for a in doc["articles"]}
    return {article for article, method in methods.items() if method not in (None, "story")}


@cache
def grown_at_once(order: tuple[str, ...]) -> dict:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "together.duckdb") as store:
        analyze(order, store, OPTIONS)
        return exported(store)


def grown_in_two(order: Sequence[str], cut: int) -> dict:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "grown.duckdb") as store:
        analyze(order[:cut], store, OPTIONS)
        analyze(order[cut:], store, OPTIONS)
        return exported(store)


SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))


@budget(GROWTH_SHARE)
@given(order=st.permutations(SEED_FILES), cut=st.integers(1, 4))
# The dates an undated article took from its story differed in confidence.
@example(order=[SEED_FILES[i] for i in (1, 0, 2, 3, 4)], cut=1)
# The stories differ (the test below); all else must not.
@example(order=[SEED_FILES[i] for i in (1, 4, 2, 3, 0)], cut=2)
def test_a_then_b_equals_a_and_b_together(order: list[str], cut: int):
    """Everything but the stories (see the test below): the articles, their entities and quote groups,
    and the dates and date expressions of the articles that date themselves."""
    whole, after = grown_at_once(tuple(order)), grown_in_two(order, cut)
    assert sorted(a["id"] for a in after["articles"]) == sorted(a["id"] for a in whole["articles"])
    assert partition(after) == partition(whole)
    assert quote_groups(after) == quote_groups(whole)
    assert {e["name"] for e in after["entities"]} == {e["name"] for e in whole["entities"]}
    dated = own_dated(whole)
    assert own_dated(after) == dated
    own = dates(whole)
    assert {i: d for i, d in dates(after).items() if i in dated} == {i: own[i] for i in dated}
    assert [t for t in times(after) if t[0] in dated] == [t for t in times(whole) if t[0] in dated]


@pytest.mark.xfail(strict=True, reason="story placement depends on where a corpus is cut into runs")
def test_a_then_b_gives_the_stories_of_a_and_b_together():
    """Found by the property above, and open: 001 and 004 analysed first, then the rest, give two
    stories of two where all five at once give one of four. A first run of two articles leaves them
    apart (similarity 0.11, under ``JOIN``); the next run's undated articles join one each, and two
    stories of two merge only at ``MERGE`` (0.45), while all at once the undated ones move between
    the two stories as they are reconsidered and leave one of them single, which folds at ``JOIN``.
    The dates those undated articles take from their stories differ with them. Tried and reverted:
    a story of up to 8 articles folding in when its articles' mean similarity to the other reaches
    ``JOIN`` and half (or 0.8) of their similarity to their own story. It passed this and 70 random
    splits of the seeds, but one 2+2 fold of undated COVID snippets lowered the SemEval snippets'
    same-story r from 0.664 to 0.646 (under its floor); requiring a fit as good as home (1.0) keeps
    0.664 but no longer joins these two stories (0.187 against 0.228 at home)."""
    order = [SEED_FILES[i] for i in (1, 4, 2, 3, 0)]
    whole, after = grown_at_once(tuple(order)), grown_in_two(order, 2)
    assert stories(after) == stories(whole)
    assert dates(after) == dates(whole)
