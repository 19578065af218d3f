"""The corpus grows: incremental corpus-level stages, stable ids, kill-and-resume, Dask = local."""

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import SHARED

from newsprism.corpus.update import retract, update
from newsprism.corpus.view import view
from newsprism.options import Options
from newsprism.output.export import to_document
from newsprism.pipeline import analyze
from newsprism.records import Annotations, Article, Mention
from newsprism.store import Store, open_store


def partition(doc: dict) -> set[frozenset]:
    return {frozenset((m["article"], m["start"]) for m in e["mentions"]) for e in doc["entities"]}


def quote_groups(doc: dict) -> set[frozenset]:
    groups: dict[str, set[str]] = {}
    for q in doc["quotes"]:
        if q["group"]:
            groups.setdefault(q["group"], set()).add(q["id"])
    return {frozenset(g) for g in groups.values()}


def dates(doc: dict) -> dict:
    return {a["id"]: (a["published"], a["published_evidence"]) for a in doc["articles"]}


def times(doc: dict) -> list:
    return sorted((t["article"], t["start"], t["value"]) for t in doc["times"])


def exported(store: Store, ids: list[str] | None = None) -> dict:
    return to_document(view(store, ids if ids is not None else store.select()))


@pytest.fixture(scope="module")
def seeds_split(tmp_path_factory, seeds_dir):
    """The seeds in two folders: the 2016 prelude and two reports first, the rest later."""
    root = tmp_path_factory.mktemp("split")
    a, b = root / "a", root / "b"
    a.mkdir(), b.mkdir()
    for path in sorted(seeds_dir.iterdir()):
        shutil.copy(path, (a if path.name[:3] in ("000", "002", "004") else b) / path.name)
    return a, b


def test_a_then_b_equals_a_and_b_together_and_keeps_a_ids(seeds_split, tmp_path):
    a, b = seeds_split
    with open_store(tmp_path / "together.duckdb") as together:
        analyze([str(a), str(b)], together, Options(workers=1))
        whole = exported(together)
    with open_store(tmp_path / "grown.duckdb") as grown:
        first = analyze([str(a)], grown, Options(workers=1))
        before = exported(grown, first.ids)
        analyze([str(b)], grown, Options(workers=1))
        after = exported(grown)
        merged = grown.entity_merges(e["id"] for e in before["entities"])
        group_merges = grown.group_merges(q["group"] for q in before["quotes"] if q["group"])
    assert partition(after) == partition(whole)
    assert quote_groups(after) == quote_groups(whole)
    assert dates(after) == dates(whole)
    assert times(after) == times(whole)
    assert {e["name"] for e in after["entities"]} == {e["name"] for e in whole["entities"]}
    # Every id minted while the store held a alone still names the same mentions, or points through a
    # recorded merge to the entity that now holds them.
    entity_of = {(m["article"], m["start"]): e["id"] for e in after["entities"] for m in e["mentions"]}
    for entity in before["entities"]:
        for m in entity["mentions"]:
            assert entity_of[(m["article"], m["start"])] == merged.get(entity["id"], entity["id"])
    group_of = {q["id"]: q["group"] for q in after["quotes"]}
    for q in before["quotes"]:
        if q["group"]:
            assert group_of[q["id"]] == group_merges.get(q["group"], q["group"])
    assert not merged, "adding b should not have renamed any of a's entities"


