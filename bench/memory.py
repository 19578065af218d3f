"""Peak memory of ``newsprism analyze`` on one JSONL of 1k and of 5k articles, in one run; or, with
``--export``, of ``newsprism export --json`` of a store made beforehand.

    python bench/memory.py [--sizes 1000 5000] [--workers N] [--split dev|train]
    python bench/memory.py --export STORE.duckdb

The input is PolNeAR's texts (../shared/data/quotes), repeated until each file holds its size in
articles, every copy with its own ``id`` so that its content hash, and so its article, is new. Each
size is the real command on a fresh database, without ``--json``: the export builds the whole view
in memory by design, and this bench is about the streaming ``analyze`` itself.

Three figures per run, because worker processes make "the memory of a run" ambiguous:

- largest process: ``ru_maxrss`` from ``wait4`` on the command, i.e. the peak of its largest
  single process (the command or one worker), exact;
- tree RSS: the peak over time of the RSS summed over the command and all its descendants, sampled
  every 0.2 s from /proc; it counts the pages forked workers share with their parent once per
  process, so it overstates;
- tree PSS: the same sum of proportional set sizes (/proc/PID/smaps_rollup), shared pages split
  between the processes sharing them: the closest to what the run costs the machine.

The baseline is the smallest size: the ratio of each figure to it should stay near 1 (streaming
means memory follows the chunk and commit sizes, not the input size).

``--export`` runs the export of every article of the store (copied first: a store an older release
wrote is brought up to date when opened, which is no part of the export) to a temporary file; the
export reads the store a chunk of articles at a time and writes one record at a time, so its peak
should not follow the corpus either. The store of the Timeline17 topics is the reference (issue 22:
at most 400 MB):

    python bench/timeline17.py /tmp/t17jsonl && newsprism analyze /tmp/t17jsonl --db /tmp/t17.duckdb
    python bench/memory.py --export /tmp/t17.duckdb
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE_S = 0.2


@dataclass
class Peak:
    largest_mib: float
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


def run(command: list[str]) -> Peak:
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks = {"rss": 0, "pss": 0}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(SAMPLE_S):
            pids = _tree(proc.pid)
            peaks["rss"] = max(peaks["rss"], sum(_field_kib(f"/proc/{p}/status", "VmRSS:") for p in pids))
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
    if proc.returncode != 0:
        sys.exit(f"newsprism failed:\n{b''.join(stderr).decode(errors='replace')[-2000:]}")
    return Peak(usage.ru_maxrss / 1024, peaks["rss"] / 1024, peaks["pss"] / 1024, wall)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--split", default="train", choices=["dev", "train"])
    parser.add_argument("--workers", type=int, default=0, help="newsprism worker processes (0: one per core)")
    parser.add_argument("--export", type=Path, help="measure `newsprism export --json` of this store instead")
    args = parser.parse_args()
    if args.export:
        measure_export(args.export)
        return
    gold = SHARED / "data" / "quotes" / f"polnear-{args.split}.jsonl"
    results: dict[int, Peak] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            input_path = Path(tmp) / f"input-{size}.jsonl"
            chars = write_input(input_path, gold, size)
            db = Path(tmp) / f"db-{size}.duckdb"
            command = newsprism("analyze", str(input_path), "--db", str(db), "--workers", str(args.workers))
            results[size] = run(command)
            peak = results[size]
            print(f"{size} articles, {chars:,} characters: {peak.wall_s:.0f} s, "
                  f"largest {peak.largest_mib:.0f} MiB, tree RSS {peak.tree_rss_mib:.0f} MiB, "
                  f"tree PSS {peak.tree_pss_mib:.0f} MiB", flush=True)
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


def measure_export(store: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / store.name
        shutil.copyfile(store, db)
        # Opening it once brings an older store up to date, outside the measured run.
        subprocess.run(newsprism("stories", "--db", str(db), "--json", str(Path(tmp) / "stories.json")),
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        out = Path(tmp) / "export.json"
        peak = run(newsprism("export", "--db", str(db), "--json", str(out)))
        articles = len(json.loads(out.read_text(encoding="utf-8"))["articles"])
        size = out.stat().st_size / 2**20
        print(f"export --json of {articles} articles ({size:.0f} MiB of JSON): {peak.wall_s:.0f} s, "
              f"largest {peak.largest_mib:.0f} MiB, tree RSS {peak.tree_rss_mib:.0f} MiB")


if __name__ == "__main__":
    main()
