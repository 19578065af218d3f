"""Cost of adding articles to a store that already holds 10k, then 100k: does the corpus level scale?

    python bench/corpus_scale.py [--sizes 10000 100000] [--batch 100] [--repeats 5] [--cache PATH]
                                 [--postgres postgresql://...]

What is timed is one commit of a batch of already-annotated articles exactly as ``analyze`` makes it
(``pipeline._commit``: raw inputs, article rows and annotations, input paths, and the corpus-level
update of entities, quote groups, reuse and stories, in one transaction), never spaCy. The figure is the
median over ``--repeats`` batches of the time per added article; the baseline is the same commit on
the smallest store of the run, and the ratio largest/smallest should stay near 1 (at most 2): adding
N articles should cost about N whatever the store holds. The four corpus stages (``corpus.update``:
entities, quote groups, reuse, stories, the last dating undated articles by their story) are timed
apart too, so a stage whose cost follows the store shows itself; "rest" is the commit less them
(store writes of the articles and annotations, retraction).

``--postgres URL`` (a PostgreSQL server, named by the address of any database on it) measures a
PostgreSQL store, in a new database dropped at the end, beside the DuckDB one in the same run: every
batch, filling or measured, is committed to both, one after the other, so both hold the same articles
at every size; printed too are PostgreSQL's cost against DuckDB's at each size (goal at most 2) and
each backend's own ratio largest/smallest.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import datetime as dt
import json
import os
import pickle
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

from newsprism import pipeline
from newsprism.article.annotate import annotate
from newsprism.article.clean import clean
from newsprism.article.ingest import make_doc
from newsprism.corpus import update as corpus
from newsprism.records import (
    PARAGRAPH_SEPARATOR,
    Annotations,
    Article,
    DateEvidence,
    Mention,
    Quote,
    RawDoc,
    TimeRef,
)
from newsprism.store import Store, is_server_address, open_store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
POOL_SIZE = 400
REFERENCE_DATE = dt.date(2017, 1, 1)
RUN_PARAGRAPHS = (2, 6)
RUNS_PER_ARTICLE = (1, 3)
DATED_SHARE = 0.7
OUTLETS = 60
# Per name word of a new article: renamed to a new word, or to an earlier minted one. About one new
# name word in every article or two, as news keeps introducing people and organisations.
NEW_NAME = 0.08
OLD_NAME = 0.12
NAME_LABELS = {"PERSON", "ORG", "NORP", "FAC", "GPE", "LOC", "EVENT", "WORK_OF_ART"}
SYLLABLES = ("ba", "ko", "ri", "ten", "mar", "vel", "do", "sa", "lin", "gor", "pe", "tu", "zan", "mi", "hal",
             "ro", "ne", "dar", "fi", "los", "ka", "be", "nor", "ul", "ves", "ta", "qui", "mo", "sen", "ar")
T = TypeVar("T")
COLUMNS = {"update_entities": "entities", "update_quote_groups": "quotes", "update_reuse": "reuse",
           "update_stories": "stories"}
STAGES = ("update_entities", "update_quote_groups", "update_reuse", "update_stories")


@dataclasses.dataclass(frozen=True)
class Run:
    """Consecutive paragraphs of a pool article, with the annotations that lie wholly inside them,
    their offsets relative to the run's start."""

    text: str
    mentions: tuple[tuple[int, int, str], ...]
    quotes: tuple[Quote, ...]
    times: tuple[tuple[int, int, str, str], ...]
    names: tuple[str, ...]
    title: str | None
    outlet: str | None


