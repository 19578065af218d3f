"""Where the corpus lives. ``Store`` (``store.contract``, grouped by feature) is what the pipeline,
every corpus-level stage, the export and the API may ask of a store; ``open_store`` picks the backend
from the address. ``DuckDBStore`` (one file, no server) is the only backend today and the only code
that writes SQL; a second one (PostgreSQL, for serving many users) implements the same contract and
is added to ``open_store`` alone.
"""

from __future__ import annotations

from pathlib import Path

from newsprism.errors import StoreError
from newsprism.store.contract import (
    ArticleStore,
    DigestStore,
    EntityStore,
    QuoteStore,
    ReuseStore,
    SearchStore,
    Store,
    StoreSession,
    StoryStore,
)
from newsprism.store.duckdb import LOCK_WAIT_S, SCHEMA_VERSION, DuckDBStore, SharedReader, members_key


def open_store(
    url: str | Path,
    *,
    read_only: bool = False,
    lock_wait_s: float = LOCK_WAIT_S,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> Store:
    """The store at ``url``: a DuckDB file path (created when missing, unless ``read_only``), or
    ``":memory:"`` for one that lives as long as the object; opening waits up to ``lock_wait_s``
    for another process holding the file to let go of it. A ``read_only`` store never writes the
    file; a DuckDB database newsprism did not make is refused either way, and left as it is.
    DuckDB keeps to ``memory_limit`` (a DuckDB size: "1GB") and ``threads``; None leaves its own
    defaults (``Options.store_settings`` gives newsprism's)."""
    address = str(url)
    if "://" in address:
        scheme = address.split("://", 1)[0]
        raise StoreError(f"{address}: no store backend for {scheme}:// addresses (a DuckDB file path is)")
    return DuckDBStore(
        address,
        read_only=read_only,
        lock_wait_s=lock_wait_s,
        memory_limit=memory_limit,
        threads=threads,
    )


__all__ = [
    "SCHEMA_VERSION",
    "ArticleStore",
    "DigestStore",
    "DuckDBStore",
    "EntityStore",
    "QuoteStore",
    "ReuseStore",
    "SearchStore",
    "SharedReader",
    "Store",
    "StoreSession",
    "StoryStore",
    "members_key",
    "open_store",
]
