"""The bundled example corpus is sound on its own, before any pipeline stage reads it."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ARTICLE_SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}
JSONL_REQUIRED = ("id", "url", "outlet", "title", "published")


def article_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in ARTICLE_SUFFIXES)


def jsonl_rows() -> list[tuple[Path, int, dict]]:
    rows = []
    for path in article_files():
        if path.suffix == ".jsonl":
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if line.strip():
                    rows.append((path, number, json.loads(line)))
    return rows


def article_texts() -> dict[str, str]:
    """Each article's visible text, keyed by where it came from, markup stripped."""
    texts = {}
    for path in article_files():
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            texts[path.name] = raw
        elif path.suffix in (".html", ".htm"):
            body = lxml_html.fromstring(raw).xpath("//article")[0]
            texts[path.name] = "\n\n".join(p.text_content() for p in body.iter("p"))
    for path, number, row in jsonl_rows():
        text = row.get("text") or lxml_html.fromstring(row["html"]).text_content()
        texts[f"{path.name}:{number}"] = text
    return texts


def test_the_corpus_has_every_input_form():
    suffixes = [p.suffix for p in article_files()]
    assert suffixes.count(".html") + suffixes.count(".htm") == 1
    assert suffixes.count(".jsonl") == 1
    assert suffixes.count(".txt") >= 3
    assert (EXAMPLES / "README.md").exists()


@pytest.mark.parametrize("path", article_files(), ids=lambda p: p.name)
def test_every_file_is_utf8_text(path):
    text = path.read_bytes().decode("utf-8")
    assert text.strip()
    assert "\ufffd" not in text


def test_jsonl_lines_parse_with_required_fields():
    rows = jsonl_rows()
    assert len(rows) == 2
    for path, number, row in rows:
        where = f"{path.name}:{number}"
        for name in JSONL_REQUIRED:
            assert isinstance(row.get(name), str) and row[name].strip(), f"{where}: {name}"
        assert ("text" in row) != ("html" in row), f"{where}: exactly one of text/html"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["published"]), where
        dt.date.fromisoformat(row["published"])
        assert row["url"].startswith("https://")
    assert len({row["id"] for _, _, row in rows}) == len(rows)


def test_html_page_is_a_full_news_page():
    page = lxml_html.fromstring(next(p for p in article_files() if p.suffix == ".html").read_bytes())
    assert page.findtext(".//head/title").strip()
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
    assert meta["og:site_name"]
    dt.datetime.fromisoformat(meta["article:published_time"])
    assert len(page.xpath("//article//p")) >= 5
    # the boilerplate an extractor has to leave out is really there
    assert page.xpath("//nav") and page.xpath("//footer") and page.xpath("//aside")


def test_at_least_six_articles_of_demo_length():
    texts = article_texts()
    assert len(texts) >= 6
    for name, text in texts.items():
        assert 150 <= len(text.split()) <= 420, name


def test_articles_tell_one_story_with_quotes_shared_across_outlets():
    texts = article_texts()
    assert all("Kessling Bridge" in text for text in texts.values())

    # Outlets disagree on quote marks and entities; compare the words only.
    def words(text: str) -> str:
        return " ".join(re.findall(r"[a-z]+", html.unescape(text).lower()))

    shared = "our members have been warning about night crossings for two years and nobody listened"
    assert sum(shared in words(text) for text in texts.values()) >= 3
