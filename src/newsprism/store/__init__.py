"""Where the corpus lives. ``Store`` is the interface every corpus-level stage, the pipeline, the
export and the API use; ``DuckDBStore`` (one file, no server) implements it and is the only place
that writes SQL."""

from newsprism.store.duckdb_store import SCHEMA_VERSION, DuckDBStore

Store = DuckDBStore

__all__ = ["SCHEMA_VERSION", "DuckDBStore", "Store"]
