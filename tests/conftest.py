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


# A PostgreSQL server the tests may make databases on (``postgresql://postgres@127.0.0.1:PORT/postgres``,
# as .ci/run starts one); without it the PostgreSQL tests skip, unless NEWSPRISM_POSTGRES_TESTS is
# "required" (CI), where they fail.
POSTGRES_ENV = "NEWSPRISM_TEST_POSTGRES"


class PostgresServer:
    """Makes a fresh database per use, and drops them all at the end of the session."""

    def __init__(self, url: str):
        self.url = url
        self.made: list[str] = []

    def fresh(self) -> str:
        from urllib.parse import urlsplit, urlunsplit
        from uuid import uuid4

        import psycopg

        name = f"newsprism_test_{uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return urlunsplit(urlsplit(self.url)._replace(path=f"/{name}"))

    def drop_all(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as admin:
            for name in self.made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


@pytest.fixture(scope="session")
def postgres_server():
    import os

    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"no PostgreSQL server to test against (set {POSTGRES_ENV}=postgresql://...)"
        if os.environ.get("NEWSPRISM_POSTGRES_TESTS") == "required":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer(url)
    yield server
    server.drop_all()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """The address of a fresh, empty database."""
    return postgres_server.fresh()
