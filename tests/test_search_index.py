"""Quotes and entities searched through the index beside the store: every word and quoted phrase,
best first, the story filters; the index kept in step with the entity writes of the corpus level
(renames, merges); and a run killed outright between the store's commit and the index's, whose
index the next analysis rebuilds to answer as the index of a store made in one run does."""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import tantivy
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app
from newsprism.options import Options
from newsprism.pipeline import analyze
from newsprism.records import NameCounts
from newsprism.store import open_store

QUERIES = ("said", "the government", '"Security Council"', "Lavrov", "Kerry", "US", "Syria", "ceasefire")

# Run by a process of its own, which kills itself with SIGKILL at the moment named: nothing of the
# run's Python (no finally, no atexit) runs after it, as when the machine or the OOM killer stops it.
KILLED_RUN = """
import os, signal, sys
from newsprism.pipeline import analyze
from newsprism.store import open_store
from newsprism.store.duckdb.fulltext import TextIndex

def die(*_, **__):
    os.kill(os.getpid(), signal.SIGKILL)

path, moment, *seeds = sys.argv[1:]
if moment == "before the index writes":
    TextIndex._write = die
else:  # after the index committed, before it records which state of the store it holds
    stamped = TextIndex._save_stamp
    TextIndex._save_stamp = lambda self, stamp: stamped(self, stamp) if stamp is None else die()
analyze(seeds, open_store(path))
"""


def answers(store) -> dict[str, tuple]:
    return {
        q: (
            store.search_articles(q, limit=50),
            store.search_quotes(q, limit=50),
            [e.id for e in store.search_entities(q, limit=50)],
        )
        for q in QUERIES
    }


def indexed(store) -> Counter[str]:
    """How many documents of each kind the index holds, by the field naming the kind."""
    store.search_articles("x")  # opens the index, made current
    searcher = store._text._opened().searcher()
    found = searcher.search(tantivy.Query.all_query(), 100_000)
    kinds: Counter[str] = Counter()
    for _, address in found.hits:
        doc = searcher.doc(address).to_dict()
        kinds["quote" if "quote" in doc else "entity" if "entity" in doc else "article"] += 1
    return kinds


def held(store) -> Counter[str]:
    counts = store.counts()
    return Counter(article=counts["articles"], quote=counts["quotes"], entity=counts["entities"])


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> list[str]:
    return sorted(str(p) for p in seeds_dir.iterdir())


@pytest.fixture(scope="module")
def straight(seeds, tmp_path_factory) -> dict[str, tuple]:
    """The answers of a store made in one run over the seeds."""
    with open_store(tmp_path_factory.mktemp("straight") / "straight.duckdb") as store:
        analyze(seeds, store)
        return answers(store)


def test_quotes_hold_every_word_and_phrase_best_first(seeds_db):
    with open_store(seeds_db, read_only=True) as store:
        assert store.search_index_current()
        page = store.search_quotes("Lavrov", limit=50)
        assert page.total == len(page.items) > 1
        assert set(page.items) == set(store._scanned_quotes("Lavrov", None, None, None, 50, 0).items)
        articles = {hit.article for hit in page.items}
        said = {q.id: q.text for n in store.annotations(sorted(articles)).values() for q in n.quotes}
        phrase = store.search_quotes('"continue looking for a settlement"')
        assert phrase.total == 1 and "continue looking for a settlement" in said[phrase.items[0].quote]
        assert store.search_quotes('"settlement a for looking continue"').total == 0
        # The speaker's words count as the quote's: "his US counterpart", said of John Kerry.
        assert "460aef25a5949620:220-252" in {hit.quote for hit in store.search_quotes("counterpart").items}
        for odd in ('""', "!!", 'tax:"', "\\", "+-(tax"):
            store.search_quotes(odd)


def test_quotes_keep_to_the_outlet_and_dates_of_their_articles(seeds_db):
    with open_store(seeds_db, read_only=True) as store:
        everywhere = store.search_quotes("Lavrov", limit=50).items
        outlets = store.outlets_of({hit.article for hit in everywhere})
        assert len(set(outlets.values())) > 1
        rt = store.search_quotes("Lavrov", outlet="rt", limit=50).items
        assert rt and set(rt) == {hit for hit in everywhere if outlets[hit.article] == "RT"}
        later = store.search_quotes("Lavrov", since="2016-10-04", limit=50).items
        published = {a.id: a.published for a in store.articles(sorted({h.article for h in later}))}
        assert later and set(later) < set(everywhere)
        assert all(p is None or p >= "2016-10-04" for p in published.values())
        page = store.search_quotes("Lavrov", limit=2, offset=1)
        assert page.items == everywhere[1:3] and page.total == len(everywhere)


