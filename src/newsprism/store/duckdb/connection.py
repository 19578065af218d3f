"""Holding the DuckDB file: connecting (waiting out another process's lock), transactions, and the
bulk-insert and query helpers every feature module writes through."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import Self

import duckdb
import numpy as np

from newsprism.errors import StoreError

# A waiting writer refreshes its mark at every retry (at least twice a second); an older mark was
# left by a writer that was killed.
WRITER_MARK_FRESH_S = 3.0
# How long opening the file waits for another process (a reader, the writer of a run) to let go of it.
LOCK_WAIT_S = 30.0


class Connection:
    """One DuckDB file (``postgres.connection`` makes it a PostgreSQL database, and runs the feature
    modules' SQL, written to mean the same in both dialects, through its own helpers and hooks).
    DuckDB lets one process write a file or several read it, never both at once, so the store holds
    the file only while it works: ``release`` lets go of it between batches (a reader such as the
    web app then gets in), and the next statement takes it back, waiting out a reader that holds it
    for a moment. ``read_only`` stores never write, migrate or wait long."""

    path: str
    read_only: bool
    lock_wait_s: float
    # DuckDB's memory cap and threads (None: DuckDB's defaults), set on every connection this makes.
    memory_limit: str | None = None
    threads: int | None = None
    _db: duckdb.DuckDBPyConnection | None
    _depth: int
    # What the driver raises: a failed statement inside a transaction rolls it back.
    ERRORS: type[Exception] | tuple[type[Exception], ...] = duckdb.Error

    @property
    def db(self) -> duckdb.DuckDBPyConnection:
        if self._db is None:
            self._db = self._connect()
        return self._db

    def _connect(self) -> duckdb.DuckDBPyConnection:
        db = self._locked_connect()
        try:
            # SET rather than connect()'s config: a file this process already holds is shared, and
            # DuckDB refuses a second connect() to it with another configuration.
            if self.memory_limit is not None:
                db.execute("SET memory_limit = ?", [self.memory_limit])
            if self.threads is not None:
                db.execute("SET threads = ?", [self.threads])
        except duckdb.Error as exc:
            db.close()
            raise StoreError(f"{self.path}: cannot apply the database settings: {exc}") from exc
        return db

    def _locked_connect(self) -> duckdb.DuckDBPyConnection:
        """A connection, retried while another process holds the file's lock. A writer kept waiting
        says so in a mark file beside the database, which a ``SharedReader`` obeys by letting go."""
        deadline = time.monotonic() + self.lock_wait_s
        pause = 0.02
        mark = writer_mark(self.path)
        marked = False
        try:
            while True:
                try:
                    return duckdb.connect(self.path, read_only=self.read_only)
                except duckdb.Error as exc:
                    if self.read_only and "different configuration" in str(exc):
                        # This process has the file open for writing, and DuckDB opens a file one way
                        # per process: read through that database (a read-only store never writes).
                        return duckdb.connect(self.path)
                    if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                        raise StoreError(f"{self.path}: cannot open the database: {exc}") from exc
                if not self.read_only:
                    mark.touch()
                    marked = True
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
        finally:
            if marked:
                mark.unlink(missing_ok=True)

    @classmethod
    def _cursor_of(cls, anchor: Connection) -> Self:
        """A read-only store on its own cursor of ``anchor``'s database (one per thread)."""
        store = cls.__new__(cls)
        store.path, store.read_only, store.lock_wait_s, store._depth = anchor.path, True, 0.0, 0
        store.memory_limit, store.threads = anchor.memory_limit, anchor.threads
        store._db = anchor.db.cursor()
        return store

    def cursor(self) -> Self | None:
        """A store reading this one's database through a cursor of its own, to read in parallel; None
        inside a transaction, whose uncommitted writes only this connection sees."""
        return None if self._depth else type(self)._cursor_of(self)

    def release(self) -> None:
        """Let go of the file until the next statement (other processes may open it meanwhile)."""
        if self._depth == 0 and self._db is not None:
            self._db.close()
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def transaction(self, what: str = "cannot write") -> AbstractContextManager[None]:
        """All writes inside commit together or not at all; nested uses join the outer one."""
        return self._transaction(what)

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._run("BEGIN")
        self._depth = 1
        try:
            yield
            self._run("COMMIT")
        except self.ERRORS as exc:
            self._rollback()
            raise StoreError(f"{self.path}: {what}: {exc}") from exc
        except BaseException:
            self._rollback()
            raise
        finally:
            self._depth = 0

    def _rollback(self) -> None:
        # A failed COMMIT has ended the transaction already: the error of rolling it back ("no
        # transaction is active") would hide the one that matters.
        with suppress(duckdb.Error):
            self.db.execute("ROLLBACK")

    def _insert(
        self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]], conflict: str = ""
    ) -> None:
        """Named-column bulk inserts: the rows reach DuckDB as one NumPy column per field, read in a
        single statement (a multi-row VALUES statement costs about a millisecond per hundred values,
        ``executemany`` one statement per row)."""
        if not rows:
            return
        batch = {column: np.empty(len(rows), dtype=object) for column in columns}
        for i, row in enumerate(rows):
            for column, value in zip(columns, row, strict=True):
                batch[column][i] = value
        names = ", ".join(f'"{c}"' for c in columns)
        view = f"incoming_{table}"
        with self._registered(view, batch):
            self._run(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view} {conflict}")

    def _ranked(
        self, sql: str, params: Sequence[object], columns: Sequence[str], probes: Sequence[tuple]
    ) -> dict[str, list[str]]:
        """What ``sql`` finds for each probe, in its order: ``probes`` (rows of ``columns``) are
        the table ``incoming_probes`` it reads; it selects (probe, found) pairs."""
        if not probes:
            return {}
        batch = {c: np.array([r[i] for r in probes], dtype=object) for i, c in enumerate(columns)}
        with self._registered("incoming_probes", batch):
            return grouped(self._rows(sql, params))

    @contextmanager
    def _registered(self, view: str, batch: Mapping[str, np.ndarray]) -> Iterator[None]:
        """``batch`` readable as the table ``view`` while the block runs."""
        self.db.register(view, batch)
        try:
            yield
        finally:
            # After a failed statement DuckDB refuses this too ("transaction is aborted"), which would
            # hide that statement's error; the rollback that follows drops the view.
            with suppress(duckdb.Error):
                self.db.unregister(view)

    def _stored_columns(self, table: str) -> list[str]:
        """The columns of ``table`` that rows are written to, in order (``store.copying``): not
        those the database computes (PostgreSQL's article search vector)."""
        rows = self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() AND is_generated = 'NEVER' ORDER BY ordinal_position",
            [table],
        )
        return [r[0] for r in rows]

    def _glob(self, pattern: str) -> tuple[str, object]:
        """A condition on the column before it matching the shell glob ``pattern``, and its parameter."""
        return "GLOB ?", pattern

    def _best_of(self, item: str, score: str) -> str:
        """The aggregate picking the ``item`` of the highest ``score``."""
        return f"arg_max({item}, {score})"

    def _run(self, sql: str, params: Sequence[object] = ()) -> None:
        """A statement run to completion: DuckDB keeps a statement's result open until it is read."""
        self._rows(sql, params)

    def _one(self, sql: str, params: Sequence[object] = ()) -> tuple | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple]:
        try:
            return self.db.execute(sql, list(params)).fetchall()
        except duckdb.Error as exc:
            if self._depth:
                raise  # the transaction rolls back and says what it was doing
            # A damaged file (truncated, overwritten) opens, and fails at the first block read.
            raise StoreError(f"{self.path}: cannot read the database: {exc}") from exc

    def _batches(self, sql: str, size: int) -> Iterator[list[tuple]]:
        """The rows of ``sql`` in lists of at most ``size``, each read from the database when asked
        for, so that no more than one list is held at a time."""
        try:
            # A cursor of its own: a statement run on the connection while the batches are read
            # would end this one's result.
            with self.db.cursor() as cursor:
                cursor.execute(sql)
                while rows := cursor.fetchmany(size):
                    yield rows
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot read the database: {exc}") from exc


def writer_mark(path: str) -> Path:
    return Path(path + ".writer-waiting")


def writer_waiting(path: str) -> bool:
    try:
        return time.time() - writer_mark(path).stat().st_mtime < WRITER_MARK_FRESH_S
    except FileNotFoundError:
        return False


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """(key, item) rows as each key's items, in the rows' order."""
    out: dict[str, list[str]] = {}
    for key, item in pairs:
        out.setdefault(key, []).append(item)
    return out
