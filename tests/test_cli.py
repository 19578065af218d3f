"""The command line on hostile and broken input: text from the data is printed literally (Rich reads
no markup in it, and no control character reaches the terminal), commands that only read never write,
and a file that is no newsprism store, or a damaged one, is one clear error naming it."""

import gzip
import hashlib
import json
import shutil

import duckdb
import pytest
from conftest import EXAMPLES, ROOT
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.store import SCHEMA_VERSION

HOSTILE_TITLE = (
    "Barge [/oops] hits [link=https://evil.example]the bridge[/link] \x1b]0;pwned\x07\x1b[2J now"
)
HOSTILE_OUTLET = "Evil [bold]Wire\x1b[31m"
# What the terminal shows of them: brackets as written, each control character as its escape.
SHOWN_TITLE = r"Barge [/oops] hits [link=https://evil.example]the bridge[/link] \x1b]0;pwned\x07\x1b[2J now"
SHOWN_OUTLET = r"Evil [bold]Wire\x1b[31m"
READERS = ("stories", "storylines", "report", "export", "serve")


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def assert_shown_literally(result) -> None:
    assert "Traceback" not in result.output and "MarkupError" not in result.output, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """``analyze`` of a folder ``x[`` holding ``y].jsonl``, one article whose title and outlet carry
    Rich markup and terminal escapes, and ``z].txt``, which is no text and fails."""
    root = tmp_path_factory.mktemp("hostile")
    folder = root / "x["
    folder.mkdir()
    record = json.loads((EXAMPLES / "07_feed_export.jsonl").read_text(encoding="utf-8").splitlines()[0])
    record.update(title=HOSTILE_TITLE, outlet=HOSTILE_OUTLET)
    (folder / "y].jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (folder / "z].txt").write_bytes(b"\x00\x01 not text")
    db = root / "hostile.duckdb"
    export = folder / "o].json"
    return db, run("analyze", str(folder), "--db", str(db), "--workers", "1", "--json", str(export))


def test_analyze_prints_the_paths_of_its_inputs_literally(hostile):
    _, result = hostile
    assert_shown_literally(result)
    assert result.exit_code == 1  # z].txt failed
    assert "x[/z].txt" in result.output and "x[/o].json" in result.output


def test_stories_prints_titles_and_outlets_literally(hostile):
    db, _ = hostile
    result = run("stories", "--db", str(db))
    assert_shown_literally(result)
    assert result.exit_code == 0 and SHOWN_TITLE in result.output and SHOWN_OUTLET in result.output


def test_story_prints_its_title_and_outlets_literally(hostile, tmp_path):
    db, _ = hostile
    listed = tmp_path / "stories.json"
    assert run("stories", "--db", str(db), "--json", str(listed)).exit_code == 0
    (story,) = json.loads(listed.read_text(encoding="utf-8"))["stories"]
    result = run("story", story["id"], "--db", str(db))
    assert_shown_literally(result)
    assert result.exit_code == 0 and SHOWN_TITLE in result.output and SHOWN_OUTLET in result.output
    missing = run("story", "[/oops]\x1b[2J", "--db", str(db))
    assert_shown_literally(missing)
    assert missing.exit_code == 2 and r"[/oops]\x1b[2J: no such story" in missing.output


def test_fetch_prints_a_refused_url_literally(tmp_path):
    result = run("fetch", "file:///[/oops]\x1b[2J", "--out", str(tmp_path / "fetched"))
    assert_shown_literally(result)
    assert result.exit_code == 1 and r"file:///[/oops]\x1b[2J" in result.output


# -- commands that only read -----------------------------------------------------------------------


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def reader_args(command: str, db, tmp_path) -> list[str]:
    out = {"report": ["--out", str(tmp_path / "r.html")], "export": ["--json", str(tmp_path / "e.json")]}
    return [command, "--db", str(db), *out.get(command, [])]


@pytest.fixture
def never_serve(monkeypatch):
    """``serve`` stops where it would start the server."""
    started = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append(a))
    return started


@pytest.mark.parametrize("command", [*READERS, "story"])
def test_a_reader_refuses_a_duckdb_file_that_is_no_store_and_leaves_it_as_it_was(
    command, tmp_path, never_serve
):
    db = tmp_path / "notes.duckdb"
    with duckdb.connect(str(db)) as notes:
        notes.execute("CREATE TABLE notes (line TEXT); INSERT INTO notes VALUES ('mine')")
    before = sha256(db)
    args = reader_args(command, db, tmp_path) if command != "story" else ["story", "s1", "--db", str(db)]
    result = run(*args)
    assert result.exit_code == 2 and not never_serve, result.output
    assert f"{db}: not a newsprism store" in result.output and "Traceback" not in result.output
    assert sha256(db) == before and sorted(p.name for p in tmp_path.iterdir()) == ["notes.duckdb"]


def test_analyze_refuses_a_duckdb_file_that_is_no_store(tmp_path):
    db = tmp_path / "notes.duckdb"
    with duckdb.connect(str(db)) as notes:
        notes.execute("CREATE TABLE notes (line TEXT)")
    result = run("analyze", str(EXAMPLES / "01_tamsel_courier.txt"), "--db", str(db), "--workers", "1")
    assert result.exit_code == 2 and f"{db}: not a newsprism store" in result.output
    with duckdb.connect(str(db), read_only=True) as notes:
        assert notes.execute("SELECT table_name FROM information_schema.tables").fetchall() == [("notes",)]


