"""newsprism's summary of a day's articles against sumy's LexRank and TextRank, by ROUGE, on Timeline17.

    python bench/summaries.py [--db PATH] [--words N] [--days-after N] [--max-dates N] [--show N]
                              [--no-baseline] [--json OUT]

Data: Timeline17 topics bpoil and H1N1 (``../shared/data/timelines/timeline17``): 8 gold timelines
written by journalists, one per outlet folder, whose entries are a date and a few sentences. The
articles are read from a newsprism store (``--db``, as ``bench/timelines.py`` reads it: copy a store
another run is using; one without the articles gets them added first). No spaCy is run here: the
summaries need only the stored article bodies.

For every gold entry (a gold timeline's date; two entries of one date are one) the input is the
day's articles: every article of the entry's topic (all outlet folders pooled) published on that date,
or, with ``--days-after N``, on that date or up to N days after (a day's events are often reported
the next day). Entries with no such article are skipped (the count is printed). Each of the three
summarizers gets the same articles and the same word budget: the gold entry's length in words
(``--words N``: a fixed budget instead).

* newsprism: ``newsprism.summarize(articles, words=B)``, its sentences in the order it chose them;
* LexRank and TextRank (sumy 0.11, English Snowball stemmer and sumy's English stop words): the
  document is built from newsprism's own sentence split (``compare.claim_units`` of the same
  articles, the first ``compare.MAX_ARTICLES`` as ``summarize`` takes them), not from sumy's
  ``Tokenizer``, which needs NLTK's punkt data (not installed: it raises LookupError offline); words
  are ``\\w+`` runs. The best-rated sentences are taken in rating order, each only if it fits the
  budget (the first always, as newsprism does), then put in document order;
* lead (a floor, not asked for): the first sentences of the day's articles taken in turn (first of
  each article, then second ...), under the same budget rule.

Words are counted as ``\\w+`` runs for every system and for the budget. Gold and articles alike are
PTB-tokenized in this data: in the gold and in every system's output the ``-LRB-``/``-RRB-`` brackets
and ````/''`` quotes are put back before counting and scoring, so that "lrb" is no word. ROUGE-1, ROUGE-2 and
ROUGE-L F-measure from Google's rouge-score (Porter stemming) of each output cut at the budget's
last word (as ROUGE's length limit does: the first sentence is taken whole, so without the cut a
system whose best sentence is long would win on length), averaged over the entries scored (all
timelines pooled) and per topic; "words" is the mean length before the cut, and the uncut scores
are printed too. Each (topic, date) is ranked once per sumy summarizer and reused for every budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words
from timelines import DEFAULT_DB, TOPICS, ensure_articles, gold_timelines

import newsprism
from newsprism.corpus.compare import MAX_ARTICLES, claim_units
from newsprism.records import Article

_WORD = re.compile(r"\w+")
SYSTEMS = ("newsprism", "lexrank", "textrank", "lead")
MEASURES = ("rouge1", "rouge2", "rougeL")
_PTB = (("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("``", '"'), ("''", '"'))


def words(text: str) -> int:
    return len(_WORD.findall(text))


def truncate(text: str, budget: int) -> str:
    """The text up to its ``budget``-th word, as ROUGE's length limit cuts a summary."""
    found = list(_WORD.finditer(text))
    return text if len(found) <= budget else text[: found[budget - 1].end()]


def untokenize(text: str) -> str:
    for token, char in _PTB:
        text = text.replace(token, char)
    return " ".join(text.split())


# ----------------------------------------------------------------------------- baselines


class _Words:
    """sumy's tokenizer interface, words only: no NLTK data is needed."""

    language = "english"

    @staticmethod
    def to_words(text: str) -> list[str]:
        return _WORD.findall(text)


def within_budget(ranked: Sequence[tuple[int, str]], budget: int) -> list[str]:
    """From sentences best first (with their place in the document), those that fit the word budget
    (the first always), in document order."""
    chosen, spent = [], 0
    for order, text in ranked:
        n = words(text)
        if not chosen or spent + n <= budget:
            chosen.append((order, text))
            spent += n
    return [text for _, text in sorted(chosen)]


def sentences_of(articles: Sequence[Article]) -> list[list[str]]:
    """newsprism's claim units per article: the sentences ``summarize`` chooses from."""
    return [[u.text for u in claim_units(a)] for a in articles[:MAX_ARTICLES]]


