"""How fast does the web app answer over a store of 10k articles: a story page under 200 ms at p95?

    python bench/web.py [--size 10000] [--db PATH] [--pages 200] [--fill-batch 2000] [--dated-share 0.7]
                        [--days 365] [--cache PATH] [--seed 1] [--json OUT]

The store holds ``--size`` synthetic articles made as bench/stories_scale.py makes them (its article
maker, which is corpus_scale's: real PolNeAR paragraphs and their annotations recombined into new
articles, names renamed so new ones keep arriving, dates spread over ``--days`` days and
``--dated-share`` of them dated), stored in commits of ``--fill-batch`` by ``pipeline._commit`` as a
bulk import makes them. It is kept at ``--db`` (by default named by size under the temporary folder)
and reused by later runs while it holds the asked number of articles; before serving it is opened
once read-write, which migrates an older schema and compares the stories that have no digest yet
(as the end of every ``analyze`` run does; the seconds are printed). Its corpus level (stories,
reuse) is served as the fill (or the last ``analyze``) left it, as ``serve`` itself does: a run of
newer corpus code rebuilds it, the web app never does, so timings of two code versions on one store
may cluster differently.

The real server then runs as a subprocess (``newsprism serve --db PATH --port P``, loopback, no
token), and every request goes over HTTP, one at a time, through one httpx client (kept-alive
connection, as a browser's). The timed requests, in this order:

* story pages ``/stories/{id}`` for ``--pages`` distinct stories drawn (seeded) the way readers hit
  them: each draw is, with even odds, a story chosen uniformly among all stories (the long tail of
  small ones) or one chosen in proportion to its number of articles (big stories are read more);
  a story drawn twice is drawn again. Each page is asked once ("cold": the first request for it
  since the server started) and then a second pass asks the same pages again ("warm": what the
  operating system and DuckDB keep between requests, and the story views the app keeps in memory
  until the store changes);
* both charts (``timeline.svg``, ``coverage.svg``) of 50 of those stories;
* the index ``/``, pages 1 to 5 twice over, and page 1 filtered by each of 10 outlets;
* ``/search?q=`` for 20 words drawn from the titles of the stored articles;
* ``/articles/{id}`` for 50 articles drawn uniformly.

For each kind: count, median, 95th percentile (linear interpolation) and largest time in ms, and the
share of answers that were not 200 (which should be 0). The baselines, in the same run: the app's
fixed cost per request, ``/static/style.css`` through the same server (HTTP, routing, middleware, no
store), and outside the server a bare ``duckdb.connect(path, read_only=True)``, ``SELECT count(*)
FROM articles`` and close (what opening the store costs every request at the least). The verdict is
the cold story pages' 95th percentile against the 200 ms goal. The sizes (articles) of the stories
sampled are printed beside it, so a slow figure can be read against how big the pages were.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

import duckdb
import httpx
from corpus_scale import DATED_SHARE, commit, cut_runs, file_mib, load_pool, scale_parser
from stories_scale import START, YearMaker

from newsprism import pipeline
from newsprism.corpus.digests import refresh_digests
from newsprism.store import open_store

GOAL_MS = 200.0
CHART_STORIES = 50
ARTICLES = 50
SEARCH_WORDS = 20
INDEX_PAGES = 5
INDEX_ROUNDS = 2
OUTLETS = 10
BASELINE_REQUESTS = 200
STARTUP_WAIT_S = 120.0
REQUEST_TIMEOUT_S = 120.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), interpolated linearly between the closest ranks."""
    ordered = sorted(values)
    at = (len(ordered) - 1) * q / 100
    lo = int(at)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)


def summary(times_ms: Sequence[float], statuses: Sequence[int]) -> dict[str, float | int | None]:
    if not times_ms:
        return {"count": 0, "p50": None, "p95": None, "max": None, "non_200": None}
    return {
        "count": len(times_ms),
        "p50": percentile(times_ms, 50),
        "p95": percentile(times_ms, 95),
        "max": max(times_ms),
        "non_200": sum(s != 200 for s in statuses) / len(statuses),
    }


def stored_articles(path: Path) -> int | None:
    """How many articles the store at ``path`` holds, or None if there is no usable store."""
    if not path.is_file():
        return None
    try:
        db = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        db.close()


