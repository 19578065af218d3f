import datetime as dt
import gzip
import json
import sys
import tracemalloc

import pytest
from conftest import SHARED
from typer.testing import CliRunner

from newsprism.article.clean import clean
from newsprism.article.ingest import FileProgress, discover, iter_inputs, read_file
from newsprism.cli import app
from newsprism.errors import InputError
from newsprism.options import Options
from newsprism.records import RawDoc

EVAL_HTML = SHARED / "data" / "extraction" / "trafilatura-eval-en" / "html"
MB = 1_000_000

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Harbour Times</title><link>https://harbour.example</link>
<item><title>Bridge stays shut</title><link>https://harbour.example/a1</link>
<guid>a1</guid><pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate>
<description>&lt;p&gt;The bridge stays shut, the port authority said on Tuesday.&lt;/p&gt;
</description></item>
<item><title>Ferries start</title><link>https://harbour.example/a2</link>
<pubDate>Wed, 05 Mar 2025 08:00:00 GMT</pubDate>
<description>Free ferries start on Wednesday.</description></item>
</channel></rss>"""


def read(path, options=None):
    """Split what read_file yields into articles and errors, checking that it yields nothing else."""
    items = list(read_file(path, options or Options()))
    assert all(isinstance(item, RawDoc | InputError) for item in items)
    return [i for i in items if isinstance(i, RawDoc)], [i for i in items if isinstance(i, InputError)]


def file_error(path, options=None):
    """The one error a file that cannot be read at all yields, in place of any article."""
    (item,) = read_file(path, options or Options())
    assert isinstance(item, InputError)
    return item


def jsonl_line(size, **fields):
    """A JSONL record of exactly ``size`` bytes: its text padded with x's."""
    record = json.dumps({**fields, "text": ""})
    return record.replace('"text": ""', '"text": "' + "x" * (size - len(record)) + '"')


def test_text_file_is_one_document(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("https://example.org/news/1\n12\n\nThe council met on Monday.\n", encoding="utf-8")
    (doc,), errors = read(path)
    assert not errors
    assert doc.source == str(path) and not doc.is_html
    assert doc.text.startswith("https://example.org/news/1")


def test_jsonl_keeps_given_fields_and_reports_bad_lines(tmp_path):
    path = tmp_path / "batch.jsonl"
    good = {
        "id": "x1",
        "text": "The mayor said the bridge would reopen.",
        "outlet": "Ledger",
        "title": "Bridge to reopen",
        "published": "2025-03-04",
    }
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                '{"id": "x2", "text": "cut off',
                json.dumps({"id": "x3"}),
                json.dumps(["not", "an", "object"]),
            ]
        ),
        encoding="utf-8",
    )
    (doc,), errors = read(path)
    assert doc.source == f"{path}:1"
    assert doc.given == {
        "outlet": "Ledger",
        "title": "Bridge to reopen",
        "published": "2025-03-04",
        "source_id": "x1",
    }
    assert [(e.line, e.source) for e in errors] == [(2, str(path)), (3, str(path)), (4, str(path))]
    assert "malformed JSON" in str(errors[0]) and f"{path}:2" in str(errors[0])
    assert '"text" or "html"' in str(errors[1])


