"""``DuckDBStore``: the feature modules composed over one DuckDB connection."""

from __future__ import annotations

from pathlib import Path

import duckdb

from newsprism.errors import StoreError
from newsprism.store.duckdb.connection import LOCK_WAIT_S
from newsprism.store.duckdb.digests import Digests
from newsprism.store.duckdb.entities import Entities
from newsprism.store.duckdb.indexed import IndexedSearch
from newsprism.store.duckdb.keys import Keys
from newsprism.store.duckdb.quotes import Quotes
from newsprism.store.duckdb.retract import Retraction
from newsprism.store.duckdb.reuse import Reuse
from newsprism.store.duckdb.schema import Schema
from newsprism.store.duckdb.search import Search
from newsprism.store.duckdb.stories import Stories


class DuckDBStore(IndexedSearch, Schema, Retraction, Keys, Entities, Quotes, Reuse, Stories, Search, Digests):
    """The corpus in one DuckDB file (or in memory, for ``":memory:"``), opened and migrated to the
    current schema; ``read_only`` stores refuse a file that needs migrating. ``memory_limit`` (a
    DuckDB size, "1GB") and ``threads`` are DuckDB's settings for it; None keeps DuckDB's own."""

    def __init__(
        self,
        path: str | Path,
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
        self._db: duckdb.DuckDBPyConnection | None = None
        self._depth = 0
        self._open_text()
        if read_only and not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such database")
        try:
            self._open_schema()
        except BaseException as exc:
            # A store that failed to open must not keep the file open (and locked) behind the error.
            self.close()
            if isinstance(exc, duckdb.Error):
                raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
            raise
