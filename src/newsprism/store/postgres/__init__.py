"""The PostgreSQL backend (the ``postgres`` extra: psycopg 3 and its pool): one database on a
server, written by several runs at once and read by many users. Imported only for a
``postgresql://`` address, so that newsprism works without the driver installed."""

from newsprism.store.postgres.reader import PgSharedReader
from newsprism.store.postgres.store import PostgresStore

__all__ = ["PgSharedReader", "PostgresStore"]
