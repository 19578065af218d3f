"""End-to-end throughput: ``newsprism analyze`` against bare spaCy on the same texts, in one run.

    python bench/throughput.py [--split dev|train] [--limit N] [--workers N]
    python bench/throughput.py --timeline17 [--limit N] [--workers N]

The texts are PolNeAR's (../shared/data/quotes), or with ``--timeline17`` the Timeline17 dev topics
(bpoil + H1N1, 1,862 long articles as a scraper gives them, written by ``timeline17.py``): these are
timed from JSONL to a committed store, without ``--json`` (issue 22's goal: 10 articles/s on 2
cores), and have no quote gold to score. The baseline is the spaCy model's full default
pipeline (``spacy.load`` + ``nlp.pipe`` with ``n_process`` = newsprism's workers, so both use the
same processes), timed including the model load; newsprism is
the real command on a fresh database (reading, cleaning, spaCy, entities, quotes, dates, corpus
resolution, storing and the JSON export), timed as a subprocess, so process start and model load
count too. The ratio is spaCy time / newsprism time: above 1.0, the whole tool is faster than
spaCy alone. The export is then scored with ../shared/eval/score_polnear.py, so one run gives the
speed and the quote figures of the same output.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))

sys.path.insert(0, str(Path(__file__).resolve().parent))

import score_polnear  # noqa: E402
import timeline17  # noqa: E402


def bare_spacy(texts: list[str], processes: int) -> float:
    started = time.perf_counter()
    import spacy

    from newsprism.article.nlp import MODEL

    nlp = spacy.load(MODEL)
    for _ in nlp.pipe(texts, n_process=processes):
        pass
    return time.perf_counter() - started


def newsprism(input_path: Path, out: Path | None, db: Path, workers: int) -> float:
    command = [str(Path(sys.executable).with_name("newsprism")), "analyze", str(input_path)]
    command += ["--db", str(db), "--workers", str(workers)] + (["--json", str(out)] if out else [])
    started = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"newsprism failed:\n{run.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=0, help="newsprism worker processes (0: one per core)")
    parser.add_argument("--timeline17", action="store_true", help="Timeline17 bpoil + H1N1, no export")
    args = parser.parse_args()
    gold = SHARED / "data" / "quotes" / f"polnear-{args.split}.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        input_path = tmp_path / "input.jsonl"
        if args.timeline17:
            records = (record for _, record in timeline17.records(["bpoil", "H1N1"]))
            input_path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
        else:
            score_polnear.write_input(gold, input_path)
        if args.limit:
            lines = input_path.read_text(encoding="utf-8").splitlines()[: args.limit]
            input_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        texts = [json.loads(line)["text"] for line in input_path.read_text(encoding="utf-8").splitlines()]
        workers = args.workers or os.cpu_count() or 1
        export = None if args.timeline17 else tmp_path / "export.json"
        ours = newsprism(input_path, export, tmp_path / "db.duckdb", workers)
        baseline = bare_spacy(texts, workers)
        chars = sum(map(len, texts))
        print(f"articles {len(texts)}, characters {chars:,}, processes {workers}")
        print(
            f"bare spaCy (full pipeline, load + pipe)   {baseline:7.2f} s   {chars / baseline:10,.0f} chars/s"
            f"   {len(texts) / baseline:6.2f} articles/s"
        )
        print(
            f"newsprism analyze (end to end)            {ours:7.2f} s   {chars / ours:10,.0f} chars/s"
            f"   {len(texts) / ours:6.2f} articles/s"
        )
        print(f"ratio spaCy / newsprism                   {baseline / ours:7.2f}")
        if export:
            print("\nquote attribution of that export (score_polnear.py):")
            score_polnear.score(gold, export)


if __name__ == "__main__":
    main()