def fill(path: Path, args: argparse.Namespace) -> float:
    """Make the store of ``args.size`` articles at ``path`` (a partial file first, renamed when
    complete, so a store at ``path`` is always whole); the seconds spent in the commits."""
    started = time.perf_counter()
    articles, annotations = load_pool(args.cache)
    print(f"pool: {len(articles)} annotated articles ({time.perf_counter() - started:.0f} s)", flush=True)
    maker = YearMaker(
        cut_runs(articles, annotations, random.Random(args.seed)),
        args.seed,
        args.size,
        args.days,
        args.dated_share,
    )
    print(
        f"stream: {args.size:,} articles over {args.days} days from {START}, {args.dated_share:.0%} dated",
        flush=True,
    )
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    fill_s = 0.0
    with open_store(partial) as store:
        pipeline.ensure_corpus_current(store)
        filled = 0
        while filled < args.size:
            outcomes, pending = maker.batch(min(args.fill_batch, args.size - filled))
            fill_s += commit(store, outcomes, pending)
            filled += len(outcomes)
            print(
                f"  filled {filled:>7}  {fill_s:6.0f} s  ({fill_s / filled * 1000:.1f} ms/article so far)",
                flush=True,
            )
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    partial.rename(path)
    return fill_s


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def newsprism_command() -> list[str]:
    beside = Path(sys.executable).with_name("newsprism")
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("newsprism")
    if found is None:
        sys.exit("no `newsprism` command: install the project (pip install -e .) first")
    return [found]


