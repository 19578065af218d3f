"""How fast does the web app answer over a store of 10k articles: a story page under 200 ms at p95?

    python bench/web.py [--size 10000] [--db PATH|postgresql://...] [--writer [--batch 100]] [--pages 200]
                        [--fill-batch 2000] [--dated-share 0.7] [--days 365] [--cache PATH] [--seed 1]
                        [--json OUT]

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
may cluster differently. ``--db`` may name a PostgreSQL database instead (``postgresql://...``),
filled in place when it holds no store and reused while it holds ``--size`` articles (one holding
another number is refused: give an empty one).

``--writer`` (PostgreSQL only: a DuckDB file's readers take turns with its writer) starts, once the
server answers, a process committing new articles of the same kind (another seed) to the store in
commits of ``--batch``, one after the other, through the whole timed sequence: what a reader meets
while a team member's ``analyze`` commits. Each commit changes the store, so the app's story views
kept in memory are made again. The articles it committed and its seconds per commit are printed; the
store then holds more than ``--size`` articles, so a later run needs a new database.

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
store), and outside the server a bare ``duckdb.connect(path, read_only=True)`` (or a PostgreSQL
connection), ``SELECT count(*) FROM articles`` and close (what opening the store costs every request
at the least). The verdict is
the cold story pages' 95th percentile against the 200 ms goal. The sizes (articles) of the stories
sampled are printed beside it, so a slow figure can be read against how big the pages were.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
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
from collections.abc import Callable, Sequence
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path
from urllib.parse import quote

import duckdb
import httpx
from corpus_scale import DATED_SHARE, commit, cut_runs, load_pool, scale_parser, store_mib
from stories_scale import START, YearMaker

from newsprism import pipeline
from newsprism.corpus.digests import refresh_digests
from newsprism.errors import StoreError
from newsprism.store import Store, is_server_address, open_store

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


def stored_articles(db: str) -> int | None:
    """How many articles the store at ``db`` holds, or None if there is no usable store (an empty
    PostgreSQL database is none)."""
    if is_server_address(db):
        try:
            with open_store(db, read_only=True) as store:
                return store.counts()["articles"]
        except StoreError:
            return None
    path = Path(db)
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


def fill(db: str, args: argparse.Namespace) -> float:
    """Make the store of ``args.size`` articles at ``db``; the seconds spent in the commits. A
    DuckDB file is made under another name first, renamed when complete, so a store at ``db`` is
    always whole; a PostgreSQL database is filled in place, and must hold no store yet."""
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
    if is_server_address(db):
        return commit_stream(db, maker, args)
    path = Path(db)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    fill_s = commit_stream(str(partial), maker, args)
    for old in (path, path.with_name(path.name + ".wal")):
        old.unlink(missing_ok=True)
    partial.rename(path)
    return fill_s


def commit_stream(db: str, maker: YearMaker, args: argparse.Namespace) -> float:
    """``args.size`` articles of ``maker`` committed to ``db`` in commits of ``args.fill_batch``;
    the seconds the commits took."""
    fill_s = 0.0
    with open_store(db) as store:
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
    return fill_s


@dataclasses.dataclass(frozen=True)
class Stream:
    """The ``--writer``'s articles: the pool ``cache``, the run's ``seed`` (the writer takes the
    next), the ``size`` and ``days`` their dates are spread over as in the fill, the share dated; the
    articles per commit, how a commit stores them (``store_batch(store, outcomes, pending)``, its
    seconds), and the seconds it waits after each (as ``analyze`` waits for its workers)."""

    cache: Path
    seed: int
    size: int
    days: int
    dated_share: float
    batch: int
    store_batch: Callable[[Store, list[pipeline.Outcome], dict], float]
    pause_s: float = 0.0


def write_meanwhile(db: str, stream: Stream, ready: Event, stop: Event, written: Queue) -> None:
    """The concurrent writer (a process of its own): commits of new articles of the same kind
    (another seed, another source folder) into ``db`` one after the other until ``stop`` is set;
    then the articles and seconds of each commit go to ``written``."""
    articles, annotations = load_pool(stream.cache)
    seed = stream.seed + 1
    runs = cut_runs(articles, annotations, random.Random(seed))
    maker = YearMaker(runs, seed, stream.size, stream.days, stream.dated_share)
    maker.source = "bench-writer"
    commits = []
    with open_store(db) as store:
        ready.set()
        while not stop.is_set():
            outcomes, pending = maker.batch(stream.batch)
            commits.append((len(outcomes), stream.store_batch(store, outcomes, pending)))
            stop.wait(stream.pause_s)
    written.put(commits)


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

    def __init__(self, db: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.keep = False
        handle, name = tempfile.mkstemp(prefix="newsprism-web-bench-", suffix=".log")
        self.log = Path(name)
        self.process = subprocess.Popen(
            [*newsprism_command(), "serve", "--db", db, "--port", str(self.port)],
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


def bare_open(db: str, n: int) -> list[float]:
    """Open, count the articles, close (DuckDB read-only, or a PostgreSQL connection): the least
    each request pays to read the store."""
    times = []
    for _ in range(n):
        started = time.perf_counter()
        if is_server_address(db):
            import psycopg  # the postgres extra, which a DuckDB run goes without

            with psycopg.connect(db) as connection:
                connection.execute("SELECT count(*) FROM articles").fetchone()
        else:
            connection = duckdb.connect(db, read_only=True)
            connection.execute("SELECT count(*) FROM articles").fetchone()
            connection.close()
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


def store_facts(db: str, rng: random.Random) -> dict:
    """What the requests are drawn from: story sizes, article ids, outlets, title words."""
    with open_store(db, read_only=True) as store:
        sizes = dict(
            store._rows(
                "SELECT c.id, count(*) FROM clusters c JOIN story_articles s ON s.story = c.id "
                "WHERE c.level = 'story' GROUP BY c.id"
            )
        )
        articles = [r[0] for r in store._rows("SELECT id FROM articles ORDER BY id")]
        outlets = [
            r[0]
            for r in store._rows(
                "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet"
            )
        ]
        titles = [r[0] for r in store._rows("SELECT title FROM articles WHERE title IS NOT NULL")]
        counts = {
            "articles": len(articles),
            "undated": store._one("SELECT count(*) FROM articles WHERE published IS NULL")[0],
            "storylines": store._one("SELECT count(*) FROM clusters WHERE level = 'storyline'")[0],
        }
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


def timed_requests(timer: Timer, story_ids: list[str], chart_ids: list[str], facts: dict) -> None:
    """The timed requests, in the order the module's text gives."""
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