def mention(article: str, body: str, text: str, label: str, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(article, start, start + len(text), text, label)


def add(store: Store, article_id: str, body: str, names: list[tuple[str, str]]) -> None:
    article = Article(article_id, f"{article_id}.txt", tuple(body.split("\n\n")), published="2016-10-01")
    found = tuple(mention(article_id, body, text, label) for text, label in names)
    with store.transaction():
        lowered = retract(store, sorted(store.known([article_id])))
        store.put_articles([(article, Annotations(article_id, found))], {}, "c", "a", article.published)
        update(store, [article], {article_id: Annotations(article_id, found)}, lowered)


def entity_of(store: Store, article: str, text: str) -> str:
    doc = exported(store)
    return next(
        e["id"]
        for e in doc["entities"]
        for m in e["mentions"]
        if m["article"] == article and m["text"] == text
    )


def test_two_entities_found_to_be_one_keep_the_older_id_and_record_the_merge():
    with open_store(":memory:") as store:
        add(store, "a1", "Fighters of Jabhat Fatah al-Sham held the town.", [("Jabhat Fatah al-Sham", "ORG")])
        add(store, "a2", "JFS fighters held the town.", [("JFS", "ORG")])
        older, newer = entity_of(store, "a1", "Jabhat Fatah al-Sham"), entity_of(store, "a2", "JFS")
        assert older != newer
        add(
            store,
            "a3",
            "The group Jabhat Fatah al-Sham (JFS) said so.",
            [("Jabhat Fatah al-Sham", "ORG"), ("JFS", "ORG")],
        )
        assert entity_of(store, "a2", "JFS") == entity_of(store, "a1", "Jabhat Fatah al-Sham") == older
        assert store.entity_merges([newer]) == {newer: older}


def test_a_surname_shared_by_two_people_leaves_the_first_one():
    with open_store(":memory:") as store:
        add(store, "b1", "George Bush spoke.", [("George Bush", "PERSON")])
        add(store, "b2", "Bush said no.", [("Bush", "PERSON")])
        george = entity_of(store, "b1", "George Bush")
        assert entity_of(store, "b2", "Bush") == george
        add(store, "b3", "Jeb Bush spoke.", [("Jeb Bush", "PERSON")])
        # With two Bushes in the corpus, a "Bush" written alone is neither of them.
        assert entity_of(store, "b2", "Bush") != george
        assert entity_of(store, "b1", "George Bush") == george


def test_an_entity_whose_full_name_is_made_again_away_is_named_by_what_is_left():
    with open_store(":memory:") as store:
        add(store, "o1", "Barack Obama spoke.", [("Barack Obama", "PERSON")])
        add(store, "o2", "Obama said yes.", [("Obama", "PERSON")])
        obama = entity_of(store, "o2", "Obama")
        assert entity_of(store, "o1", "Barack Obama") == obama
        # o1 is made again (its cleaning changed, say) and no longer names him.
        add(store, "o1", "The weather was fine.", [])
        assert [(e["id"], e["name"]) for e in exported(store)["entities"]] == [(obama, "Obama")]
        assert store.entity_rows([obama])[obama][:2] == ("PERSON", "Obama")
        assert store.names_of_entities([obama]) == {"obama"}
        add(store, "o2", "The wind was calm.", [])
        # No article names him any more: his entity goes with his last name.
        assert exported(store)["entities"] == []
        assert store.entity_rows([obama]) == {}


def test_a_surname_split_from_the_full_name_it_was_minted_before_gets_an_id_of_its_own():
    with open_store(":memory:") as store:
        add(store, "c1", "Cameron said no.", [("Cameron", "PERSON")])
        add(store, "c2", "David Cameron spoke.", [("David Cameron", "PERSON")])
        david = entity_of(store, "c2", "David Cameron")
        assert entity_of(store, "c1", "Cameron") == david
        add(store, "c3", "James Cameron spoke.", [("James Cameron", "PERSON")])
        doc = exported(store)
        # "Cameron" now names no one in particular; David Cameron keeps his id and his full name.
        assert entity_of(store, "c1", "Cameron") not in (david, entity_of(store, "c3", "James Cameron"))
        assert entity_of(store, "c2", "David Cameron") == david
        assert len({e["id"] for e in doc["entities"]}) == len(doc["entities"]) == 3
        assert {e["name"] for e in doc["entities"]} == {"Cameron", "David Cameron", "James Cameron"}


def test_dask_cluster_gives_the_same_export_as_the_local_run(seeds_dir, tmp_path):
    with open_store(tmp_path / "local.duckdb") as local:
        analyze([str(seeds_dir)], local, Options(workers=1))
        expected = exported(local)
    with open_store(tmp_path / "dask.duckdb") as distributed:
        report = analyze(
            [str(seeds_dir)],
            distributed,
            Options(engine="dask", workers=2, chunk_size=1, min_articles_per_worker=1),
        )
        assert report.failed == [] and report.new == 5
        assert exported(distributed) == expected


KILLABLE = """
import sys, time
from newsprism.options import Options
from newsprism.pipeline import analyze
from newsprism.store import open_store

class Beat:
    def __init__(self):
        self.done = 0
    def start(self, task, total):
        pass
    def advance(self, task, steps=1):
        if task == "understanding":
            self.done += steps
            with open(sys.argv[3], "w") as f:
                f.write(str(self.done))
            time.sleep(float(sys.argv[4]))

with open_store(sys.argv[2]) as store:
    analyze([sys.argv[1]], store, Options(workers=1, chunk_size=2, commit_size=3), Beat())
"""


def polnear_jsonl(path: Path, count: int) -> Path:
    lines = (SHARED / "data" / "quotes" / "polnear-dev.jsonl").read_text(encoding="utf-8").splitlines()
    texts = []
    for line in lines:
        record = json.loads(line)
        if record["canonical"] and record["text"] not in texts:
            texts.append(record["text"])
    with path.open("w", encoding="utf-8") as out:
        for i, text in enumerate(texts[:count]):
            # The opening paragraphs only: enough names and quotes, a fraction of the parsing time.
            out.write(json.dumps({"id": f"p{i}", "text": text[:1500]}) + "\n")
    return path


def test_a_run_killed_at_any_moment_resumes_with_every_article_once(tmp_path):
    source = polnear_jsonl(tmp_path / "news.jsonl", 30)
    script = tmp_path / "run.py"
    script.write_text(KILLABLE, encoding="utf-8")
    db, beat = tmp_path / "killed.duckdb", tmp_path / "beat"
    run = subprocess.Popen([sys.executable, str(script), str(source), str(db), str(beat), "0.05"])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        if beat.exists() and beat.read_text() and int(beat.read_text()) >= 9:
            break
        time.sleep(0.02)
    # Somewhere in the middle of a commit or between two: the store must not care which.
    time.sleep(random.uniform(0, 0.1))
    run.send_signal(signal.SIGKILL)
    run.wait()
    stored = int(beat.read_text())
    assert 0 < stored < 30, "the run should have been killed midway"
    finish = subprocess.run([sys.executable, str(script), str(source), str(db), str(beat), "0"], timeout=600)
    assert finish.returncode == 0
    with open_store(tmp_path / "straight.duckdb") as straight:
        analyze([str(source)], straight, Options(workers=1, chunk_size=2, commit_size=3))
        expected = exported(straight)
    with open_store(db) as resumed:
        got = exported(resumed)
        assert resumed.counts() == straight_counts(tmp_path / "straight.duckdb")
    assert len(got["articles"]) == 30
    assert partition(got) == partition(expected)
    assert got["quotes"] == expected["quotes"] and got["times"] == expected["times"]
    with duckdb.connect(str(db), read_only=True) as raw:
        doubled = raw.execute(
            "SELECT article, start, count(*) FROM mentions GROUP BY ALL HAVING count(*) > 1"
        ).fetchall()
        assert doubled == []


def straight_counts(path: Path) -> dict:
    with open_store(path) as store:
        return store.counts()
