"""Timeline date selection against the journalists' timelines of Timeline17, beside a most-mentioned baseline.

    python bench/timelines.py [--db PATH] [--scope topic|folder] [--window gold|corpus|none] [--no-rouge]
                              [--json OUT]

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
  date expressions of the same articles (``view.annotations[a].times``; ties: earlier date first);
* ``storyline all`` and ``storyline top-k``: the ranked timeline (``view.storyline_timelines``) of
  the storyline holding most of the input's articles, every date of it, and its k best ranked;
* ``storyline+textrank``: the dates of ``storyline top-k``, each told by the sentence TextRank
  (sumy) rates best among the input's sentences naming that date.

Each method's text, one sentence per date (``most-mentioned`` told by TextRank as well, which makes
it news-tls's date-wise baseline), is scored as news-tls scores timelines (Ghalandari and Ifrim
2020): ROUGE-1 and ROUGE-2 F of the concatenated entries (``concat``), and of the entries of the
same date only (``aligned``: n-grams match within a date, counts summed over the dates).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rouge_score.tokenizers import DefaultTokenizer
from timeline17 import TIMELINE17, write_topics  # bench/ is on sys.path when this file runs as a script

import newsprism
from newsprism.corpus.timeline import gather
from newsprism.records import StorylineTimeline

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
    storyline: StorylineTimeline | None  # of the storyline holding most of the input's articles
    held: float  # the share of the input's articles that storyline holds
    sentences: dict[str, list[list[str]]]  # day date -> per article, its sentences naming the date
    textranked: dict[str, str] = field(default_factory=dict)  # day date -> TextRank's sentence, once


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
    held: Counter[str] = Counter()
    for story in view.stories:
        held[story.storyline] += len(story.articles)
    main = max(held, key=lambda line: (held[line], line), default=None)
    return Candidates(
        Counter({d: len(a) for d, a in cited.items()}),
        mentions,
        (published[0], published[-1]) if published else ("", ""),
        len(view.timeline),
        {d: text for d, (_, text) in best.items()},
        next((t for t in view.storyline_timelines if t.storyline == main), None),
        held[main] / max(len(ids), 1) if main else 0.0,
        _sentences_by_day(view),
    )


def _sentences_by_day(view: Any) -> dict[str, list[list[str]]]:
    """Per day date, each article's distinct sentences naming it, as ``timeline.gather`` finds them."""
    times = {a: n.times for a, n in view.annotations.items()}
    found: dict[str, dict[str, dict[str, None]]] = defaultdict(lambda: defaultdict(dict))
    for (_, date), sentences in gather(view.articles, times, {}).items():
        if _DAY.match(date):
            for article, _, _, text in sentences:
                found[date][article].setdefault(" ".join(text.split()))
    return {date: [list(texts) for texts in by_article.values()] for date, by_article in found.items()}


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


METHODS = (
    "newsprism all",
    "newsprism top-k",
    "most-mentioned",
    "storyline all",
    "storyline top-k",
    "storyline+textrank",
)
# The methods that tell each date, and those that tell it by TextRank among its sentences.
TOLD = ("storyline top-k", "storyline+textrank", "most-mentioned")
TEXTRANK = ("storyline+textrank", "most-mentioned")
# TextRank compares every two sentences (sumy, in Python): a date named in thousands is told from
# the first this many, in article order.
TEXTRANK_SENTENCES = 300
ROUGE = ("concat_r1", "concat_r2", "aligned_r1", "aligned_r2")


