"""The PostgreSQL store end to end, against the server conftest's ``postgres_server`` names: the
seed corpus makes the same export as in DuckDB, ids included, and meets the seed floors; two
``analyze`` runs writing one database at once lose nothing; a store copied to PostgreSQL and back
is the same store; and what is PostgreSQL's own (the glob of ``select``, read-only stores, the web
app's reader) behaves as DuckDB's does."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import EXAMPLES
from fastapi.testclient import TestClient
from test_seeds import score
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app
from newsprism.errors import StoreError
from newsprism.output.web import create_app
from newsprism.store import open_store, store_address
from newsprism.store.copying import TABLES, copy_store
from newsprism.store.postgres import PgSharedReader
from newsprism.store.postgres.connection import glob_regex

COMMAND = str(Path(sys.executable).with_name("newsprism"))


def analyze(inputs: list[Path], db: str, out: Path | None = None) -> subprocess.Popen:
    """``newsprism analyze`` started in a process of its own."""
    json_out = ["--json", str(out)] if out else []
    return subprocess.Popen(
        [COMMAND, "analyze", *map(str, inputs), "--db", db, "--workers", "1", *json_out],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(run: subprocess.Popen) -> None:
    _, err = run.communicate(timeout=900)
    assert run.returncode == 0, err


def test_the_seed_corpus_exports_the_same_from_postgres_as_from_duckdb(seeds_dir, postgres_url, tmp_path):
    duck, pg = tmp_path / "duckdb.json", tmp_path / "postgres.json"
    runs = [analyze([seeds_dir], str(tmp_path / "s.duckdb"), duck), analyze([seeds_dir], postgres_url, pg)]
    for run in runs:
        finished(run)
    assert json.loads(pg.read_text()) == json.loads(duck.read_text())
    scored = score(pg)
    assert scored.returncode == 0, scored.stdout + scored.stderr


def test_two_writers_at_once_lose_nothing(postgres_url, postgres_server, tmp_path):
    inputs = sorted(p for p in EXAMPLES.iterdir() if p.name != "README.md")
    together = [analyze(inputs[0::2], postgres_url), analyze(inputs[1::2], postgres_url)]
    for run in together:
        finished(run)
    alone = postgres_server.fresh()
    finished(analyze(inputs, alone))
    with open_store(postgres_url, read_only=True) as both, open_store(alone, read_only=True) as one:
        ids = one.select()
        assert sorted(both.select()) == sorted(ids) and len(ids) >= 5
        placed = both.story_assignments()
        assert sorted(placed) == sorted(ids)  # every article in exactly one story
        members = both.story_members({p.story for p in placed.values()})
        assert sorted(a for found in members.values() for a in found) == sorted(ids)
        assert both.articles(sorted(ids)) == one.articles(sorted(ids))
        assert both.annotations(ids) == one.annotations(ids)
        assert sorted(both.sequence(ids).values()) == list(range(1, len(ids) + 1))


def test_a_db_option_keeps_the_server_address():
    assert store_address(Path("postgresql://u@h:5432/news")) == "postgresql://u@h:5432/news"
    assert store_address("postgresql://u@h/news") == "postgresql://u@h/news"
    assert store_address(Path("news.duckdb")) == "news.duckdb"


@pytest.mark.parametrize(
    ("glob", "matches", "misses"),
    [
        ("*.txt", ["a.txt", "dir/b.txt"], ["a.html", "a.txt.bak"]),
        ("feed_?.json", ["feed_1.json"], ["feed_10.json", "feedX1.json"]),
        ("[!a]*.html", ["b.html"], ["a.html"]),
        ("a+b (1).txt", ["a+b (1).txt"], ["aab (1).txt"]),
    ],
)
def test_a_source_glob_is_the_same_pattern_as_in_duckdb(glob, matches, misses):
    import re

    pattern = re.compile(glob_regex(glob))
    assert all(pattern.search(m) for m in matches)
    assert not any(pattern.search(m) for m in misses)


def test_a_read_only_store_refuses_to_write_and_an_empty_database(postgres_url):
    with pytest.raises(StoreError, match="not a newsprism store"):
        open_store(postgres_url, read_only=True)
    with open_store(postgres_url) as store:
        store.set_meta("kept", "yes")
    with open_store(postgres_url, read_only=True) as store, pytest.raises(StoreError), store.transaction():
        store.set_meta("kept", "no")
    with open_store(postgres_url, read_only=True) as store:
        assert store.get_meta("kept") == "yes"


def test_the_shared_reader_sees_every_commit(postgres_url):
    with open_store(postgres_url) as store:
        reader = PgSharedReader(postgres_url)
        try:
            before = reader.version()
            with store.transaction():
                store.set_meta("seen", "1")
            with reader.store() as reading:
                assert reading.get_meta("seen") == "1"
            assert reader.version() != before
        finally:
            reader.close()


def test_the_web_app_serves_a_postgres_store_as_it_serves_duckdb(seeds_dir, seeds_db, postgres_url):
    with newsprism.open(postgres_url) as corpus:
        corpus.add([seeds_dir])
    local = "http://127.0.0.1"
    with (
        TestClient(create_app(postgres_url), base_url=local) as pg,
        TestClient(create_app(seeds_db), base_url=local) as duck,
    ):
        for params in [{}, {"speaker": "Kerry"}, {"outlet": "TASS"}]:
            answer = pg.get("/api/stories", params=params)
            assert answer.status_code == 200, answer.text
            assert answer.json() == duck.get("/api/stories", params=params).json()
        # The same articles match; each backend ranks them by its own measure (ts_rank, BM25).
        found, expected = (c.get("/api/search", params={"q": "ceasefire"}).json() for c in (pg, duck))
        assert found["articles_total"] == expected["articles_total"] > 0
        ids = [sorted(a["id"] for a in answer.pop("articles")) for answer in (found, expected)]
        assert ids[0] == ids[1]
        assert found == expected
        story = pg.get("/api/stories").json()["stories"][0]["id"]
        assert pg.get(f"/stories/{story}").status_code == 200
        assert "ceasefire" in pg.get("/search", params={"q": "ceasefire"}).text.lower()


def test_a_store_copied_to_postgres_and_back_is_the_same_store(seeds_db, postgres_url, tmp_path):
    back = tmp_path / "back.duckdb"
    for source, target in ((str(seeds_db), postgres_url), (postgres_url, str(back))):
        copied = CliRunner().invoke(app, ["copy", "--from", source, "--to", target])
        assert copied.exit_code == 0, copied.output
    assert_same_store(seeds_db, back)
    exports = []
    for where in (seeds_db, postgres_url):
        with newsprism.open(where) as corpus:
            exports.append(corpus.export())
    assert exports[0] == exports[1]
    refused = CliRunner().invoke(app, ["copy", "--from", str(seeds_db), "--to", postgres_url])
    assert refused.exit_code == 2 and "not empty" in refused.output


def test_a_store_copied_a_few_rows_at_a_time_is_the_same_store(seeds_db, postgres_url, tmp_path):
    back = tmp_path / "back.duckdb"
    for source, target in ((seeds_db, postgres_url), (postgres_url, back)):
        with open_store(source, read_only=True) as reading, open_store(target) as writing:
            copy_store(reading, writing, batch=3)
    assert_same_store(seeds_db, back)


def assert_same_store(first: Path, again: Path) -> None:
    """Every table of the two DuckDB stores holds the same rows, and ``again``'s index is made."""
    with open_store(first, read_only=True) as one, open_store(again, read_only=True) as other:
        for table in TABLES:
            rows = [sorted(store._rows(f"SELECT * FROM {table}"), key=repr) for store in (one, other)]
            assert rows[0] == rows[1], table
        assert other.search_index_current()


