"""``PostgresStore``: the feature modules composed over one PostgreSQL connection."""

from __future__ import annotations

from newsprism.store.duckdb.articles import Articles
from newsprism.store.duckdb.connection import LOCK_WAIT_S
from newsprism.store.duckdb.digests import Digests
from newsprism.store.duckdb.entities import Entities
from newsprism.store.duckdb.keys import Keys
from newsprism.store.duckdb.quotes import Quotes
from newsprism.store.duckdb.retract import Retraction
from newsprism.store.duckdb.reuse import Reuse
from newsprism.store.duckdb.search import Search
from newsprism.store.duckdb.stories import Stories
from newsprism.store.postgres.schema import PgSchema
from newsprism.store.postgres.search import PgSearch


class PostgresStore(
    PgSearch, Retraction, Keys, Entities, Quotes, Reuse, Stories, Search, Digests, Articles, PgSchema
):
    """The corpus in a PostgreSQL database (``postgresql://user@host:port/database``), opened and
    brought to the current schema; ``read_only`` stores refuse one that needs it. Several processes
    may write one database at once (their transactions commit in turn) while any number read it.
    ``memory_limit`` and ``threads`` are DuckDB's settings, which the server's own replace."""

    def __init__(
        self,
        path: str,
        *,
        read_only: bool = False,
        lock_wait_s: float = LOCK_WAIT_S,
        memory_limit: str | None = None,
        threads: int | None = None,
    ):
        self.path = str(path)
        self.read_only = read_only
        self.lock_wait_s = lock_wait_s
        self.memory_limit, self.threads = memory_limit, threads
        self._open_connection()
        try:
            self._open_schema()
        except BaseException:
            self.close()
            raise
