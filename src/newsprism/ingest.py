"""Read input files into ``RawDoc`` records: scraped text, HTML pages, JSONL and RSS/Atom feeds.

Reading is forgiving about encodings and strict about everything else: a file that cannot be read
as articles raises ``InputError`` naming the file (and the line, for JSONL), so a batch can report
it and go on with the rest.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import feedparser

from newsprism.errors import InputError
from newsprism.options import Options
from newsprism.records import RawDoc

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | FEED_SUFFIXES
GIVEN_FIELDS = ("url", "outlet", "title", "published")


@dataclass(frozen=True)
class ReadResult:
    """What one input file yielded: its articles, and the lines that failed (JSONL only)."""

    docs: tuple[RawDoc, ...]
    errors: tuple[InputError, ...] = ()


def content_hash(text: str, given: dict[str, str | None]) -> str:
    payload = json.dumps({"text": text, "given": given}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_doc(source: str, text: str, *, is_html: bool, given: dict[str, str | None] | None = None) -> RawDoc:
    given = {k: v for k, v in (given or {}).items() if v not in (None, "")}
    return RawDoc(
        source=source, content_hash=content_hash(text, given), text=text, is_html=is_html, given=given
    )


def discover(paths: Iterable[str]) -> tuple[list[Path], list[InputError]]:
    """Expand files and directories (recursively) into the input files newsprism can read."""
    files: list[Path] = []
    errors: list[InputError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")
            )
        elif path.is_file():
            files.append(path)
        else:
            errors.append(InputError(str(path), "no such file or directory"))
    return files, errors


def decode(data: bytes, source: str) -> str:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer detects; refuse binary data."""
    if not data.strip():
        raise InputError(source, "empty file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(source, "undecodable bytes: UTF-16 byte-order mark, broken UTF-16") from exc
    if b"\x00" in data[:4096]:
        raise InputError(source, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: not UTF-8 and no other text encoding fits")
    text = str(best)
    # charset-normalizer will call almost anything some 8-bit encoding; real text is mostly printable.
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if printable < 0.95 * len(text):
        raise InputError(source, f"binary or undecodable content (best guess {best.encoding})")
    return text


def read_file(path: Path, options: Options) -> ReadResult:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > options.max_file_bytes:
            raise InputError(
                source, f"file too large ({size:,} bytes; the limit is {options.max_file_bytes:,})"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file: {exc.strerror or exc}") from exc
    text = decode(data, source)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return read_jsonl(text, source)
    if suffix in FEED_SUFFIXES or looks_like_feed(text):
        return ReadResult(tuple(read_feed(text, source)))
    return ReadResult((make_doc(source, text, is_html=suffix in HTML_SUFFIXES or looks_like_html(text)),))


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head)


def read_jsonl(text: str, source: str) -> ReadResult:
    docs: list[RawDoc] = []
    errors: list[InputError] = []
    # Only "\n" ends a JSONL record; str.splitlines would also split inside text at U+2028 and kin.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            docs.append(jsonl_doc(line, source, number))
        except InputError as exc:
            errors.append(exc)
    if not docs and not errors:
        raise InputError(source, "no articles in JSONL file")
    return ReadResult(tuple(docs), tuple(errors))


def jsonl_doc(line: str, source: str, number: int) -> RawDoc:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", number) from exc
    if not isinstance(record, dict):
        raise InputError(source, "a JSONL line must be an object", number)
    body, is_html = record.get("text"), False
    if not isinstance(body, str) or not body.strip():
        body, is_html = record.get("html"), True
    if not isinstance(body, str) or not body.strip():
        raise InputError(source, 'the object has no non-empty "text" or "html" field', number)
    given = {k: str(record[k]) for k in GIVEN_FIELDS if record.get(k) not in (None, "")}
    if record.get("id") not in (None, ""):
        given["source_id"] = str(record["id"])
    return make_doc(f"{source}:{number}", body, is_html=is_html, given=given)


def read_feed(text: str, source: str) -> Iterator[RawDoc]:
    feed = feedparser.parse(text)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(source, f"no entries in feed{f' ({reason})' if reason else ''}")
    outlet = feed.feed.get("title")
    for number, entry in enumerate(feed.entries, start=1):
        contents = entry.get("content") or []
        body = (contents[0].get("value") if contents else None) or entry.get("summary") or ""
        if not body.strip():
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        given = {
            "url": entry.get("link"),
            "title": entry.get("title"),
            "outlet": outlet,
            "published": time.strftime("%Y-%m-%d", stamp) if stamp else None,
            "source_id": entry.get("id"),
        }
        yield make_doc(f"{source}#{number}", body, is_html=looks_like_fragment(body), given=given)


def looks_like_fragment(text: str) -> bool:
    return "<p" in text.lower() or "<br" in text.lower() or "<div" in text.lower()