def test_newsprism_works_without_the_driver(monkeypatch):
    monkeypatch.setitem(sys.modules, "newsprism.store.postgres", None)
    with open_store(":memory:") as store:
        assert store.counts()["articles"] == 0
    with pytest.raises(StoreError, match="postgres extra"):
        open_store("postgresql://postgres@127.0.0.1/none")


def test_readers_never_wait_for_a_writer_and_writers_take_turns(postgres_url):
    with open_store(postgres_url) as first, open_store(postgres_url) as second:
        reader = open_store(postgres_url, read_only=True)
        committed = threading.Event()

        def write() -> None:
            with second.transaction():
                second.set_meta("turn", "second")
            committed.set()

        with first.transaction():
            first.set_meta("turn", "first")
            waiting = threading.Thread(target=write)
            waiting.start()
            assert reader.get_meta("turn") is None  # at once, and only what is committed
            assert not committed.wait(0.5)  # the second writer waits for the first to commit
        waiting.join(30)
        assert committed.is_set() and reader.get_meta("turn") == "second"
        reader.close()


def test_quotes_and_entities_are_searched_by_the_servers_full_text(seeds_dir, seeds_db, postgres_url):
    with newsprism.open(postgres_url) as corpus:
        corpus.add([seeds_dir])
    with open_store(postgres_url, read_only=True) as pg, open_store(seeds_db, read_only=True) as duck:
        lavrov = pg.search_quotes("Lavrov", limit=50)
        assert lavrov.total > 1 and set(lavrov.items) == set(duck.search_quotes("Lavrov", limit=50).items)
        phrase = pg.search_quotes('"continue looking for a settlement"')
        assert phrase.total == 1 and pg.search_quotes('"settlement a for looking continue"').total == 0
        rt = pg.search_quotes("Lavrov", outlet="rt", limit=50).items
        assert rt and set(rt) == set(duck.search_quotes("Lavrov", outlet="rt", limit=50).items)
        assert [e.name for e in pg.search_entities("Sergei")] == ["Sergey Lavrov"]  # a spelling only
        assert [e.name for e in pg.search_entities('"John Kerry"')] == ["John Kerry"]
        for odd in ('""', "!!", 'tax:"', "\\", "+-(tax"):
            pg.search_quotes(odd)
            pg.search_entities(odd)


