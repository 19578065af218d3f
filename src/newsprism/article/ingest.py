"""Read input files into ``RawDoc`` records: scraped text, HTML pages, JSONL and RSS/Atom feeds.

Reading streams: a JSONL file of any size is read a line at a time, and the size cap applies to each
article, not to the file. Reading is forgiving about encodings and strict about everything else:
whatever cannot be read as an article comes out as an ``InputError`` naming the file (and the line,
for JSONL, or the entry, for a feed) in place of the article, so a batch can report it and go on with
the rest.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import AnyStr

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
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Binary formats show NUL bytes in their first few kilobytes; text in UTF-8 or an 8-bit encoding never does.
SNIFF_BYTES = 4096
BROKEN_UTF16 = "undecodable bytes: UTF-16 byte-order mark, broken UTF-16"
# The ``given`` key that tells cleaning how many bytes of the input were not text and became U+FFFD.
INVALID_BYTES = "invalid_bytes"
# Text in a legacy 8-bit encoding almost never holds a valid UTF-8 sequence by chance, so input whose
# non-ASCII bytes are nearly all valid UTF-8 is UTF-8 with a few bytes damaged, not a legacy encoding.
MAX_INVALID_UTF8_SHARE = 0.25
# What decoding with "surrogateescape" makes of each byte that is not valid UTF-8.
ESCAPED_BYTE = re.compile("[\udc80-\udcff]")
ASCII_BYTES = bytes(range(128))


@dataclass(frozen=True)
class FileProgress:
    """Where ``iter_inputs`` stands: yielded once before the first file (``done == 0``, no ``path``) and
    again after the last item of each file, so a progress bar can be sized and advanced per file."""

    done: int
    total: int
    path: Path | None = None


def content_hash(text: str, given: dict[str, str | None]) -> str:
    payload = json.dumps({"text": text, "given": given}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_doc(
    source: str,
    text: str,
    *,
    is_html: bool,
    given: dict[str, str | None] | None = None,
    invalid_bytes: int = 0,
) -> RawDoc:
    given = {k: v for k, v in (given or {}).items() if v not in (None, "")}
    if invalid_bytes:
        given[INVALID_BYTES] = str(invalid_bytes)
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


def iter_inputs(paths: Iterable[str], options: Options) -> Iterator[RawDoc | InputError | FileProgress]:
    """Every article in the files and directories named, streamed in input order.

    First a ``FileProgress`` with the number of input files found, then an ``InputError`` for each path
    that does not exist, then for each file what ``read_file`` yields followed by its ``FileProgress``.
    """
    files, errors = discover(paths)
    yield FileProgress(0, len(files))
    yield from errors
    for done, path in enumerate(files, start=1):
        yield from read_file(path, options)
        yield FileProgress(done, len(files), path)


def decode(data: bytes, source: str, line: int | None = None) -> tuple[str, int]:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer detects; refuse binary data.

    Returns the text and how many invalid bytes in it were replaced by U+FFFD: some, only for UTF-8 with
    a few bytes damaged (see ``MAX_INVALID_UTF8_SHARE``), which a legacy encoding would turn to mojibake.
    """
    # isspace() rather than strip(): a JSONL line can be megabytes, and strip() would copy it.
    if not data or data.isspace():
        raise InputError(source, "empty file", line)
    text, invalid = _decode(data, source, line)
    # A byte-order mark alone, or with Unicode spaces, decodes to no text.
    if not text or text.isspace():
        raise InputError(source, "empty file", line)
    return text, invalid


def _decode(data: bytes, source: str, line: int | None) -> tuple[str, int]:
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), 0
        except UnicodeDecodeError as exc:
            raise InputError(source, BROKEN_UTF16, line) from exc
    refuse_binary(data, source, line)
    try:
        return data.decode("utf-8-sig"), 0
    except UnicodeDecodeError:
        pass
    text, invalid = ESCAPED_BYTE.subn("\ufffd", data.decode("utf-8-sig", "surrogateescape"))
    if invalid <= MAX_INVALID_UTF8_SHARE * len(data.translate(None, ASCII_BYTES)):
        return text, invalid
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(source, "undecodable bytes: not UTF-8 and no other text encoding fits", line)
    text = str(best)
    # charset-normalizer will call almost anything some 8-bit encoding; real text is mostly printable.
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text)
    if printable < 0.95 * len(text):
        raise InputError(source, f"binary or undecodable content (best guess {best.encoding})", line)
    return text, 0


