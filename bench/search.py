"""How fast are article, quote and entity search over a store of 10k articles, through the index
and by the old scan?

    python bench/search.py [--size 10000] [--db PATH|postgresql://...] [--writer [--batch 100]]
                           [--queries 200] [--fill-batch 2000] [--cache PATH] [--seed 1] [--json OUT]

The store holds ``--size`` synthetic articles from bench/stories_scale.py's stream (corpus_scale's
article maker: real PolNeAR paragraphs recombined into new articles, names renamed, dates spread over
a year, some undated), with their annotations (so their quotes). Only the articles are stored
(``put_articles`` in commits of ``--fill-batch``, each followed by the index's own commit, as in
``analyze``): the corpus level would take an hour to build at this size. Entities stand in for the
corpus level's: the stored mentions' names grouped by their type and last word ("Lavrov" with
"Sergey Lavrov"), each group one entity spelt as its mentions write it, stored in one commit through
the store's name and entity writes (the index follows them as it follows resolution). The store is
kept at ``--db`` (by default named by size under the temporary folder) and reused while it holds the
asked number of articles.

Printed: the seconds the fill spent, and what rebuilding the whole index from the store takes (the
cost of catching up after a crash). Then, for each kind (articles, quotes, entities), ``--queries``
queries of 1, 2 and 3 words (a third each, drawn seeded from the stored paragraphs, quotes' words or
entities' spellings: one word of four letters or more, or two or three consecutive words), each run
through the store opened read-only, as the web app does: by the index (``search_articles``,
``search_quotes``, ``search_entities``: ranked, first page of 20) and by the ILIKE scan every search
was before (``_scanned_articles`` and the like, a reader's fallback when its index is behind),
alternately, the scan after the index. Per kind, word count and overall: median and 95th percentile
ms, and the mean number of matches each found (the index matches stems, the scan substrings, so they
differ a little; an entity search gives no total, so its figure is the hits on the first page).

``--db`` may name a PostgreSQL database (``postgresql://...``): filled in place when it holds no store,
reused while it holds ``--size`` articles. Its "index" is the server's full text (the rows' own
vectors, GIN-indexed: nothing to rebuild, so no rebuild time), its scan the same ILIKE. ``--writer``
(PostgreSQL only) runs web.py's concurrent writer through the timed queries: commits of ``--batch``
new articles stored as the fill stores them, ``--writer-pause`` seconds apart (100 articles every 2 s
by default: the pace of several ``analyze`` processes); the store then holds more than ``--size``
articles, so a later run needs a new database.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from corpus_scale import DATED_SHARE, REFERENCE_DATE, cut_runs, load_pool, scale_parser
from stories_scale import YearMaker
from web import Stream, Writer, bench_store, percentile, stored_articles

from newsprism import pipeline
from newsprism.records import NameCounts
from newsprism.store import Store, is_server_address, open_store

PAGE = 20
WORD = re.compile(r"[A-Za-z][a-z]+")
KINDS = ("article", "quote", "entity")


def fill(db: str, args: argparse.Namespace) -> float:
    """The store of ``args.size`` articles at ``db``; the seconds its commits took, index included.
    A DuckDB file is made under another name, renamed when whole; a PostgreSQL database is filled in
    place, and must hold no store yet."""
    articles, annotations = load_pool(args.cache)
    maker = YearMaker(
        cut_runs(articles, annotations, random.Random(args.seed)), args.seed, args.size, 365, DATED_SHARE
    )
    if is_server_address(db):
        return store_stream(db, maker, args)
    path = Path(db)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(partial.with_name(partial.name + ".search"), ignore_errors=True)
    spent = store_stream(str(partial), maker, args)
    for suffix in ("", ".wal", ".search"):
        old = path.with_name(path.name + suffix)
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink(missing_ok=True)
        made = partial.with_name(partial.name + suffix)
        if made.exists():
            made.rename(old)
    return spent


def store_stream(db: str, maker: YearMaker, args: argparse.Namespace) -> float:
    """``args.size`` articles of ``maker`` stored at ``db`` in commits of ``args.fill_batch``; the
    seconds the commits took."""
    spent, filled = 0.0, 0
    with open_store(db) as store:
        while filled < args.size:
            outcomes, _ = maker.batch(min(args.fill_batch, args.size - filled))
            spent += put_batch(store, outcomes)
            filled += len(outcomes)
            print(f"  filled {filled:>7}  {spent:6.1f} s", flush=True)
    return spent


def put_batch(store: Store, outcomes: list[pipeline.Outcome], _raws: object = None) -> float:
    """The articles of ``outcomes`` and their annotations stored in one commit, index included (not
    their raw inputs, which the writer of web.py's ``Stream`` offers); its seconds."""
    started = time.perf_counter()
    with store.transaction():
        store.put_articles(
            [(o.article, o.annotations) for o in outcomes], {}, "bench", "bench", REFERENCE_DATE
        )
    return time.perf_counter() - started


def name_entities(path: str) -> float:
    """Entities made of the stored mentions' names (see the module's text), unless the store holds
    some; the seconds their commit took, index included."""
    with open_store(path) as store:
        if store.counts()["entities"]:
            return 0.0
        stats: dict[str, NameCounts] = {}
        entity_of: dict[str, str] = {}
        written: dict[str, Counter[str]] = defaultdict(Counter)
        kind: dict[str, str] = {}
        for text, label, n in store._rows(
            "SELECT text, label, count(*) FROM mentions GROUP BY text, label ORDER BY text, label"
        ):
            if not (form := " ".join(text.split())):
                continue
            key = f"{label}:{form.lower()}"
            stats.setdefault(key, NameCounts(key)).labels[label] += n
            stats[key].forms[form] += n
            stats[key].first.setdefault(form, len(stats))
            group = f"{label}:{form.split()[-1].lower()}"
            entity_of[key] = eid = "E" + hashlib.sha1(group.encode()).hexdigest()[:12]
            written[eid][form] += n
            kind[eid] = label
        rows = [(e, kind[e], forms.most_common(1)[0][0], forms.total(), 1) for e, forms in written.items()]
        started = time.perf_counter()
        with store.transaction():
            store.put_name_uses([], stats)
            store.put_names(entity_of, {key: key.split(":", 1)[0] for key in entity_of}, {})
            store.put_entities(rows, [])
        return time.perf_counter() - started


def rebuild_s(db: str) -> float | None:
    """Seconds to make the whole index again from the store, as after a crash; None for a
    PostgreSQL store, whose vectors are the rows' own (nothing to rebuild)."""
    if is_server_address(db):
        return None
    path = Path(db)
    shutil.rmtree(path.with_name(path.name + ".search"))
    started = time.perf_counter()
    with open_store(path) as store:
        assert store.refresh_search_index()
    return time.perf_counter() - started


def queries(path: str, n: int, rng: random.Random) -> dict[str, list[str]]:
    """``n`` queries of each kind, drawn from the texts it is searched by."""
    with open_store(path, read_only=True) as store:
        ids = store.select()
        sample = store.articles(rng.sample(ids, min(len(ids), 4 * n)))
        said = [r[0] for r in store._rows("SELECT text FROM quotes ORDER BY id")]
        named = [r[0] for r in store._rows("SELECT form FROM name_forms ORDER BY key, form")]
    texts = {
        "article": [p for a in sample for p in a.paragraphs],
        "quote": rng.sample(said, min(len(said), 4 * n)),
        "entity": named,
    }
    return {kind: drawn(texts[kind], n, rng) for kind in KINDS}


def drawn(texts: list[str], n: int, rng: random.Random) -> list[str]:
    """Queries of 1, 2 and 3 words, in turn; a text too short for the words asked gives fewer."""
    made = []
    for i in range(n):
        size = i % 3 + 1
        candidates = [w for t in rng.sample(texts, min(len(texts), 50)) if len(w := WORD.findall(t)) >= size]
        words = rng.choice(candidates or [WORD.findall(rng.choice(texts)) or ["the"]])
        if size == 1:
            words = [w for w in words if len(w) >= 4] or words
            made.append(rng.choice(words))
        else:
            start = rng.randrange(max(len(words) - size, 0) + 1)
            made.append(" ".join(words[start : start + size]))
    return made


Timings = dict[str, dict[str, dict[int, list[tuple[float, int]]]]]


def timed(path: str, texts: dict[str, list[str]]) -> Timings:
    found: Timings = {kind: {"index": {}, "scan": {}} for kind in KINDS}
    with open_store(path, read_only=True) as store:
        assert store.search_index_current()
        ways: dict[str, tuple[tuple[str, Callable[[str], int]], ...]] = {
            "article": (
                ("index", lambda t: store.search_articles(t, limit=PAGE).total),
                ("scan", lambda t: store._scanned_articles(t, None, None, None, PAGE, 0).total),
            ),
            "quote": (
                ("index", lambda t: store.search_quotes(t, limit=PAGE).total),
                ("scan", lambda t: store._scanned_quotes(t, None, None, None, PAGE, 0).total),
            ),
            "entity": (
                ("index", lambda t: len(store.search_entities(t, limit=PAGE))),
                ("scan", lambda t: len(store._scanned_entities(t, PAGE))),
            ),
        }
        for kind in KINDS:
            for text in texts[kind]:
                words = len(text.split())
                for way, search in ways[kind]:
                    started = time.perf_counter()
                    hits = search(text)
                    elapsed = (time.perf_counter() - started) * 1000
                    found[kind][way].setdefault(words, []).append((elapsed, hits))
    return found


def report(found: Timings) -> dict:
    figures: dict = {}
    print(f"\n{'':8}{'':8}{'words':>6}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'hits':>9}")
    for kind, by_way in found.items():
        for way, by_words in by_way.items():
            groups = {**{str(k): v for k, v in sorted(by_words.items())}, "all": sum(by_words.values(), [])}
            for words, runs in groups.items():
                ms = [t for t, _ in runs]
                row = {
                    "n": len(runs),
                    "p50_ms": statistics.median(ms),
                    "p95_ms": percentile(ms, 95),
                    "mean_hits": statistics.fmean(h for _, h in runs),
                }
                figures.setdefault(kind, {}).setdefault(way, {})[words] = row
                print(
                    f"{kind:8}{way:8}{words:>6}{row['n']:>5}{row['p50_ms']:>10.2f}{row['p95_ms']:>10.2f}"
                    f"{row['mean_hits']:>9.0f}"
                )
    return figures


def main() -> None:
    parser = scale_parser(__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="articles in the store")
    parser.add_argument(
        "--db",
        help="the store, made when it does not hold --size articles: a DuckDB file, or a PostgreSQL "
        "database (postgresql://...), empty or holding --size articles",
    )
    parser.add_argument(
        "--writer", action="store_true", help="commits of --batch new articles to a PostgreSQL --db meanwhile"
    )
    parser.add_argument(
        "--writer-pause",
        type=float,
        default=2.0,
        help="seconds between the writer's commits (stored without the corpus level, a commit takes a "
        "tenth of a second: unpaced, the store would grow tenfold during the queries)",
    )
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    path = bench_store(parser, args, "search")
    figures: dict = {"size": args.size, "writer": args.writer}
    held = stored_articles(path)
    if held != args.size:
        if held is not None and is_server_address(path):
            sys.exit(f"{path} holds {held:,} articles, not {args.size:,}: give an empty database")
        figures["fill_s"] = fill(path, args)
        print(f"store of {args.size:,} articles made in {figures['fill_s']:.1f} s of commits", flush=True)
    figures["entities_s"] = name_entities(path)
    print(f"entities stored and indexed in {figures['entities_s']:.1f} s of commits", flush=True)
    figures["rebuild_s"] = rebuild_s(path)
    if figures["rebuild_s"] is not None:
        print(f"index rebuilt from the store in {figures['rebuild_s']:.1f} s", flush=True)
    texts = queries(path, args.queries, random.Random(args.seed))
    stream = Stream(
        args.cache, args.seed, args.size, 365, DATED_SHARE, args.batch, put_batch, pause_s=args.writer_pause
    )
    writer = Writer(path, stream) if args.writer else None
    if writer:
        writer.start()
    try:
        found = timed(path, texts)
    finally:
        if writer:
            figures["writer_commits"] = writer.stop()
    figures.update(report(found))
    if writer:
        commits = figures["writer_commits"]
        print(
            f"the writer stored {sum(n for n, _ in commits):,} articles in {len(commits)} commits during the "
            f"queries ({statistics.fmean(t for _, t in commits) if commits else 0:.2f} s a commit)"
        )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