def load_pool(cache: Path) -> tuple[list[Article], dict[str, Annotations]]:
    """The pool articles, cleaned and annotated as ``analyze`` does, from the cache if there."""
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    rows = [json.loads(line) for line in
            (SHARED / "data" / "quotes" / "polnear-train.jsonl").read_text(encoding="utf-8").splitlines()]
    docs = [make_doc(f"polnear/{r['doc_id']}", r["text"], is_html=False,
                     given={"id": r["doc_id"], "outlet": r["publisher"], "title": r["title"],
                            "published": r["publication_date"]})
            for r in rows[:POOL_SIZE]]
    articles = [clean(doc, REFERENCE_DATE) for doc in docs]
    annotated = {n.article: n for n in annotate(articles) if n.error is None}
    pool = ([a for a in articles if a.id in annotated], annotated)
    cache.write_bytes(pickle.dumps(pool))
    return pool


def cut_runs(articles: Sequence[Article], annotations: dict[str, Annotations],
             rng: random.Random) -> list[Run]:
    lowercase = {w for a in articles for w in re.findall(r"\b[a-z]{3,}\b", a.body)}
    runs = []
    for article in articles:
        found = annotations[article.id]
        starts = [0]
        for p in article.paragraphs[:-1]:
            starts.append(starts[-1] + len(p) + len(PARAGRAPH_SEPARATOR))
        i = 0
        while i < len(article.paragraphs):
            j = min(len(article.paragraphs), i + rng.randint(*RUN_PARAGRAPHS))
            lo, hi = starts[i], starts[j - 1] + len(article.paragraphs[j - 1])

            def inside(s: int, e: int, lo: int = lo, hi: int = hi) -> bool:
                return lo <= s and e <= hi

            mentions = tuple((m.start - lo, m.end - lo, m.label) for m in found.mentions
                             if inside(m.start, m.end))
            # A proper-noun word: capitalised in a name and never written in lower case in the pool.
            names = sorted({w for m in found.mentions if inside(m.start, m.end) and m.label in NAME_LABELS
                            for w in re.findall(r"\b[A-Z][a-z]{2,}\b", m.text) if w.lower() not in lowercase})
            quotes = tuple(_shift_quote(q, -lo, inside) for q in found.quotes if inside(q.start, q.end))
            times = tuple((t.start - lo, t.end - lo, t.value, t.granularity) for t in found.times
                          if inside(t.start, t.end))
            runs.append(Run(article.body[lo:hi], mentions, quotes, times, tuple(names),
                            article.title if i == 0 else None, article.outlet))
            i = j
    return runs


def _shift_quote(q: Quote, by: int, inside: Callable[[int, int], bool]) -> Quote:
    speaker = q.speaker
    if speaker.start is not None and speaker.end is not None:
        kept = inside(speaker.start, speaker.end)
        speaker = dataclasses.replace(speaker, start=speaker.start + by if kept else None,
                                      end=speaker.end + by if kept else None)
    return dataclasses.replace(q, start=q.start + by, end=q.end + by, speaker=speaker)


