import json

import pytest

from newsprism.errors import InputError
from newsprism.ingest import discover, read_file
from newsprism.options import Options

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


def test_text_file_is_one_document(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("https://example.org/news/1\n12\n\nThe council met on Monday.\n", encoding="utf-8")
    (doc,) = read_file(path, Options()).docs
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
    result = read_file(path, Options())
    (doc,) = result.docs
    assert doc.source == f"{path}:1"
    assert doc.given == {
        "outlet": "Ledger",
        "title": "Bridge to reopen",
        "published": "2025-03-04",
        "source_id": "x1",
    }
    assert [(e.line, e.source) for e in result.errors] == [(2, str(path)), (3, str(path)), (4, str(path))]
    assert "malformed JSON" in str(result.errors[0]) and f"{path}:2" in str(result.errors[0])
    assert '"text" or "html"' in str(result.errors[1])


def test_rss_feed_entries_become_articles(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(RSS, encoding="utf-8")
    docs = read_file(path, Options()).docs
    assert [d.given["title"] for d in docs] == ["Bridge stays shut", "Ferries start"]
    assert docs[0].given["published"] == "2025-03-04" and docs[0].given["outlet"] == "Harbour Times"
    assert docs[0].given["url"] == "https://harbour.example/a1"
    assert docs[0].is_html and not docs[1].is_html


def test_same_input_same_hash_and_given_fields_change_it(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Same words.", encoding="utf-8")
    b.write_text("Same words.", encoding="utf-8")
    assert read_file(a, Options()).docs[0].content_hash == read_file(b, Options()).docs[0].content_hash


def test_legacy_encoding_is_detected(tmp_path):
    path = tmp_path / "latin.txt"
    text = "Le maire a déclaré que le pont du fleuve resterait fermé jusqu'à la fin de la réparation. " * 3
    path.write_bytes(text.encode("cp1252"))
    (doc,) = read_file(path, Options()).docs
    assert "déclaré" in doc.text


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"  \n\n", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (
            "noise.txt",
            bytes((i * 37) % 256 for i in range(1, 2000) if (i * 37) % 256 not in (0, 10, 13)),
            "undecodable",
        ),
    ],
)
def test_bad_files_raise_an_error_naming_the_file(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_file(path, Options())
    assert str(path) in str(info.value) and message in str(info.value)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_file(path, Options(max_file_bytes=100))


def test_empty_feed_is_an_error(tmp_path):
    path = tmp_path / "empty.rss"
    path.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>')
    with pytest.raises(InputError, match="no entries"):
        read_file(path, Options())


def test_discover_walks_directories_and_reports_missing_paths(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<html></html>")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "notes.md").write_text("not an input")
    files, errors = discover([str(tmp_path), str(tmp_path / "missing.txt")])
    assert [f.name for f in files] == ["a.txt", "b.html"]
    assert len(errors) == 1 and "missing.txt" in str(errors[0])


def test_jsonl_text_with_unicode_line_separators_stays_one_record(tmp_path):
    path = tmp_path / "u2028.jsonl"
    record = {"id": "x", "text": "First line\u2028second line\x85third line, the mayor said."}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = read_file(path, Options())
    assert len(result.docs) == 1 and not result.errors


def test_utf16_with_byte_order_mark_is_text(tmp_path):
    path = tmp_path / "utf16.txt"
    path.write_bytes("The ferry ran all night, the captain said.".encode("utf-16"))
    assert "captain" in read_file(path, Options()).docs[0].text