# Run by a process of its own, killed with SIGKILL inside its commit's transaction, after the
# articles are written and before the corpus level is: nothing of the run's Python runs after it.
KILLED_COMMIT = """
import os, signal, sys
import newsprism.corpus.update as update
from newsprism.pipeline import analyze
from newsprism.store import open_store

def die(*_, **__):
    os.kill(os.getpid(), signal.SIGKILL)

update.update_reuse = die
url, *seeds = sys.argv[1:]
analyze(seeds, open_store(url))
"""


def test_a_writer_killed_mid_commit_leaves_nothing_and_its_rerun_resumes(seeds_dir, postgres_server):
    seeds = sorted(str(p) for p in seeds_dir.iterdir())
    straight, killed = postgres_server.fresh(), postgres_server.fresh()
    for url in (straight, killed):
        with newsprism.open(url) as corpus:
            corpus.add(seeds[:3])
    with newsprism.open(straight) as corpus:
        corpus.add(seeds[3:])
        expected = corpus.export()
    command = [sys.executable, "-c", KILLED_COMMIT, killed, *seeds[3:]]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == -signal.SIGKILL, run.stderr
    with open_store(killed, read_only=True) as store:
        assert store.counts()["articles"] == 3  # the killed commit wrote nothing
    with newsprism.open(killed) as corpus:
        corpus.add(seeds)
        assert corpus.export() == expected


def test_search_vectors_made_by_other_code_are_made_again_by_the_next_writer(seeds_dir, postgres_url):
    with newsprism.open(postgres_url) as corpus:
        corpus.add([seeds_dir])
    with open_store(postgres_url) as store:
        assert store.search_articles("Lavrov").total > 1
        # A database from before the vectors parted words otherwise: titles only, no quote index.
        with store.transaction():
            store._run("ALTER TABLE articles DROP COLUMN search")
            store._run("ALTER TABLE articles ADD COLUMN search tsvector "
                       "GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, ''))) STORED")
            store._run("DROP INDEX quotes_search")
    with open_store(postgres_url, read_only=True) as reader:
        assert reader.search_articles("Lavrov").total <= 1  # a reader leaves them as they are
    with open_store(postgres_url) as writer:
        assert writer.search_articles("Lavrov").total > 1
        assert writer._one("SELECT 1 FROM pg_indexes WHERE indexname = 'quotes_search'") is not None
