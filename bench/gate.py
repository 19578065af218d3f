"""The regression gate: the development benchmarks that fit in CI's time, each figure against a floor.

    python bench/gate.py [--only CHECK ...] [--work DIR] [--floor CHECK.FIGURE=VALUE ...]

Checks, in this order (the Timeline17 store the stories check builds is the one the timelines and
summaries checks read; run alone, those build it themselves):

* seeds: ``newsprism analyze ../shared/corpus/seeds --json``, scored by ``../shared/eval/score_seeds.py``;
* polnear: bench/polnear.py on the PolNeAR dev split, quotes and speakers;
* timex: bench/timex.py, dates resolved on TimeBank + AQUAINT (TE3);
* entities: bench/entities.py, the CoNLL F1 of cross-document entities on MEANTIME, overall and per group;
* stories: bench/stories.py with Timeline17 and the SemEval snippets, storylines and same-story pairs;
* timelines: bench/timelines.py, the day dates of Timeline17's timelines, and the storylines' ranked
  timelines (date F1 at k, news-tls ROUGE-2);
* summaries: bench/summaries.py, ROUGE of a day's summary on Timeline17.

The baselines those scripts run beside newsprism are left out: the gate judges newsprism alone. The
floors are in bench/floors.toml. The run ends with one line per floor: name, figure, floor, PASS or
FAIL, and exits 1 when any figure is below its floor. ``--floor`` sets a floor for this run only (to
see the gate fail, say); CI never passes it.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import entities
import polnear
import stories
import summaries
import timelines
import timex

HERE = Path(__file__).resolve().parent
FLOORS = HERE / "floors.toml"
SHARED = HERE.parent.parent / "shared"
# score_seeds.py prints one "name  value" line per figure before its summary line.
_SEED_FIGURE = re.compile(r"^(\w+)\s+(\d+\.\d+)$", re.MULTILINE)


def seeds(work: Path) -> dict[str, float]:
    export = work / "seeds.json"
    newsprism = Path(sys.executable).with_name("newsprism")
    analyze = [str(newsprism), "analyze", str(SHARED / "corpus" / "seeds"), "--json", str(export),
               "--db", str(work / "seeds.duckdb")]
    subprocess.run(analyze, check=True)
    scored = subprocess.run([sys.executable, str(SHARED / "eval" / "score_seeds.py"), str(export)],
                            check=True, capture_output=True, text=True)
    print(scored.stdout)
    return {name: float(value) for name, value in _SEED_FIGURE.findall(scored.stdout)}


def quotes(work: Path) -> dict[str, float]:
    return polnear.polnear("dev", None, work, baseline=False)["newsprism"]


def dates(work: Path) -> dict[str, float]:
    return timex.evaluate()


def entity_clusters(work: Path) -> dict[str, float]:
    return {group: scores.conll for group, scores in entities.evaluate().items()}


# Of stories.py's rows (corpus, metric): the figures gated, by their names here.
STORY_FIGURES = {
    "meantime_storyline_f1": ("MEANTIME", "storyline B3 F1"),
    "meantime_storyline_nmi": ("MEANTIME", "storyline NMI"),
    "timeline17_storyline_f1": ("Timeline17", "storyline B3 F1"),
    "timeline17_storyline_nmi": ("Timeline17", "storyline NMI"),
    "semeval_similarity_r": ("SemEval", "r(similarity, -Overall)"),
    "semeval_same_story_r": ("SemEval", "r(same story, -Overall)"),
    "snippets40_similarity_r": ("SemEval snippets40", "r(similarity, -Overall)"),
    "snippets40_same_story_r": ("SemEval snippets40", "r(same story, -Overall)"),
}


def story_clusters(work: Path) -> dict[str, float]:
    rows = stories.evaluate(work / "stories", timeline17=True, snippets=40, sweep=None)
    found = {(row.corpus, row.metric): row.newsprism for row in rows}
    return {name: found[key] for name, key in STORY_FIGURES.items() if found.get(key) is not None}


def timeline_dates(work: Path) -> dict[str, float]:
    means = timelines.evaluate(stories.timeline17_db(work / "stories"))["means"]["all"]
    ranked = means["storyline top-k"]
    return {
        "all_f1": means["newsprism all"]["f1"],
        "top_k_f1": means["newsprism top-k"]["f1"],
        "storyline_top_k_f1": ranked["f1"],
        "storyline_concat_r2": ranked["concat_r2"],
        "storyline_aligned_r2": ranked["aligned_r2"],
    }


def day_summaries(work: Path) -> dict[str, float]:
    found = summaries.evaluate(stories.timeline17_db(work / "stories"), systems=("newsprism",))
    return {m: found["means"]["all"]["newsprism"][m] for m in summaries.MEASURES}


CHECKS: dict[str, Callable[[Path], dict[str, float]]] = {
    "seeds": seeds,
    "polnear": quotes,
    "timex": dates,
    "entities": entity_clusters,
    "stories": story_clusters,
    "timelines": timeline_dates,
    "summaries": day_summaries,
}


def read_floors(path: Path, overrides: list[str]) -> dict[str, dict[str, float]]:
    floors = tomllib.loads(path.read_text(encoding="utf-8"))
    for spec in overrides:
        name, _, value = spec.partition("=")
        check, _, figure = name.partition(".")
        if figure not in floors.get(check, {}):
            sys.exit(f"--floor {spec}: no floor {name} in {path.name}")
        floors[check][figure] = float(value)
    return floors


def judge(floors: dict[str, dict[str, float]], found: dict[str, dict[str, float]]) -> int:
    """One line per floor of the checks run; the number of figures below their floor (or missing)."""
    failed = 0
    print(f"\n{'figure':<40} {'value':>8} {'floor':>8}")
    for check, figures in found.items():
        for figure, floor in floors.get(check, {}).items():
            value = figures.get(figure)
            # A figure the check did not give (or NaN) fails: a floor must not pass unmeasured.
            ok = value is not None and value >= floor
            failed += not ok
            shown = f"{value:8.4f}" if value is not None else f"{'missing':>8}"
            print(f"{check + '.' + figure:<40} {shown} {floor:8.4f} {'PASS' if ok else 'FAIL'}")
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", nargs="+", choices=CHECKS, help="run these checks only")
    parser.add_argument("--work", type=Path, help="keep the stores and exports here and reuse them next "
                        "time (default: a temporary folder, removed at the end)")
    parser.add_argument("--floor", action="append", default=[], metavar="CHECK.FIGURE=VALUE",
                        help="this floor instead of floors.toml's, for this run only")
    args = parser.parse_args()
    floors = read_floors(FLOORS, args.floor)
    started = time.perf_counter()
    found: dict[str, dict[str, float]] = {}
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="newsprism-gate-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for name, check in CHECKS.items():
            if args.only and name not in args.only:
                continue
            print(f"\n===== {name}", flush=True)
            clock = time.perf_counter()
            found[name] = check(work)
            seconds[name] = time.perf_counter() - clock
    failed = judge(floors, found)
    print("seconds: " + ", ".join(f"{name} {s:.0f}" for name, s in seconds.items())
          + f"; total {time.perf_counter() - started:.0f}")
    print(f"gate: {failed} figure(s) below their floor, FAIL" if failed else "gate: PASS")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