@pytest.mark.parametrize("command", READERS)
def test_a_reader_of_a_missing_store_creates_nothing(command, tmp_path, never_serve):
    db = tmp_path / "nowhere.duckdb"
    result = run(*reader_args(command, db, tmp_path))
    assert result.exit_code == 2 and f"{db}: no such database" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_reader_opens_the_store_read_only(seeds_db, tmp_path):
    db = tmp_path / "seeds.duckdb"
    shutil.copy(seeds_db, db)
    before = sha256(db)
    for command in ("stories", "report", "export"):
        result = run(*reader_args(command, db, tmp_path))
        assert result.exit_code == 0, result.output
    assert sha256(db) == before and not (tmp_path / "seeds.duckdb.wal").exists()


def test_a_reader_brings_a_store_an_older_release_wrote_up_to_date_first(tmp_path):
    db = tmp_path / "v4.duckdb"
    with gzip.open(ROOT / "tests" / "data" / "store-v4-examples.duckdb.gz") as src, db.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    result = run("stories", "--db", str(db))
    assert result.exit_code == 0 and "1 stories in 1 storylines" in result.output, result.output
    with duckdb.connect(str(db), read_only=True) as store:
        (version,) = store.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    assert version == str(SCHEMA_VERSION)


# -- damaged stores --------------------------------------------------------------------------------


def truncated(seeds_db, tmp_path, size: int):
    """The seeds' store cut short: its tables are found, not all their rows."""
    db = tmp_path / "cut.duckdb"
    shutil.copy(seeds_db, db)
    with db.open("r+b") as f:
        f.truncate(size)
    return db


ANALYZE_ONE = ("analyze", str(EXAMPLES / "01_tamsel_courier.txt"), "--workers", "1")


# Cut at 1 MB the file fails outside a transaction (it was a traceback); at 4 MB, analyze fails
# inside the one storing its results (it was "transaction is aborted", not why).
@pytest.mark.parametrize("size", [1_000_000, 4_000_000])
@pytest.mark.parametrize("args", [("stories",), ANALYZE_ONE], ids=["stories", "analyze"])
def test_a_truncated_store_is_one_clear_error_naming_it(args, size, seeds_db, tmp_path):
    db = truncated(seeds_db, tmp_path, size)
    result = run(*args, "--db", str(db))
    assert result.exit_code == 2, result.output
    assert f"error: {db}: " in result.output and "Could not read" in result.output
    assert "Traceback" not in result.output and "transaction is aborted" not in result.output


def test_a_schema_version_that_is_no_number_is_one_clear_error_naming_the_file(seeds_db, tmp_path):
    db = tmp_path / "odd.duckdb"
    shutil.copy(seeds_db, db)
    with duckdb.connect(str(db)) as raw:
        raw.execute("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    for args in (("stories",), ANALYZE_ONE):
        result = run(*args, "--db", str(db))
        assert result.exit_code == 2, result.output
        assert f"{db}: schema_version 'abc'" in result.output and "Traceback" not in result.output


# -- dates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["20161004", "2016-W40-2", "2016W402", "2016-278", "２０１６-10-04"])
def test_only_a_date_written_yyyy_mm_dd_is_taken(day, seeds_db, tmp_path):
    for command in ("stories", "export", "report"):
        result = run(*reader_args(command, seeds_db, tmp_path), "--since", day)
        assert result.exit_code == 2 and f"--since {day}: expected a date as YYYY-MM-DD" in result.output


def test_storylines_lists_each_with_its_span_actors_and_outlets_literally(hostile, seeds_db):
    db, _ = hostile
    result = run("storylines", "--db", str(db))
    assert_shown_literally(result)
    # The table wraps the title and the outlet: their markup and escapes are shown as written.
    assert result.exit_code == 0
    assert "[/oops] hits [link=https://evil.example]the bridge[/link]" in result.output
    assert r"\x1b]0;pwned\x07\x1b[2J now" in result.output and "Evil [bold]" in result.output
    seeds = run("storylines", "--db", str(seeds_db))
    assert seeds.exit_code == 0 and "2 storylines" in seeds.output
    assert "Sergey Lavrov" in seeds.output and "2016-10-01 – 2016-10-04" in seeds.output


def test_timeline_prints_a_storylines_most_important_days_in_date_order(seeds_db, tmp_path):
    export = tmp_path / "seeds.json"
    assert run("export", "--db", str(seeds_db), "--json", str(export)).exit_code == 0
    lines = json.loads(export.read_text(encoding="utf-8"))["storyline_timelines"]
    longest = max(lines, key=lambda line: len(line["entries"]))
    result = run("timeline", longest["storyline"], "--db", str(seeds_db), "--dates", "3")
    assert result.exit_code == 0, result.output
    printed = [line.split()[0] for line in result.output.splitlines() if line[:4].isdigit()]
    best = sorted(longest["entries"], key=lambda e: e["rank"])[:3]
    assert printed == sorted(e["date"] for e in best)
    # The US suspending its talks with Russia, which most seed articles date, is among them.
    assert "2016-10-03" in printed
    missing = run("timeline", "[/oops]\x1b[2J", "--db", str(seeds_db))
    assert_shown_literally(missing)
    assert missing.exit_code == 2 and r"[/oops]\x1b[2J: no such storyline" in missing.output