class Writer:
    """``write_meanwhile`` in a process of its own, spawned: it inherits none of this one's
    connections."""

    def __init__(self, db: str, stream: Stream) -> None:
        context = multiprocessing.get_context("spawn")
        self.ready, self.stopping, self.written = context.Event(), context.Event(), context.Queue()
        self.process = context.Process(
            target=write_meanwhile, args=(db, stream, self.ready, self.stopping, self.written)
        )
        self.commits: list[tuple[int, float]] | None = None

    def start(self) -> None:
        """Start writing, once the writer has its articles' pool and its store open."""
        self.process.start()
        if not self.ready.wait(STARTUP_WAIT_S):
            sys.exit("the writer did not open the store")

    def stop(self) -> list[tuple[int, float]]:
        """Let the commit under way end, and the articles and seconds of every commit made."""
        if self.commits is None and self.process.pid is not None:
            self.stopping.set()
            self.commits = self.written.get()
            self.process.join()
        return self.commits or []


def prepared(db: str, args: argparse.Namespace, result: dict) -> None:
    """The store at ``db`` holding ``args.size`` articles, reused or made, then opened read-write
    once as the end of ``analyze`` leaves it."""
    held = stored_articles(db)
    if held == args.size:
        print(f"store: {db} reused ({held:,} articles, {store_mib(db):.0f} MiB)", flush=True)
        result["fill_s"] = None
    else:
        if held is not None:
            if is_server_address(db):
                sys.exit(f"{db} holds {held:,} articles, not {args.size:,}: give an empty database")
            print(f"store: {db} holds {held:,} articles, not {args.size:,}: made again", flush=True)
        result["fill_s"] = fill(db, args)
        print(
            f"store: {db} filled with {args.size:,} articles in {result['fill_s']:.0f} s "
            f"({result['fill_s'] / args.size * 1000:.1f} ms/article), {store_mib(db):.0f} MiB",
            flush=True,
        )
    started = time.perf_counter()
    with open_store(db) as store:
        result["open_s"] = time.perf_counter() - started
        print(f"opened read-write once (schema migrated if older): {result['open_s']:.1f} s", flush=True)
        # What the end of every analyze run does: compare the stories whose articles changed.
        started = time.perf_counter()
        compared = refresh_digests(store)
        result["digests_s"] = time.perf_counter() - started
        print(f"story digests: {compared:,} stories compared in {result['digests_s']:.1f} s", flush=True)