class Maker:
    """Synthetic articles, each a few runs from different pool articles, renamed as it goes."""

    def __init__(self, runs: list[Run], seed: int, dated_share: float = DATED_SHARE):
        self.runs = runs
        self.rng = random.Random(seed)
        self.dated_share = dated_share
        self.minted: list[str] = []
        self.made = 0
        self.source = "bench"  # the folder of the articles' source paths, one per stream into a store
        self.outlets = sorted({r.outlet for r in runs if r.outlet}) + [f"Outlet {i}" for i in range(OUTLETS)]

    def mint(self) -> str:
        n, word = len(self.minted), ""
        while True:
            n, digit = divmod(n, len(SYLLABLES))
            word += SYLLABLES[digit]
            if not n:
                break
        self.minted.append((word + self.rng.choice(SYLLABLES)).capitalize())
        return self.minted[-1]

    def rename(self, words: set[str]) -> dict[str, str]:
        renames = {}
        for word in sorted(words):
            draw = self.rng.random()
            if draw < NEW_NAME:
                renames[word] = self.mint()
            elif draw < NEW_NAME + OLD_NAME and self.minted:
                renames[word] = self.minted[int(len(self.minted) * self.rng.random() ** 3)]
        return renames

    def published(self) -> str | None:
        """The date of the article being made (``self.made`` counts it): a day further every 100
        articles, give or take three; none for a share of them."""
        day = dt.date(2015, 1, 1) + dt.timedelta(days=self.made // 100 - self.rng.randint(0, 3))
        return day.isoformat() if self.rng.random() < self.dated_share else None

    def batch(self, n: int) -> tuple[list[pipeline.Outcome], dict[str, RawDoc]]:
        made = [self.article() for _ in range(n)]
        return [o for o, _ in made], {r.content_hash: r for _, r in made}

    def article(self) -> tuple[pipeline.Outcome, RawDoc]:
        self.made += 1
        chosen = [self.rng.choice(self.runs) for _ in range(self.rng.randint(*RUNS_PER_ARTICLE))]
        renames = self.rename({w for r in chosen for w in r.names})
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, renames)) + r")\b") if renames else None
        published = self.published()
        texts, mentions, quotes, times = [], [], [], []
        offset = 0
        for run in chosen:
            text, at = _substitute(run.text, pattern, renames)
            texts.append(text)
            for s, e, label in run.mentions:
                s, e = offset + at(s), offset + at(e, end=True)
                mentions.append((s, e, label))
            for q in run.quotes:
                quotes.append((q, offset, at))
            for s, e, value, granularity in run.times:
                times.append((offset + at(s), offset + at(e, end=True), value, granularity))
            offset += len(text) + len(PARAGRAPH_SEPARATOR)
        body = PARAGRAPH_SEPARATOR.join(texts)
        raw = make_doc(f"{self.source}/{self.made}.jsonl", body, is_html=False, given={"id": str(self.made)})
        article_id = pipeline.article_id(raw)
        article = Article(
            id=article_id, source=raw.source, paragraphs=tuple(body.split(PARAGRAPH_SEPARATOR)),
            source_id=str(self.made), outlet=self.rng.choice(self.outlets),
            title=_sub(chosen[0].title, pattern, renames), published=published,
            published_evidence=DateEvidence(published, published, "given", 1.0) if published else None)
        annotations = Annotations(
            article=article_id,
            mentions=tuple(Mention(article_id, s, e, body[s:e], label) for s, e, label in mentions),
            quotes=tuple(_moved(article_id, body, q, offset, at, pattern, renames)
                         for q, offset, at in quotes),
            times=tuple(TimeRef(article_id, s, e, body[s:e], v, g) for s, e, v, g in times))
        return pipeline.Outcome(raw.content_hash, raw.source, article, annotations), raw


def _sub(text: str | None, pattern: re.Pattern[str] | None, renames: dict[str, str]) -> str | None:
    return pattern.sub(lambda m: renames[m.group()], text) if text and pattern else text


def _substitute(text: str, pattern: re.Pattern[str] | None, renames: dict[str, str]
                ) -> tuple[str, Callable[..., int]]:
    """The text with the renames made, and the map from old offsets to new ones."""
    if pattern is None:
        return text, lambda p, end=False: p
    olds, news, shifts, parts, last, shift = [], [], [], [], 0, 0
    for m in pattern.finditer(text):
        new = renames[m.group()]
        parts += [text[last:m.start()], new]
        olds.append((m.start(), m.end()))
        news.append((m.start() + shift, m.start() + shift + len(new)))
        shift += len(new) - (m.end() - m.start())
        shifts.append(shift)
        last = m.end()
    parts.append(text[last:])
    ends = [e for _, e in olds]

    def at(p: int, end: bool = False) -> int:
        i = bisect.bisect_right(ends, p)  # replacements wholly before p
        if i < len(olds) and olds[i][0] < p:  # p falls inside a renamed word: keep the whole new word
            return news[i][1] if end else news[i][0]
        return p + (shifts[i - 1] if i else 0)

    return "".join(parts), at


