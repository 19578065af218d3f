"""Downloads against a local HTTP server on 127.0.0.1 only."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from newsprism.article import fetch as fetch_module
from newsprism.article.fetch import client, fetch
from newsprism.article.ingest import read_file
from newsprism.cli import app
from newsprism.errors import FetchError
from newsprism.options import Options
from newsprism.records import RawDoc

PAGE = """<html><head><title>Ferries start</title><meta property="og:site_name" content="Ledger"></head>
<body><article><h1>Ferries start</h1><p>Free ferries crossed the river all day on Wednesday, the city said,
while divers kept inspecting the cracked pier of the bridge.</p><p>The harbour authority said repairs
could take weeks.</p></article></body></html>"""


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        base = f"http://127.0.0.1:{self.server.server_port}"
        routes = {
            "/page": ("text/html; charset=utf-8", PAGE),
            "/feed": (
                "application/rss+xml",
                f"""<?xml version="1.0"?><rss version="2.0"><channel>
                <title>Ledger</title><item><title>Ferries start</title><link>{base}/page</link>
                <description>Ferries crossed the river.</description></item></channel></rss>""",
            ),
            "/big": ("text/html", "<p>" + "word " * 5000 + "</p>"),
            # A character reference to half a surrogate pair, which feedparser's loose parser raises on.
            "/broken-feed": ("application/rss+xml", "<rss><channel><item><title>&#xD800;</title></item>"),
        }
        if self.path == "/slow":
            threading.Event().wait(2)
        if self.path == "/redirect":
            # A public-looking host in tests (see pretend_127_is_public) that sends the client home.
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{self.server.server_port}/page")
            self.end_headers()
            return
        if self.path == "/drip":
            self.drip(b"x" * 100, every_s=0.2)
            return
        if self.path not in routes:
            self.send_response(404)
            self.end_headers()
            return
        kind, body = routes[self.path]
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def drip(self, data, every_s):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(every_s)
        except OSError:
            pass  # the client gave up, as it should

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


def test_fetch_page_sends_user_agent_and_caps_size(server):
    options = Options(fetch_max_bytes=10_000, fetch_timeout_s=0.5, fetch_allow_private=True)
    with client(options) as http:
        page = fetch(f"{server}/page", http, options)
        assert page.suffix == ".html" and b"Free ferries" in page.data
        with pytest.raises(FetchError, match="too large"):
            fetch(f"{server}/big", http, options)
        with pytest.raises(FetchError, match="HTTP 404"):
            fetch(f"{server}/missing", http, options)
        with pytest.raises(FetchError, match="timed out"):
            fetch(f"{server}/slow", http, options)
        with pytest.raises(FetchError, match="only http"):
            fetch("file:///etc/passwd", http, options)


def test_fetch_command_writes_inputs_analyze_reads(server, tmp_path):
    out = tmp_path / "fetched"
    result = CliRunner().invoke(
        app,
        ["fetch", "--allow-private", "--feed", f"{server}/feed", "--follow", f"{server}/missing"]
        + ["--out", str(out)],
    )
    assert result.exit_code == 1 and "HTTP 404" in result.output
    pages = (out / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(p)["url"] for p in pages] == [f"{server}/page"]
    (feed_file,) = out.glob("*.xml")
    (feed_doc,) = read_file(feed_file, Options())
    assert isinstance(feed_doc, RawDoc) and feed_doc.given["title"] == "Ferries start"
    (page_doc,) = read_file(out / "pages.jsonl", Options())
    assert isinstance(page_doc, RawDoc)
    assert page_doc.is_html and page_doc.given["url"] == f"{server}/page"


def test_a_feed_feedparser_cannot_parse_is_reported(server, tmp_path):
    out = tmp_path / "fetched"
    result = CliRunner().invoke(
        app, ["fetch", "--allow-private", "--feed", f"{server}/broken-feed", "--follow", "--out", str(out)]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{server}/broken-feed: cannot parse feed" in result.output


def test_private_addresses_are_refused_unless_allowed(server, tmp_path):
    with client(Options()) as http, pytest.raises(FetchError, match="127.0.0.1 is not a public address"):
        fetch(f"{server}/page", http, Options())
    out = tmp_path / "fetched"
    refused = CliRunner().invoke(app, ["fetch", f"{server}/page", "--out", str(out)])
    assert refused.exit_code == 1 and "--allow-private" in refused.output and not out.exists()
    allowed = CliRunner().invoke(app, ["fetch", "--allow-private", f"{server}/page", "--out", str(out)])
    assert allowed.exit_code == 0, allowed.output
    assert (out / "pages.jsonl").exists()


@pytest.fixture
def pretend_127_is_public(monkeypatch):
    """DNS that calls the test server's 127.0.0.1 a public address, so that only its redirect to
    "localhost" (which still resolves as it really does) is private."""
    real = fetch_module.resolve

    def resolve(host, port):
        return ["93.184.216.34"] if host == "127.0.0.1" else real(host, port)

    monkeypatch.setattr(fetch_module, "resolve", resolve)


def test_a_redirect_to_a_private_address_is_refused(server, pretend_127_is_public):
    with client(Options()) as http, pytest.raises(FetchError, match="refused: localhost resolves to"):
        fetch(f"{server}/redirect", http, Options())
    allowed = Options(fetch_allow_private=True)
    with client(allowed) as http:
        assert b"Free ferries" in fetch(f"{server}/redirect", http, allowed).data


def test_a_download_that_trickles_in_times_out_as_a_whole(server):
    options = Options(fetch_timeout_s=1.0, fetch_allow_private=True)
    started = time.monotonic()
    with client(options) as http, pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(f"{server}/drip", http, options)
    # The server takes 20 s to send it all; each byte alone comes well within the timeout.
    assert time.monotonic() - started < 10


def test_a_malformed_line_in_pages_jsonl_is_reported_and_new_pages_saved(server, tmp_path):
    out = tmp_path / "fetched"
    out.mkdir()
    earlier = json.dumps({"id": "https://x.example/1", "text": "The port reopened."})
    # A run killed mid-write leaves a last line cut off, without its newline.
    (out / "pages.jsonl").write_text(earlier + '\n["not an object"]\n{"id": "https://x.example/2", "te')
    result = CliRunner().invoke(app, ["fetch", "--allow-private", f"{server}/page", "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "pages.jsonl:2: a JSONL line must be an object" in result.output
    assert "pages.jsonl:3: malformed JSON" in result.output
    docs = [d for d in read_file(out / "pages.jsonl", Options()) if isinstance(d, RawDoc)]
    assert [d.given["source_id"] for d in docs] == ["https://x.example/1", f"{server}/page"]
