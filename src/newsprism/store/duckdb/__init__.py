"""The DuckDB backend: the corpus in one file, no server, and the only code that writes SQL."""

from newsprism.store.duckdb.connection import LOCK_WAIT_S
from newsprism.store.duckdb.digests import members_key
from newsprism.store.duckdb.schema import SCHEMA_VERSION
from newsprism.store.duckdb.shared import SharedReader
from newsprism.store.duckdb.store import DuckDBStore

__all__ = ["LOCK_WAIT_S", "SCHEMA_VERSION", "DuckDBStore", "SharedReader", "members_key"]