class Sumy:
    def __init__(self) -> None:
        stemmer = Stemmer("english")
        self.summarizers = {"lexrank": LexRankSummarizer(stemmer), "textrank": TextRankSummarizer(stemmer)}
        for s in self.summarizers.values():
            s.stop_words = get_stop_words("english")

    def ranked(self, name: str, per_article: Sequence[Sequence[str]]) -> list[tuple[int, str]]:
        """Every sentence, best rated first, with its place in the document. The ratings do not
        depend on the budget, so one ranking serves every budget asked of the same articles."""
        tokenizer = _Words()
        document = ObjectDocumentModel(
            [Paragraph([Sentence(s, tokenizer) for s in sentences]) for sentences in per_article if sentences]
        )
        if not document.sentences:
            return []
        seen: list[Any] = []

        def everything(infos: Sequence[Any]) -> Sequence[Any]:
            seen.extend(infos)  # sumy hands them over sorted by rating, best first
            return infos

        self.summarizers[name](document, everything)
        return [(i.order, str(i.sentence)) for i in seen]


def lead(per_article: Sequence[Sequence[str]], budget: int) -> list[str]:
    chosen, spent = [], 0
    for depth in range(max((len(s) for s in per_article), default=0)):
        for sentences in per_article:
            if depth < len(sentences):
                n = words(sentences[depth])
                if not chosen or spent + n <= budget:
                    chosen.append(sentences[depth])
                    spent += n
    return chosen


# ----------------------------------------------------------------------------- run


class Systems:
    """The summaries of a day's articles by each system asked for, and the seconds each has spent."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = tuple(names)
        self.sumy = Sumy()
        self.rankings: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
        self.seconds = dict.fromkeys(self.names, 0.0)

    def outputs(self, topic: str, date: str, day: Sequence[Article], budget: int) -> dict[str, list[str]]:
        # Only the baselines read newsprism's sentence split; summarize makes its own.
        per_article = sentences_of(day) if any(n != "newsprism" for n in self.names) else []
        found: dict[str, list[str]] = {}
        for name in self.names:
            clock = time.perf_counter()
            if name == "newsprism":
                found[name] = [s.text for s in newsprism.summarize(day, words=budget)]
            elif name == "lead":
                found[name] = lead(per_article, budget)
            else:
                key = (name, topic, date)
                if key not in self.rankings:
                    self.rankings[key] = self.sumy.ranked(name, per_article)
                found[name] = within_budget(self.rankings[key], budget)
            self.seconds[name] += time.perf_counter() - clock
        return found


def day_articles(by_day: dict[str, list[Article]], date: str, days_after: int) -> list[Article]:
    day = dt.date.fromisoformat(date)
    found = []
    for offset in range(days_after + 1):
        found += by_day.get((day + dt.timedelta(days=offset)).isoformat(), [])
    return found


def articles_by_day(db: Path, topics: Sequence[str]) -> dict[str, dict[str, list[Article]]]:
    """topic -> publication day -> the store's articles of that topic published that day."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with newsprism.open(db) as corpus:
        source_of = ensure_articles(corpus, topics)
        articles = corpus.store.articles(sorted(source_of))
    by_day: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for a in sorted(articles, key=lambda a: source_of[a.id]):
        by_day[source_of[a.id].partition("_")[0]][(a.published or "")[:10]].append(a)
    return by_day


def score_entry(
    scorer: rouge_scorer.RougeScorer, reference: str, budget: int, outputs: dict[str, list[str]]
) -> dict[str, Any]:
    """Per system: ROUGE F of the output cut at the budget, its length, the uncut scores, its text."""
    found: dict[str, Any] = {}
    for name, sentences in outputs.items():
        text = untokenize(" ".join(sentences))  # the articles are PTB-tokenized like the gold
        cut = scorer.score(reference, truncate(text, budget))
        whole = scorer.score(reference, text)
        found[name] = {m: cut[m].fmeasure for m in MEASURES} | {
            "words": words(text),
            "uncut": {m: whole[m].fmeasure for m in MEASURES},
            "text": text,
        }
    return found


