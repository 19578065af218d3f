"""Score newsprism's HTML extraction against plain trafilatura on trafilatura's English eval set.

The data set (``../shared/data/extraction/trafilatura-eval-en``) pairs 204 saved pages (``html/*.gz``)
with ``evaldata.json``: for each page, ``with`` segments that a good extractor must output and
``without`` segments (menus, captions, comments, related links) that it must leave out. Counting
follows trafilatura's own evaluation (``tests/eval_common.py`` there): after collapsing whitespace, a
``with`` segment found in the output is a true positive and a missing one a false negative; a
``without`` segment found is a false positive and an absent one a true negative. Counts are summed
over all pages, then

    precision = tp / (tp + fp)     recall = tp / (tp + fn)
    F1 = 2tp / (2tp + fp + fn)     accuracy = (tp + tn) / (tp + tn + fp + fn)

Two extractors run over the same decoded text in one process:

* ``trafilatura`` -- ``trafilatura.extract(html)`` with default settings, the baseline;
* ``newsprism`` -- ``newsprism.article.clean.clean_html(html, source, today)``, scored on its title plus
  paragraphs.
  When that function cannot be imported, the script says so and scores the baseline alone.

An extractor that raises on a page is charged a full miss for it (every ``with`` segment a false
negative, every ``without`` segment a true negative) and counted in the ``errors`` column. ``seconds``
is time spent inside the extractor only, not decoding or scoring.

Run from the repository root::

    .venv/bin/python bench/extraction.py                  # all 204 pages, both extractors
    .venv/bin/python bench/extraction.py --limit 40       # first 40 pages (in evaldata order)
    .venv/bin/python bench/extraction.py --show-failures  # segments newsprism gets wrong

``--show-failures`` lists, page by page, each segment newsprism scores wrong and whether the baseline
got that segment right, which is the quickest way to see what the cleaner drops or lets through.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from trafilatura.utils import decode_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DEFAULT_DATA = SHARED / "data" / "extraction" / "trafilatura-eval-en"

Extractor = Callable[[str], str]


@dataclass(frozen=True)
class Page:
    url: str
    file: str
    html: str
    with_segments: tuple[str, ...]
    without_segments: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """How one extractor did on one segment: ``kind`` is tp, fn, fp or tn."""

    segment: str
    kind: str


@dataclass
class Score:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    pages: int = 0
    errors: int = 0
    seconds: float = 0.0
    verdicts: dict[str, list[Verdict]] = field(default_factory=dict)

    def add(self, page: Page, verdicts: list[Verdict]) -> None:
        self.pages += 1
        self.verdicts[page.file] = verdicts
        for verdict in verdicts:
            setattr(self, verdict.kind, getattr(self, verdict.kind) + 1)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denominator if denominator else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.fn + self.tn
        return (self.tp + self.tn) / total if total else 0.0


def normalize(text: str) -> str:
    # The same whitespace collapsing trafilatura's scorer applies, so line breaks never cost a match.
    return re.sub(r"\s+", " ", text).strip()


def judge(page: Page, output: str | None) -> list[Verdict]:
    """Score one output against one page's segments; ``None`` (a crash) finds nothing."""
    text = normalize(output or "")
    verdicts = [Verdict(s, "tp" if normalize(s) in text else "fn") for s in page.with_segments]
    verdicts += [Verdict(s, "fp" if normalize(s) in text else "tn") for s in page.without_segments]
    return verdicts


def load_pages(data_dir: Path, limit: int | None) -> list[Page]:
    evaldata = json.loads((data_dir / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in list(evaldata.items())[:limit]:
        path = data_dir / "html" / f"{item['file']}.gz"
        if not path.exists():
            path = data_dir / "html" / item["file"]
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        # Decoded once, the same way for both extractors, so charset guessing is not what is compared.
        pages.append(Page(url, item["file"], decode_file(raw), tuple(item["with"]), tuple(item["without"])))
    return pages


def trafilatura_extract(html: str) -> str:
    return trafilatura.extract(html) or ""


def load_newsprism() -> Extractor | None:
    try:
        from newsprism.article.clean import clean_html
    except ImportError as error:
        print(f"newsprism.article.clean.clean_html is not importable ({error}); scoring the baseline only.\n")
        return None

    def newsprism_extract(html: str) -> str:
        article = clean_html(html, "bench", datetime.date.today())
        lines = ([article.title] if article.title else []) + list(article.paragraphs)
        return "\n".join(lines)

    return newsprism_extract


def run(name: str, extract: Extractor, pages: list[Page]) -> Score:
    score = Score(name)
    for page in pages:
        started = time.perf_counter()
        try:
            output: str | None = extract(page.html)
        except Exception as error:  # a crash on one page is a full miss there, not the end of the run
            output = None
            score.errors += 1
            if score.errors == 1:
                print(f"{name}: first error on {page.file}: {type(error).__name__}: {error}", file=sys.stderr)
        score.seconds += time.perf_counter() - started
        score.add(page, judge(page, output))
    return score


def print_table(scores: list[Score]) -> None:
    header = f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'accuracy':>8} {'pages':>5}"
    header += f" {'errors':>6} {'seconds':>8}   tp/fp/fn/tn"
    print(header)
    print("-" * len(header))
    for s in scores:
        print(
            f"{s.name:<12} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f} {s.accuracy:>8.3f} {s.pages:>5}"
            f" {s.errors:>6} {s.seconds:>8.1f}   {s.tp}/{s.fp}/{s.fn}/{s.tn}"
        )


def print_failures(candidate: Score, baseline: Score) -> None:
    """Each segment the candidate scores wrong, with how the baseline scored it."""
    tally: dict[tuple[str, str], int] = {}
    for file, verdicts in candidate.verdicts.items():
        wrong = [v for v in verdicts if v.kind in ("fn", "fp")]
        if not wrong:
            continue
        baseline_kinds = {v.segment: v.kind for v in baseline.verdicts.get(file, [])}
        print(f"\n{file}")
        for v in wrong:
            note = "baseline right" if baseline_kinds.get(v.segment) in ("tp", "tn") else "baseline wrong too"
            label = "missing (fn)" if v.kind == "fn" else "kept (fp)"
            print(f"  {label:<13} [{note}] {v.segment[:100]!r}")
            tally[label, note] = tally.get((label, note), 0) + 1
    print(f"\n{sum(tally.values())} segments wrong for {candidate.name}:")
    for (label, note), count in sorted(tally.items()):
        print(f"  {count:>4} {label}, {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="eval set folder holding html/ and evaldata.json"
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--show-failures", action="store_true", help="list segments newsprism gets wrong")
    args = parser.parse_args(argv)

    if not (args.data / "evaldata.json").exists():
        print(f"no evaldata.json under {args.data}", file=sys.stderr)
        return 2
    pages = load_pages(args.data, args.limit)
    newsprism_extract = load_newsprism()

    scores = [run("trafilatura", trafilatura_extract, pages)]
    if newsprism_extract is not None:
        scores.append(run("newsprism", newsprism_extract, pages))
    print_table(scores)

    if args.show_failures:
        if newsprism_extract is None:
            print("\n--show-failures needs newsprism.article.clean.clean_html.", file=sys.stderr)
        else:
            print_failures(scores[1], scores[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
