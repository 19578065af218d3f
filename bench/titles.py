"""How often story and article titles are page furniture instead of a headline.

    python bench/titles.py DB [DB ...] [--examples 8]
    python bench/titles.py --clean [--limit N] [--examples 8]

With stores (made by ``bench/stories.py --timeline17`` or ``analyze`` of ``bench/timeline17.py``'s
JSONL and the SemEval texts), each store's story titles (``corpus.stories()``) and article
headlines (the article's title, else its lede's first sentence, as a story shows it) are checked.
With ``--clean``, no store: the Timeline17 articles (../shared/data/timelines/timeline17/*/InputDocs)
and the SemEval texts (../shared/data/stories/semeval2022-en-pairs.jsonl) are cleaned here, with
no spaCy, and their headlines checked; this is the quick before/after of a cleaning change.

A title is furniture when it starts with a date, time or weekday stamp, a ``PLACE |`` or ``Name |``
header, a byline ("By ...", "Posted by"), a comment header ("... wrote:"), an agency dateline
("LONDON (Reuters) -", "(CNN) --") or an all-caps city dateline ("WASHINGTON --"), or it holds a
timestamp with a clock or a photo credit ("Credit:", "Full Article") in its first words. The check is
this script's own, independent of newsprism's cleaning rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections import Counter
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TIMELINE17 = SHARED / "data" / "timelines" / "timeline17"
SEMEVAL = SHARED / "data" / "stories" / "semeval2022-en-pairs.jsonl"

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|urday)?\b"
_OPEN, _CLOSE = r"(?:\(|\[|-LRB-\s*)", r"(?:\)|\]|\s*-RRB-)"
KINDS = {
    "stamp": re.compile(
        rf"^(?:{_WEEKDAY}|{_MONTH}\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|\d{{1,2}}[:.]\d\d\b"
        r"|(?:page\s+)?(?:last\s+)?(?:updated|published)\b)",
        re.I,
    ),
    "bar header": re.compile(r"^[A-Z][\w.'’-]*(?:[ ,]+[A-Za-z][\w.'’-]*){0,4}\s*\|"),
    # A byline names someone; "By June", "By Wednesday night", "By the time" open prose.
    "byline": re.compile(rf"^(?i:by|posted by|written by)\s+(?!(?i:{_MONTH}|{_WEEKDAY})(?:\W|$))[A-Z][a-z]"),
    "comment": re.compile(r"^\S{2,40}\s+wrote\s*:|\bwrote\s*:", re.I),
    "agency dateline": re.compile(
        rf"^(?:[A-Z][\w.'’-]*[ ,]*){{0,4}}{_OPEN}[A-Z][\w ]{{1,20}}{_CLOSE}\s*(?:--|[-–—:])"
    ),
    "caps dateline": re.compile(
        r"^[A-Z][A-Z.'’-]{2,}(?:\s+[A-Z][A-Z.'’-]{1,}){0,4}(?:\s*,\s*[A-Z][\w.]*)?\s*(?:--|[-–—])\s"
    ),
    "glued stamp": re.compile(
        rf"\b(?:{_MONTH}\s+\d{{1,2}}\s*,?\s*\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})\s*[;,]?\s*\d{{1,2}}[:.]\d\d"
        r"|\b\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\.?)?\s*(?:EDT|EST|GMT|BST|ET|UTC)\b",
        re.I,
    ),
    "glued dateline": re.compile(
        rf"\s(?:[A-Z][A-Z.'’-]{{2,}}\s*)+(?:,\s*[A-Z][\w.]*\s*)?(?:{_OPEN}[A-Z]\w+{_CLOSE}\s*)?(?:--|—)\s"
        rf"|\s(?:[A-Z][\w.]*\s*)?{_OPEN}(?:Reuters|AP|AFP|CNN|ANI|IANS|PTI){_CLOSE}\s*(?:--|[-–—:])"
    ),
    "credit": re.compile(r"\b(?:Credit\s*:|Full Article\b|STORY HIGHLIGHTS\b)", re.I),
}


def furniture(title: str | None) -> str | None:
    """The kind of furniture a title is or holds, or None when it reads as a headline."""
    if not title:
        return "none"
    for kind, pattern in KINDS.items():
        if pattern.search(title):
            return kind
    return None


def report(name: str, titles: list[str | None], examples: int) -> None:
    kinds = Counter(furniture(t) for t in titles)
    bad = [t for t in titles if furniture(t) not in (None, "none")]
    share = len(bad) / len(titles) if titles else 0.0
    print(f"{name}: {len(titles)} titles, furniture {len(bad)} ({share:.1%}), untitled {kinds['none']}")
    print("   " + ", ".join(f"{k} {n}" for k, n in kinds.most_common() if k not in (None, "none")))
    for title in random.Random(0).sample(bad, min(examples, len(bad))):
        print(f"   [{furniture(title)}] {title[:140]}")


def from_stores(paths: list[Path], examples: int) -> None:
    import newsprism
    from newsprism.corpus.stories import headline

    for path in paths:
        with newsprism.open(path) as corpus:
            report(f"{path.name} stories", [s.title for s in corpus.stories()], examples)
            report(f"{path.name} articles", [headline(a) for a in corpus.articles()], examples)


def _inputs(limit: int | None) -> dict[str, list[dict[str, str]]]:
    t17 = [{"text": p.read_text(encoding="utf-8", errors="replace"), "published": p.parent.name}
           for p in sorted(TIMELINE17.glob("*/InputDocs/*/*.txt"))]
    semeval, seen = [], set()
    for line in SEMEVAL.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        for n in ("1", "2"):
            if pair[f"url{n}"] not in seen and pair[f"text{n}"].strip():
                seen.add(pair[f"url{n}"])
                semeval.append({"text": pair[f"text{n}"]})
    return {"timeline17": t17[:limit], "semeval": semeval[:limit]}


def from_cleaning(limit: int | None, examples: int) -> None:
    from newsprism.article.clean import clean
    from newsprism.corpus.stories import headline
    from newsprism.errors import InputError
    from newsprism.records import RawDoc

    for name, docs in _inputs(limit).items():
        titles, headlines = [], []
        for number, doc in enumerate(docs):
            given = {"published": doc.get("published")}
            source, digest = f"{name}/{number}", f"{number:016x}"
            raw = RawDoc(source=source, text=doc["text"], given=given, content_hash=digest)
            try:
                article = clean(raw, dt.date(2026, 12, 1))
            except InputError:
                continue
            titles.append(article.title)
            headlines.append(headline(article))
        report(f"{name} article titles (cleaning)", [t for t in titles if t], examples)
        report(f"{name} headlines (title or lede)", headlines, examples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dbs", nargs="*", type=Path)
    parser.add_argument("--clean", action="store_true", help="clean the dev corpora here, no store")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--examples", type=int, default=8)
    args = parser.parse_args()
    if args.clean:
        from_cleaning(args.limit, args.examples)
    if args.dbs:
        from_stores(args.dbs, args.examples)


if __name__ == "__main__":
    main()
