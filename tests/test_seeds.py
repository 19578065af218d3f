"""End to end on the shared seed corpus: the real command, scored by the shared scorer.

The floors only go up: each is what the pipeline reached when its stage landed, less a little room.
"""

import subprocess
import sys
from pathlib import Path

from conftest import SHARED

FLOORS = {
    "junk_removed": 1,
    "body_kept": 1,
    "nothing_lost": 1,
    "metadata": 1,
    "entities": 0.9,
    "quotes_f1": 0.9,
    "speaker": 0.9,
    "via": 0.75,
    "times": 0.85,
    "stories": 1,
    "shared_quotes": 1,
    "timeline": 0.8,
}


def score(export: Path) -> subprocess.CompletedProcess:
    """The shared scorer's verdict on an export of the seed corpus, held to ``FLOORS``."""
    mins = [arg for name, value in FLOORS.items() for arg in ("--min", f"{name}={value}")]
    return subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score_seeds.py"), str(export), *mins],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seed_corpus_meets_the_floors(seeds_dir, tmp_path):
    out = tmp_path / "seeds.json"
    command = str(Path(sys.executable).with_name("newsprism"))
    run = subprocess.run(
        [command, "analyze", str(seeds_dir), "--json", str(out), "--db", str(tmp_path / "s.duckdb")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    scored = score(out)
    assert scored.returncode == 0, scored.stdout + scored.stderr
