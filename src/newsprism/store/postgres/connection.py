"""Holding a PostgreSQL database: the same helpers as the DuckDB connection (``_rows``, ``_insert``,
``_registered``), over psycopg 3, so that the feature modules' SQL runs here unchanged. Bulk rows go
through ``COPY``; a write transaction takes a transaction-scoped advisory lock, so that concurrent
runs commit one after the other (ids and sequence numbers stay what one run would make), while
readers, under MVCC, never wait."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Self

import numpy as np
import psycopg
from psycopg import sql as pgsql
from psycopg_pool import ConnectionPool

from newsprism.errors import StoreError
from newsprism.store.duckdb.connection import Connection

# The advisory lock every write transaction of a newsprism store holds until it ends ("news").
WRITE_LOCK = 0x6E657773
# Connections a store lends to ``cursor`` readers (``view`` reads about six chains in parallel).
CURSOR_POOL = 6


@functools.lru_cache(maxsize=1024)
def dialect(sql: str) -> str:
    """The feature modules' SQL (DuckDB's ``?`` parameters) as psycopg takes it: a list parameter
    that ``unnest`` reads is a text array, whatever the list holds (an empty one too)."""
    return sql.replace("%", "%%").replace("unnest(?)", "unnest(?::text[])").replace("?", "%s")


def glob_regex(pattern: str) -> str:
    """The shell glob ``pattern`` (``*``, ``?``, ``[...]``) as an anchored POSIX regular expression."""
    out, i = ["^"], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[" and (end := pattern.find("]", i + 2)) != -1:
            body = pattern[i + 1 : end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end
        else:
            out.append(re.sub(r"(\W)", r"\\\1", c))
        i += 1
    return "".join(out) + "$"


class PgConnection(Connection):
    """One PostgreSQL database, named by its ``postgresql://`` address. A ``read_only`` store runs
    every transaction read-only (the server refuses its writes)."""

    ERRORS = psycopg.Error
    _pg: psycopg.Connection | None
    _pool: ConnectionPool | None
    _lender: ConnectionPool | None  # the pool this store's connection returns to on close

    def _open_connection(self, connection: psycopg.Connection | None = None) -> None:
        self._db, self._depth, self._pool, self._lender = None, 0, None, None
        try:
            self._pg = connection or psycopg.connect(
                self.path, autocommit=True, connect_timeout=max(int(self.lock_wait_s), 2)
            )
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
        if self.read_only:
            self._pg.execute("SET default_transaction_read_only = on")

    @property
    def db(self) -> psycopg.Connection:
        if self._pg is None:
            raise StoreError(f"{self.path}: the store is closed")
        return self._pg

    @classmethod
    def _cursor_of(cls, anchor: Connection) -> Self:
        """A read-only store on a connection of ``anchor``'s pool, to read in parallel."""
        assert isinstance(anchor, PgConnection)
        if anchor._pool is None:
            anchor._pool = ConnectionPool(
                anchor.path, min_size=0, max_size=CURSOR_POOL, kwargs={"autocommit": True}, open=True
            )
        return cls._lent_by(anchor._pool, anchor.path)

    @classmethod
    def _lent_by(cls, pool: ConnectionPool, path: str) -> Self:
        """A read-only store on a connection of ``pool``, given back when the store closes."""
        store = cls.__new__(cls)
        store.path, store.read_only, store.lock_wait_s = path, True, 0.0
        store.memory_limit = store.threads = None
        store._open_connection(pool.getconn())
        store._lender = pool
        return store

    def release(self) -> None:
        """Nothing to let go of: a PostgreSQL reader never waits for a writer, nor a writer for it."""

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._pg is not None:
            if self._lender is not None:
                # A broken connection is the pool's to replace; the reset error says nothing more.
                with suppress(psycopg.Error):
                    self._pg.execute("RESET default_transaction_read_only")
                self._lender.putconn(self._pg)
            else:
                self._pg.close()
            self._pg = None

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        outermost = self._depth == 0
        with super()._transaction(what):
            if outermost and not self.read_only:
                # Held until COMMIT or ROLLBACK: one write transaction at a time per database, so
                # each sees every earlier one's corpus level whole.
                self._run("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
            yield
            if outermost and not self.read_only:
                # What a long-running reader compares to tell that the store changed.
                self._run(
                    "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT (key) "
                    "DO UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"
                )

    def _rollback(self) -> None:
        # A lost connection has no transaction left to end; its error is the one that matters.
        with suppress(psycopg.Error):
            self.db.execute("ROLLBACK")

    def _insert(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]], conflict: str = ""
    ) -> None:
        """Rows copied in (``COPY``); with a ``conflict`` clause, through a temporary table of the
        same columns that one ``INSERT ... SELECT`` moves over."""
        if not rows:
            return
        if not conflict:
            self._copy(table, columns, rows)
            return
        staging = f"incoming_{table}"
        self._run(f"CREATE TEMP TABLE IF NOT EXISTS {staging} (LIKE {table})")
        self._run(f"TRUNCATE {staging}")
        self._copy(staging, columns, rows)
        names = ", ".join(f'"{c}"' for c in columns)
        self._run(f"INSERT INTO {table} ({names}) SELECT {names} FROM {staging} {conflict}")

    def _copy(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        statement = pgsql.SQL("COPY {} ({}) FROM STDIN").format(
            pgsql.Identifier(table), pgsql.SQL(", ").join(map(pgsql.Identifier, columns))
        )
        try:
            with self.db.cursor() as cursor, cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        except psycopg.Error as exc:
            if self._depth:
                raise
            raise StoreError(f"{self.path}: cannot write {table}: {exc}") from exc

    @contextmanager
    def _registered(self, view: str, batch: Mapping[str, np.ndarray]) -> Iterator[None]:
        """``batch`` as the temporary table ``view`` while the block runs."""
        columns = list(batch)
        values = [batch[c].tolist() for c in columns]
        kinds = ", ".join(f'"{c}" {_column_type(batch[c], v)}' for c, v in zip(columns, values, strict=True))
        self._run(f"DROP TABLE IF EXISTS {view}")
        self._run(f"CREATE TEMP TABLE {view} ({kinds})")
        try:
            self._copy(view, columns, list(zip(*values, strict=True)))
            self._run(f"ANALYZE {view}")
            yield
        finally:
            if self._pg is not None and self._pg.info.transaction_status != _FAILED:
                self._run(f"DROP TABLE IF EXISTS {view}")

    def _glob(self, pattern: str) -> tuple[str, object]:
        return "~ ?", glob_regex(pattern)

    def _best_of(self, item: str, score: str) -> str:
        return f"(array_agg({item} ORDER BY {score} DESC, {item}))[1]"

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        try:
            cursor = self.db.execute(dialect(sql), list(params))
            return cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as exc:
            if self._depth:
                raise
            raise StoreError(f"{self.path}: cannot read the database: {exc}") from exc


    def _batches(self, sql: str, size: int) -> Iterator[list[tuple]]:
        """The rows of ``sql`` in lists of at most ``size``, streamed from the server as they are
        asked for (libpq's single-row mode), so that no more than one list is held at a time."""
        try:
            with self.db.cursor() as cursor:
                rows = cursor.stream(dialect(sql))
                while batch := list(itertools.islice(rows, size)):
                    yield batch
        except psycopg.Error as exc:
            raise StoreError(f"{self.path}: cannot read the database: {exc}") from exc


_FAILED = psycopg.pq.TransactionStatus.INERROR


def _column_type(array: np.ndarray, values: list[object]) -> str:
    """The PostgreSQL type of a column of ``values``: by the array's type, or by what it holds."""
    if array.dtype.kind in "iu":
        return "BIGINT"
    if array.dtype.kind == "f":
        return "DOUBLE PRECISION"
    held = {type(v) for v in values if v is not None}
    if held == {bool}:
        return "BOOLEAN"
    if held == {int}:
        return "BIGINT"
    if held and held <= {int, float}:
        return "DOUBLE PRECISION"
    # Text sorts by code point, as in DuckDB: the same ids come first in both.
    return 'TEXT COLLATE "C"'