def too_large(what: str, size: int, limit: int) -> str:
    return f"{what} too large ({size:,} bytes; the limit is {limit:,})"


def refuse_binary(data: bytes, source: str, line: int | None = None) -> None:
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(source, "binary file (NUL bytes), not text", line)


def read_file(path: Path, options: Options) -> Iterator[RawDoc | InputError]:
    """The articles in one input file, read lazily and in file order.

    Never raises ``InputError``: every failure is yielded as an ``InputError`` item in its place, so a
    caller makes one pass and sorts items by type. A failure of the whole file (it cannot be opened or
    read, is empty or binary, is over its size cap, is a feed without entries or a JSONL without articles)
    is its only item, or its last when reading breaks off part-way through a JSONL. A JSONL line that
    fails (malformed, past Python's own limits, over ``options.max_article_bytes``, undecodable) is an
    item naming its line, and the lines after it are still read; a feed entry over the article cap is an
    item naming its entry. Nothing is opened before the first ``next()``.
    """
    source = str(path)
    try:
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, source, options.max_article_bytes)
        else:
            yield from _read_whole(path, source, options)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}")


def _read_whole(path: Path, source: str, options: Options) -> Iterator[RawDoc | InputError]:
    """A text or HTML file is one article; a feed holds many but feedparser needs it whole."""
    suffix = path.suffix.lower()
    is_feed = suffix in FEED_SUFFIXES
    limit, what = (options.max_feed_bytes, "feed") if is_feed else (options.max_article_bytes, "article")
    size = path.stat().st_size
    if size > limit:
        raise InputError(source, too_large(what, size, limit))
    text, invalid = decode(path.read_bytes(), source)
    if is_feed or looks_like_feed(text):
        yield from read_feed(text, source, options.max_article_bytes, damaged=invalid > 0)
    else:
        is_html = suffix in HTML_SUFFIXES or looks_like_html(text)
        yield make_doc(source, text, is_html=is_html, invalid_bytes=invalid)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def looks_like_feed(text: str) -> bool:
    head = text.lstrip()[:1000].lower()
    return head.startswith("<?xml") and ("<rss" in head or "<feed" in head or "<rdf:rdf" in head)


