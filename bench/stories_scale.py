"""Cost and memory of adding articles to a store that already holds 10k, then 100k: do stories scale?

    python bench/stories_scale.py [--sizes 10000 100000] [--batch 100] [--repeats 5] [--fill-batch 2000]
                                  [--dated-share 0.7] [--days 365] [--cache PATH] [--seed 1]
                                  [--profile DIR]

The stream of articles is corpus_scale's (see bench/corpus_scale.py, whose pool, cache and article
maker this bench imports): real PolNeAR paragraphs and their annotations recombined into new
articles, with names renamed so new ones keep arriving. What differs is the dates: the whole planned
stream (the largest size plus the measured batches) is spread evenly over ``--days`` days (a year),
give or take three days per article, so articles arrive at the same rate per day at every size and
the store only grows longer in time, as a real archive does. ``--dated-share`` of the articles carry
their date; the others take their story's date, if any, inside ``update_stories``.

What is timed is one commit of a batch of already-annotated articles exactly as ``analyze`` makes it
(``pipeline._commit``: store writes and the corpus-level update, never spaCy), with the two story
stages timed apart (``update_reuse``: passage shingles and reuse links; ``update_stories``: profiles,
placement in stories and storylines, dates from stories), the entity and quote-group stages beside
them, and "rest" the commit less the four stages. The figure is the median over ``--repeats`` commits
of the time per added article (wall clock; "CPU" is the process's CPU time over the same commit, DuckDB's
threads included, steadier than the wall clock on a loaded machine); the ratio largest/smallest should
stay at most 2.

Memory, in the one process that fills and measures: the RSS before the measured commits at each
size, its growth over them (negative when the filling commits just before left more resident than
the measured ones need), their own peak (VmHWM, reset through /proc/self/clear_refs before them
where the kernel allows), and the process's peak RSS so far (``ru_maxrss``, the filling included).
The counts of stories, storylines, undated articles dated by their story and reuse links show what the
clustering did.

``--profile DIR``: after the measured commits at each size, one more commit of ``--batch`` articles
runs under cProfile (not counted in the figures); its statistics go to DIR/stories_scale-N.prof,
N the articles stored before it (read them with ``python -m pstats``), and its costliest functions
by own time are printed, so a stage that grows can be traced to the store query or function that
grows with it.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import pstats
import random
import resource
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from corpus_scale import (  # bench/ is on sys.path when this file runs as a script
    COLUMNS,
    DATED_SHARE,
    STAGES,
    Maker,
    Run,
    Stopwatch,
    commit,
    cut_runs,
    file_mib,
    load_pool,
    scale_parser,
)

from newsprism import pipeline
from newsprism.store import DuckDBStore

try:
    import psutil
except ImportError:  # pragma: no cover - psutil is optional
    psutil = None

START = dt.date(2015, 1, 1)


class YearMaker(Maker):
    """corpus_scale's articles, dated evenly over ``days`` days across ``planned`` articles."""

    def __init__(self, runs: list[Run], seed: int, planned: int, days: int, dated_share: float):
        super().__init__(runs, seed, dated_share)
        self.planned, self.days = planned, days

    def published(self) -> str | None:
        step = min(self.days - 1, (self.made - 1) * self.days // self.planned)
        day = START + dt.timedelta(days=step - self.rng.randint(0, 3))
        return day.isoformat() if self.rng.random() < self.dated_share else None


class Memory:
    """RSS of this process, from psutil where installed, else /proc/self/status."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self.windowed = False

    @staticmethod
    def _status_kib(name: str) -> int:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(name + ":"):
                    return int(line.split()[1])
        raise LookupError(name)

    def rss_mib(self) -> float:
        if psutil is not None:
            return psutil.Process().memory_info().rss / 2**20
        return self._status_kib("VmRSS") / 1024

    def process_peak_mib(self) -> float:
        """``ru_maxrss`` (KiB on Linux), folded with what it said before any reset of the peak."""
        self.peak_kib = max(self.peak_kib, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        return self.peak_kib / 1024

    def open_window(self) -> None:
        """Start a window whose own peak RSS ``window_peak_mib`` tells (the reset lowers ru_maxrss
        too, which is why ``process_peak_mib`` keeps its own maximum)."""
        self.process_peak_mib()
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            self.windowed = True
        except OSError:
            self.windowed = False

    def window_peak_mib(self) -> float | None:
        return self._status_kib("VmHWM") / 1024 if self.windowed else None


def clustering(store: DuckDBStore) -> dict[str, int]:
    levels = dict(store.db.execute("SELECT level, count(*) FROM clusters GROUP BY level").fetchall())
    return {
        "stories": levels.get("story", 0),
        "storylines": levels.get("storyline", 0),
        "dated by story": store.db.execute(
            "SELECT count(*) FROM borrowed_dates WHERE value IS NOT NULL").fetchone()[0],
        "reuse links": store.db.execute("SELECT count(*) FROM reuse").fetchone()[0],
    }


def profile(store: DuckDBStore, outcomes: list[pipeline.Outcome], pending: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    profiler.enable()
    spent = commit(store, outcomes, pending)
    profiler.disable()
    profiler.dump_stats(out)
    print(f"  profiled commit: {spent / len(outcomes) * 1000:.1f} ms/article, stats in {out}; "
          "by own time:", flush=True)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a is not None and b else "-"


def main() -> None:
    parser = scale_parser(__doc__)
    parser.add_argument("--dated-share", type=float, default=DATED_SHARE,
                        help="share of the articles given a publication date")
    parser.add_argument("--days", type=int, default=365, help="days the whole stream is spread over")
    parser.add_argument("--profile", type=Path, help="folder for a cProfile of one more commit per size")
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    started = time.perf_counter()
    articles, annotations = load_pool(args.cache)
    print(f"pool: {len(articles)} annotated articles ({time.perf_counter() - started:.0f} s)", flush=True)
    planned = sizes[-1] + (args.repeats + bool(args.profile)) * args.batch
    maker = YearMaker(cut_runs(articles, annotations, random.Random(args.seed)), args.seed, planned,
                      args.days, args.dated_share)
    print(f"stream: {planned:,} articles over {args.days} days from {START} "
          f"({planned / args.days:.0f} a day), {args.dated_share:.0%} dated", flush=True)
    watch = Stopwatch(STAGES)
    memory = Memory()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "stories.duckdb"
        with DuckDBStore(path) as store:
            pipeline.ensure_corpus_current(store)
            filled, fill_s = 0, 0.0
            for size in sizes:
                while filled < size:
                    outcomes, pending = maker.batch(min(args.fill_batch, size - filled))
                    fill_s += commit(store, outcomes, pending)
                    filled += len(outcomes)
                    print(f"  filled {filled:>7}  {fill_s:6.0f} s  "
                          f"({fill_s / filled * 1000:.1f} ms/article so far)  "
                          f"RSS {memory.rss_mib():.0f} MiB", flush=True)
                found = clustering(store)
                stored = filled
                memory.open_window()
                before = memory.rss_mib()
                per_article, cpu, stages = [], [], defaultdict(list)
                for _ in range(args.repeats):
                    outcomes, pending = maker.batch(args.batch)
                    watch.spent.clear()
                    cpu_started = time.process_time()
                    per_article.append(commit(store, outcomes, pending) / len(outcomes))
                    cpu.append((time.process_time() - cpu_started) / len(outcomes))
                    print(f"  measured at {filled:>7}: {per_article[-1] * 1000:.1f} ms/article "
                          f"(CPU {cpu[-1] * 1000:.1f}) "
                          f"(reuse {watch.spent['update_reuse'] / len(outcomes) * 1000:.1f}, "
                          f"stories {watch.spent['update_stories'] / len(outcomes) * 1000:.1f})", flush=True)
                    for name in STAGES:
                        stages[name].append(watch.spent[name] / len(outcomes))
                    filled += len(outcomes)
                if args.profile:
                    outcomes, pending = maker.batch(args.batch)
                    profile(store, outcomes, pending, args.profile / f"stories_scale-{filled}.prof")
                    filled += len(outcomes)
                rows.append({
                    "stored": stored, "commit": statistics.median(per_article), "cpu": statistics.median(cpu),
                    "stages": {n: statistics.median(v) for n, v in stages.items()},
                    "fill_s": fill_s, "db_mib": file_mib(path), "found": found,
                    "rss": before, "growth": memory.rss_mib() - before,
                    "window_peak": memory.window_peak_mib(), "process_peak": memory.process_peak_mib(),
                })
            counts = store.counts()
    print(f"\nnames minted {len(maker.minted):,}; store at the end: "
          + ", ".join(f"{t} {n:,}" for t, n in counts.items()))
    print(f"median of {args.repeats} commits of {args.batch} articles, ms per added article")
    print(f"{'stored':>8} {'commit':>8} {'CPU':>8} " + " ".join(f"{COLUMNS[n]:>8}" for n in STAGES)
          + f" {'rest':>8} {'filled in s':>12} {'db MiB':>8}")
    for row in rows:
        stage = row["stages"]
        rest = row["commit"] - sum(stage.values())
        print(f"{row['stored']:>8} {row['commit'] * 1000:>8.1f} {row['cpu'] * 1000:>8.1f} "
              + " ".join(f"{stage[n] * 1000:>8.1f}" for n in STAGES)
              + f" {rest * 1000:>8.1f} {row['fill_s']:>12.0f} {row['db_mib']:>8.0f}")
    print("\nclustering in the store before the measured commits")
    names = list(rows[0]["found"])
    print(f"{'stored':>8} " + " ".join(f"{n:>15}" for n in names))
    for row in rows:
        print(f"{row['stored']:>8} " + " ".join(f"{row['found'][n]:>15,}" for n in names))
    print("\nmemory, MiB: RSS before the measured commits, its growth over them, their peak (VmHWM), "
          "process peak so far (ru_maxrss)")
    print(f"{'stored':>8} {'RSS':>8} {'growth':>8} {'peak':>8} {'process':>8}")
    for row in rows:
        peak = row["window_peak"]
        print(f"{row['stored']:>8} {row['rss']:>8.0f} {row['growth']:>+8.0f} "
              f"{'-' if peak is None else f'{peak:.0f}':>8} {row['process_peak']:>8.0f}")
    base = rows[0]
    for row in rows[1:]:
        print(f"ratio {row['stored']}/{base['stored']}: commit {ratio(row['commit'], base['commit'])} "
              f"(goal <= 2), CPU {ratio(row['cpu'], base['cpu'])}; "
              + ", ".join(f"{COLUMNS[n]} {ratio(row['stages'][n], base['stages'][n])}" for n in STAGES)
              + f"; measured peak RSS {ratio(row['window_peak'], base['window_peak'])}, "
              f"process peak RSS {ratio(row['process_peak'], base['process_peak'])}")


if __name__ == "__main__":
    main()