def _moved(article: str, body: str, q: Quote, offset: int, at: Callable[..., int],
           pattern: re.Pattern[str] | None, renames: dict[str, str]) -> Quote:
    s, e = offset + at(q.start), offset + at(q.end, end=True)
    speaker = dataclasses.replace(q.speaker, text=_sub(q.speaker.text, pattern, renames),
                                  name=_sub(q.speaker.name, pattern, renames))
    if speaker.start is not None and speaker.end is not None:
        start, end = offset + at(speaker.start), offset + at(speaker.end, end=True)
        speaker = dataclasses.replace(speaker, start=start, end=end, text=body[start:end])
    return dataclasses.replace(q, id=f"{article}:{s}-{e}", article=article, start=s, end=e, text=body[s:e],
                               speaker=speaker)


class Stopwatch:
    """Time spent in each corpus stage, wrapped where ``corpus.update`` looks them up (it calls them
    through the module's globals, so replacing the module attributes reaches it)."""

    def __init__(self, stages: Sequence[str] = STAGES) -> None:
        self.spent: dict[str, float] = defaultdict(float)
        for name in stages:
            setattr(corpus, name, self._timed(name, getattr(corpus, name)))

    def _timed(self, name: str, stage: Callable[..., T]) -> Callable[..., T]:
        def timed(*args: object, **kwargs: object) -> T:
            started = time.perf_counter()
            try:
                return stage(*args, **kwargs)
            finally:
                self.spent[name] += time.perf_counter() - started
        return timed


def commit(store: Store, outcomes: list[pipeline.Outcome], pending: dict[str, RawDoc]) -> float:
    report = pipeline.RunReport(reference_date=REFERENCE_DATE)
    started = time.perf_counter()
    pipeline._commit(store, outcomes, pending, report, pipeline._Silent())
    return time.perf_counter() - started


def file_mib(path: Path) -> float:
    return sum(p.stat().st_size for p in (path, path.with_name(path.name + ".wal")) if p.exists()) / 2**20


def scale_parser(description: str | None) -> argparse.ArgumentParser:
    """The options every store-size bench takes: sizes, commit sizes, the pool cache, the seed."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batch", type=int, default=100, help="articles per measured commit")
    parser.add_argument("--repeats", type=int, default=5, help="measured commits per size")
    parser.add_argument("--fill-batch", type=int, default=2000, help="articles per commit while filling")
    default_cache = Path(tempfile.gettempdir()) / "newsprism-corpus-pool.pkl"
    parser.add_argument("--cache", type=Path, default=default_cache,
                        help="annotated pool, made on the first run (keep it outside the repository)")
    parser.add_argument("--seed", type=int, default=1)
    return parser


def store_mib(address: str) -> float:
    """The size on disk of the store at ``address``: DuckDB's file and its log, or the PostgreSQL
    database."""
    if not is_server_address(address):
        return file_mib(Path(address))
    with open_store(address, read_only=True) as store:
        return store._one("SELECT pg_database_size(current_database())")[0] / 2**20


@contextmanager
def fresh_database(server: str, role: str) -> Iterator[str]:
    """The address of a new database on the PostgreSQL server of ``server`` (the address of any
    database there), named after this run's ``role`` and process, dropped when the block ends."""
    import psycopg

    name = f"newsprism_bench_{role}_{os.getpid()}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = scale_parser(__doc__)
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL server (any database's address on it), where a new database is "
                        "filled and measured beside DuckDB on the same articles, and dropped after")
    args = parser.parse_args()
    started = time.perf_counter()
    articles, annotations = load_pool(args.cache)
    print(f"pool: {len(articles)} annotated articles ({time.perf_counter() - started:.0f} s)", flush=True)
    maker = Maker(cut_runs(articles, annotations, random.Random(args.seed)), args.seed)
    watch = Stopwatch()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as held:
        stores = {"duckdb": held.enter_context(open_store(Path(tmp) / "corpus.duckdb"))}
        if args.postgres:
            stores["postgresql"] = held.enter_context(open_store(held.enter_context(
                fresh_database(args.postgres, "scale"))))
        for store in stores.values():
            pipeline.ensure_corpus_current(store)
        filled, fill_s = 0, dict.fromkeys(stores, 0.0)
        for size in sorted(args.sizes):
            while filled < size:
                outcomes, pending = maker.batch(min(args.fill_batch, size - filled))
                for backend, store in stores.items():
                    # Every backend commits the same articles; a commit takes what it stores from ``pending``.
                    fill_s[backend] += commit(store, outcomes, dict(pending))
                filled += len(outcomes)
                print(f"  filled {filled:>7}  " + "  ".join(
                    f"{b} {s:6.0f} s ({s / filled * 1000:.1f} ms/article so far)" for b, s in fill_s.items()),
                    flush=True)
            per_article: dict[str, list[float]] = defaultdict(list)
            stages: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
            for _ in range(args.repeats):
                outcomes, pending = maker.batch(args.batch)
                for backend, store in stores.items():
                    watch.spent.clear()
                    per_article[backend].append(commit(store, outcomes, dict(pending)) / len(outcomes))
                    print(f"  measured at {filled:>7}: {backend} {per_article[backend][-1] * 1000:.1f} "
                          "ms/article", flush=True)
                    for name in STAGES:
                        stages[backend][name].append(watch.spent[name] / len(outcomes))
                filled += len(outcomes)
            for backend, store in stores.items():
                rows.append((backend, size, statistics.median(per_article[backend]),
                             {n: statistics.median(v) for n, v in stages[backend].items()}, fill_s[backend],
                             store_mib(store.path)))
        counts = {b: s.counts() for b, s in stores.items()}
    report(rows, counts, maker, args)


