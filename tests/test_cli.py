"""The command line on hostile input: text from the data is printed literally (Rich reads no markup
in it, and no control character reaches the terminal)."""

import json

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from newsprism.cli import app

HOSTILE_TITLE = (
    "Barge [/oops] hits [link=https://evil.example]the bridge[/link] \x1b]0;pwned\x07\x1b[2J now"
)
HOSTILE_OUTLET = "Evil [bold]Wire\x1b[31m"
# What the terminal shows of them: brackets as written, each control character as its escape.
SHOWN_TITLE = r"Barge [/oops] hits [link=https://evil.example]the bridge[/link] \x1b]0;pwned\x07\x1b[2J now"
SHOWN_OUTLET = r"Evil [bold]Wire\x1b[31m"


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
