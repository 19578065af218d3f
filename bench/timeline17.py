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
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TIMELINE17 = SHARED / "data" / "timelines" / "timeline17"


def write_topics(out: Path, topics: list[str]) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for folder in sorted(TIMELINE17.iterdir()):
        topic, _, outlet = folder.name.partition("_")
        if topics and topic not in topics:
            continue
        path = out / f"{folder.name}.jsonl"
        with path.open("w", encoding="utf-8") as lines:
            for doc in sorted((folder / "InputDocs").glob("*/*")):
                text = doc.read_text(encoding="utf-8", errors="replace")
                if text.strip():
                    record = {
                        "id": f"{folder.name}/{doc.parent.name}/{doc.name}",
                        "text": text,
                        "published": doc.parent.name,
                        "outlet": outlet,
                    }
                    lines.write(json.dumps(record, ensure_ascii=False) + "\n")
        written.append(path)
    return written


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