def report(
    rows: list[tuple], counts: dict[str, dict[str, int]], maker: Maker, args: argparse.Namespace
) -> None:
    """The table of every backend and size, each backend's ratio largest/smallest, and PostgreSQL's
    cost against DuckDB's at each size."""
    for backend, held_rows in counts.items():
        print(f"\n{backend} store at the end: " + ", ".join(f"{t} {n:,}" for t, n in held_rows.items()))
    print(f"names minted {len(maker.minted):,}")
    print(f"median of {args.repeats} commits of {args.batch} articles, ms per added article")
    print(f"{'backend':>10} {'stored':>8} {'commit':>8} " + " ".join(f"{COLUMNS[n]:>8}" for n in STAGES)
          + f" {'rest':>8} {'filled in s':>12} {'db MiB':>8}")
    for backend, size, total, stage, fill, mib in rows:
        rest = total - sum(stage.values())
        print(f"{backend:>10} {size:>8} {total * 1000:>8.1f} "
              + " ".join(f"{stage[n] * 1000:>8.1f}" for n in STAGES)
              + f" {rest * 1000:>8.1f} {fill:>12.0f} {mib:>8.0f}")
    by = {(backend, size): (total, stage) for backend, size, total, stage, _, _ in rows}
    sizes = sorted(args.sizes)
    for backend in counts:
        base, base_stage = by[backend, sizes[0]]
        for size in sizes[1:]:
            total, stage = by[backend, size]
            print(f"{backend} ratio {size}/{sizes[0]}: commit {total / base:.2f} (goal <= 2); "
                  + ", ".join(f"{COLUMNS[n]} {stage[n] / base_stage[n]:.2f}" for n in STAGES))
    if "postgresql" in counts:
        for size in sizes:
            (pg, pg_stage), (duck, duck_stage) = by["postgresql", size], by["duckdb", size]
            print(f"postgresql/duckdb at {size}: commit {pg / duck:.2f} (goal <= 2); "
                  + ", ".join(f"{COLUMNS[n]} {pg_stage[n] / duck_stage[n]:.2f}" for n in STAGES))


if __name__ == "__main__":
    main()
