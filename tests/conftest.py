from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f"the shared seed corpus is missing at {SEEDS}; tests read it from ../shared")
    return SEEDS


@pytest.fixture(scope="session")
def seeds_db(seeds_dir, tmp_path_factory) -> Path:
    """A store holding the five seed articles (built once; tests only read it)."""
    import newsprism

    path = tmp_path_factory.mktemp("seeds-store") / "seeds.duckdb"
    with newsprism.open(path) as corpus:
        corpus.add([seeds_dir])
    return path
