"""The cleaning gold set: which lines of real scraped articles are body and which are junk, and of what kind.

    python bench/cleaning_gold.py sample [--batches N]        # the articles to label, in N batches
    python bench/cleaning_gold.py show ID...                  # their lines, numbered, to label
    python bench/cleaning_gold.py record LABELS... [--out F]  # label files -> the gold set
    python bench/cleaning_gold.py check                       # the gold still matches the data

The articles come from the development corpora in ``../shared`` (never copied here): Timeline17
articles as scraped (five outlets), SemEval-2022 pair texts (title and start of the body, many
outlets) and the text trafilatura extracts from the trafilatura-eval pages. A *line* is what cleaning
sorts: a non-blank line of the text, whitespace collapsed (``clean.text_lines``). The gold stores each
line by reference, as its number and a short hash of its text, never the text, with its label:

- ``body``: the article's own text (its paragraphs and subheadings, a glued header included);
- ``title``: the article's headline line;
- a junk kind: ``header`` (datelines on their own, timestamps, bylines, author bios, "last updated"),
  ``navigation`` (menus, link lists, related headlines, "read more" prompts, tags),
  ``share`` (share and follow widgets), ``caption`` (photo and video captions and credits),
  ``comment`` (readers' comments, their signatures and reply controls), ``ad`` (adverts,
  subscription and newsletter prompts), ``legal`` (copyright, terms, cookie notices), ``meta`` (URLs,
  ids, counters, serialized data) and ``other``.

A label file, written by a person reading the ``show`` output, has a ``# ID`` line per article and
then ``FIRST[-LAST] LABEL`` lines covering each of its lines exactly once.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from extraction import DEFAULT_DATA as TRAFILATURA_EVAL
from extraction import load_pages

from newsprism.article.clean import extract_page, text_lines
from newsprism.article.ingest import make_doc, read_file
from newsprism.errors import InputError
from newsprism.options import Options
from newsprism.records import RawDoc

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TIMELINE17 = SHARED / "data" / "timelines" / "timeline17"
SEMEVAL = SHARED / "data" / "stories" / "semeval2022-en-pairs.jsonl"
GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "cleaning-gold.jsonl"
JUNK_KINDS = ("header", "navigation", "share", "caption", "comment", "ad", "legal", "meta", "other")
LABELS = ("body", "title", *JUNK_KINDS)
# How many articles the set draws from each source: every Timeline17 outlet folder, the SemEval
# outlets with five or more texts (so each is scored on its own), other SemEval outlets, and pages.
PER_TIMELINE17_FOLDER = 12
PER_SEMEVAL_OUTLET = 5
SEMEVAL_OTHERS = 10
TRAFILATURA_PAGES = 30
SAMPLE_SEED = 21


@dataclass(frozen=True)
class Source:
    id: str
    outlet: str
    raw: RawDoc


def sources() -> Iterator[Source]:
    """Every article the gold set may draw from, in a fixed order."""
    for folder in sorted(TIMELINE17.iterdir()):
        outlet = folder.name.partition("_")[2]
        for path in sorted((folder / "InputDocs").glob("*/*")):
            for raw in read_file(path, Options()):
                if isinstance(raw, RawDoc):
                    yield Source(f"t17:{folder.name}/{path.parent.name}/{path.name}", outlet, raw)
    for doc_id, url, text in semeval_texts():
        doc_id = f"semeval:{doc_id}"
        yield Source(doc_id, host_of(url), make_doc(doc_id, text, is_html=False))
    for page in load_pages(TRAFILATURA_EVAL, None):
        doc_id = f"traf:{page.file}"
        raw = make_doc(doc_id, page.html, is_html=True, given={"url": page.url})
        yield Source(doc_id, host_of(page.url), raw)


def semeval_texts() -> Iterator[tuple[str, str, str]]:
    """(``pair/textN`` id, URL, text) of every distinct SemEval-2022 pair text, in file order."""
    seen: set[str] = set()
    for line in SEMEVAL.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for key in ("text1", "text2"):
            text = row[key]
            if text.strip() and text not in seen:
                seen.add(text)
                yield f"{row['pair_id']}/{key}", row["url" + key[-1]], text


def host_of(url: str) -> str:
    return urlparse(url).netloc.removeprefix("www.").split(":")[0]


def lines_of(source: Source) -> list[str]:
    """The lines cleaning sorts for this article; [] when the page has no article text to sort."""
    raw = source.raw
    if not raw.is_html:
        return text_lines(raw.text.splitlines())
    try:
        return text_lines((extract_page(raw.text, raw.source, raw.given.get("url")).text or "").splitlines())
    except InputError:
        return []


def line_hash(line: str) -> str:
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:8]


def sample() -> list[str]:
    """The ids to label: a seeded draw per source, among articles with lines to sort."""
    rng = random.Random(SAMPLE_SEED)
    groups: dict[str, list[str]] = {}
    for source in sources():
        if lines_of(source):
            corpus = source.id.split(":")[0]
            group = source.id.split("/")[0] if corpus == "t17" else f"{corpus}:{source.outlet}"
            groups.setdefault(group, []).append(source.id)
    chosen: list[str] = []
    semeval_rest: list[str] = []
    traf: list[str] = []
    for group, ids in sorted(groups.items()):
        if group.startswith("t17:"):
            chosen += rng.sample(ids, min(PER_TIMELINE17_FOLDER, len(ids)))
        elif group.startswith("semeval:") and len(ids) >= PER_SEMEVAL_OUTLET:
            chosen += rng.sample(ids, PER_SEMEVAL_OUTLET)
        elif group.startswith("semeval:"):
            semeval_rest += ids
        else:
            traf += ids
    return chosen + rng.sample(semeval_rest, SEMEVAL_OTHERS) + rng.sample(traf, TRAFILATURA_PAGES)


LABEL_LINE = re.compile(r"^(\d+)(?:-(\d+))?\s+(\w+)\s*$")


def parse_labels(text: str, where: str) -> dict[str, list[str]]:
    """``{id: [label per line]}`` from a label file; a gap, overlap or unknown label is an error."""
    labelled: dict[str, list[str]] = {}
    current: list[str] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line.startswith("#"):
            current = labelled.setdefault(line[1:].strip(), [])
        elif line:
            match = LABEL_LINE.match(line)
            if current is None or not match or match[3] not in LABELS:
                raise SystemExit(f"{where}:{number}: cannot read {line!r}")
            first, last = int(match[1]), int(match[2] or match[1])
            if first != len(current) or last < first:
                raise SystemExit(f"{where}:{number}: expected line {len(current)} next, got {line!r}")
            current += [match[3]] * (last - first + 1)
    return labelled


def record(label_files: list[Path], out: Path) -> None:
    labelled: dict[str, list[str]] = {}
    for path in label_files:
        labelled.update(parse_labels(path.read_text(encoding="utf-8"), str(path)))
    rows = []
    for source in sources():
        if source.id not in labelled:
            continue
        lines, labels = lines_of(source), labelled.pop(source.id)
        if len(labels) != len(lines):
            raise SystemExit(f"{source.id}: {len(labels)} labels for {len(lines)} lines")
        rows.append({"id": source.id, "outlet": source.outlet,
                     "lines": [[line_hash(line), label] for line, label in zip(lines, labels, strict=True)]})
    if labelled:
        raise SystemExit(f"no such articles: {sorted(labelled)}")
    out.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    print(f"{len(rows)} articles, {sum(len(r['lines']) for r in rows)} lines -> {out}")


@dataclass(frozen=True)
class GoldArticle:
    source: Source
    lines: list[str]
    labels: list[str]


def load_gold(path: Path = GOLD) -> list[GoldArticle]:
    """The gold articles with their lines, checked line by line against the data they refer to."""
    rows = {row["id"]: row for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())}
    gold = []
    for source in sources():
        row = rows.pop(source.id, None)
        if row is None:
            continue
        lines = lines_of(source)
        hashes = [h for h, _ in row["lines"]]
        if hashes != [line_hash(line) for line in lines]:
            raise SystemExit(f"{source.id}: its lines are not those the gold was labelled on")
        gold.append(GoldArticle(source, lines, [label for _, label in row["lines"]]))
    if rows:
        raise SystemExit(f"gold articles missing from the data: {sorted(rows)}")
    return gold


def show(ids: list[str]) -> None:
    wanted = set(ids)
    for source in sources():
        if source.id in wanted:
            print(f"# {source.id}   (outlet {source.outlet})")
            for number, line in enumerate(lines_of(source)):
                print(f"{number:4d} | {line}")
            print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("sample").add_argument("--batches", type=int, default=1)
    commands.add_parser("show").add_argument("ids", nargs="+")
    recording = commands.add_parser("record")
    recording.add_argument("labels", nargs="+", type=Path)
    recording.add_argument("--out", type=Path, default=GOLD)
    commands.add_parser("check")
    args = parser.parse_args()
    if args.command == "sample":
        ids = sample()
        for batch in range(args.batches):
            print(f"## batch {batch + 1}")
            print("\n".join(ids[batch :: args.batches]))
    elif args.command == "show":
        show(args.ids)
    elif args.command == "record":
        record(args.labels, args.out)
    else:
        gold = load_gold()
        print(f"{len(gold)} articles, {sum(len(g.lines) for g in gold)} lines: all match the data")


if __name__ == "__main__":
    sys.exit(main())
