"""Timeline date selection against the journalists' timelines of Timeline17, beside a most-mentioned baseline.

    python bench/timelines.py [--db PATH] [--scope topic|folder] [--window gold|corpus|none] [--json OUT]

Data: Timeline17 topics bpoil and H1N1 (``../shared/data/timelines/timeline17``), 8 outlet folders,
each with its articles (``InputDocs/<date>/``) and one gold timeline written by journalists
(``timelines/*.txt``: a date line, the entry's sentences, a dashed line). The articles are read from a
newsprism store (``--db``) holding them with ids ``<topic>_<outlet>/<date>/<file>`` as source ids, as
``bench/stories.py --timeline17`` builds it; if the store holds none, they are added to it first
(bench/timeline17.write_topics, about ten minutes of analysis on two cores). Copy a store another run
is using before pointing ``--db`` at it: DuckDB files lock.

Input per gold timeline (``--scope``): ``topic`` (default) pools the articles of every folder of the
topic (bpoil: 5 folders, H1N1: 3) and scores that one prediction against each gold timeline of the
topic, as Timeline17 is usually evaluated (a topic's corpus, several reference timelines); ``folder``
uses only the gold timeline's own folder.

Scored, per gold timeline, on sets of day dates (YYYY-MM-DD; month and year values do not count),
then averaged over the 8 gold timelines (macro) and per topic:

* ``newsprism all``: the distinct day dates of ``corpus.view(ids).timeline`` (every entry of every
  story of those articles), however many there are;
* ``newsprism top-k``: the same dates ranked by the number of distinct articles their entries cite
  (ties: earlier date first), the first k = |gold|;
* ``most-mentioned`` (baseline): the k = |gold| day dates named most often among all the resolved
  date expressions of the same articles (``view.annotations[a].times``; ties: earlier date first).

Precision, recall and F1 of the date set (exact day match), and the number of dates chosen. Both
systems see only dates inside ``--window``: ``gold`` (default) the first to last date of the gold
timeline, the span standard Timeline17 evaluation gives a system; ``corpus`` the first to last
publication date of the input articles; ``none`` every date.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline17 import TIMELINE17, write_topics  # bench/ is on sys.path when this file runs as a script

import newsprism

TOPICS = ("bpoil", "H1N1")
DEFAULT_DB = Path("/tmp/nbench-sum/t17.duckdb")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SEPARATOR = re.compile(r"^-{5,}\s*$")


# ----------------------------------------------------------------------------- gold


@dataclass(frozen=True)
class GoldTimeline:
    topic: str
    folder: str  # <topic>_<outlet>
    name: str  # file name
    entries: dict[str, str]  # day date -> the entry's text (entries of one date joined)


def read_timeline(path: Path) -> dict[str, str]:
    """A Timeline17 gold timeline: dates with their entry text; two entries of one date are joined."""
    entries: dict[str, list[str]] = defaultdict(list)
    date = None
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = line.strip()
        if _DAY.match(line):
            date = line
        elif _SEPARATOR.match(line):
            date = None
        elif line and date:
            entries[date].append(line)
    return {d: "\n".join(lines) for d, lines in sorted(entries.items())}


def gold_timelines(topics: Sequence[str] = TOPICS) -> list[GoldTimeline]:
    found = []
    for folder in sorted(TIMELINE17.iterdir()):
        topic = folder.name.partition("_")[0]
        if topic not in topics:
            continue
        for path in sorted((folder / "timelines").glob("*.txt")):
            found.append(GoldTimeline(topic, folder.name, path.name, read_timeline(path)))
    return found


# ----------------------------------------------------------------------------- the store


def ensure_articles(corpus: newsprism.Corpus, topics: Sequence[str]) -> dict[str, str]:
    """Store article id -> source id (``<topic>_<outlet>/<date>/<file>``) of the Timeline17 articles,
    adding them to the store first when it holds none."""
    ids = _timeline17_ids(corpus, topics)
    if not ids:
        with tempfile.TemporaryDirectory() as tmp:
            print("store holds no Timeline17 articles: analysing them now (minutes) ...", flush=True)
            corpus.add(write_topics(Path(tmp), list(topics)))
        ids = _timeline17_ids(corpus, topics)
    return ids


def _timeline17_ids(corpus: newsprism.Corpus, topics: Sequence[str]) -> dict[str, str]:
    articles = corpus.store.articles(corpus.select())
    return {
        a.id: a.source_id
        for a in articles
        if a.source_id and a.source_id.partition("_")[0] in topics and "/" in a.source_id
    }


def folder_of(source_id: str) -> str:
    return source_id.partition("/")[0]


# ----------------------------------------------------------------------------- dates


@dataclass(frozen=True)
class Candidates:
    """What one input (a topic's or a folder's articles) offers: dates with their weights."""

    timeline: Counter[str]  # day date -> distinct articles its timeline entries cite
    mentions: Counter[str]  # day date -> resolved day-date expressions naming it
    published: tuple[str, str]  # first and last publication date of the input
    entries: int  # timeline entries, all granularities
    examples: dict[str, str]  # day date -> one entry's text (the most-cited entry of the date)


def candidates(corpus: newsprism.Corpus, ids: Sequence[str]) -> Candidates:
    view = corpus.view(ids)
    cited: dict[str, set[str]] = defaultdict(set)
    best: dict[str, tuple[int, str]] = {}
    for entry in view.timeline:
        if _DAY.match(entry.date):
            cited[entry.date] |= set(entry.articles)
            if entry.date not in best or len(entry.articles) > best[entry.date][0]:
                best[entry.date] = (len(entry.articles), entry.text)
    mentions: Counter[str] = Counter(
        t.value for n in view.annotations.values() for t in n.times if t.granularity == "day"
    )
    published = sorted(a.published[:10] for a in view.articles if a.published)
    return Candidates(
        Counter({d: len(a) for d, a in cited.items()}),
        mentions,
        (published[0], published[-1]) if published else ("", ""),
        len(view.timeline),
        {d: text for d, (_, text) in best.items()},
    )


def ranked(weights: Counter[str], inside: tuple[str, str] | None) -> list[str]:
    dates = [d for d in weights if inside is None or inside[0] <= d <= inside[1]]
    return sorted(dates, key=lambda d: (-weights[d], d))


def prf(predicted: Iterable[str], gold: Iterable[str]) -> tuple[float, float, float]:
    p_set, g_set = set(predicted), set(gold)
    hit = len(p_set & g_set)
    precision = hit / len(p_set) if p_set else 0.0
    recall = hit / len(g_set) if g_set else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


METHODS = ("newsprism all", "newsprism top-k", "most-mentioned")


def score(gold: GoldTimeline, found: Candidates, window: str) -> dict[str, Any]:
    dates = sorted(gold.entries)
    k = len(dates)
    inside = {"gold": (dates[0], dates[-1]), "corpus": found.published, "none": None}[window]
    chosen = {
        "newsprism all": ranked(found.timeline, inside),
        "newsprism top-k": ranked(found.timeline, inside)[:k],
        "most-mentioned": ranked(found.mentions, inside)[:k],
    }
    row: dict[str, Any] = {"timeline": f"{gold.folder}/{gold.name}", "topic": gold.topic, "gold": k}
    for method, picked in chosen.items():
        p, r, f = prf(picked, dates)
        row[method] = {"n": len(picked), "precision": p, "recall": r, "f1": f}
    # What newsprism can reach at all: gold dates among its timeline's dates, and among any resolved date.
    row["reachable"] = {
        "timeline": len(set(dates) & set(found.timeline)) / k,
        "mentions": len(set(dates) & set(found.mentions)) / k,
    }
    return row


def average(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    return {
        m: {key: sum(r[m][key] for r in rows) / len(rows) for key in ("n", "precision", "recall", "f1")}
        for m in METHODS
    }


# ----------------------------------------------------------------------------- report


def print_table(rows: Sequence[dict[str, Any]], summary: dict[str, dict[str, dict[str, float]]]) -> None:
    head = f"{'gold timeline':<44} {'|gold|':>6}"
    for m in METHODS:
        head += f" | {m:>17}"
    print(head)
    print(f"{'':<44} {'':>6}" + "".join(f" | {'n':>4} {'P':>4} {'R':>4} {'F1':>4}" for _ in METHODS))
    for r in rows:
        line = f"{r['timeline']:<44} {r['gold']:>6}"
        for m in METHODS:
            s = r[m]
            line += f" | {s['n']:>4} {s['precision']:.2f} {s['recall']:.2f} {s['f1']:.2f}"
        print(line)
    print("-" * len(head))
    for label, avg in summary.items():
        gold = sum(r["gold"] for r in rows if label == "all" or r["topic"] == label)
        count = sum(1 for r in rows if label == "all" or r["topic"] == label)
        line = f"{'mean ' + label:<44} {gold / count:>6.1f}"
        for m in METHODS:
            s = avg[m]
            line += f" | {s['n']:>4.0f} {s['precision']:.2f} {s['recall']:.2f} {s['f1']:.2f}"
        print(line)


def evaluate(
    db: Path, scope: str = "topic", window: str = "gold", topics: Sequence[str] = TOPICS, show: int = 0
) -> dict[str, Any]:
    """Prints the table (and ``show`` newsprism dates per timeline not in gold); returns the scope,
    window, rows, means ("all" and per topic, by method) and seconds, as --json writes them."""
    start = time.perf_counter()
    golds = gold_timelines(topics)
    db.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    with newsprism.open(db) as corpus:
        opened = time.perf_counter() - start
        source_of = ensure_articles(corpus, topics)
        inputs: dict[str, list[str]] = defaultdict(list)
        for article, source in source_of.items():
            key = source.partition("_")[0] if scope == "topic" else folder_of(source)
            inputs[key].append(article)
        cache: dict[str, Candidates] = {}
        for gold in golds:
            key = gold.topic if scope == "topic" else gold.folder
            if key not in cache:
                cache[key] = candidates(corpus, sorted(inputs[key]))
                c = cache[key]
                print(
                    f"{key}: {len(inputs[key])} articles, {c.entries} timeline entries, "
                    f"{len(c.timeline)} day dates in the timeline, {len(c.mentions)} day dates named",
                    flush=True,
                )
            rows.append(score(gold, cache[key], window))
            if show:
                extra = [d for d in ranked(cache[key].timeline, None) if d not in gold.entries][:show]
                for d in extra:
                    print(
                        f"  not in {gold.folder}: {d} ({cache[key].timeline[d]} articles) "
                        f"{cache[key].examples[d][:150]}"
                    )
    seconds = time.perf_counter() - start
    summary = {"all": average(rows)}
    for topic in topics:
        mine = [r for r in rows if r["topic"] == topic]
        if mine:
            summary[topic] = average(mine)
    print(
        f"\nscope {scope}, window {window}; k = |gold| for top-k and most-mentioned; "
        "means are over gold timelines"
    )
    print_table(rows, summary)
    reach_t = sum(r["reachable"]["timeline"] for r in rows) / len(rows)
    reach_m = sum(r["reachable"]["mentions"] for r in rows) / len(rows)
    print(
        f"gold dates present among the timeline's dates: {reach_t:.2f}; among all named day dates: "
        f"{reach_m:.2f} (mean over gold timelines, no window)"
    )
    print(f"run time {seconds:.0f} s (opening the store {opened:.0f} s)")
    return {"scope": scope, "window": window, "rows": rows, "means": summary, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"newsprism store (default {DEFAULT_DB})")
    parser.add_argument("--scope", choices=("topic", "folder"), default="topic")
    parser.add_argument("--window", choices=("gold", "corpus", "none"), default="gold")
    parser.add_argument("--topics", nargs="*", default=list(TOPICS))
    parser.add_argument(
        "--show", type=int, default=0, help="print N newsprism dates per timeline not in gold"
    )
    parser.add_argument("--json", type=Path, help="write rows and means here")
    args = parser.parse_args()
    found = evaluate(args.db, args.scope, args.window, args.topics, args.show)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