def test_rss_feed_entries_become_articles(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    docs, errors = read(path)
    assert not errors
    assert [d.given["title"] for d in docs] == ["Bridge stays shut", "Ferries start"]
    assert docs[0].given["published"] == "2025-03-04" and docs[0].given["outlet"] == "Harbour Times"
    assert docs[0].given["url"] == "https://harbour.example/a1"
    assert docs[0].is_html and not docs[1].is_html


def test_same_input_same_hash_and_given_fields_change_it(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Same words.", encoding="utf-8")
    b.write_text("Same words.", encoding="utf-8")
    assert read(a)[0][0].content_hash == read(b)[0][0].content_hash


def test_legacy_encoding_is_detected(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Le maire a déclaré que le pont du fleuve resterait fermé jusqu'à la fin de la réparation. " * 3
    path.write_bytes(text.encode("cp1252"))
    (doc,), _ = read(path)
    assert "déclaré" in doc.text
    assert "invalid_bytes" not in doc.given


WASHINGTON = (
    "Washington’s mayor said on Tuesday that the “temporary” ferry would run until the bridge "
    "reopened, and that the city’s engineers expected repairs to take weeks. "
)


def test_utf8_with_a_few_invalid_bytes_is_utf8_with_them_replaced_and_noted(tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes(WASHINGTON.encode("utf-8") + b"The harbour \xff authority agreed.\n")
    (doc,), errors = read(path)
    assert not errors
    assert doc.text.startswith("Washington’s mayor") and "The harbour \ufffd authority" in doc.text
    assert doc.given["invalid_bytes"] == "1"
    article = clean(doc, dt.date(2026, 1, 1))
    assert ("1 invalid byte(s) replaced by U+FFFD", "encoding: invalid bytes replaced") in [
        (r.text, r.reason) for r in article.removed
    ]


def test_a_damaged_feed_notes_the_replaced_bytes_in_the_entries_that_hold_them(tmp_path):
    path = tmp_path / "feed.xml"
    feed = RSS.replace("the port authority said", "the port’s “authority” said")
    path.write_bytes(feed.encode("utf-8").replace(b"Free ferries", b"Free \xff ferries"))
    docs, errors = read(path)
    assert not errors and "the port’s “authority”" in docs[0].text and "Free \ufffd ferries" in docs[1].text
    assert "invalid_bytes" not in docs[0].given and docs[1].given["invalid_bytes"] == "1"


def test_a_legacy_file_with_curly_quotes_keeps_its_encoding(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes((WASHINGTON + "Le café a déclaré « fermé ».").encode("cp1252"))
    (doc,), _ = read(path)
    assert doc.text.startswith("Washington’s mayor") and "déclaré « fermé »" in doc.text
    assert "\ufffd" not in doc.text and "invalid_bytes" not in doc.given


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n\n", "empty file"),
        # Found by tests/test_properties.py: a byte-order mark alone was an article of no text.
        ("bom.htm", b"\xef\xbb\xbf", "empty file"),
        ("bom16.txt", " \u3000\n".encode("utf-16"), "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (
            "noise.txt",
            bytes((i * 37) % 256 for i in range(1, 2000) if (i * 37) % 256 not in (0, 10, 13)),
            "undecodable",
        ),
        ("empty.jsonl", b"", "empty file"),
        ("blank.jsonl", b"\n  \n\r\n", "no articles in JSONL file"),
        ("binary.jsonl", b'{"text": "a"}\n\x00\x01\x02\n', "binary"),
    ],
)
def test_bad_files_yield_one_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    error = file_error(path)
    assert str(path) in str(error) and message in str(error)


def test_a_missing_file_is_an_error_item_once_iterated(tmp_path):
    items = read_file(tmp_path / "gone.jsonl", Options())
    assert "cannot read file" in str(next(items))
    assert next(items, None) is None


def test_oversized_article_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 100, encoding="utf-8")
    error = file_error(path, Options(max_article_bytes=100))
    assert "article too large (500 bytes; the limit is 100)" in str(error)


def test_a_feed_entry_over_the_article_cap_is_that_entrys_error(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS.replace("Free ferries start on Wednesday.", "Ferries start." * 50), encoding="utf-8")
    (doc,), (error,) = read(path, Options(max_article_bytes=500))
    assert doc.given["title"] == "Bridge stays shut"
    assert error.source == f"{path}#2" and error.message == "article too large (700 bytes; the limit is 500)"


def test_a_feed_file_is_read_as_a_feed_not_as_the_path_or_url_it_holds(tmp_path):
    (tmp_path / "real.rss").write_text(RSS, encoding="utf-8")
    pointer = tmp_path / "pointer.xml"
    pointer.write_text(str(tmp_path / "real.rss"), encoding="utf-8")
    assert "no entries in feed" in str(file_error(pointer))


def test_a_feed_that_breaks_feedparser_is_its_files_error(tmp_path):
    path = tmp_path / "surrogate.rss"
    path.write_text(RSS.replace("Ferries start</title>", "Ferries &#xD800; start</title>"), encoding="utf-8")
    error = file_error(path)
    assert error.source == str(path) and error.message.startswith("cannot parse feed:")


def test_feeds_have_their_own_cap(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    docs, errors = read(path, Options(max_article_bytes=100))
    assert len(docs) == 2 and not errors
    assert "feed too large" in str(file_error(path, Options(max_feed_bytes=100)))


def test_empty_feed_is_an_error(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    assert "no entries" in str(file_error(path))


def test_a_feed_whose_entries_have_no_text_is_an_error(tmp_path):
    """Found by tests/test_properties.py: such a feed (b"<item<" as .atom) yielded nothing at all,
    neither an article nor an error."""
    path = tmp_path / "links.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                    "<item><title>Only a link</title><link>https://site.example/a</link></item></channel></rss>")
    assert "no entry of the feed has a text" in str(file_error(path))
    path.write_bytes(b"<item<")
    assert "no entry of the feed has a text" in str(file_error(path))


def test_discover_walks_directories_and_reports_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html></html>")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "notes.md").write_text("not an input")
    files, errors = discover([str(tmp_path), str(tmp_path / "missing.txt")])
    assert [f.name for f in files] == ["a.txt", "b.html"]
    assert len(errors) == 1 and "missing.txt" in str(errors[0])


def test_iter_inputs_streams_every_file_with_progress_after_each(tmp_path):
    (tmp_path / "a.txt").write_text("The council met on Monday.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "The port reopened."}\n{"text": \n', encoding="utf-8")
    items = list(iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")], Options()))
    assert [type(i) for i in items] == [
        FileProgress,
        InputError,
        RawDoc,
        FileProgress,
        RawDoc,
        InputError,
        FileProgress,
    ]
    assert items[0] == FileProgress(0, 2)
    assert "missing.txt" in str(items[1])
    assert items[3] == FileProgress(1, 2, tmp_path / "a.txt")
    assert items[5].line == 2 and items[6] == FileProgress(2, 2, tmp_path / "b.jsonl")


def test_jsonl_lines_past_pythons_own_limits_are_their_lines_errors(tmp_path):
    path = tmp_path / "hostile.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "before", "text": "The port reopened."}),
                "[" * 100_000,
                '{"id": "digits", "text": "The port reopened.", "count": ' + "9" * 5000 + "}",
                json.dumps({"id": "after", "text": "The ferry ran all night."}),
            ]
        ),
        encoding="utf-8",
    )
    docs, errors = read(path)
    assert [d.given["source_id"] for d in docs] == ["before", "after"]
    assert [(e.source, e.line) for e in errors] == [(str(path), 2), (str(path), 3)]
    assert errors[0].message == "unreadable JSON: nested too deeply"
    assert errors[1].message.startswith("unreadable JSON: Exceeds the limit (4300 digits)")


def test_analyze_stores_the_good_lines_of_a_jsonl_with_a_hostile_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "day.jsonl").write_text(
        json.dumps({"id": "good-1", "text": "The mayor said the bridge would reopen on Friday."})
        + "\n"
        + "[" * 100_000
        + "\n"
        + json.dumps({"id": "good-2", "text": "The harbour authority said repairs could take weeks."})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        app, ["analyze", str(folder), "--json", str(out), "--db", str(tmp_path / "db.db"), "--workers", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "day.jsonl:2: unreadable JSON" in result.output
    stored = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert sorted(a["source_id"] for a in stored) == ["good-1", "good-2"]


def test_jsonl_text_with_unicode_line_separators_stays_one_record(tmp_path):
    path = tmp_path / "u2028.jsonl"
    record = {"id": "x", "text": "First line\u2028second line\x85third line, the mayor said."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    docs, errors = read(path)
    assert len(docs) == 1 and not errors


def test_jsonl_line_with_a_lone_surrogate_escape_is_an_error(tmp_path):
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"text": "half a pair \\ud800 here"}\n{"text": "The port reopened."}\n')
    (doc,), (error,) = read(path)
    assert doc.source == f"{path}:2"
    assert error.line == 1 and error.message == "not valid Unicode: a lone surrogate '\\ud800'"


def test_utf16_with_byte_order_mark_is_text(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("The ferry ran all night, the captain said.".encode("utf-16"))
    assert "captain" in read(path)[0][0].text


def test_oversized_jsonl_line_is_skipped_in_pieces_and_the_rest_is_read(tmp_path):
    cap = 100_000
    path = tmp_path / "batch.jsonl"
    with path.open("w", encoding="utf-8") as out:
        out.write(jsonl_line(cap, id="at-cap") + "\n")
        out.write(jsonl_line(cap + 1, id="just-over") + "\n")
        out.write(jsonl_line(30 * MB, id="huge") + "\n")
        out.write(json.dumps({"id": "after", "text": "The port reopened."}))
    tracemalloc.start()
    try:
        docs, errors = read(path, Options(max_article_bytes=cap))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [d.given["source_id"] for d in docs] == ["at-cap", "after"]
    assert [d.source for d in docs] == [f"{path}:1", f"{path}:4"]
    assert [(e.line, e.message) for e in errors] == [
        (2, "article too large (100,001 bytes; the limit is 100,000)"),
        (3, f"article too large ({30 * MB:,} bytes; the limit is 100,000)"),
    ]
    assert peak < 2 * MB, f"skipping a 30 MB line held {peak:,} bytes"


def test_utf16_jsonl_is_decoded_as_a_stream(tmp_path):
    path = tmp_path / "utf16.jsonl"
    lines = [
        json.dumps({"id": "a", "text": "The mayor\u2028said the bridge would reopen."}, ensure_ascii=False),
        '{"id": "b", "text": "cut off',
        jsonl_line(200, id="long"),
        json.dumps({"id": "c", "text": "Le maire a déclaré 🌉."}, ensure_ascii=False),
    ]
    path.write_bytes("\n".join(lines).encode("utf-16"))
    docs, errors = read(path, Options(max_article_bytes=300))
    assert [d.given["source_id"] for d in docs] == ["a", "c"]
    assert docs[1].text == "Le maire a déclaré 🌉." and docs[1].source == f"{path}:4"
    assert [e.line for e in errors] == [2, 3] and "malformed JSON" in errors[0].message
    assert errors[1].message == "article too large (400 bytes; the limit is 300)"


def test_broken_utf16_jsonl_ends_with_an_error(tmp_path):
    path = tmp_path / "broken.jsonl"
    good = '{"text": "The port reopened."}\n'.encode("utf-16-le")
    path.write_bytes(b"\xff\xfe" + good + b"\x00\xd8" + "{}".encode("utf-16-le"))
    items = list(read_file(path, Options()))
    assert isinstance(items[-1], InputError) and "broken UTF-16" in str(items[-1])


def test_jsonl_lines_decode_on_their_own(tmp_path):
    path = tmp_path / "mixed.jsonl"
    french = "Le maire a déclaré que le pont du fleuve resterait fermé jusqu'à la fin de la réparation. "
    noise = bytes((i * 37) % 256 for i in range(1, 2000) if (i * 37) % 256 not in (0, 10, 13))
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps({"id": "bom", "text": "Ferries start."}).encode("utf-8")
        + b"\n"
        + json.dumps({"id": "cp1252", "text": french * 3}, ensure_ascii=False).encode("cp1252")
        + b"\n"
        + noise
        + b"\n"
        + json.dumps({"id": "utf8", "text": "Le pont a été rouvert."}, ensure_ascii=False).encode("utf-8")
    )
    docs, errors = read(path)
    assert [d.given["source_id"] for d in docs] == ["bom", "cp1252", "utf8"]
    assert "déclaré" in docs[1].text and docs[2].text == "Le pont a été rouvert."
    (error,) = errors
    assert error.line == 3 and "undecodable" in error.message


def stream(path):
    """Read a file through, keeping only counts: its articles, their distinct hashes, its errors, and the
    peak memory traced meanwhile."""
    docs, hashes, errors = 0, set(), []
    tracemalloc.start()
    try:
        for item in read_file(path, Options()):
            if isinstance(item, InputError):
                errors.append(item)
            else:
                docs += 1
                hashes.add(item.content_hash)
        return docs, len(hashes), errors, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_jsonl_far_larger_than_the_cap_streams_in_full(tmp_path):
    pages = [
        (f.name, text)
        for f in sorted(EVAL_HTML.glob("*.html.gz"))
        if (text := gzip.decompress(f.read_bytes()).decode("utf-8", errors="replace")).strip()
    ]
    path = tmp_path / "day.jsonl"
    lines = 0
    with path.open("wb") as out:
        while out.tell() <= 50 * MB:
            name, html = pages[lines % len(pages)]
            record = {"id": f"{name}#{lines // len(pages)}", "html": html}
            out.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
            lines += 1
    # An article is held a few times over while it is parsed and hashed, at up to four bytes a character,
    # so the page that takes the most memory as a str sets the floor for reading any file that holds it.
    name, html = max(pages, key=lambda page: sys.getsizeof(page[1]))
    largest = tmp_path / "largest.jsonl"
    largest.write_text(json.dumps({"id": name, "html": html}, ensure_ascii=False), encoding="utf-8")
    del pages, html

    docs, distinct, errors, peak = stream(path)
    *_, floor = stream(largest)
    assert not errors and docs == lines == distinct
    # The slack is the article before, still referenced while the next one is read, and the hashes kept.
    assert peak < floor + 4 * MB, (
        f"reading {path.stat().st_size:,} bytes held {peak:,} at once; its largest article alone, {floor:,}"
    )


def test_input_errors_survive_the_trip_from_a_worker_process():
    import pickle

    from newsprism.errors import FetchError

    for error in (InputError("a.jsonl", "malformed JSON", 3), FetchError("http://x", "status 404")):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error) and str(back) == str(error) and back.line == error.line
