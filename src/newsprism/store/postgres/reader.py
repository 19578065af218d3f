"""The shared reader a long-running reader (the web app) reads a PostgreSQL store through."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from psycopg_pool import ConnectionPool

from newsprism.store.duckdb.connection import LOCK_WAIT_S
from newsprism.store.postgres.store import PostgresStore

# Connections kept open for requests: each request reads through one, returned when it ends.
READER_POOL = 8


class PgSharedReader:
    """Read-only stores, one per use, on connections of a pool. Unlike DuckDB's, a PostgreSQL reader
    never has to let a writer in: the server serves both at once (MVCC)."""

    def __init__(self, path: str, *, wait_s: float = LOCK_WAIT_S, **_duckdb_settings: object):
        self.path = path
        PostgresStore(path, read_only=True, lock_wait_s=wait_s).close()  # refuses what is no store
        self._pool = ConnectionPool(
            path, min_size=1, max_size=READER_POOL, kwargs={"autocommit": True}, timeout=wait_s, open=True
        )

    @contextmanager
    def store(self) -> Iterator[PostgresStore]:
        store = PostgresStore._lent_by(self._pool, self.path)
        try:
            yield store
        finally:
            store.close()

    def version(self) -> tuple[int, ...]:
        """Changes whenever a writer commits (every write transaction counts up ``generation``)."""
        with self.store() as store:
            return (int(store.get_meta("generation") or 0),)

    def close(self) -> None:
        self._pool.close()