def bench_store(parser: argparse.ArgumentParser, args: argparse.Namespace, bench: str) -> str:
    """The store a bench reads: ``--db``, else a DuckDB file of ``--size`` articles kept in the
    temporary folder for the next run; a ``--writer`` needs a server."""
    if args.db is None:
        default = Path(tempfile.gettempdir()) / f"newsprism-{bench}-bench" / f"{bench}-{args.size}.duckdb"
        default.parent.mkdir(parents=True, exist_ok=True)
        args.db = str(default)
    if args.writer and not is_server_address(args.db):
        parser.error("--writer needs a PostgreSQL --db: a DuckDB file's readers and writer take turns")
    return args.db


def main() -> None:
    parser = scale_parser(__doc__)
    for action in parser._actions:  # corpus_scale's options that this bench has no use for
        if action.dest in ("sizes", "repeats"):
            action.help = argparse.SUPPRESS
        if action.dest == "batch":
            action.help = "articles per commit of the --writer"
    parser.add_argument("--size", type=int, default=10_000, help="articles in the store")
    parser.add_argument(
        "--db",
        help="the store, made if missing: a DuckDB file (default: by size, under the temporary folder, in "
        "newsprism-web-bench/) or a PostgreSQL database (postgresql://...), empty or holding --size articles",
    )
    parser.add_argument(
        "--writer",
        action="store_true",
        help="a process committing new articles to the PostgreSQL --db all through the timed requests",
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
    path = bench_store(parser, args, "web")
    result: dict = {
        "db": path, "size": args.size, "seed": args.seed, "goal_ms": GOAL_MS, "writer": args.writer
    }
    prepared(path, args, result)

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
        "db_mib": store_mib(path),
    }
    result["sampled_story_sizes"] = distribution([sizes[i] for i in story_ids])
    print(
        f"stories: {len(sizes):,} (articles per story: median {statistics.median(all_sizes):g}, "
        f"p95 {percentile(all_sizes, 95):g}, max {max(all_sizes)}), storylines "
        f"{facts['counts']['storylines']:,}, undated articles {facts['counts']['undated']:,}",
        flush=True,
    )

    stream = Stream(args.cache, args.seed, args.size, args.days, args.dated_share, args.batch, commit)
    writer = Writer(path, stream) if args.writer else None
    server = Server(path)
    try:
        with httpx.Client(base_url=server.base, timeout=REQUEST_TIMEOUT_S, follow_redirects=False) as client:
            result["startup_s"] = server.wait_ready(client)
            print(
                f"server: {server.base} answered /api/stories after {result['startup_s']:.1f} s", flush=True
            )
            timer = Timer(client, server)
            if writer:
                writer.start()
            timed_requests(timer, story_ids, chart_ids, facts)
            if writer:
                result["writer_commits"] = writer.stop()
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
        if writer:
            writer.stop()
        server.stop()
    bare = bare_open(path, BASELINE_REQUESTS)

    kinds = list(timer.times)
    result["requests"] = {k: timer.summary(k) for k in kinds}
    result["requests"]["bare open+count"] = summary(bare, [200] * len(bare))
    result["failures"] = timer.failures
    result["times_ms"] = {**timer.times, "bare open+count": bare}
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
    baseline = result["requests"]["bare open+count"]
    if writer:
        commits = result["writer_commits"]
        added = sum(n for n, _ in commits)
        print(
            f"the writer committed {added:,} articles in {len(commits)} commits during the requests "
            f"({statistics.fmean(t for _, t in commits) if commits else 0:.1f} s a commit); "
            f"the store now holds {args.size + added:,} articles"
        )
    result["verdict"] = "pass" if cold["p95"] < GOAL_MS else "fail"
    print(
        f"story page p95: cold {cold['p95']:.1f} ms, warm {warm['p95']:.1f} ms; beside the app's fixed cost "
        f"(style.css) p95 {static['p95']:.1f} ms and a bare open+count+close p95 "
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
