"""Where the corpus lives. ``Store`` (``store.contract``, grouped by feature) is what the pipeline,
every corpus-level stage, the export and the API may ask of a store; ``open_store`` picks the backend
from the address. ``DuckDBStore`` (one file, no server) is the embedded default; ``PostgresStore``
(``store.postgres``, a database on a server, for a team writing and serving one corpus) runs the
same feature modules' SQL through small dialect hooks, and is imported only when asked for.
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
    SharedStores,
    Store,
    StoreSession,
    StoryStore,
)
from newsprism.store.duckdb import LOCK_WAIT_S, SCHEMA_VERSION, DuckDBStore, SharedReader, members_key

# The addresses of PostgreSQL databases (libpq's two schemes).
POSTGRES_SCHEMES = ("postgresql", "postgres")


def store_address(url: str | Path) -> str:
    """``url`` as text; a server address that went through ``Path`` (a ``--db`` option), which
    folds its ``//`` into one slash, is given back its two."""
    address = str(url)
    if isinstance(url, Path):
        for scheme in POSTGRES_SCHEMES:
            if address.startswith(f"{scheme}:/") and not address.startswith(f"{scheme}://"):
                return f"{scheme}://{address[len(scheme) + 2 :]}"
    return address


def is_server_address(url: str | Path) -> bool:
    """Whether ``url`` names a PostgreSQL database rather than a DuckDB file."""
    scheme, sep, _ = store_address(url).partition("://")
    return bool(sep) and scheme in POSTGRES_SCHEMES


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
    address = store_address(url)
    if is_server_address(address):
        try:
            from newsprism.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"{address}: PostgreSQL stores need the postgres extra: pip install 'newsprism[postgres]'"
            ) from exc
        return PostgresStore(
            address, read_only=read_only, lock_wait_s=lock_wait_s, memory_limit=memory_limit, threads=threads
        )
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


def shared_reader(
    url: str | Path, *, wait_s: float = LOCK_WAIT_S, memory_limit: str | None = None, threads: int = 1
) -> SharedStores:
    """The reader a long-running reader (the web app) reads the store at ``url`` through."""
    address = store_address(url)
    if is_server_address(address):
        from newsprism.store.postgres import PgSharedReader

        return PgSharedReader(address, wait_s=wait_s)
    return SharedReader(address, wait_s=wait_s, memory_limit=memory_limit, threads=threads)


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
    "SharedStores",
    "Store",
    "StoreSession",
    "StoryStore",
    "is_server_address",
    "members_key",
    "open_store",
    "shared_reader",
    "store_address",
]
