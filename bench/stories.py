"""Story and storyline clustering against TF-IDF + agglomerative clustering tuned on the gold itself.

    python bench/stories.py [--db-dir DIR] [--timeline17] [--snippets [N]] [--baseline-only | --no-baseline]
                             [--sweep LO HI STEP] [--json OUT]

Three corpora, each analysed by ``newsprism.open(DIR/<corpus>.duckdb).add(...)`` from a JSONL written
next to its store (lines ``{"id", "text", "title", "published", "outlet"}`` as far as the data has
them), so that a re-run reuses the stored annotations. Delete DIR to start clean: articles left in a
store by an older run take part in its clustering (the run says how many there are).

* MEANTIME (../shared/data/timex/meantime-en): 120 Wikinews articles rebuilt as text by
  bench/entities.py. Gold storyline = topic group (airbus, apple, gm, stock: the folder). Scored:
  B-cubed precision, recall, F1 over articles and NMI, of newsprism's storylines and of its stories
  (stories are finer than a topic group, so their recall is expected to be lower; they are reported,
  not judged).
* Timeline17 bpoil + H1N1 (``--timeline17``, about ten minutes of analysis the first time): 1,862
  long articles from 8 outlet folders, written by bench/timeline17.write_topics. Gold storyline = topic.
  The two topics are a year apart (H1N1 Mar-Jun 2009, bpoil Apr 2010-Jan 2011), so publication dates
  alone could separate them; what this corpus tests is that a long storyline is not cut into pieces.
* SemEval-2022 Task 8 pairs (../shared/data/stories/semeval2022-en-pairs.jsonl): the distinct articles
  of the 304 pairs (one per URL) are analysed as one corpus; scored is the Pearson correlation between
  ``corpus.similarity`` of the two articles and the human ``Overall`` (1 = same story ... 4 =
  unrelated), so a good similarity correlates negatively; ``r(similarity, -Overall)`` is the same
  figure with the sign that reads "higher is better". ``r(same story, -Overall)`` correlates
  newsprism's decision (both articles in one story) instead of its score.
* SemEval snippets (``--snippets N``, default 40): the same pairs with each text cut to its first N
  words, which open with the headline: short headline-and-snippet news, as a feed or a search page
  gives it, where one shared name weighs more and the words are few.

Baseline, same run, same texts (title and body): TF-IDF (English stop words, sublinear tf) cosine,
and for the clusterings average-linkage agglomerative clustering on cosine distance cut at a
distance threshold swept over 0.05..0.99 by 0.01 (``--sweep``) and chosen on the gold (an oracle: the
best B-cubed F1 and the best NMI each pick their own threshold, printed beside the figure; a "!"
marks one at the sweep's edge). On SemEval the baseline's similarity is the cosine with TF-IDF fitted
on all distinct texts, and its "same story" decision is cosine >= t, t the oracle's pick (a
similarity, not a distance) for that correlation. Articles newsprism did not store count as singletons for
newsprism; pairs with such an article are left out for both systems.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from entities import GROUPS, read_gold  # bench/ is on sys.path when this file runs as a script
from scipy.stats import pearsonr
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import normalized_mutual_info_score
from timeline17 import write_topics

import newsprism

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEMEVAL = SHARED / "data" / "stories" / "semeval2022-en-pairs.jsonl"
T17_TOPICS = ("bpoil", "H1N1")
DEFAULT_DB_DIR = Path("/tmp/newsprism-stories-bench")
# Topic-level gold wants a cut high in the tree: articles of one topic group sit at a mean cosine
# distance of about 0.90 (MEANTIME) to 0.93 (Timeline17), against 0.97 across groups, so the sweep goes
# past 0.95 in fine steps, or the oracle would stop at the edge of its grid.
SWEEP = (0.05, 0.99, 0.01)


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    gold: str | None = None  # the storyline; None where the corpus has no clustering gold (SemEval)
    title: str | None = None
    published: str | None = None
    outlet: str | None = None

    def record(self) -> dict[str, str]:
        fields = {
            "id": self.id,
            "text": self.text,
            "title": self.title,
            "published": self.published,
            "outlet": self.outlet,
        }
        return {k: v for k, v in fields.items() if v}

    @property
    def full_text(self) -> str:
        return f"{self.title}\n{self.text}" if self.title else self.text


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    overall: float


# ----------------------------------------------------------------------------- data


def meantime_docs() -> list[Doc]:
    # No entity type is asked for: only the text, headline and creation date of read_gold are used.
    docs, _ = read_gold(GROUPS, frozenset())
    # Wikinews is the one outlet of the whole corpus; saying so is what a real feed would do.
    return [Doc(d.doc, d.text, d.group, d.title, d.published, "Wikinews") for d in docs]


def timeline17_docs(folder: Path) -> tuple[list[Doc], list[Path]]:
    paths = write_topics(folder, list(T17_TOPICS))
    docs = []
    for path in paths:
        topic = path.stem.partition("_")[0]
        for line in path.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            docs.append(Doc(r["id"], r["text"], topic, None, r.get("published"), r.get("outlet")))
    return docs, paths


def semeval_docs(words: int | None = None) -> tuple[list[Doc], list[Pair]]:
    """One article per URL, in order of first appearance, and the pairs between them; with ``words``,
    each text cut to its first that many words."""
    rows = [json.loads(line) for line in SEMEVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_url: dict[str, Doc] = {}
    pairs = []
    for row in rows:
        ids = []
        for url, text in ((row["url1"], row["text1"]), (row["url2"], row["text2"])):
            if url not in by_url:
                # The data has no outlet field; the host is the outlet a crawler would record.
                host = urlparse(url).netloc.removeprefix("www.")
                kept = " ".join(text.split()[:words]) if words else text.strip()
                by_url[url] = Doc(f"semeval/{len(by_url):04d}", kept, outlet=host or None)
            ids.append(by_url[url].id)
        pairs.append(Pair(ids[0], ids[1], float(row["Overall"])))
    return list(by_url.values()), pairs


def write_jsonl(docs: Sequence[Doc], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps(d.record(), ensure_ascii=False) + "\n" for d in docs)
    # Rewritten only when it changes, so the store's recorded input file stays the same file.
    if not path.exists() or path.read_text(encoding="utf-8") != lines:
        path.write_text(lines, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- newsprism


@dataclass
class Analysis:
    stored: int  # of the input articles
    stray: int  # articles in the store that are not in this input
    stories: int
    storylines: int
    story: list[Hashable]  # per input doc
    storyline: list[Hashable]
    in_several: int  # input articles that more than one story holds
    seconds: float
    similarity: dict[tuple[str, str], float] = field(default_factory=dict)  # by source ids


def run_newsprism(
    db: Path, inputs: Sequence[Path], docs: Sequence[Doc], pairs: Sequence[Pair] = ()
) -> Analysis:
    start = time.perf_counter()
    with newsprism.open(db) as corpus:
        corpus.add(inputs)
        wanted = {d.id for d in docs}
        everything = corpus.articles()
        article_of = {a.source_id: a.id for a in everything if a.source_id in wanted}
        stray = sum(a.source_id not in wanted for a in everything)
        stories = corpus.stories()
        similarity = {
            (p.a, p.b): corpus.similarity(article_of[p.a], article_of[p.b])
            for p in pairs
            if p.a in article_of and p.b in article_of
        }
    story_of: dict[str, Hashable] = {}
    storyline_of: dict[str, Hashable] = {}
    held: Counter[str] = Counter()
    for s in stories:
        for article in s.articles:
            held[article] += 1
            # An article should be in one story; if it is in several, the first one stands for it.
            story_of.setdefault(article, s.id)
            storyline_of.setdefault(article, s.storyline)
    mine = set(article_of.values())

    # An article in no story (or not stored at all) is a cluster of its own.
    def label(of: dict[str, Hashable], doc: Doc) -> Hashable:
        article = article_of.get(doc.id)
        return of.get(article, ("alone", doc.id)) if article else ("alone", doc.id)

    return Analysis(
        stored=len(article_of),
        stray=stray,
        stories=len({s.id for s in stories if mine.intersection(s.articles)}),
        storylines=len({s.storyline for s in stories if mine.intersection(s.articles)}),
        story=[label(story_of, d) for d in docs],
        storyline=[label(storyline_of, d) for d in docs],
        in_several=sum(n > 1 for a, n in held.items() if a in mine),
        seconds=time.perf_counter() - start,
        similarity=similarity,
    )


# ----------------------------------------------------------------------------- metrics


def b_cubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> tuple[float, float, float]:
    """Bagga and Baldwin 1998 over items: per item, the share of its predicted cluster that shares
    its gold cluster (precision) and the other way round (recall), averaged over items."""
    gold_size = Counter(gold)
    predicted_size = Counter(predicted)
    both = Counter(zip(gold, predicted, strict=True))
    n = len(gold)
    p = sum(both[(g, q)] / predicted_size[q] for g, q in zip(gold, predicted, strict=True)) / n
    r = sum(both[(g, q)] / gold_size[g] for g, q in zip(gold, predicted, strict=True)) / n
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def codes(labels: Sequence[Hashable]) -> list[int]:
    # sklearn wants labels of one comparable type; ours mix story ids with ("alone", id) tuples.
    index: dict[Hashable, int] = {}
    return [index.setdefault(label, len(index)) for label in labels]


def nmi(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> float:
    return float(normalized_mutual_info_score(codes(gold), codes(predicted)))


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    # A constant side (every pair judged apart, say) has no correlation; scipy would warn and say nan.
    if len(x) < 2 or np.std(x) == 0 or np.std(y) == 0:
        return math.nan
    return float(pearsonr(x, y).statistic)


# ----------------------------------------------------------------------------- baseline


def tfidf(texts: Sequence[str]) -> Any:
    """L2-normalised rows, so that a row product is the cosine."""
    return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)


def cosine_distances(texts: Sequence[str]) -> np.ndarray:
    vectors = tfidf(texts)
    distance = 1.0 - (vectors @ vectors.T).toarray()
    np.fill_diagonal(distance, 0.0)
    # Rounding leaves -1e-16 here and there; a distance matrix must not go below zero.
    return np.clip(distance, 0.0, None)


def thresholds(lo: float, hi: float, step: float) -> list[float]:
    return [round(float(t), 4) for t in np.arange(lo, hi + step / 2, step)]


@dataclass(frozen=True)
class Oracle:
    b3: tuple[float, float, float]
    b3_threshold: float
    b3_clusters: int
    nmi: float
    nmi_threshold: float
    nmi_clusters: int


def agglomerative_oracle(texts: Sequence[str], gold: Sequence[Hashable], sweep: Sequence[float]) -> Oracle:
    """Average-linkage clustering on TF-IDF cosine distance, cut at the threshold that suits the gold
    best, once for B-cubed F1 and once for NMI."""
    distance = cosine_distances(texts)
    best_b3: tuple[tuple[float, float, float], float, int] = ((0.0, 0.0, 0.0), math.nan, 0)
    best_nmi: tuple[float, float, int] = (-1.0, math.nan, 0)
    for t in sweep:
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=t
        )
        labels = model.fit_predict(distance).tolist()
        clusters = len(set(labels))
        b3 = b_cubed(gold, labels)
        if b3[2] > best_b3[0][2]:
            best_b3 = (b3, t, clusters)
        score = nmi(gold, labels)
        if score > best_nmi[0]:
            best_nmi = (score, t, clusters)
    return Oracle(*best_b3, *best_nmi)


def cosine_pairs(docs: Sequence[Doc], pairs: Sequence[Pair]) -> list[float]:
    index = {d.id: i for i, d in enumerate(docs)}
    vectors = tfidf([d.full_text for d in docs])
    return [float(vectors[index[p.a]].multiply(vectors[index[p.b]]).sum()) for p in pairs]


def best_decision(
    similarity: Sequence[float], target: Sequence[float], sweep: Sequence[float]
) -> tuple[float, float]:
    """The threshold whose "similarity >= t" correlates best with ``target``, and that correlation."""
    best = (-math.inf, math.nan)
    for t in sweep:
        r = pearson([float(s >= t) for s in similarity], target)
        if not math.isnan(r) and r > best[0]:
            best = (r, t)
    return best


# ----------------------------------------------------------------------------- report


@dataclass(frozen=True)
class Row:
    corpus: str
    metric: str
    newsprism: float | None
    baseline: float | None
    threshold: float | None = None
    integer: bool = False

    def line(self, sweep: Sequence[float]) -> str:
        def fmt(x: float | None) -> str:
            if x is None:
                return "-"
            if isinstance(x, float) and math.isnan(x):
                return "nan"
            return f"{x:d}" if self.integer else f"{x:.3f}"

        threshold = ""
        if self.threshold is not None:
            # A pick at the sweep's edge may not be the baseline's best: widen --sweep to see.
            edge = "!" if self.threshold in (sweep[0], sweep[-1]) else ""
            threshold = f" (t={self.threshold:.2f}{edge})"
        return (
            f"{self.corpus:18} {self.metric:26} {fmt(self.newsprism):>9} {fmt(self.baseline):>9}{threshold}"
        )


def clustering_rows(
    name: str, docs: Sequence[Doc], analysis: Analysis | None, sweep: Sequence[float] | None
) -> list[Row]:
    """The rows of one clustering gold; ``sweep`` None leaves the baseline out."""
    gold = [d.gold for d in docs]
    started = time.perf_counter()
    oracle = agglomerative_oracle([d.full_text for d in docs], gold, sweep) if sweep is not None else None
    print(
        f"{name}: {len(docs)} articles, {len(set(gold))} gold storylines "
        f"({', '.join(f'{g} {n}' for g, n in sorted(Counter(gold).items()))})"
        + (f"; baseline sweep {time.perf_counter() - started:.1f}s" if oracle else "")
    )
    rows = [Row(name, "gold storylines", len(set(gold)), len(set(gold)), integer=True)]
    if analysis is not None:
        print(
            f"  newsprism: {analysis.seconds:.0f}s, stored {analysis.stored}/{len(docs)}, "
            f"stories {analysis.stories}, storylines {analysis.storylines}, "
            f"articles in several stories {analysis.in_several}"
        )
        if analysis.stray:
            print(
                f"  warning: the store holds {analysis.stray} articles not in this input; they take "
                "part in the clustering (delete --db-dir to start clean)"
            )
    levels = (
        (("storyline", analysis.storyline), ("story", analysis.story)) if analysis else (("storyline", None),)
    )
    b3, b3_t, b3_n, nmi_best, nmi_t = (
        (oracle.b3, oracle.b3_threshold, oracle.b3_clusters, oracle.nmi, oracle.nmi_threshold)
        if oracle
        else ((None, None, None), None, None, None, None)
    )
    for level, labels in levels:
        ours_b3 = b_cubed(gold, labels) if labels is not None else (None, None, None)
        clusters = len(set(labels)) if labels is not None else None
        rows.append(Row(name, f"{level} clusters", clusters, b3_n, b3_t, integer=True))
        for metric, ours, theirs in zip(("P", "R", "F1"), ours_b3, b3, strict=True):
            rows.append(Row(name, f"{level} B3 {metric}", ours, theirs, b3_t))
        ours_nmi = nmi(gold, labels) if labels is not None else None
        rows.append(Row(name, f"{level} NMI", ours_nmi, nmi_best, nmi_t))
    return rows


def semeval_rows(
    docs: Sequence[Doc],
    pairs: Sequence[Pair],
    analysis: Analysis | None,
    sweep: Sequence[float] | None,
    corpus: str = "SemEval",
) -> list[Row]:
    """The correlations with the human scores; ``sweep`` None leaves the baseline out."""
    if analysis is not None:
        kept = [p for p in pairs if (p.a, p.b) in analysis.similarity]
        print(
            f"  newsprism: {analysis.seconds:.0f}s, stored {analysis.stored}/{len(docs)}, "
            f"stories {analysis.stories}; pairs scored {len(kept)}/{len(pairs)}"
        )
        if analysis.stray:
            print(f"  warning: the store holds {analysis.stray} articles not in this input")
    else:
        kept = list(pairs)
    overall = [p.overall for p in kept]
    minus = [-o for o in overall]
    theirs: tuple[float | None, ...] = (None, None, None, None)
    if sweep is not None:
        cosine = cosine_pairs(docs, kept)
        decision, decision_t = best_decision(cosine, minus, sweep)
        theirs = (pearson(cosine, overall), pearson(cosine, minus), decision, decision_t)
    ours_r = ours_decision = None
    if analysis is not None:
        ours = [analysis.similarity[(p.a, p.b)] for p in kept]
        ours_r = pearson(ours, overall)
        story = dict(zip((d.id for d in docs), analysis.story, strict=True))
        ours_decision = pearson([float(story[p.a] == story[p.b]) for p in kept], minus)
    return [
        Row(corpus, "pairs", len(kept), len(kept), integer=True),
        Row(corpus, "r(similarity, Overall)", ours_r, theirs[0]),
        Row(corpus, "r(similarity, -Overall)", -ours_r if ours_r is not None else None, theirs[1]),
        Row(corpus, "r(same story, -Overall)", ours_decision, theirs[2], theirs[3]),
    ]


def evaluate(
    db_dir: Path,
    timeline17: bool = False,
    snippets: int | None = None,
    sweep: Sequence[float] | None = thresholds(*SWEEP),
    analyse: bool = True,
) -> list[Row]:
    """Every corpus asked for, stored under ``db_dir``; ``sweep`` None leaves the baseline out,
    ``analyse`` False newsprism."""
    db_dir.mkdir(parents=True, exist_ok=True)
    docs = meantime_docs()
    analysis = None
    if analyse:
        analysis = run_newsprism(
            db_dir / "meantime.duckdb", [write_jsonl(docs, db_dir / "meantime.jsonl")], docs
        )
    rows = clustering_rows("MEANTIME", docs, analysis, sweep)
    if timeline17:
        docs, paths = timeline17_docs(db_dir / "timeline17")
        analysis = run_newsprism(timeline17_db(db_dir), paths, docs) if analyse else None
        rows += clustering_rows("Timeline17", docs, analysis, sweep)
    for words in (None, snippets) if snippets else (None,):
        rows += semeval(db_dir, words, sweep, analyse)
    return rows


def semeval(db_dir: Path, words: int | None, sweep: Sequence[float] | None, analyse: bool) -> list[Row]:
    docs, pairs = semeval_docs(words)
    name = f"SemEval snippets{words}" if words else "SemEval"
    overall = Counter(round(p.overall) for p in pairs)
    same_text = len(docs) - len({d.text for d in docs})
    print(
        f"{name}: {len(pairs)} pairs, {len(docs)} distinct articles by URL "
        f"({same_text} with a text another URL has too); Overall rounded "
        f"{', '.join(f'{k}: {v}' for k, v in sorted(overall.items()))}"
    )
    analysis = None
    if analyse:
        stem = f"semeval-snippets{words}" if words else "semeval"
        inputs = [write_jsonl(docs, db_dir / f"{stem}.jsonl")]
        analysis = run_newsprism(db_dir / f"{stem}.duckdb", inputs, docs, pairs)
    return semeval_rows(docs, pairs, analysis, sweep, name)


def timeline17_db(db_dir: Path) -> Path:
    """Where ``evaluate`` keeps the Timeline17 store, which bench/timelines.py and summaries.py read."""
    return db_dir / "timeline17.duckdb"


def figures(rows: Sequence[Row]) -> dict[str, dict[str, dict[str, float | None]]]:
    """corpus -> metric -> newsprism, baseline and threshold, as --json writes them."""
    found: dict[str, dict[str, dict[str, float | None]]] = defaultdict(dict)
    for row in rows:
        found[row.corpus][row.metric] = {
            "newsprism": _json_number(row.newsprism),
            "baseline": _json_number(row.baseline),
            "threshold": row.threshold,
        }
    return dict(found)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--db-dir",
        type=Path,
        default=DEFAULT_DB_DIR,
        help=f"stores and their JSONL inputs, kept between runs (default {DEFAULT_DB_DIR})",
    )
    parser.add_argument(
        "--timeline17",
        action="store_true",
        help="also Timeline17 bpoil + H1N1 (1,858 long articles: ~10 minutes the first time)",
    )
    parser.add_argument(
        "--snippets",
        type=int,
        nargs="?",
        const=40,
        metavar="N",
        help="also the SemEval pairs cut to their first N words (default 40): headline-and-snippet news",
    )
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--baseline-only", action="store_true", help="skip newsprism: data and baseline only")
    only.add_argument("--no-baseline", action="store_true", help="skip the baseline: newsprism only")
    parser.add_argument(
        "--sweep",
        type=float,
        nargs=3,
        default=SWEEP,
        metavar=("LO", "HI", "STEP"),
        help="the thresholds the oracle tries (default %(default)s)",
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args()
    sweep = thresholds(*args.sweep)
    baseline = None if args.no_baseline else sweep
    rows = evaluate(args.db_dir, args.timeline17, args.snippets, baseline, not args.baseline_only)
    header = f"{'corpus':18} {'metric':26} {'newsprism':>9} {'baseline':>9} (threshold)"
    print()
    print(header)
    print("-" * len(header))
    for row in rows:
        print(row.line(sweep))
    print(
        "\nbaseline: TF-IDF cosine; clusterings are average-linkage agglomerative cut at the cosine "
        "distance t that suits the gold best (an oracle; ! = at the sweep's edge); for SemEval's "
        "same story, t is the cosine similarity above which a pair counts as one story"
    )
    if args.json:
        args.json.write_text(json.dumps(figures(rows), indent=2) + "\n", encoding="utf-8")


def _json_number(x: float | None) -> float | None:
    # JSON has no NaN.
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else x


if __name__ == "__main__":
    main()
