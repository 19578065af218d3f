"""Fuzz newsprism with the properties of tests/test_properties.py, for ``--cases`` examples in all.

The very properties the test suite checks (imported from it, never copied), on the same strategies of
arbitrary and mutated real input (tests/hostile.py), under a profile whose budget is ``--cases``
instead of the suite's few hundred: the fast, spaCy-free properties (reading files, JSONL lines,
cleaning text and pages, metadata, dates) carry nearly all of it; annotation, whole analyses and the
a-then-b corpus comparison a small share each (``test_properties.budget``). Prints the cases each
property ran and every failure with its minimal example as hypothesis shrank it; exits 1 on any.

    python bench/fuzz.py --cases 100000 [--only clean] [--seed N] [--jobs N]

A failure is also saved in hypothesis's example database (.hypothesis/ here), so running the property
with pytest from the repository root replays it first.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from hypothesis import seed, settings
from hypothesis.reporting import with_reporter
from hypothesis.statistics import collector  # how --hypothesis-show-statistics gets its counts

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import conftest  # noqa: E402  (the suite's profile, which the fuzzing profile extends)

FUZZ_PROFILE = "newsprism-fuzz"
# What a case that reached the property ended as; the rest are draws hypothesis threw away.
RAN = ("valid", "interesting")


@dataclass
class Outcome:
    name: str
    cases: int = 0
    discarded: int = 0
    seconds: float = 0.0
    failure: str | None = None
    report: list[str] = field(default_factory=list)


def describe(exc: BaseException) -> str:
    """Each distinct failure: where it was raised, the error, and the notes hypothesis attached (the
    minimal example, and the blob that replays it)."""
    if isinstance(exc, BaseExceptionGroup):
        return "\n\n".join(describe(e) for e in exc.exceptions)
    frames = traceback.extract_tb(exc.__traceback__)
    at = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
    return "\n".join([f"{type(exc).__name__} at {at}: {exc}".rstrip(), *getattr(exc, "__notes__", ())])


def load(cases: int) -> ModuleType:
    """The property tests, under a profile of ``cases`` examples in all (loaded before the import: the
    tests take their example counts from the profile loaded when they are decorated)."""
    suite = settings.get_profile(conftest.PROPERTY_PROFILE)
    settings.register_profile(FUZZ_PROFILE, suite, max_examples=cases, print_blob=True)
    settings.load_profile(FUZZ_PROFILE)
    import test_properties

    return test_properties


def run(cases: int, name: str, fixed_seed: int | None) -> Outcome:
    """One property, with hypothesis's statistics and report caught; runs in a worker process too."""
    test = getattr(load(cases), name)
    if fixed_seed is not None:
        test = seed(fixed_seed)(test)
    outcome, runs = Outcome(name), []
    started = time.perf_counter()
    with collector.with_value(runs.append), with_reporter(outcome.report.append):
        try:
            test()
        except Exception as exc:  # a property failed: hypothesis has shrunk it and noted the example
            outcome.failure = describe(exc)
    outcome.seconds = time.perf_counter() - started
    statuses = Counter(case["status"] for stats in runs for phase in stats.values()
                       if isinstance(phase, dict) for case in phase.get("test-cases", ()))
    outcome.cases = sum(statuses[s] for s in RAN)
    outcome.discarded = sum(statuses.values()) - outcome.cases
    return outcome


def outcomes(args: argparse.Namespace, names: list[str]) -> Iterator[Outcome]:
    """Each property's outcome as it finishes: in turn, or on ``--jobs`` worker processes."""
    if args.jobs <= 1:
        yield from (run(args.cases, name, args.seed) for name in names)
        return
    with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        # The costly properties come last in the file; started first, they leave no worker idle at the end.
        futures = [pool.submit(run, args.cases, name, args.seed) for name in reversed(names)]
        yield from (future.result() for future in as_completed(futures))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="examples in all properties together")
    parser.add_argument("--only", help="run the properties whose name holds this text")
    parser.add_argument("--seed", type=int, help="a fixed random seed, to repeat a run")
    parser.add_argument("--jobs", type=int, default=1, help="properties run at once, one process each")
    args = parser.parse_args()
    names = [name for name, test in vars(load(args.cases)).items()
             if name.startswith("test_") and getattr(test, "is_hypothesis_test", False)
             and (args.only is None or args.only in name)]
    started, done = time.perf_counter(), []
    for outcome in outcomes(args, names):
        done.append(outcome)
        print(f"{outcome.cases:>8,} cases {outcome.discarded:>7,} discarded {outcome.seconds:>8.1f} s  "
              f"{'FAIL' if outcome.failure else 'ok  '}  {outcome.name}", flush=True)
    failed = [o for o in done if o.failure]
    for outcome in failed:
        print(f"\nFAILED {outcome.name}\n{outcome.failure}", *outcome.report, sep="\n")
    print(f"\n{sum(o.cases for o in done):,} cases, {len(done)} properties, {len(failed)} failing, "
          f"{time.perf_counter() - started:,.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
