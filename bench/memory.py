"""Peak memory of ``newsprism analyze``: streaming (1k and 5k articles) and one giant page.

    python bench/memory.py [--sizes 1000 5000] [--workers N] [--split dev|train]
    python bench/memory.py --giant [--limit N] [--giant-chars 4900000 ...] [--workers N]
    python bench/memory.py --export STORE.duckdb

The default mode's input is PolNeAR's texts (../shared/data/quotes), repeated until each file holds
its size in articles, every copy with its own ``id`` so that its content hash, and so its article, is
new. Each size is the real command on a fresh database, without ``--json``: the export builds the
whole view in memory by design, and this mode is about the streaming ``analyze`` itself.

``--giant`` asks whether memory follows the largest page rather than the input: (a) the Timeline17
articles (the first ``--limit`` of them, all by default), then (b) the same plus one article of
``--giant-chars`` characters made of clean Timeline17 paragraphs (one run per size given), each the
real command with ``--json`` on a fresh database. Goals: tree RSS at most 1.5 GB on both, and (b)
at most 1.1 times (a).

``--export`` runs ``newsprism export --json`` of every article of a store (copied first: a store an
older release wrote is brought up to date when opened, which is no part of the export) to a
temporary file; the export reads the store a chunk of articles at a time and writes one record at a
time, so its peak should not follow the corpus either. The store of the Timeline17 topics is the
reference (issue 22: at most 400 MB):

    python bench/timeline17.py /tmp/t17jsonl && newsprism analyze /tmp/t17jsonl --db /tmp/t17.duckdb
    python bench/memory.py --export /tmp/t17.duckdb

Three figures per run, because worker processes make "the memory of a run" ambiguous:

- largest process: ``ru_maxrss`` from ``wait4`` on the command, i.e. the peak of its largest
  single process (the command or one worker), exact; with ``--giant``, also the command's own
  process, sampled as below, which tells the workers' part from the store's and the export's;
- tree RSS: the peak over time of the RSS summed over the command and all its descendants, sampled
  every 0.2 s from /proc; it counts the pages forked workers share with their parent once per
  process, so it overstates;
- tree PSS: the same sum of proportional set sizes (/proc/PID/smaps_rollup), shared pages split
  between the processes sharing them: the closest to what the run costs the machine.

The baseline is the smallest size: the ratio of each figure to it should stay near 1 (streaming
means memory follows the chunk and commit sizes, not the input size).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import timeline17

from newsprism.article.clean import clean
from newsprism.article.comments import comment_thread, signature
from newsprism.article.ingest import jsonl_doc
from newsprism.options import Options

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE_S = 0.2


@dataclass
class Peak:
    largest_mib: float
    command_mib: float  # the command's own process, sampled: the largest less the workers
    tree_rss_mib: float
    tree_pss_mib: float
    wall_s: float


def write_input(path: Path, gold: Path, size: int) -> int:
    """``size`` articles cycling over the gold texts; returns the characters written."""
    rows = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    chars = 0
    with path.open("w", encoding="utf-8") as out:
        for i in range(size):
            row = rows[i % len(rows)]
            record = {"id": f"{row['doc_id']}#{i}", "text": row["text"], "outlet": row["publisher"],
                      "title": row["title"], "published": row["publication_date"]}
            out.write(json.dumps(record) + "\n")
            chars += len(row["text"])
    return chars


def write_timeline17(path: Path, limit: int | None) -> int:
    """The Timeline17 articles, or the first ``limit``, as one JSONL; returns the characters written."""
    chars = 0
    with path.open("w", encoding="utf-8") as out:
        for _, record in islice(timeline17.records([]), limit):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            chars += len(record["text"])
    return chars


def write_giant(path: Path, chars: int, max_bytes: int) -> int:
    """One article of ``chars`` characters: the clean paragraphs of Timeline17 articles in turn, its
    JSONL line within ``max_bytes``; returns its characters. An article with a comment signature is
    left out: one alone is a byline or a quoted letter, but many in one page make a comment thread,
    and cleaning would drop the rest of the page as readers' comments."""
    paragraphs: list[str] = []
    size = 0
    for name, record in timeline17.records([]):
        if size >= chars:
            break
        article = clean(jsonl_doc(json.dumps(record), name, 1), dt.date.today())
        texts = list(article.paragraphs)
        if comment_thread(texts, [True] * len(texts)).start is None and not any(map(signature, texts)):
            paragraphs.extend(texts)
            size += len(article.body) + 2
    text = "\n\n".join(paragraphs)[:chars]
    record = {"id": "giant", "text": text, "published": "2010-06-01", "outlet": "giant"}
    line = json.dumps(record, ensure_ascii=False)
    if len(line.encode()) > max_bytes:
        sys.exit(f"the giant article's line is {len(line.encode()):,} bytes, over the cap of {max_bytes:,}")
    path.write_text(line + "\n", encoding="utf-8")
    return len(text)


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the task ended between listing and reading
                todo.extend(int(c) for c in children.read_text().split())
    return pids