def score(gold: GoldTimeline, found: Candidates, window: str, textrank: Any = None) -> dict[str, Any]:
    """Date P/R/F1 of every method, and news-tls ROUGE of those that tell their dates when
    ``textrank`` (a ``summaries.Sumy``) is given."""
    dates = sorted(gold.entries)
    k = len(dates)
    inside = {"gold": (dates[0], dates[-1]), "corpus": found.published, "none": None}[window]
    line = found.storyline.entries if found.storyline else ()
    line = tuple(e for e in line if inside is None or inside[0] <= e.date <= inside[1])
    by_rank = [e.date for e in sorted(line, key=lambda e: e.rank)]
    chosen = {
        "newsprism all": ranked(found.timeline, inside),
        "newsprism top-k": ranked(found.timeline, inside)[:k],
        "most-mentioned": ranked(found.mentions, inside)[:k],
        "storyline all": sorted(by_rank),
        "storyline top-k": by_rank[:k],
        "storyline+textrank": by_rank[:k],
    }
    row: dict[str, Any] = {"timeline": f"{gold.folder}/{gold.name}", "topic": gold.topic, "gold": k}
    for method, picked in chosen.items():
        p, r, f = prf(picked, dates)
        row[method] = {"n": len(picked), "precision": p, "recall": r, "f1": f}
    if textrank is not None:
        told = {e.date: e.text for e in line}
        for method in TOLD:
            if method in TEXTRANK:
                texts = {d: _textrank(textrank, found, d) for d in chosen[method]}
            else:
                texts = {d: told[d] for d in chosen[method]}
            row[method] |= rouge(texts, gold.entries)
    # What newsprism can reach at all: gold dates among its timeline's dates, and among any resolved date.
    row["reachable"] = {
        "timeline": len(set(dates) & set(found.timeline)) / k,
        "mentions": len(set(dates) & set(found.mentions)) / k,
    }
    row["storyline"] = {"held": found.held, "dates": len(line)}
    return row


def _textrank(textrank: Any, found: Candidates, date: str) -> str:
    """The sentence TextRank rates best among the first ``TEXTRANK_SENTENCES`` naming the date."""
    if date not in found.textranked:
        per_article, kept = [], 0
        for sentences in found.sentences.get(date, []):
            per_article.append(sentences[: TEXTRANK_SENTENCES - kept])
            kept += len(per_article[-1])
        best = textrank.ranked("textrank", per_article)
        found.textranked[date] = best[0][1] if best else ""
    return found.textranked[date]


_TOKENS = DefaultTokenizer(use_stemmer=True)


def rouge(system: dict[str, str], reference: dict[str, str]) -> dict[str, float]:
    """ROUGE-1/2 F of a timeline, news-tls style: the entries concatenated, and date-aligned (an
    n-gram matches only within its date)."""
    found = {}
    for n in (1, 2):
        grams_s = {d: _ngrams(t, n) for d, t in system.items()}
        grams_r = {d: _ngrams(t, n) for d, t in reference.items()}
        whole_s, whole_r = sum(grams_s.values(), Counter()), sum(grams_r.values(), Counter())
        found[f"concat_r{n}"] = _f(sum((whole_s & whole_r).values()), whole_s, whole_r)
        aligned = sum(sum((grams_s[d] & grams_r[d]).values()) for d in grams_s.keys() & grams_r.keys())
        found[f"aligned_r{n}"] = _f(aligned, whole_s, whole_r)
    return found


def _ngrams(text: str, n: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKENS.tokenize(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _f(hits: int, system: Counter, reference: Counter) -> float:
    p = hits / sum(system.values()) if system else 0.0
    r = hits / sum(reference.values()) if reference else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def average(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    return {m: {key: sum(r[m][key] for r in rows) / len(rows) for key in rows[0][m]} for m in METHODS}


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


def print_rouge(summary: dict[str, dict[str, dict[str, float]]]) -> None:
    print(
        f"\nnews-tls ROUGE F, one sentence per date, k = |gold| dates\n{'':<24}"
        + "".join(f" {m:>11}" for m in ROUGE)
    )
    for label, avg in summary.items():
        for m in TOLD:
            print(f"{label + ' ' + m:<24}" + "".join(f" {avg[m][x]:>11.4f}" for x in ROUGE))


def evaluate(
    db: Path,
    scope: str = "topic",
    window: str = "gold",
    topics: Sequence[str] = TOPICS,
    show: int = 0,
    told: bool = True,
) -> dict[str, Any]:
    """Prints the table (and ``show`` newsprism dates per timeline not in gold); returns the scope,
    window, rows, means ("all" and per topic, by method) and seconds, as --json writes them. With
    ``told``, the methods that tell their dates are scored by ROUGE as well."""
    # summaries.py reads this module's store helpers: imported here, once both are loaded.
    from summaries import Sumy

    textrank = Sumy() if told else None
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
            rows.append(score(gold, cache[key], window, textrank))
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
    held = sum(r["storyline"]["held"] for r in rows) / len(rows)
    print(f"share of an input's articles in its main storyline: {held:.2f} (mean over gold timelines)")
    if told:
        print_rouge(summary)
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
    parser.add_argument("--no-rouge", action="store_true", help="dates only: no ROUGE, no TextRank")
    args = parser.parse_args()
    found = evaluate(args.db, args.scope, args.window, args.topics, args.show, not args.no_rouge)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
