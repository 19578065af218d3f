"""Page furniture and readers' comments that cleaning removes, and what of their shape it leaves.

    python bench/furniture.py [--samples N] [--json OUT]

Runs ``newsprism.article.clean.clean`` on the Timeline17 articles (per ``<topic>_<outlet>`` folder
outlet) and the SemEval-2022 pair texts (outlet from the URL's host) of ``../shared/data`` and prints,
per outlet, the lines removed by reason, then the body paragraphs still matching a furniture shape
(a comment signature, a reply or report affordance, a link prompt, a share widget, a "last changed"
stamp), with a sample of each. Not a test: it measures what a change of the cleaning rules does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from cleaning_gold import host_of, semeval_texts

from newsprism.article.clean import clean
from newsprism.article.ingest import make_doc
from newsprism.errors import InputError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TIMELINE17 = SHARED / "data" / "timelines" / "timeline17"
TODAY = dt.date(2026, 11, 22)

# Shapes of furniture and comments, to find what cleaning left in the body (a measurement, not a rule).
SHAPES = {
    "posted by": re.compile(r"\bposted by\b", re.I),
    "wrote:": re.compile(r"\bwrote\s*:", re.I),
    "reply/report": re.compile(r"\|\s*(?:reply|report)\b|\breport (?:abuse|as abusive)\b", re.I),
    "click here": re.compile(r"\bclick here\b", re.I),
    "share/retweet": re.compile(r"\b(?:retweet|share this|tweet this)\b|\bbit\.ly/|\bt\.co/", re.I),
    "last changed": re.compile(r"\blast (?:changed|updated|modified) (?:at|on)\b", re.I),
    "date at time": re.compile(r"\b\d{4}\s*(?:at|,)?\s*\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*\|", re.I),
}


def documents() -> Iterator[tuple[str, str, str]]:
    """(outlet, id, text) of every Timeline17 article and every distinct SemEval text."""
    for folder in sorted(TIMELINE17.iterdir()):
        outlet = folder.name.partition("_")[2]
        for doc in sorted((folder / "InputDocs").glob("*/*")):
            yield outlet, f"{folder.name}/{doc.parent.name}/{doc.name}", doc.read_text(errors="replace")
    for doc_id, url, text in semeval_texts():
        host = host_of(url)
        yield f"semeval:{host.split('.')[-2] if '.' in host else host}", doc_id, text


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    removed: dict[str, Counter[str]] = defaultdict(Counter)
    left: dict[str, Counter[str]] = defaultdict(Counter)
    samples: dict[str, list[str]] = defaultdict(list)
    articles: Counter[str] = Counter()
    for outlet, doc_id, text in documents():
        group = "semeval" if outlet.startswith("semeval:") else outlet
        if not text.strip():
            continue
        try:
            article = clean(make_doc(doc_id, text, is_html=False), TODAY)
        except InputError:
            removed[group]["(no body left)"] += 1
            continue
        articles[group] += 1
        removed[group].update(r.reason for r in article.removed)
        for paragraph in article.paragraphs:
            for shape, pattern in SHAPES.items():
                if pattern.search(paragraph):
                    left[group][shape] += 1
                    if len(samples[shape]) < args.samples:
                        samples[shape].append(f"{doc_id}: {paragraph[:160]}")
    for group in sorted(articles):
        print(f"== {group}: {articles[group]} articles, {sum(removed[group].values())} lines removed")
        for reason, n in removed[group].most_common():
            print(f"   removed {n:6d}  {reason}")
        for shape, n in left[group].most_common():
            print(f"   left    {n:6d}  {shape}")
    totals = {shape: sum(c[shape] for c in left.values()) for shape in SHAPES}
    print("== left in bodies, all outlets:", ", ".join(f"{s}={n}" for s, n in totals.items()))
    for shape, lines in samples.items():
        print(f"-- {shape}")
        for line in lines:
            print("   ", line)
    if args.json:
        args.json.write_text(json.dumps({"removed": removed, "left": left}, indent=1))


if __name__ == "__main__":
    main()
