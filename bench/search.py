"""How fast is article search over a store of 10k articles, through the index and by the old scan?

    python bench/search.py [--size 10000] [--db PATH] [--queries 200] [--fill-batch 2000]
                           [--cache PATH] [--seed 1] [--json OUT]

The store holds ``--size`` synthetic articles from bench/stories_scale.py's stream (corpus_scale's
article maker: real PolNeAR paragraphs recombined into new articles, names renamed, dates spread over
a year, some undated). Only the articles are stored (``put_articles`` in commits of ``--fill-batch``,
each followed by the index's own commit, as in ``analyze``): search reads nothing of the corpus
level, which would take an hour to build at this size. The store is kept at ``--db`` (by default
named by size under the temporary folder) and reused while it holds the asked number of articles.

Printed: the seconds the fill spent, and what rebuilding the whole index from the store takes (the
cost of catching up after a crash). Then ``--queries`` queries of 1, 2 and 3 words (a third each,
drawn seeded from the stored paragraphs: one word of four letters or more, or two or three
consecutive words), each run through the store opened read-only, as the web app does: by the
index (``search_articles``: ranked, first page of 20) and by the ILIKE scan every search was before
(``_scanned_articles``, the reader's fallback when its index is behind), alternately, the scan
after the index. Per word count and overall: median and 95th percentile ms, and the mean number of
matching articles each found (the index matches stems, the scan substrings, so they differ a little).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from corpus_scale import DATED_SHARE, REFERENCE_DATE, cut_runs, load_pool, scale_parser
from stories_scale import YearMaker
from web import percentile, stored_articles

from newsprism.store import open_store

PAGE = 20
WORD = re.compile(r"[A-Za-z][a-z]+")


def fill(path: Path, args: argparse.Namespace) -> float:
    """The store of ``args.size`` articles at ``path`` (made under another name, renamed when whole);
    the seconds its commits took, index included."""
    articles, annotations = load_pool(args.cache)
    maker = YearMaker(
        cut_runs(articles, annotations, random.Random(args.seed)), args.seed, args.size, 365, DATED_SHARE
    )
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, partial.with_name(partial.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(partial.with_name(partial.name + ".search"), ignore_errors=True)
    spent, filled = 0.0, 0
    with open_store(partial) as store:
        while filled < args.size:
            outcomes, _ = maker.batch(min(args.fill_batch, args.size - filled))
            started = time.perf_counter()
            with store.transaction():
                store.put_articles(
                    [(o.article, o.annotations) for o in outcomes], {}, "bench", "bench", REFERENCE_DATE
                )
            spent += time.perf_counter() - started
            filled += len(outcomes)
            print(f"  filled {filled:>7}  {spent:6.1f} s", flush=True)
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


def rebuild_s(path: Path) -> float:
    """Seconds to make the whole index again from the store, as after a crash."""
    shutil.rmtree(path.with_name(path.name + ".search"))
    started = time.perf_counter()
    with open_store(path) as store:
        assert store.refresh_search_index()
    return time.perf_counter() - started


def queries(path: Path, n: int, rng: random.Random) -> list[str]:
    with open_store(path, read_only=True) as store:
        ids = store.select()
        sample = store.articles(rng.sample(ids, min(len(ids), 4 * n)))
    paragraphs = [words for a in sample for p in a.paragraphs if len(words := WORD.findall(p)) >= 3]
    made = []
    for i in range(n):
        words = rng.choice(paragraphs)
        size = i % 3 + 1
        if size == 1:
            words = [w for w in words if len(w) >= 4] or words
            made.append(rng.choice(words))
        else:
            start = rng.randrange(max(len(words) - size, 1))
            made.append(" ".join(words[start : start + size]))
    return made


def timed(path: Path, texts: list[str]) -> dict[str, dict[int, list[tuple[float, int]]]]:
    found: dict[str, dict[int, list[tuple[float, int]]]] = {"index": {}, "scan": {}}
    with open_store(path, read_only=True) as store:
        assert store.search_index_current()
        for text in texts:
            words = len(text.split())
            for way, search in (
                ("index", lambda t: store.search_articles(t, limit=PAGE)),
                ("scan", lambda t: store._scanned_articles(t, None, None, None, PAGE, 0)),
            ):
                started = time.perf_counter()
                page = search(text)
                found[way].setdefault(words, []).append(((time.perf_counter() - started) * 1000, page.total))
    return found


def report(found: dict[str, dict[int, list[tuple[float, int]]]]) -> dict:
    figures: dict = {}
    print(f"\n{'':8}{'words':>6}{'n':>5}{'p50 ms':>10}{'p95 ms':>10}{'hits':>9}")
    for way, by_words in found.items():
        groups = {**{str(k): v for k, v in sorted(by_words.items())}, "all": sum(by_words.values(), [])}
        for words, runs in groups.items():
            ms = [t for t, _ in runs]
            row = {
                "n": len(runs),
                "p50_ms": statistics.median(ms),
                "p95_ms": percentile(ms, 95),
                "mean_hits": statistics.fmean(h for _, h in runs),
            }
            figures.setdefault(way, {})[words] = row
            print(
                f"{way:8}{words:>6}{row['n']:>5}{row['p50_ms']:>10.2f}{row['p95_ms']:>10.2f}"
                f"{row['mean_hits']:>9.0f}"
            )
    return figures


def main() -> None:
    parser = scale_parser(__doc__)
    parser.add_argument("--size", type=int, default=10_000, help="articles in the store")
    parser.add_argument("--db", type=Path, help="the store, made when it does not hold --size articles")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    path = args.db or Path(tempfile.gettempdir()) / "newsprism-search-bench" / f"search-{args.size}.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    figures: dict = {"size": args.size}
    if stored_articles(path) != args.size:
        figures["fill_s"] = fill(path, args)
        print(f"store of {args.size:,} articles made in {figures['fill_s']:.1f} s of commits", flush=True)
    figures["rebuild_s"] = rebuild_s(path)
    print(f"index rebuilt from the store in {figures['rebuild_s']:.1f} s", flush=True)
    texts = queries(path, args.queries, random.Random(args.seed))
    figures.update(report(timed(path, texts)))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
