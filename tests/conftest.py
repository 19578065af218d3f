from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
EXAMPLES = ROOT / "examples"

# The property tests' (test_properties.py) examples in all, shared out among them; no deadline, since a
# giant line or a spaCy run takes seconds on a busy machine. bench/fuzz.py loads its own, longer profile.
PROPERTY_PROFILE = "newsprism"
settings.register_profile(
    PROPERTY_PROFILE,
    max_examples=500,
    deadline=None,
    # Mutated real articles are large by design, and slow to make next to random data.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
settings.load_profile(PROPERTY_PROFILE)


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