def _read_jsonl(path: Path, source: str, cap: int) -> Iterator[RawDoc | InputError]:
    found = False
    with path.open("rb") as handle:
        head = handle.peek(SNIFF_BYTES)
        if not head:
            raise InputError(source, "empty file")
        # Each line of a UTF-8 (or 8-bit) file decodes on its own, but UTF-16 only decodes as a stream; its
        # lines are measured in characters at two bytes each, then re-encoded to take the UTF-8 path.
        lines: Iterator[bytes | int]
        if head.startswith(UTF16_BOMS):
            width = 2
            stream = io.TextIOWrapper(handle, encoding="utf-16", newline="\n")
            lines = (
                line if isinstance(line, int) else line.encode("utf-8")
                for line in _lines(stream.readline, "\n", cap // width)
            )
        else:
            refuse_binary(head, source)
            width = 1
            lines = _lines(handle.readline, b"\n", cap)
        try:
            for number, line in enumerate(lines, start=1):
                if isinstance(line, int):
                    found = True
                    yield InputError(source, too_large("article", line * width, cap), number)
                elif line and not line.isspace():
                    found = True
                    try:
                        yield _line_doc(line, source, number)
                    except InputError as exc:
                        yield exc
        except UnicodeDecodeError as exc:
            raise InputError(source, BROKEN_UTF16) from exc
    if not found:
        raise InputError(source, "no articles in JSONL file")


def _lines(readline: Callable[[int], AnyStr], newline: AnyStr, limit: int) -> Iterator[AnyStr | int]:
    """Each line, without its newline; in place of a line longer than ``limit``, its length.

    Only ``newline`` ends a line: str.splitlines would also split inside text at U+2028 and kin. A line
    over the limit is read and dropped in pieces of ``limit``, so it is never held whole.
    """
    while line := readline(limit + 1):
        if len(line) <= limit or line.endswith(newline):
            yield line.removesuffix(newline)
            continue
        length = len(line)
        while piece := readline(limit):
            length += len(piece.removesuffix(newline))
            if piece.endswith(newline):
                break
        yield length


def _line_doc(line: bytes, source: str, number: int) -> RawDoc:
    try:
        # json.loads decodes UTF-8 itself and drops that copy once parsed; a line decoded here would stay
        # alive while the article is hashed, one more copy of what can be a megabytes-long article.
        return jsonl_doc(line, source, number)
    except UnicodeDecodeError:
        text, invalid = decode(line, source, number)
        return jsonl_doc(text, source, number, invalid_bytes=invalid)


def jsonl_doc(line: str | bytes, source: str, number: int, *, invalid_bytes: int = 0) -> RawDoc:
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        raise  # not UTF-8: the caller decodes the line itself
    except json.JSONDecodeError as exc:
        raise InputError(source, f"malformed JSON: {exc.msg} (column {exc.colno})", number) from exc
    except (RecursionError, ValueError) as exc:
        # Valid JSON past Python's own limits: nesting deeper than the recursion limit, or an integer
        # longer than sys.get_int_max_str_digits() (whose advice, after the ";", is for programmers).
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).partition(";")[0]
        raise InputError(source, f"unreadable JSON: {reason}", number) from exc
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
    try:
        return make_doc(f"{source}:{number}", body, is_html=is_html, given=given, invalid_bytes=invalid_bytes)
    except UnicodeEncodeError as exc:
        # JSON can escape half a surrogate pair ("\ud800"); such a string has no UTF-8 form to hash or store.
        bad = exc.object[exc.start : exc.end]
        raise InputError(source, f"not valid Unicode: a lone surrogate {bad!a}", number) from exc


def read_feed(text: str, source: str, cap: int, *, damaged: bool = False) -> Iterator[RawDoc | InputError]:
    """Each entry with a body is an article; one over ``cap`` bytes is an error naming its entry.

    ``damaged``: decoding the feed replaced invalid bytes, so an entry's U+FFFD are counted as such.
    """
    feed = parse_feed(text.encode("utf-8"), source)
    if not feed.entries:
        reason = getattr(feed, "bozo_exception", None)
        raise InputError(source, f"no entries in feed{f' ({reason})' if reason else ''}")
    outlet = feed.feed.get("title")
    found = False
    for number, entry in enumerate(feed.entries, start=1):
        contents = entry.get("content") or []
        body = (contents[0].get("value") if contents else None) or entry.get("summary") or ""
        if not body.strip():
            continue
        found = True
        if (size := len(body.encode("utf-8"))) > cap:
            yield InputError(f"{source}#{number}", too_large("article", size, cap))
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        given = {
            "url": entry.get("link"),
            "title": entry.get("title"),
            "outlet": outlet,
            "published": time.strftime("%Y-%m-%d", stamp) if stamp else None,
            "source_id": entry.get("id"),
        }
        invalid = body.count("\ufffd") if damaged else 0
        yield make_doc(
            f"{source}#{number}", body, is_html=looks_like_fragment(body), given=given, invalid_bytes=invalid
        )
    if not found:
        # Entries of a title or a link alone are no articles, but a feed of nothing else must say so.
        raise InputError(source, "no entry of the feed has a text")


def parse_feed(data: bytes, source: str) -> feedparser.FeedParserDict:
    """Parse feed bytes as a stream: given a str (or bytes) that reads as a URL or a file's path,
    feedparser would fetch that URL or read that file instead."""
    try:
        return feedparser.parse(io.BytesIO(data))
    except Exception as exc:
        # feedparser is lenient, not total: its loose parser raises on a character reference to half a
        # surrogate pair ("&#xD800;"), for one.
        raise InputError(source, f"cannot parse feed: {exc}") from exc


def looks_like_fragment(text: str) -> bool:
    return "<p" in text.lower() or "<br" in text.lower() or "<div" in text.lower()
