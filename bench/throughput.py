"""End-to-end throughput: ``newsprism analyze`` against bare spaCy on the same texts, in one run.

    python bench/throughput.py [--split dev|train] [--limit N] [--workers N] [--postgres URL]
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

``--postgres URL`` (a PostgreSQL server, named by the address of any database on it) measures
instead what a second writer adds to a team store: the same texts stored by one ``analyze`` process,
then by two at once each storing half of them, every process with one worker and each arrangement
in a new database (dropped after); the article stage (spaCy and the article-level analysis) is most
of each process's time, and the corpus-level update of every commit is serialised by the store's
write lock. The figure is the throughput of two over one (goal at least 1.6 on 2 cores), with
the articles each database ends up holding (the same in both).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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

from newsprism.store import open_store  # noqa: E402


def bare_spacy(texts: list[str], processes: int) -> float:
    started = time.perf_counter()
    import spacy

    from newsprism.article.nlp import MODEL

    nlp = spacy.load(MODEL)
    for _ in nlp.pipe(texts, n_process=processes):
        pass
    return time.perf_counter() - started


def analyze(inputs: list[Path], db: str, workers: int, out: Path | None = None) -> list[str]:
    """The ``newsprism analyze`` command line storing ``inputs`` in ``db``."""
    json_out = ["--json", str(out)] if out else []
    return [
        str(Path(sys.executable).with_name("newsprism")),
        "analyze",
        *map(str, inputs),
        *json_out,
        "--db",
        db,
        "--workers",
        str(workers),
    ]


def newsprism(input_path: Path, out: Path | None, db: Path, workers: int) -> float:
    started = time.perf_counter()
    run = subprocess.run(analyze([input_path], str(db), workers, out), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"newsprism failed:\n{run.stderr[-2000:]}")
    return elapsed


def at_once(runs: list[list[Path]], db: str) -> tuple[float, float]:
    """Seconds from starting one ``analyze`` process (one worker) per list of inputs, all at once,
    all writing ``db``, until the last has finished; and the CPU seconds (user and system) the
    processes spent, which a busy machine stretches less than the wall clock."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    processes = [subprocess.Popen(analyze(inputs, db, 1), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True) for inputs in runs]
    for process in processes:
        _, err = process.communicate()
        if process.returncode != 0:
            sys.exit(f"newsprism failed:\n{err[-2000:]}")
    spent = time.perf_counter() - started
    now = resource.getrusage(resource.RUSAGE_CHILDREN)
    return spent, now.ru_utime + now.ru_stime - used.ru_utime - used.ru_stime


def writers(input_path: Path, server: str, tmp: Path) -> None:
    """One writer storing every text, against two storing half each at the same time, each in a new
    PostgreSQL database on ``server``; the same texts, one worker per process."""
    # Imported here, not above: corpus_scale imports spaCy, whose import the baseline's time counts.
    from corpus_scale import fresh_database  # bench/ is on sys.path when this file runs as a script

    lines = input_path.read_text(encoding="utf-8").splitlines(keepends=True)
    halves = [tmp / "first.jsonl", tmp / "second.jsonl"]
    halves[0].write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    halves[1].write_text("".join(lines[len(lines) // 2 :]), encoding="utf-8")
    chars = sum(len(json.loads(line)["text"]) for line in lines)
    with fresh_database(server, "one") as one, fresh_database(server, "two") as two:
        alone = at_once([halves], one)
        together = at_once([[halves[0]], [halves[1]]], two)
        stored = []
        for url in (one, two):
            with open_store(url, read_only=True) as store:
                stored.append(store.counts()["articles"])
    print(f"articles {len(lines)}, characters {chars:,}, one worker per analyze process, PostgreSQL")
    for name, (spent, cpu), held in (("one writer, every text", alone, stored[0]),
                                     ("two writers, half each", together, stored[1])):
        print(f"{name:<30}{spent:7.2f} s   {chars / spent:10,.0f} chars/s   CPU {cpu:7.2f} s   "
              f"articles stored {held}")
    print(f"throughput two / one          {alone[0] / together[0]:7.2f}   (goal >= 1.6 on 2 cores)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="dev", choices=["dev", "train"])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles")
    parser.add_argument("--workers", type=int, default=0, help="newsprism worker processes (0: one per core)")
    parser.add_argument("--timeline17", action="store_true", help="Timeline17 bpoil + H1N1, no export")
    parser.add_argument("--postgres", metavar="URL",
                        help="a PostgreSQL server: one writer against two at once, not the spaCy baseline")
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
        if args.postgres:
            writers(input_path, args.postgres, tmp_path)
            return
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