def evaluate(
    db: Path,
    budget_words: int = 0,
    days_after: int = 0,
    max_dates: int = 0,
    topics: Sequence[str] = TOPICS,
    show: int = 0,
    systems: Sequence[str] = SYSTEMS,
) -> dict[str, Any]:
    """Prints the table (and the summaries of the first ``show`` entries); returns the settings, the
    rows, the means ("all" and per topic, by system) and the seconds, as --json writes them."""
    start = time.perf_counter()
    golds = gold_timelines(topics)
    by_day = articles_by_day(db, topics)
    loaded = time.perf_counter() - start
    scorer = rouge_scorer.RougeScorer(list(MEASURES), use_stemmer=True)
    summarizers = Systems(systems)
    rows: list[dict[str, Any]] = []
    skipped = 0
    for gold in golds:
        for date, raw in sorted(gold.entries.items())[: max_dates or None]:
            day = day_articles(by_day[gold.topic], date, days_after)
            if not day:
                skipped += 1
                continue
            reference = untokenize(raw)
            budget = budget_words or words(reference)
            outputs = summarizers.outputs(gold.topic, date, day, budget)
            row = {"timeline": f"{gold.folder}/{gold.name}", "topic": gold.topic, "date": date,
                   "articles": len(day), "budget": budget} | score_entry(scorer, reference, budget, outputs)
            rows.append(row)
            if len(rows) <= show:
                print(f"\n== {row['timeline']} {date} ({len(day)} articles, {budget} words)")
                print(f"gold:      {reference[:400]}")
                for name, sentences in outputs.items():
                    print(f"{name + ':':<10} {' '.join(sentences)[:400]}")
    means = {"all": mean(rows, systems)} if rows else {}
    for topic in topics:
        mine = [r for r in rows if r["topic"] == topic]
        if mine:
            means[topic] = mean(mine, systems)
    seconds = summarizers.seconds | {"total": time.perf_counter() - start}
    budget_note = f"fixed {budget_words} words" if budget_words else "the gold entry's length"
    print(
        f"\n{len(rows)} gold entries scored, {skipped} without articles "
        f"(published on the date{f' or up to {days_after} days after' if days_after else ''}); "
        f"budget {budget_note}, mean {sum(r['budget'] for r in rows) / max(1, len(rows)):.1f} words; "
        f"mean {sum(r['articles'] for r in rows) / max(1, len(rows)):.1f} articles per entry"
        + (f"; at most {max_dates} entries per timeline" if max_dates else "")
    )
    print_means(means, systems)
    print(f"run time {seconds['total']:.0f} s (loading articles {loaded:.0f} s; "
          + ", ".join(f"{s} {seconds[s]:.1f} s" for s in systems) + ")")
    return {"words": budget_words or None, "days_after": days_after, "max_dates": max_dates or None,
            "skipped": skipped, "rows": rows, "means": means, "seconds": seconds}


def mean(rows: Sequence[dict[str, Any]], systems: Sequence[str]) -> dict[str, dict[str, float]]:
    return {
        s: {m: sum(r[s][m] for r in rows) / len(rows) for m in (*MEASURES, "words")}
        | {f"uncut {m}": sum(r[s]["uncut"][m] for r in rows) / len(rows) for m in MEASURES}
        for s in systems
    }


def print_means(means: dict[str, dict[str, dict[str, float]]], systems: Sequence[str]) -> None:
    print(f"{'':<14}" + "".join(f" | {label:^27}" for label in means))
    print(f"{'system':<14}" + "".join(f" | {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>5}" for _ in means))
    for s in systems:
        line = f"{s:<14}"
        for avg in means.values():
            a = avg[s]
            line += f" | {a['rouge1']:.4f} {a['rouge2']:.4f} {a['rougeL']:.4f} {a['words']:5.1f}"
        print(line)
    if means:
        print(
            "not cut at the budget (all entries): "
            + "; ".join(
                f"{s} " + " ".join(f"{means['all'][s][f'uncut {m}']:.4f}" for m in MEASURES) for s in systems
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"newsprism store (default {DEFAULT_DB})")
    parser.add_argument("--words", type=int, default=0, help="fixed word budget (default: the gold entry's)")
    parser.add_argument("--days-after", type=int, default=0, help="also articles up to N days after the date")
    parser.add_argument("--max-dates", type=int, default=0, help="score at most N entries per gold timeline")
    parser.add_argument("--topics", nargs="*", default=list(TOPICS))
    parser.add_argument("--show", type=int, default=0, help="print the summaries of the first N entries")
    parser.add_argument(
        "--no-baseline", action="store_true", help="newsprism only: no LexRank, TextRank or lead"
    )
    parser.add_argument("--json", type=Path, help="write per-entry scores and means here")
    args = parser.parse_args()
    systems = ("newsprism",) if args.no_baseline else SYSTEMS
    found = evaluate(args.db, args.words, args.days_after, args.max_dates, args.topics, args.show, systems)
    if args.json:
        args.json.write_text(json.dumps(found, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
