"""The JSON export written as it is read (``StreamedView`` and ``write_document``): the same document
as the view read whole, valid JSON whatever the selection."""

import json

import duckdb
import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app
from newsprism.corpus.stream import StreamedView
from newsprism.corpus.view import view
from newsprism.output.export import to_document, to_tables, write_document, write_tables
from newsprism.pipeline import reading_store

SECTIONS = [
    *("articles", "entities", "relations", "quotes", "times"),
    *("stories", "storylines", "timeline", "storyline_timelines", "reuse"),
]


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    """The examples, whose articles share stories, quotes and passages: what crosses chunks."""
    path = tmp_path_factory.mktemp("stream") / "examples.duckdb"
    with newsprism.open(path) as corpus:
        corpus.add([EXAMPLES])
    return path


@pytest.mark.parametrize("chunk", [1, 3, 200])
@pytest.mark.parametrize("db", ["seeds_db", "examples_db"])
def test_the_streamed_export_is_the_document_of_the_whole_view(request, db, chunk, tmp_path):
    out = tmp_path / "out.json"
    with reading_store(request.getfixturevalue(db)) as store:
        ids = store.select()
        write_document(StreamedView(store, ids, chunk=chunk), out)
        whole = to_document(view(store, ids))
    assert whole["articles"] and whole["quotes"] and whole["stories"]
    assert json.loads(out.read_text(encoding="utf-8")) == whole
    # written as json.dumps writes the whole document, byte for byte
    assert out.read_text(encoding="utf-8") == json.dumps(whole, ensure_ascii=False, indent=1)
    assert not list(tmp_path.glob("*.partial"))


def test_a_selection_streams_the_document_of_its_view(examples_db, tmp_path):
    out = tmp_path / "out.json"
    with reading_store(examples_db) as store:
        ids = store.select()[::2]
        write_document(StreamedView(store, ids, chunk=2), out)
        assert json.loads(out.read_text(encoding="utf-8")) == to_document(view(store, ids))


def test_an_export_of_no_articles_is_valid_json_with_every_section(seeds_db, tmp_path):
    out = tmp_path / "none.json"
    args = ["export", "--db", str(seeds_db), "--json", str(out), "--since", "2999-01-01"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    assert list(document) == SECTIONS and not any(document.values())


def test_the_cli_export_is_the_document_of_the_store(seeds_db, tmp_path):
    out = tmp_path / "all.json"
    result = CliRunner().invoke(app, ["export", "--db", str(seeds_db), "--json", str(out)])
    assert result.exit_code == 0, result.output
    with reading_store(seeds_db) as store:
        whole = to_document(view(store, store.select()))
    assert json.loads(out.read_text(encoding="utf-8")) == whole


def test_a_failed_export_leaves_no_file_behind(seeds_db, tmp_path):
    out = tmp_path / "out.json"

    class Broken(StreamedView):
        @property
        def stories(self):
            raise OSError("disk full")

    with reading_store(seeds_db) as store, pytest.raises(OSError):
        write_document(Broken(store, store.select()), out)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_streamed_tables_are_the_tables_of_the_whole_view(examples_db, tmp_path, fmt):
    with reading_store(examples_db) as store:
        ids = store.select()
        streamed = write_tables(StreamedView(store, ids, chunk=2), tmp_path / "streamed", fmt)
        whole = write_tables(view(store, ids), tmp_path / "whole", fmt)
        assert to_tables(StreamedView(store, ids, chunk=3)) == to_tables(view(store, ids))
    assert [p.name for p in streamed] == [p.name for p in whole]
    for a, b in zip(streamed, whole, strict=True):
        if fmt == "csv":
            assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")
        else:
            with duckdb.connect() as db:
                read = "SELECT * FROM read_parquet(?)"
                assert db.execute(f"DESCRIBE {read}", [str(a)]).fetchall() == db.execute(
                    f"DESCRIBE {read}", [str(b)]
                ).fetchall()
                assert db.execute(read, [str(a)]).fetchall() == db.execute(read, [str(b)]).fetchall()
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == sorted(p.name for p in streamed)
