"""Full-text search through the index beside the store: ranking, phrases, the story filters, an
index kept in step with the store as it grows, rebuilt after a crash, and readers without one."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.corpus.search import search
from newsprism.pipeline import analyze, reading_store
from newsprism.records import Article
from newsprism.store import open_store
from newsprism.store.duckdb.fulltext import TextIndex
from newsprism.versions import stage_keys

FILLER = "The council met in the town hall and discussed the budget for the coming year at length."


def article(id: str, *paragraphs: str, outlet: str = "Ledger", published: str | None = None) -> Article:
    return Article(
        id=id, source=f"{id}.txt", paragraphs=paragraphs, outlet=outlet, title=None, published=published
    )


def stored(path: Path | str, *articles: Article):
    store = open_store(path)
    put(store, *articles)
    return store


def put(store, *articles: Article) -> None:
    with store.transaction():
        store.put_articles([(a, None) for a in articles], {}, "c", "a", dt.date(2025, 1, 1))


@pytest.fixture
def town(tmp_path):
    with stored(
        tmp_path / "town.duckdb",
        article("once", f"A tax rise was mentioned. {FILLER} {FILLER}", published="2025-03-01"),
        article("thrice", f"Tax, tax and more tax. {FILLER}", outlet="Courier", published="2025-03-05"),
        article("none", FILLER, published="2025-03-02"),
        article("near", f"The bridge was closed today. {FILLER}", published="2025-03-03"),
        article("far", f"The bridge, which the council met about, was finally closed. {FILLER}"),
        article("phrase", f"The mayor said on Monday that it would open. {FILLER}"),
        article("apart", f"On Monday the mayor said that it would open. {FILLER}"),
    ) as store:
        yield store


def test_more_matches_and_closer_words_rank_first(town):
    assert town.search_articles("tax").items == ["thrice", "once"]
    assert town.search_articles("bridge closed").items == ["near", "far"]
    # Every word must be there; stems match their inflections.
    assert town.search_articles("taxes rise").items == ["once"]


def test_a_quoted_phrase_matches_only_those_words_in_that_order(town):
    assert town.search_articles('"said on Monday"').items == ["phrase"]
    assert set(town.search_articles("said on Monday").items) == {"phrase", "apart"}
    # Nothing a tokenizer keeps, or query syntax, is no error.
    for odd in ('""', "!!", 'tax:"', "\\", "+-(tax"):
        town.search_articles(odd)


def test_outlet_and_dates_filter_like_stories(town):
    assert town.search_articles("tax", outlet="courier").items == ["thrice"]
    assert town.search_articles("tax", since="2025-03-02").items == ["thrice"]
    assert town.search_articles("tax", until="2025-03-02").items == ["once"]
    page = town.search_articles("the", since="2025-03-01", until="2025-03-03", limit=1, offset=1)
    assert page.total == 3 and len(page.items) == 1


def test_an_article_made_again_is_found_by_its_new_words_only(town):
    put(town, article("once", "Nothing about money any more."))
    assert town.search_articles("tax").items == ["thrice"]
    assert town.search_articles("money").items == ["once"]
    assert town.search_index_current()


def test_a_memory_store_searches_an_index_in_memory():
    with stored(":memory:", article("a", "Floods reached the harbour."), article("b", FILLER)) as store:
        assert store.search_articles("flood").items == ["a"]
        assert not list(Path().glob("*.search"))


def test_a_reader_without_its_index_scans_and_a_writer_rebuilds_it(town, caplog):
    town.close()
    folder = Path(town.path + ".search")
    shutil.rmtree(folder)
    with open_store(town.path, read_only=True) as reader, caplog.at_level(logging.WARNING):
        assert not reader.search_index_current()
        assert set(reader.search_articles("tax").items) == {"thrice", "once"}
        assert "scanning" in caplog.text
    assert not folder.exists()
    with reading_store(town.path) as reader:
        assert reader.search_index_current()
        assert reader.search_articles("tax").items == ["thrice", "once"]


def test_the_cli_prints_ranked_hits_escaped(town):
    put(town, article("tagged", "A [bold]tax[/bold] note\x1b[31m here."))
    town.close()
    result = CliRunner().invoke(app, ["search", "tax", "--db", town.path, "--limit", "5"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "thrice" in lines[0] and "[bold]tax[/bold]" in result.stdout and "\x1b" not in result.stdout
    refused = CliRunner().invoke(app, ["search", "x " * 33, "--db", town.path])
    assert refused.exit_code != 0 and "at most 32 words" in refused.output


QUERIES = ("bridge", "said", "police", "the government", '"said on"', "minister", "president")


def test_an_index_left_behind_by_a_crash_is_rebuilt_by_the_next_analysis(seeds_dir, tmp_path, monkeypatch):
    seeds = sorted(str(p) for p in seeds_dir.iterdir())
    with open_store(tmp_path / "straight.duckdb") as straight:
        analyze(seeds, straight)
        expected = {q: straight.search_articles(q, limit=50) for q in QUERIES}
    assert any(page.total for page in expected.values())

    def killed(*_: object, **__: object) -> None:
        raise KeyboardInterrupt  # as a SIGKILL between the store's commit and the index's would

    with open_store(tmp_path / "crashed.duckdb") as crashed:
        analyze(seeds[:3], crashed)
        monkeypatch.setattr(TextIndex, "_write", killed)
        with pytest.raises(KeyboardInterrupt):
            analyze(seeds[3:], crashed)
        monkeypatch.undo()
        assert not crashed.search_index_current()
        analyze(seeds, crashed)
        assert crashed.search_index_current()
        assert {q: crashed.search_articles(q, limit=50) for q in QUERIES} == expected


def test_a_reader_of_a_store_it_cannot_write_scans_without_an_index(town, monkeypatch):
    town.set_meta("corpus_key", stage_keys().corpus)  # nothing else to bring up to date
    town.close()
    shutil.rmtree(town.path + ".search")

    def read_only_media(*_: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(TextIndex, "_created", read_only_media)
    with reading_store(town.path) as reader:
        assert set(reader.search_articles("tax").items) == {"thrice", "once"}


@pytest.mark.parametrize("query", [":\\_", "_", "-", '"\\_"'])
def test_a_query_of_nothing_but_symbols_finds_nothing_and_never_fails(query, seeds_db):
    with open_store(seeds_db, read_only=True) as store:
        hits, total = search(store, query)
    assert (hits, total) == ([], 0)
