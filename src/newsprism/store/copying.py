"""Moving a whole store from one backend to another (``newsprism copy``): every table, row for row,
so that ids, sequence numbers and merge records arrive as they were and the target reads as the
source did. Both backends run the same feature modules over ``Connection``'s helpers, which is all
this reads and writes through."""

from __future__ import annotations

import re

from newsprism.errors import StoreError
from newsprism.store.contract import Store
from newsprism.store.duckdb.connection import Connection
from newsprism.store.duckdb.schema import SCHEMA

TABLES = tuple(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", SCHEMA))
# Meta rows that describe the database itself rather than the corpus: the target keeps its own.
OWN_META = ("schema_version", "generation")
UPSERT = "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
# Rows read and written at a time: a table (the raw inputs, the articles' bodies) may be larger than
# memory; a batch of the largest rows (a raw input is a page of HTML, some 100 kB) is some 100 MB.
BATCH = 1000


def copy_store(source: Store, target: Store, batch: int = BATCH) -> dict[str, int]:
    """Every table of ``source`` into ``target``, a store holding nothing yet, in one transaction,
    read and written ``batch`` rows at a time; how many rows each table brought. The target's search
    index is made for the articles after."""
    assert isinstance(source, Connection) and isinstance(target, Connection)
    for table in TABLES:
        if table != "meta" and target._one(f"SELECT count(*) FROM {table}")[0]:
            raise StoreError(f"{target.path}: not empty ({table} holds rows); copy into a new store")
    copied = {}
    with target.transaction("cannot copy the store"):
        for table in TABLES:
            kept = set(target._stored_columns(table))
            columns = [c for c in source._stored_columns(table) if c in kept]
            names = ", ".join(f'"{c}"' for c in columns)
            copied[table] = 0
            for rows in source._batches(f"SELECT {names} FROM {table}", batch):
                if table == "meta":
                    rows = [r for r in rows if r[0] not in OWN_META]
                    target._insert(table, columns, rows, UPSERT)
                else:
                    target._insert(table, columns, rows)
                copied[table] += len(rows)
    target.refresh_search_index()
    return copied