class Server:
    """``newsprism serve`` in a subprocess, its output kept in a temporary file."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.keep = False
        handle, name = tempfile.mkstemp(prefix="newsprism-web-bench-", suffix=".log")
        self.log = Path(name)
        self.process = subprocess.Popen(
            [*newsprism_command(), "serve", "--db", str(db), "--port", str(self.port)],
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        os.close(handle)

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def died(self) -> None:
        """Stop the bench with the server's last words (its output file is kept)."""
        self.keep = True
        sys.exit(
            f"the server exited with status {self.process.returncode}; the tail of its output "
            f"({self.log}):\n{self.tail()}"
        )

    def wait_ready(self, client: httpx.Client) -> float:
        started = time.perf_counter()
        while time.perf_counter() - started < STARTUP_WAIT_S:
            if self.process.poll() is not None:
                self.died()
            try:
                if client.get("/api/stories").status_code == 200:
                    return time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.keep = True
        self.stop()
        sys.exit(
            f"the server did not answer /api/stories within {STARTUP_WAIT_S:.0f} s; its output:\n"
            f"{self.tail()}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.keep:
            self.log.unlink(missing_ok=True)


class Timer:
    """Sequential GETs through one client, their times and statuses by kind."""

    def __init__(self, client: httpx.Client, server: Server) -> None:
        self.client, self.server = client, server
        self.times: dict[str, list[float]] = {}
        self.statuses: dict[str, list[int]] = {}
        self.failures: dict[str, list[str]] = {}

    def get(self, kind: str, url: str) -> None:
        started = time.perf_counter()
        try:
            status = self.client.get(url).status_code
        except httpx.HTTPError as exc:
            if self.server.process.poll() is not None:
                self.server.died()
            raise SystemExit(f"GET {url} failed: {exc!r}") from exc
        spent = (time.perf_counter() - started) * 1000
        self.times.setdefault(kind, []).append(spent)
        self.statuses.setdefault(kind, []).append(status)
        if status != 200:
            self.failures.setdefault(kind, []).append(f"{status} {url}")

    def summary(self, kind: str) -> dict[str, float | int | None]:
        return summary(self.times.get(kind, []), self.statuses.get(kind, []))


def bare_duckdb(path: Path, n: int) -> list[float]:
    """Open, count the articles, close: the least each request pays to read the store."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        db = duckdb.connect(str(path), read_only=True)
        db.execute("SELECT count(*) FROM articles").fetchone()
        db.close()
        times.append((time.perf_counter() - started) * 1000)
    return times


def sample_stories(sizes: dict[str, int], n: int, rng: random.Random) -> list[str]:
    """``n`` distinct stories: each draw, with even odds, uniform over stories or in proportion
    to their size (articles)."""
    ids = sorted(sizes)
    weights = [sizes[i] for i in ids]
    chosen: dict[str, None] = {}
    while len(chosen) < min(n, len(ids)):
        pick = rng.choice(ids) if rng.random() < 0.5 else rng.choices(ids, weights)[0]
        chosen.setdefault(pick)
    return list(chosen)


def store_facts(path: Path, rng: random.Random) -> dict:
    """What the requests are drawn from: story sizes, article ids, outlets, title words."""
    db = duckdb.connect(str(path), read_only=True)
    try:
        sizes = dict(
            db.execute(
                "SELECT c.id, count(*) FROM clusters c JOIN story_articles s ON s.story = c.id "
                "WHERE c.level = 'story' GROUP BY c.id"
            ).fetchall()
        )
        articles = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id").fetchall()]
        outlets = [
            r[0]
            for r in db.execute(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet"
            ).fetchall()
        ]
        titles = [r[0] for r in db.execute("SELECT title FROM articles WHERE title IS NOT NULL").fetchall()]
        counts = {
            "articles": len(articles),
            "undated": db.execute("SELECT count(*) FROM articles WHERE published IS NULL").fetchone()[0],
            "storylines": db.execute("SELECT count(*) FROM clusters WHERE level = 'storyline'").fetchone()[0],
        }
    finally:
        db.close()
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{4,}", t)})
    return {
        "sizes": sizes,
        "articles": rng.sample(articles, min(ARTICLES, len(articles))),
        "outlets": rng.sample(outlets, min(OUTLETS, len(outlets))),
        "words": rng.sample(words, min(SEARCH_WORDS, len(words))),
        "counts": counts,
    }


def distribution(values: Sequence[int]) -> dict[str, float]:
    return {"median": statistics.median(values), "p95": percentile(values, 95), "max": max(values)}


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def main() -> None:
    parser = scale_parser(__doc__)
    for action in parser._actions:  # corpus_scale's options that this bench has no use for
        if action.dest in ("sizes", "batch", "repeats"):
            action.help = argparse.SUPPRESS
    parser.add_argument("--size", type=int, default=10_000, help="articles in the store")
    parser.add_argument(
        "--db",
        type=Path,
        help="the store, made if missing (default: by size, under the "
        "temporary folder, in newsprism-web-bench/)",
    )
    parser.add_argument("--pages", type=int, default=200, help="story pages asked, each once cold, once warm")
    parser.add_argument(
        "--dated-share",
        type=float,
        default=DATED_SHARE,
        help="share of the articles given a publication date",
    )
    parser.add_argument("--days", type=int, default=365, help="days the articles are spread over")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / "newsprism-web-bench" / f"web-{args.size}.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    result: dict = {"db": str(path), "size": args.size, "seed": args.seed, "goal_ms": GOAL_MS}

    held = stored_articles(path)
    if held == args.size:
        print(f"store: {path} reused ({held:,} articles, {file_mib(path):.0f} MiB)", flush=True)
        result["fill_s"] = None
    else:
        if held is not None:
            print(f"store: {path} holds {held:,} articles, not {args.size:,}: made again", flush=True)
        result["fill_s"] = fill(path, args)
        print(
            f"store: {path} filled with {args.size:,} articles in {result['fill_s']:.0f} s "
            f"({result['fill_s'] / args.size * 1000:.1f} ms/article), {file_mib(path):.0f} MiB",
            flush=True,
        )
    started = time.perf_counter()
    with open_store(path) as store:
        result["open_s"] = time.perf_counter() - started
        print(f"opened read-write once (schema migrated if older): {result['open_s']:.1f} s", flush=True)
        # What the end of every analyze run does: compare the stories whose articles changed.
        started = time.perf_counter()
        compared = refresh_digests(store)
        result["digests_s"] = time.perf_counter() - started
        print(f"story digests: {compared:,} stories compared in {result['digests_s']:.1f} s", flush=True)

    rng = random.Random(args.seed)
    facts = store_facts(path, rng)
    sizes = facts["sizes"]
    if not sizes:
        sys.exit(f"{path}: no stories in the store")
    story_ids = sample_stories(sizes, args.pages, rng)
    chart_ids = rng.sample(story_ids, min(CHART_STORIES, len(story_ids)))
    all_sizes = list(sizes.values())
    result["store"] = {
        **facts["counts"],
        "stories": len(sizes),
        "story_sizes": distribution(all_sizes),
        "db_mib": file_mib(path),
    }
    result["sampled_story_sizes"] = distribution([sizes[i] for i in story_ids])
    print(
        f"stories: {len(sizes):,} (articles per story: median {statistics.median(all_sizes):g}, "
        f"p95 {percentile(all_sizes, 95):g}, max {max(all_sizes)}), storylines "
        f"{facts['counts']['storylines']:,}, undated articles {facts['counts']['undated']:,}",
        flush=True,
    )

    server = Server(path)
    try:
        with httpx.Client(base_url=server.base, timeout=REQUEST_TIMEOUT_S, follow_redirects=False) as client:
            result["startup_s"] = server.wait_ready(client)
            print(
                f"server: {server.base} answered /api/stories after {result['startup_s']:.1f} s", flush=True
            )
            timer = Timer(client, server)
            for _ in range(BASELINE_REQUESTS):
                timer.get("static style.css", "/static/style.css")
            for story in story_ids:
                timer.get("story page, cold", f"/stories/{story}")
            for story in story_ids:
                timer.get("story page, warm", f"/stories/{story}")
            for story in chart_ids:
                timer.get("timeline.svg", f"/stories/{story}/timeline.svg")
                timer.get("coverage.svg", f"/stories/{story}/coverage.svg")
            for _ in range(INDEX_ROUNDS):
                for page in range(1, INDEX_PAGES + 1):
                    timer.get("index /", f"/?page={page}")
            for outlet in facts["outlets"]:
                timer.get("index /?outlet=", f"/?outlet={quote(outlet)}")
            for word in facts["words"]:
                timer.get("/search?q=", f"/search?q={quote(word)}")
            for article in facts["articles"]:
                timer.get("article page", f"/articles/{article}")
            if server.process.poll() is not None:
                server.died()
            if timer.failures:
                server.keep = True
                print(
                    f"some answers were not 200; the tail of the server's output ({server.log}):\n"
                    f"{server.tail()}",
                    flush=True,
                )
    finally:
        server.stop()
    bare = bare_duckdb(path, BASELINE_REQUESTS)

    kinds = list(timer.times)
    result["requests"] = {k: timer.summary(k) for k in kinds}
    result["requests"]["bare duckdb open+count"] = summary(bare, [200] * len(bare))
    result["failures"] = timer.failures
    result["times_ms"] = {**timer.times, "bare duckdb open+count": bare}
    result["sampled"] = {
        "stories": story_ids,
        "charts": chart_ids,
        "articles": facts["articles"],
        "outlets": facts["outlets"],
        "words": facts["words"],
    }

    print(
        f"\nsequential requests over HTTP, ms ({len(story_ids)} stories drawn: half uniformly, half by size)"
    )
    print(f"{'kind':<26} {'count':>6} {'p50':>8} {'p95':>8} {'max':>8} {'non-200':>8}")
    for kind, row in result["requests"].items():
        print(
            f"{kind:<26} {row['count']:>6} {fmt(row['p50']):>8} {fmt(row['p95']):>8} {fmt(row['max']):>8} "
            f"{fmt(row['non_200'], '.0%'):>8}"
        )
    for kind, failed in timer.failures.items():
        print(f"  {kind}: {len(failed)} not 200, e.g. " + "; ".join(failed[:3]))
    sampled = result["sampled_story_sizes"]
    print(
        f"articles per sampled story: median {sampled['median']:g}, p95 {sampled['p95']:g}, "
        f"max {sampled['max']}"
    )
    cold = result["requests"]["story page, cold"]
    warm = result["requests"]["story page, warm"]
    static = result["requests"]["static style.css"]
    baseline = result["requests"]["bare duckdb open+count"]
    result["verdict"] = "pass" if cold["p95"] < GOAL_MS else "fail"
    print(
        f"story page p95: cold {cold['p95']:.1f} ms, warm {warm['p95']:.1f} ms; beside the app's fixed cost "
        f"(style.css) p95 {static['p95']:.1f} ms and a bare DuckDB open+count+close p95 "
        f"{baseline['p95']:.1f} ms"
    )
    print(
        f"goal: story page p95 under {GOAL_MS:.0f} ms over {facts['counts']['articles']:,} articles: "
        f"{result['verdict'].upper()} ({cold['p95']:.1f} ms cold)"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