def test_entities_are_found_by_any_spelling_most_relevant_first(seeds_db):
    with open_store(seeds_db, read_only=True) as store:
        assert [e.name for e in store.search_entities("Lavrov")] == ["Sergey Lavrov"]
        assert [e.name for e in store.search_entities("Sergei")] == ["Sergey Lavrov"]  # a spelling only
        # "US" is in Russian-US's short name, but the corpus writes about the United States most.
        assert [e.name for e in store.search_entities("US")][0] == "United States"
        assert [e.name for e in store.search_entities('"John Kerry"')] == ["John Kerry"]
        assert store.search_entities('"Kerry John"') == []
        assert len(store.search_entities("John", limit=1)) == 1


def test_an_entity_renamed_or_merged_away_is_indexed_as_the_store_holds_it(tmp_path):
    def spelt(key: str, *forms: str) -> NameCounts:
        return NameCounts(
            key, Counter(PERSON=len(forms)), Counter(forms), {f: i for i, f in enumerate(forms)}
        )

    with open_store(tmp_path / "names.duckdb") as store:
        with store.transaction():
            store.put_name_uses(
                [], {"helena": spelt("helena", "Helena Brask"), "hb": spelt("hb", "H. Brask")}
            )
            store.put_names({"helena": "E1", "hb": "E2"}, {"helena": "PERSON", "hb": "PERSON"}, {})
            store.put_entities(
                [("E1", "PERSON", "Helena Brask", 1, 1), ("E2", "PERSON", "H. Brask", 1, 2)], []
            )
        assert {e.id for e in store.search_entities("Brask")} == {"E1", "E2"}
        with store.transaction():
            store.put_names({"hb": "E1"}, {"hb": "PERSON"}, {})
            store.put_entities([("E1", "PERSON", "Helena Brask-Olsen", 2, 1)], [("E2", "E1")])
        assert [e.id for e in store.search_entities("Brask")] == ["E1"]
        assert [e.id for e in store.search_entities('"H. Brask"')] == ["E1"]  # E2's spelling now E1's
        assert [e.id for e in store.search_entities("Olsen")] == ["E1"]
        assert store.search_index_current() and indexed(store)["entity"] == 1


def test_the_index_kept_in_step_holds_what_a_rebuild_makes(seeds, tmp_path):
    path = tmp_path / "steps.duckdb"
    with open_store(path) as store:
        # One transaction per article: names join entities, entities are renamed, along the way.
        analyze(seeds, store, Options(chunk_size=1))
        assert store.search_index_current()
        stepped, kinds = answers(store), indexed(store)
        assert kinds == held(store)
    shutil.rmtree(str(path) + ".search")
    with open_store(path) as store:
        assert store.refresh_search_index()
        assert answers(store) == stepped and indexed(store) == kinds


def test_a_reader_whose_index_is_behind_scans_quotes_and_entities(seeds_db, tmp_path, caplog):
    path = tmp_path / "copy.duckdb"
    shutil.copy(seeds_db, path)
    with open_store(path, read_only=True) as reader, caplog.at_level(logging.WARNING):
        assert not reader.search_index_current()
        assert {h.article for h in reader.search_quotes("Lavrov").items} >= {"460aef25a5949620"}
        assert reader.search_entities("Lavrov")[0].name == "Sergey Lavrov"
        assert "scanning" in caplog.text


@pytest.mark.parametrize("moment", ["before the index writes", "after the index commits"])
def test_a_run_killed_between_the_two_commits_is_indexed_again_by_the_next(seeds, straight, tmp_path, moment):
    path = tmp_path / "killed.duckdb"
    with open_store(path) as store:
        analyze(seeds[:3], store)
    source = str(Path(newsprism.__file__).parents[1])
    run = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(path), moment, *seeds[3:]],
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [source, os.environ.get("PYTHONPATH")])),
        },
        capture_output=True,
        text=True,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    with open_store(path) as store:
        assert store.counts()["articles"] == len(seeds)  # the store had committed
        assert not store.search_index_current()
        analyze(seeds, store)
        assert store.search_index_current()
        assert answers(store) == straight
        assert indexed(store) == held(store)


def test_the_cli_prints_quotes_and_entities_escaped(seeds_db):
    result = CliRunner().invoke(
        app, ["search", '"Security Council resolutions"', "--quotes", "--entities", "--db", str(seeds_db)]
    )
    assert result.exit_code == 0, result.output
    # "[on Syria]" in the quote's words is printed as written, not read as Rich markup.
    assert "460aef25a5949620:256-369" in result.stdout and "[on Syria]" in result.stdout
    assert "matching quote(s)" in result.output and "0 matching entities" in result.output
    named = CliRunner().invoke(app, ["search", "Lavrov", "--entities", "--db", str(seeds_db)])
    assert "Sergey Lavrov" in named.stdout and "matching article" not in named.output
