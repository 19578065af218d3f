"""The shared reader a long-running reader (the web app) reads the store through."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsprism.errors import StoreError
from newsprism.store.duckdb.connection import LOCK_WAIT_S, writer_waiting
from newsprism.store.duckdb.store import DuckDBStore


class SharedReader:
    """Read-only stores for a long-running reader (the web app). One DuckDB database stays open and
    every use gets its own cursor of it, so a request neither opens the file nor finds its blocks
    cold. DuckDB lets a file have one writing process or reading ones, never both: when a writer
    marks that it is waiting, the reader lets new uses wait, closes the database once the uses in
    flight end, and opens it again once the writer has the file and lets go of it (``release``)."""

    def __init__(
        self,
        path: str | Path,
        *,
        wait_s: float = LOCK_WAIT_S,
        memory_limit: str | None = None,
        threads: int = 1,
    ):
        self.path = str(path)
        # One thread by default: a page is many small queries, and requests run in parallel already.
        self.memory_limit, self.threads = memory_limit, threads
        self.wait_s = wait_s
        self._anchor: DuckDBStore | None = None
        self._users = 0
        self._closed = False
        self._turn = threading.Condition()
        threading.Thread(target=self._yield_to_writers, name="newsprism-reader", daemon=True).start()

    @contextmanager
    def store(self) -> Iterator[DuckDBStore]:
        deadline = time.monotonic() + self.wait_s
        with self._turn:
            while writer_waiting(self.path):
                self._let_go_if_idle()
                if time.monotonic() > deadline:
                    raise StoreError(f"{self.path}: busy: a run is writing it; try again in a moment")
                self._turn.wait(0.05)
            if self._anchor is None:
                self._anchor = DuckDBStore(
                    self.path,
                    read_only=True,
                    lock_wait_s=max(deadline - time.monotonic(), 0.0),
                    memory_limit=self.memory_limit,
                    threads=self.threads,
                )
            self._users += 1
            store = DuckDBStore._cursor_of(self._anchor)
        try:
            yield store
        finally:
            store.close()
            with self._turn:
                self._users -= 1
                if writer_waiting(self.path):
                    self._let_go_if_idle()
                self._turn.notify_all()

    def version(self) -> tuple[int, ...]:
        """Changes whenever a writer commits to the file (its size and time, and its write-ahead
        log's): what was read before may be kept until then."""
        stamp: list[int] = []
        for path in (self.path, self.path + ".wal"):
            try:
                info = os.stat(path)
            except FileNotFoundError:
                stamp += [0, 0]
            else:
                stamp += [info.st_mtime_ns, info.st_size]
        return tuple(stamp)

    def close(self) -> None:
        with self._turn:
            self._closed = True
            if self._anchor is not None:
                self._anchor.close()
                self._anchor = None

    def _let_go_if_idle(self) -> None:
        if self._users == 0 and self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def _yield_to_writers(self) -> None:
        """A writer must not wait for the next request to get the file."""
        while not self._closed:
            time.sleep(0.1)
            if writer_waiting(self.path):
                with self._turn:
                    self._let_go_if_idle()
                    self._turn.notify_all()
