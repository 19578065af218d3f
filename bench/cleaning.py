"""Cleaning against the hand-labelled gold set, and the furniture left in what readers of the dev stories see.

    python bench/cleaning.py [--misses N]     # the gold set's lines, per outlet and per kind
    python bench/cleaning.py --stories DB     # also the dev stories of a store (bench/timelines.py's)

The gold set (``tests/data/cleaning-gold.jsonl``, made with ``bench/cleaning_gold.py``) labels every
line of about two hundred articles as body, title or a kind of junk. Each article is cleaned here
(``newsprism.article.clean.clean``, no spaCy) and each of its lines is found again in the result:

- *removed*: the line is one of the article's ``removed`` entries, or the article was refused;
- *title*: the line is the article's title;
- *kept*: the line, or what is left of it after a glued header is split off, is in the body.

Junk precision and recall count junk lines removed; body precision and recall count body lines kept.
A gold title line counts as junk kept out of the body when it is removed or made the title, as body
when it is kept. Outlets with fewer than five labelled articles are pooled per corpus.

With ``--stories``, the store's story titles, summary sentences and timeline entries are checked for
furniture by shape (``bench/titles.py``'s checks for titles; for sentences, its byline, comment,
stamp, credit and bar-header checks and ``bench/furniture.py``'s comment, link and widget shapes).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from cleaning_gold import JUNK_KINDS, GoldArticle, load_gold
from furniture import SHAPES
from titles import KINDS as TITLE_KINDS
from titles import furniture as title_furniture

from newsprism.article.clean import clean
from newsprism.errors import InputError
from newsprism.records import Article

TODAY = dt.date(2026, 12, 1)
MIN_OUTLET_ARTICLES = 5
SENTENCE_KINDS = ("byline", "comment", "glued stamp", "credit", "bar header")


def normalize_space(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Tally:
    articles: int = 0
    junk: int = 0
    junk_removed: int = 0
    body: int = 0
    body_kept: int = 0
    kept: int = 0
    removed: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    kind_removed: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, status: str) -> None:
        is_junk = label != "body"
        gone = status != "kept"
        self.kept += not gone
        self.removed += gone
        if is_junk:
            self.junk += 1
            self.junk_removed += gone
            self.by_kind[label] += 1
            self.kind_removed[label] += gone
        else:
            self.body += 1
            self.body_kept += not gone

    def row(self, name: str) -> str:
        def ratio(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "  -  "

        junk_p = ratio(self.junk_removed, self.removed)
        body_p = ratio(self.body_kept, self.kept)
        return (f"{name:28} {self.articles:4d} {self.body:6d} {self.junk:5d}   {junk_p} "
                f"{ratio(self.junk_removed, self.junk)}   {body_p} {ratio(self.body_kept, self.body)}")


def statuses(article: Article | None, lines: list[str]) -> list[str]:
    """Where each line of the input ended: kept, removed or title. A line split by cleaning (a header
    glued to its lede) is kept when a piece of it that is neither removed nor the title is in the body."""
    if article is None:
        return ["removed"] * len(lines)
    removed = sorted({r.text for r in article.removed}, key=len, reverse=True)
    body = normalize_space("\n".join(article.paragraphs))
    out = []
    for line in lines:
        if line in removed:
            out.append("removed")
            continue
        if line == article.title:
            out.append("title")
            continue
        rest = line
        for piece in [article.title or "", *removed]:
            if piece and piece in rest:
                rest = rest.replace(piece, "\n", 1)
        pieces = [normalize_space(p) for p in rest.split("\n") if p.strip()]
        out.append("kept" if any(p in body for p in pieces) else "removed")
    return out


def group_of(item: GoldArticle) -> str:
    return f"{item.source.id.split(':')[0]}: {item.source.outlet}"


def score(gold: list[GoldArticle], misses: int) -> None:
    tallies: dict[str, Tally] = defaultdict(Tally)
    missed: list[tuple[str, str, str, str]] = []
    outlets = Counter(group_of(g) for g in gold)
    for item in gold:
        try:
            article: Article | None = clean(item.source.raw, TODAY)
        except InputError:
            article = None
        group = group_of(item)
        if outlets[group] < MIN_OUTLET_ARTICLES:
            group = f"{group.split(':')[0]}: (others)"
        groups = ("all", group)
        for group in groups:
            tallies[group].articles += 1
        for line, label, status in zip(item.lines, item.labels, statuses(article, item.lines), strict=True):
            for group in groups:
                tallies[group].add(label, status)
            if (label == "body") != (status == "kept"):
                missed.append((item.source.id, label, status, line))
    print(f"{'outlet':28} {'arts':>4} {'body':>6} {'junk':>5}   junk P   R     body P   R")
    for name in sorted(tallies, key=lambda n: (n != "all", n)):
        print(tallies[name].row(name))
    overall = tallies["all"]
    print("\njunk removed per kind: " + ", ".join(
        f"{kind} {overall.kind_removed[kind]}/{overall.by_kind[kind]}"
        for kind in ("title", *JUNK_KINDS) if overall.by_kind[kind]))
    for doc_id, label, status, line in missed[:misses]:
        print(f"   [{label} -> {status}] {doc_id}: {line[:150]}")


def sentence_furniture(text: str) -> str | None:
    for kind in SENTENCE_KINDS:
        if TITLE_KINDS[kind].search(text):
            return kind
    return next((kind for kind, shape in SHAPES.items() if shape.search(text)), None)


def stories(db: Path, examples: int) -> None:
    import newsprism

    with newsprism.open(db) as corpus:
        export = corpus.export()
    titles = [s.get("title") for s in export["stories"]]
    sentences = [s["text"] for story in export["stories"] for s in story.get("summary") or []]
    entries = [e["text"] for e in export.get("timeline") or []]
    for name, texts, judge in (("story titles", titles, title_furniture),
                               ("summary sentences", sentences, sentence_furniture),
                               ("timeline entries", entries, sentence_furniture)):
        bad = [(judge(t), t) for t in texts if judge(t) not in (None, "none")]
        share = len(bad) / len(texts) if texts else 0.0
        print(f"{name}: {len(texts)}, furniture {len(bad)} ({share:.1%})")
        for kind, text in bad[:examples]:
            print(f"   [{kind}] {(text or '')[:140]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--misses", type=int, default=0, help="print the first N lines cleaning got wrong")
    parser.add_argument("--stories", type=Path, help="a store of the dev stories to check for furniture")
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()
    score(load_gold(), args.misses)
    if args.stories:
        print()
        stories(args.stories, args.examples)


if __name__ == "__main__":
    main()
