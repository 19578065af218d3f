"""Timeline17 topics as newsprism input: one JSONL per topic, the publication date from the folder.

    python bench/timeline17.py OUT_DIR [--topics bpoil H1N1]

The articles of ``../shared/data/timelines/timeline17/<topic>_<outlet>/InputDocs/<date>/`` become
lines ``{"id", "text", "published", "outlet"}`` of ``OUT_DIR/<topic>_<outlet>.jsonl`` (kept out of
the repository). Analyse them together and check the entities with the shared sanity scorer:

    newsprism analyze OUT_DIR --db t17.duckdb --json t17.json
    python ../shared/eval/entity_sanity.py t17.json -v
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TIMELINE17 = SHARED / "data" / "timelines" / "timeline17"


def records(topics: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """(``<topic>_<outlet>``, JSONL record) for each non-empty article of the topics (all if none)."""
    for folder in sorted(TIMELINE17.iterdir()):
        topic, _, outlet = folder.name.partition("_")
        if topics and topic not in topics:
            continue
        for doc in sorted((folder / "InputDocs").glob("*/*")):
            text = doc.read_text(encoding="utf-8", errors="replace")
            if text.strip():
                yield folder.name, {
                    "id": f"{folder.name}/{doc.parent.name}/{doc.name}",
                    "text": text,
                    "published": doc.parent.name,
                    "outlet": outlet,
                }


def write_topics(out: Path, topics: list[str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, TextIO] = {}
    try:
        for name, record in records(topics):
            if name not in files:
                files[name] = (out / f"{name}.jsonl").open("w", encoding="utf-8")
            files[name].write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        for lines in files.values():
            lines.close()
    return [out / f"{name}.jsonl" for name in files]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--topics", nargs="*", default=[], help="topic prefixes, e.g. bpoil H1N1; all if none"
    )
    args = parser.parse_args()
    for path in write_topics(args.out, args.topics):
        print(path)


if __name__ == "__main__":
    main()