def _field_kib(path: str, name: str) -> int:
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(name):
                    return int(line.split()[1])
    except OSError:  # the process ended while being read
        pass
    return 0


def newsprism(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("newsprism")), *args]


def run(input_path: Path, db: Path, workers: int, json_out: Path | None = None) -> Peak:
    """The peaks of one ``analyze``; exits when it fails, unless it only reports articles it could
    not analyse (exit status 1) and ``json_out`` is given: those are printed and the export stands."""
    command = newsprism("analyze", str(input_path), "--db", str(db), "--workers", str(workers))
    if json_out is not None:
        command += ["--json", str(json_out)]
    return measure(command, json_out)


def measure(command: list[str], json_out: Path | None = None) -> Peak:
    """The peaks of one newsprism command (see ``run`` for when its failure is fatal)."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"rss": 0, "pss": 0, "command": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            pids = _tree(proc.pid)
            rss = {p: _field_kib(f"/proc/{p}/status", "VmRSS:") for p in pids}
            peaks["rss"] = max(peaks["rss"], sum(rss.values()))
            peaks["command"] = max(peaks["command"], rss[proc.pid])
            peaks["pss"] = max(peaks["pss"], sum(_field_kib(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    # stderr (Rich's progress bars) is drained by a thread so the command never blocks on a full pipe.
    stderr: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr.append(proc.stderr.read()), daemon=True)
    reader.start()
    # wait4 on this one child gives its own rusage, so each size is measured apart from the others.
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    sampler.join()
    reader.join()
    output = b"".join(stderr).decode(errors="replace")
    if proc.returncode != 0 and not (proc.returncode == 1 and json_out is not None and json_out.exists()):
        sys.exit(f"newsprism failed:\n{output[-2000:]}")
    for line in output.splitlines():
        if line.startswith("failed:"):
            print(line[:300])
    mib = {key: kib / 1024 for key, kib in peaks.items()}
    return Peak(usage.ru_maxrss / 1024, mib["command"], mib["rss"], mib["pss"], wall)


def _line(label: str, peak: Peak) -> str:
    return (f"{label}: {peak.wall_s:.0f} s, largest {peak.largest_mib:.0f} MiB, "
            f"the command's own {peak.command_mib:.0f} MiB, "
            f"tree RSS {peak.tree_rss_mib:.0f} MiB, tree PSS {peak.tree_pss_mib:.0f} MiB")


def streaming(args: argparse.Namespace) -> None:
    gold = SHARED / "data" / "quotes" / f"polnear-{args.split}.jsonl"
    results: dict[int, Peak] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            input_path = Path(tmp) / f"input-{size}.jsonl"
            chars = write_input(input_path, gold, size)
            results[size] = run(input_path, Path(tmp) / f"db-{size}.duckdb", args.workers)
            print(_line(f"{size} articles, {chars:,} characters", results[size]), flush=True)
    base = results[args.sizes[0]]
    print(f"\nworkers {args.workers or os.cpu_count()} ({'one per core' if not args.workers else 'given'})")
    print(f"{'articles':>8} {'wall s':>8} {'largest MiB':>12} {'tree RSS MiB':>13} {'tree PSS MiB':>13}")
    for size, peak in results.items():
        print(f"{size:>8} {peak.wall_s:>8.0f} {peak.largest_mib:>12.0f} {peak.tree_rss_mib:>13.0f} "
              f"{peak.tree_pss_mib:>13.0f}")
    for size, peak in list(results.items())[1:]:
        print(f"ratio {size}/{args.sizes[0]}: largest {peak.largest_mib / base.largest_mib:.2f}, "
              f"tree RSS {peak.tree_rss_mib / base.tree_rss_mib:.2f}, "
              f"tree PSS {peak.tree_pss_mib / base.tree_pss_mib:.2f}")


def giant(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "input"
        folder.mkdir()
        chars = write_timeline17(folder / "timeline17.jsonl", args.limit)
        plain = run(folder, Path(tmp) / "a.duckdb", args.workers, Path(tmp) / "a.json")
        print(_line(f"(a) Timeline17, {chars:,} characters", plain), flush=True)
        print(f"workers {args.workers or os.cpu_count()}; goals: tree RSS at most 1,500 MB, "
              "(b)/(a) at most 1.1")
        for wanted in args.giant_chars:
            size = write_giant(folder / "giant.jsonl", wanted, Options().max_article_bytes)
            export_path = Path(tmp) / f"b-{wanted}.json"
            with_giant = run(folder, Path(tmp) / f"b-{wanted}.duckdb", args.workers, export_path)
            print(_line(f"(b) the same and one article of {size:,} characters", with_giant), flush=True)
            _report_giant(json.loads(export_path.read_text(encoding="utf-8")))
            print(f"tree RSS (b)/(a) {with_giant.tree_rss_mib / plain.tree_rss_mib:.2f}; largest tree RSS "
                  f"{max(plain.tree_rss_mib, with_giant.tree_rss_mib) * 1.048576:,.0f} MB", flush=True)


def _report_giant(export: dict) -> None:
    stored = [a for a in export["articles"] if a.get("source_id") == "giant"]
    ids = {a["id"] for a in stored}
    body = sum(len("\n\n".join(a["paragraphs"])) for a in stored)
    found = {key: sum(1 for x in export[key] if x["article"] in ids) for key in ("quotes", "times")}
    mentions = sum(1 for e in export["entities"] for m in e["mentions"] if m["article"] in ids)
    print(f"the giant article: {body:,} characters stored clean, {mentions:,} mentions, "
          f"{found['quotes']:,} quotes, {found['times']:,} times")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--split", default="train", choices=["dev", "train"])
    parser.add_argument("--workers", type=int, default=0, help="newsprism worker processes (0: one per core)")
    parser.add_argument("--export", type=Path, help="measure `newsprism export --json` of this store instead")
    parser.add_argument("--giant", action="store_true", help="Timeline17 without and with one giant article")
    parser.add_argument("--limit", type=int, help="with --giant: only the first N Timeline17 articles")
    parser.add_argument("--giant-chars", type=int, nargs="+", default=[4_900_000],
                        help="with --giant: one run (b) per size")
    args = parser.parse_args()
    if args.export:
        measure_export(args.export)
    else:
        giant(args) if args.giant else streaming(args)


def measure_export(store: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / store.name
        shutil.copyfile(store, db)
        # Opening it once brings an older store up to date, outside the measured run.
        subprocess.run(newsprism("stories", "--db", str(db), "--json", str(Path(tmp) / "stories.json")),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = Path(tmp) / "export.json"
        peak = measure(newsprism("export", "--db", str(db), "--json", str(out)))
        articles = len(json.loads(out.read_text(encoding="utf-8"))["articles"])
        size = out.stat().st_size / 2**20
        print(_line(f"export --json of {articles} articles ({size:.0f} MiB of JSON)", peak))


if __name__ == "__main__":
    main()
