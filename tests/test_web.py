"""The web app over a real store: pages, search, filters, the JSON API, tokens, and a run writing
the same file while the app serves it."""

import html
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from newsprism.cli import app as cli
from newsprism.output.web import create_app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Without a token the app answers loopback host names only (not the test client's "testserver").
LOCAL = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def client(seeds_db):
    with TestClient(create_app(seeds_db), base_url=LOCAL) as c:
        yield c


def _seed_story(client) -> dict:
    stories = client.get("/api/stories").json()["stories"]
    return max(stories, key=lambda s: len(s["articles"]))


def test_the_story_list_filters_and_pages(seeds_db, client):
    listed = client.get("/api/stories").json()
    assert listed["total"] == 2 and len(listed["stories"]) == 2
    assert client.get("/api/stories", params={"outlet": "TASS"}).json()["total"] == 1
    assert client.get("/api/stories", params={"speaker": "Kerry"}).json()["total"] == 1
    assert client.get("/api/stories", params={"until": "2017-01-01"}).json()["total"] == 1
    assert client.get("/api/stories", params={"since": "April 5"}).status_code == 422
    page = client.get("/", params={"outlet": "RT"})
    seed_title = html.escape(_seed_story(client)["title"])
    assert page.status_code == 200 and seed_title in page.text and "Lavrov says" not in page.text
    with TestClient(create_app(seeds_db, page_size=1), base_url=LOCAL) as paged:
        first = paged.get("/")
        assert 'rel="next" href="/?page=2"' in first.text
        second = paged.get("/?page=2")
        assert 'rel="prev"' in second.text and 'rel="next"' not in second.text


def test_a_story_page_shows_its_outlets_summary_quotes_and_charts(client):
    story = _seed_story(client)
    page = client.get(f"/stories/{story['id']}")
    assert page.status_code == 200
    for outlet in ("RT", "Reuters", "Asianet Newsable"):
        assert f'<th class="outlet">{outlet}</th>' in page.text
    assert "carried by RT, Reuters" in page.text
    assert f'src="/stories/{story["id"]}/timeline.svg"' in page.text
    chart = client.get(f"/stories/{story['id']}/coverage.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml") and ">Reuters<" in chart.text
    assert client.get(f"/stories/{story['id']}/timeline.svg").text.count("<svg") == 1
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert client.get("/stories/nope").status_code == 404


def test_a_storyline_page_shows_its_key_dates_ranked_with_their_chart(client):
    story = _seed_story(client)
    line = story["storyline"]
    assert f'href="/storylines/{line}"' in client.get(f"/stories/{story['id']}").text
    page = client.get(f"/storylines/{line}")
    assert page.status_code == 200
    dates = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td><td>(\d+)</td>", page.text)
    # The storyline's shown days, in date order, the US suspending talks (3 October) among them.
    assert len(dates) == 5 and [d for d, _ in dates] == sorted(d for d, _ in dates)
    assert "2016-10-03" in dict(dates) and sorted(int(r) for _, r in dates) == [1, 2, 3, 4, 5]
    fewer = client.get(f"/storylines/{line}", params={"dates": 2})
    assert len(re.findall(r"<tr><td>\d{4}-\d{2}-\d{2}</td>", fewer.text)) == 2
    chart = client.get(f"/storylines/{line}/timeline.svg", params={"dates": 2})
    assert chart.headers["content-type"].startswith("image/svg+xml") and chart.text.count("<svg") == 1
    assert client.get(f"/storylines/{line}", params={"dates": 0}).status_code == 422
    assert client.get("/storylines/nope").status_code == 404
    assert client.get("/storylines/nope/timeline.svg").status_code == 404


def test_an_article_page_highlights_entities_and_keeps_the_removed_lines(client):
    story = _seed_story(client)
    document = client.get(f"/api/stories/{story['id']}").json()
    article = document["articles"][0]
    page = client.get(f"/articles/{article['id']}")
    assert page.status_code == 200
    assert '<mark class="ent ent-PERSON"' in page.text and '<span class="quote' in page.text
    assert "removed line(s), with the reason" in page.text
    assert client.get("/articles/nope").status_code == 404


def test_search_finds_quotes_articles_and_entities(client):
    found = client.get("/api/search", params={"q": "chlorine gas"}).json()
    assert found["articles_total"] >= 1
    kerry = client.get("/api/search", params={"q": "Kerry"}).json()
    assert any(q["speaker"] == "John Kerry" and q["outlet"] in ("RT", "Reuters") for q in kerry["quotes"])
    assert any(e["name"] == "John Kerry" for e in kerry["entities"])
    assert client.get("/api/search", params={"q": "100%_"}).json()["articles_total"] == 0
    page = client.get("/search", params={"q": "Kerry"})
    assert page.status_code == 200 and 'id="quote-results"' in page.text


def test_the_api_is_described(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search"} <= set(
        spec["paths"]
    )
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/search" in docs.text and "cdn" not in docs.text.lower()


def test_a_token_guards_every_request(seeds_db):
    with TestClient(create_app(seeds_db, token="s3cret")) as guarded:
        assert guarded.get("/").status_code == 401
        assert guarded.get("/api/stories", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert guarded.get("/api/stories", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert guarded.get("/?token=s3cret").status_code == 200
        assert guarded.get("/static/style.css").status_code == 200  # the cookie set just before


def test_without_a_token_only_loopback_host_names_are_answered(seeds_db):
    """A hostile page whose name is rebound to 127.0.0.1 sends its own name as the Host."""
    with TestClient(create_app(seeds_db)) as local:
        for host in ("localhost", "localhost:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000"):
            assert local.get("/api/stories", headers={"Host": host}).status_code == 200, host
        for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example", "testserver"):
            assert local.get("/api/stories", headers={"Host": host}).status_code == 400, host
    with TestClient(create_app(seeds_db, host="127.0.0.2")) as other_loopback:
        assert other_loopback.get("/", headers={"Host": "127.0.0.2:8000"}).status_code == 200
        assert other_loopback.get("/", headers={"Host": "evil.example"}).status_code == 400
    with TestClient(create_app(seeds_db, token="s3cret")) as guarded:
        bearer = {"Host": "news.example", "Authorization": "Bearer s3cret"}
        assert guarded.get("/api/stories", headers=bearer).status_code == 200


def test_serve_answers_the_host_it_binds(seeds_db, monkeypatch):
    served = []
    monkeypatch.setattr("uvicorn.run", lambda app, **_: served.append(app))
    result = CliRunner().invoke(cli, ["serve", "--db", str(seeds_db), "--host", "127.0.0.2"])
    assert result.exit_code == 0, result.output
    with TestClient(served[0]) as app:
        assert app.get("/api/stories", headers={"Host": "127.0.0.2:8000"}).status_code == 200
        assert app.get("/api/stories", headers={"Host": "evil.example"}).status_code == 400


def test_a_token_of_any_characters_is_compared_as_utf8(seeds_db):
    token, wrong = "jeton-é✓", "jeton-è✓"
    with TestClient(create_app(seeds_db, token=token)) as guarded:
        given = {"Authorization": f"Bearer {token}".encode()}
        assert guarded.get("/api/stories", headers=given).status_code == 200
        refused = {"Authorization": f"Bearer {wrong}".encode()}
        assert guarded.get("/api/stories", headers=refused).status_code == 401
        assert guarded.get("/api/stories", params={"token": wrong}).status_code == 401
        assert guarded.get("/api/stories", params={"token": token}).status_code == 200
        assert guarded.get("/static/style.css").status_code == 200  # the cookie set just before


def test_a_page_number_past_any_store_is_refused_not_a_server_error(client):
    huge = "99999999999999999999"
    kerry = {"q": "Kerry"}
    for path, query in (("/api/stories", {}), ("/", {}), ("/api/search", kerry), ("/search", kerry)):
        answer = client.get(path, params={**query, "page": huge})
        assert answer.status_code == 422 and "page" in answer.text, path
    assert client.get("/api/stories", params={"page": "1000000"}).json()["stories"] == []


def test_a_search_is_refused_past_32_words_or_500_characters(client):
    words = [f"w{i}" for i in range(33)]
    for query, reason in ((" ".join(words), "at most 32 words"), ("x" * 501, "at most 500 characters")):
        api = client.get("/api/search", params={"q": query})
        assert api.status_code == 422 and reason in str(api.json()["detail"]), api.text
        page = client.get("/search", params={"q": query})
        assert page.status_code == 422 and reason in page.text
    assert client.get("/api/search", params={"q": " ".join(words[:32])}).status_code == 200
    assert client.get("/api/search", params={"q": "x" * 500}).status_code == 200


@pytest.mark.parametrize("day", ["20161004", "2016-W40-2", "2016W402", "2016-10-4"])
def test_only_a_date_written_yyyy_mm_dd_filters_the_stories(client, day):
    assert client.get("/api/stories", params={"since": day}).status_code == 422
    assert client.get("/", params={"until": day}).status_code == 422


def test_serve_refuses_the_network_without_a_token(seeds_db, tmp_path):
    runner = CliRunner()
    exposed = runner.invoke(
        cli, ["serve", "--db", str(seeds_db), "--host", "0.0.0.0"], env={"NEWSPRISM_TOKEN": ""}
    )
    assert exposed.exit_code == 2 and "--token" in exposed.output
    missing = runner.invoke(cli, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert missing.exit_code == 2 and "no such database" in missing.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_run_writes_the_store_while_the_app_serves_it(seeds_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copy(seeds_db, db)
    port = _free_port()
    newsprism = [str(Path(sys.executable).parent / "newsprism")]
    server = subprocess.Popen(
        [*newsprism, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            deadline = time.monotonic() + 30
            while True:
                try:
                    before = http.get("/api/stories").json()["total"]
                    break
                except httpx.TransportError:
                    assert time.monotonic() < deadline, "the app did not start"
                    time.sleep(0.2)
            run = subprocess.Popen(
                [*newsprism, "analyze", str(EXAMPLES), "--db", str(db), "--workers", "1"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            answers = []
            while run.poll() is None:
                answers.append(http.get("/api/stories").status_code)
                time.sleep(0.1)
            assert run.returncode == 0, run.stderr.read().decode()[-2000:]
            assert set(answers) <= {200, 503} and answers.count(200) >= 1
            after = http.get("/api/stories").json()["total"]
            assert after > before, "the app shows what the run committed"
            assert http.get("/api/search", params={"q": "Kessling"}).json()["articles_total"] >= 1
    finally:
        server.terminate()
        server.wait(timeout=10)
