"""CSV and Parquet tables of a corpus view (``newsprism.output.export.to_tables`` / ``write_tables``),
on the bundled examples."""

import csv
import os

import duckdb
import pytest
from conftest import EXAMPLES

import newsprism
from newsprism.errors import NewsprismError
from newsprism.output.export import table_columns, to_tables, write_tables
from newsprism.records import CorpusView

TABLES = {"articles", "quotes", "facts", "entities", "stories"}
FACT_COLUMNS = ["story", "id", "text", "articles"]


def parquet_types(path) -> dict[str, str]:
    """A Parquet file's columns, in order, with their SQL types as DuckDB reads them."""
    with duckdb.connect() as db:
        described = db.execute(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
    return {row[0]: row[1] for row in described}


@pytest.fixture(scope="module")
def view(tmp_path_factory) -> CorpusView:
    """The examples added to a new corpus, as one view."""
    path = tmp_path_factory.mktemp("tables") / "c.duckdb"
    with newsprism.open(path) as corpus:
        report = corpus.add([EXAMPLES])
        assert (report.new, report.failed) == (8, [])
        return corpus.view()


@pytest.fixture(scope="module")
def tables(view):
    return to_tables(view)


def test_every_table_is_flat_with_the_same_columns_in_every_row(view, tables):
    assert set(tables) == TABLES
    columns = table_columns(view)
    for name, rows in tables.items():
        assert rows, name
        for row in rows:
            assert list(row) == list(columns[name]), name
            assert all(v is None or isinstance(v, str | int | float | bool) for v in row.values()), name


def test_articles_rows_have_their_clean_body_and_story(view, tables):
    rows = {r["id"]: r for r in tables["articles"]}
    assert len(rows) == len(view.articles) == 8
    story_of = {a: s.id for s in view.stories for a in s.articles}
    for a in view.articles:
        row = rows[a.id]
        assert row["text"] == a.body and row["words"] > 100
        assert row["title"] == a.title and row["published"] == a.published
        assert row["outlet"] == (a.outlet or a.id)
        assert row["story"] == story_of.get(a.id, "")
        assert row["authors"] == "; ".join(a.authors)
        if a.published_evidence:
            assert row["published_method"] == a.published_evidence.method


def test_every_quote_row_has_its_articles_outlet(view, tables):
    outlets = {r["id"]: r["outlet"] for r in tables["articles"]}
    bodies = {a.id: a.body for a in view.articles}
    assert len(tables["quotes"]) == len(view.quotes) > 0
    for row in tables["quotes"]:
        assert row["outlet"] and row["outlet"] == outlets[row["article"]]
        assert bodies[row["article"]][row["start"] : row["end"]] == row["text"]
    linked = [r for r in tables["quotes"] if r["speaker_entity"]]
    names = {e.id: e.name for e in view.entities}
    assert linked and all(r["speaker"] == names[r["speaker_entity"]] for r in linked)
    assert "Helena Brask" in {r["speaker"] for r in linked}


def test_facts_are_a_facts_by_outlets_matrix(view, tables):
    outlets = {a.outlet or a.id for a in view.articles}
    facts = [f for s in view.stories for f in s.facts]
    rows = tables["facts"]
    assert len(rows) == len(facts) > 0
    for row, fact in zip(rows, facts, strict=True):
        assert list(row)[: len(FACT_COLUMNS)] == FACT_COLUMNS
        assert set(row) - set(FACT_COLUMNS) == outlets  # one column per outlet, none of them clashing
        assert row["id"] == fact.id and row["articles"] == len(fact.articles)
        assert {o for o in outlets if row[o] == 1} == set(fact.outlets)
        assert all(row[o] in (0, 1) for o in outlets)
    assert any(0 in (row[o] for o in outlets) for row in rows)  # not every outlet carries every fact


def test_entities_and_stories_count_what_they_list(view, tables):
    assert [(r["id"], r["mentions"]) for r in tables["entities"]] == [
        (e.id, len(e.mentions)) for e in view.entities
    ]
    assert [(r["id"], r["articles"], r["outlets"]) for r in tables["stories"]] == [
        (s.id, len(s.articles), "; ".join(s.outlets)) for s in view.stories
    ]


def test_csv_reads_back_with_the_same_rows(view, tables, tmp_path):
    folder = tmp_path / "new" / "csv"
    paths = write_tables(view, folder, "csv")
    assert sorted(p.name for p in paths) == sorted(f"{t}.csv" for t in TABLES)
    for path in paths:
        name = path.stem
        with path.open(encoding="utf-8", newline="") as f:
            read = list(csv.DictReader(f))
        assert len(read) == len(tables[name])
        assert all(list(r) == list(tables[name][0]) for r in read)
        for got, row in zip(read, tables[name], strict=True):
            assert got == {k: "" if v is None else str(v) for k, v in row.items()}


def test_parquet_reads_back_with_the_same_rows_and_types(view, tables, tmp_path):
    paths = write_tables(view, tmp_path, "parquet")
    assert sorted(p.name for p in paths) == sorted(f"{t}.parquet" for t in TABLES)
    columns = table_columns(view)
    with duckdb.connect() as db:
        for path in paths:
            name = path.stem
            assert list(parquet_types(path).items()) == list(columns[name].items())
            assert db.sql(f"SELECT * FROM read_parquet('{path}')").fetchall() == [
                tuple(r.values()) for r in tables[name]
            ]
    types = parquet_types(tmp_path / "quotes.parquet")
    assert types["start"] == types["end"] == "BIGINT" and types["text"] == "VARCHAR"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_an_empty_view_writes_empty_tables_with_their_columns(fmt, tmp_path):
    empty = CorpusView(articles=(), annotations={})
    assert to_tables(empty) == {t: [] for t in TABLES}
    paths = write_tables(empty, tmp_path, fmt)
    assert len(paths) == len(TABLES)
    columns = table_columns(empty)
    assert list(columns["facts"]) == FACT_COLUMNS
    for path in paths:
        if fmt == "csv":
            lines = path.read_text(encoding="utf-8").splitlines()
            assert lines == [",".join(columns[path.stem])]
        else:
            assert list(parquet_types(path).items()) == list(columns[path.stem].items())
            with duckdb.connect() as db:
                assert db.sql(f"SELECT * FROM read_parquet('{path}')").fetchall() == []


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_folder_that_cannot_be_made_is_a_newsprism_error(view, fmt, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(NewsprismError, match="a-file") as raised:
        write_tables(view, blocker / "tables", fmt)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_table_that_cannot_be_written_is_a_newsprism_error_naming_its_file(view, fmt, tmp_path):
    (tmp_path / f"quotes.{fmt}").mkdir()  # a folder where the file should go
    (tmp_path / f"quotes.{fmt}" / "kept").write_text("kept", encoding="utf-8")
    with pytest.raises(NewsprismError, match=f"quotes.{fmt}: cannot write") as raised:
        write_tables(view, tmp_path, fmt)
    assert "\n" not in str(raised.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_read_only_folder_is_a_newsprism_error(view, fmt, tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(NewsprismError, match="read-only"):
            write_tables(view, folder, fmt)
    finally:
        folder.chmod(0o700)


def test_an_unknown_format_is_refused(view, tmp_path):
    with pytest.raises(ValueError, match="xlsx"):
        write_tables(view, tmp_path, "xlsx")
    assert list(tmp_path.iterdir()) == []
