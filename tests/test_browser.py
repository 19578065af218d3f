"""End to end in a real browser (Debian's headless Chromium, driven by Playwright): the report
opens offline and shows its charts, the web app's pages and search work, and hostile scraped text
runs nothing. Set NEWSPRISM_BROWSER_TESTS=required (as CI does) to fail instead of skipping when
Chromium is missing. The web app's tests run once over the DuckDB store and once over the same store
copied to PostgreSQL (on conftest's ``postgres_server``, which skips them without a server)."""

import io
import json
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from PIL import Image

import newsprism
from newsprism.output.report import render_report
from newsprism.output.web import create_app
from newsprism.store import open_store
from newsprism.store.copying import copy_store

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
HOSTILE = {
    "id": "hostile-1",
    "outlet": "Evil Gazette",
    "title": "Council <script>window.pwned = 'title'</script> votes",
    "url": "javascript:window.pwned='url'",
    "published": "2016-10-03",
    "text": (
        "The city council voted on Monday to close the old bridge, the mayor said. "
        "<script>window.pwned = 'body'</script>\n\n"
        '"We had no choice <img src=x onerror="window.pwned=\'img\'">," the mayor, Ann Brook, told reporters '
        "after the vote, which followed weeks of debate.\n\n"
        "Residents can read more <a href=\"javascript:window.pwned='link'\">here</a> about the closure "
        "and the detour that starts next week."
    ),
}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("NEWSPRISM_BROWSER_TESTS") != "required",
    reason="Debian's chromium is not installed (apt install chromium)",
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@dataclass(frozen=True)
class Corpus:
    db: Path
    report: Path
    hostile_id: str


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seeds_dir) -> Corpus:
    """The seeds and one hostile article in a store, and their report (made before the app reads
    the store: one process opens a DuckDB file either to write or to read)."""
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "hostile.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = folder / "store.duckdb"
    report = folder / "report.html"
    with newsprism.open(db) as opened:
        opened.add([seeds_dir, folder / "hostile.jsonl"])
        report.write_text(render_report(opened.view()), encoding="utf-8")
        hostile_id = next(a.id for a in opened.articles() if a.outlet == "Evil Gazette")
    return Corpus(db, report, hostile_id)


@pytest.fixture(scope="module", params=["duckdb", "postgresql"])
def store(request, corpus) -> str:
    """The store the app serves: the corpus's DuckDB file, or a fresh PostgreSQL database that the
    same store was copied into (the same ids, so the same pages)."""
    if request.param == "duckdb":
        return str(corpus.db)
    url = request.getfixturevalue("postgres_server").fresh()
    with open_store(corpus.db, read_only=True) as source, open_store(url) as target:
        copy_store(source, target)
    return url


@pytest.fixture(scope="module")
def served(store):
    """The web app on a free loopback port, in a thread of this process."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the app did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def _page(browser):
    """A page that records dialogs, script errors and every request leaving the machine."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.dialogs, page.errors, page.remote = [], [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:", "http://127.0.0.1")):
            r.continue_()
        else:
            page.remote.append(url)
            r.abort()

    page.route("**/*", route)
    return page


def _not_blank(png: bytes) -> bool:
    colors = Image.open(io.BytesIO(png)).convert("RGB").getcolors(maxcolors=1 << 20)
    return colors is None or len(colors) > 50


def test_the_report_opens_offline_with_its_charts_and_matrix(browser, corpus):
    page = _page(browser)
    page.goto(corpus.report.as_uri())
    story = page.locator("section.story").filter(has_text="Syria peace efforts must continue").first
    assert story.locator("svg.coverage-chart").is_visible()
    assert story.locator("svg.timeline-chart").is_visible()
    outlets = story.locator("th.outlet").all_inner_texts()
    assert {"RT", "Reuters", "Asianet Newsable"} <= set(outlets)
    chart_text = story.locator("svg.coverage-chart").inner_html()
    assert all(f">{o}<" in chart_text for o in ("RT", "Reuters", "Asianet Newsable"))
    assert story.get_by_text("carried by RT, Reuters").count() >= 1
    page.fill("#story-filter", "Lavrov says")
    assert page.locator("#story-list tbody tr:not(.hidden)").count() == 1
    assert page.evaluate("window.pwned") is None and not page.dialogs
    assert not page.remote, f"the report asked the network for {page.remote}"
    assert _not_blank(page.screenshot(full_page=False))
    page.close()


def test_the_web_app_shows_a_story_and_finds_a_quote(browser, served):
    page = _page(browser)
    page.goto(served + "/api/stories")
    # The story is titled by whichever of its reports sits nearest its centre; the app must link it.
    seed_story = max(json.loads(page.inner_text("body"))["stories"], key=lambda s: len(s["articles"]))
    page.goto(served + "/")
    page.get_by_role("link", name=seed_story["title"], exact=True).click()
    page.wait_for_url("**/stories/*")
    outlets = page.locator("th.outlet").all_inner_texts()
    assert {"RT", "Reuters", "Asianet Newsable"} <= set(outlets)
    for chart in ("timeline", "coverage"):
        image = page.locator(f"div.chart.{chart} img")
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 100", arg=image.element_handle())
    assert _not_blank(page.screenshot(full_page=False))
    page.fill("header form input[name=q]", "Syria without Russia")
    page.press("header form input[name=q]", "Enter")
    page.wait_for_url("**/search?q=*")
    results = page.locator("#quote-results tbody tr")
    assert results.count() >= 1 and "John Kerry" in results.first.inner_text()
    assert not page.errors and not page.remote
    page.close()


def test_hostile_text_runs_nothing_in_the_app_or_the_report(browser, served, corpus):
    page = _page(browser)
    page.goto(served + "/articles/" + corpus.hostile_id)
    body = page.locator("div.body").inner_text()
    assert "<script>window.pwned = 'body'</script>" in body and "onerror=" in body
    assert page.locator("div.body script, div.body img, div.body a").count() == 0
    page.goto(served + "/search?q=" + "pwned")
    assert page.locator("#article-results li").count() >= 1
    page.goto(corpus.report.as_uri())
    page.locator(f"#article-{corpus.hostile_id}").scroll_into_view_if_needed()
    assert page.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.pwned") is None and not page.dialogs and not page.errors
    page.close()
