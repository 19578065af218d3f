"""The PostgreSQL schema: DuckDB's tables (``duckdb.schema.SCHEMA``, the one definition) in
PostgreSQL's types, plus what a server needs that DuckDB does not: an index for every lookup by id,
key or article, and the full-text vector of each article with its GIN index. The version is
DuckDB's; a database of an older or newer version is refused or brought forward the same way."""

from __future__ import annotations

import hashlib
import re

from newsprism.errors import StoreError
from newsprism.store.duckdb.schema import SCHEMA, SCHEMA_VERSION, needs_migrating
from newsprism.store.postgres.connection import PgConnection

# Text columns sort by code point, as DuckDB's do, so that every ORDER BY (and every id minted from
# an order) comes out the same on both backends whatever the database's locale. JSON is kept as
# text: the store parses it itself, as it does DuckDB's.
TABLES = re.sub(
    r"\bTEXT\b",
    'TEXT COLLATE "C"',
    SCHEMA.replace(" USING COMPRESSION uncompressed", "")
    .replace(" JSON", " TEXT")
    .replace(" DOUBLE", " DOUBLE PRECISION"),
)
# PostgreSQL's parser reads markup, addresses and dotted words as one token or as nothing (a
# <script> element's words, "window.pwned", "a/b", "x@y.com", "3.5"); in scraped text they are words a
# reader saw, so these characters part words, as in DuckDB's index: in every vector and every query.
WORDS = "regexp_replace({}, '[<>&./@]', ' ', 'g')"
# A row's words, title first (weight A) then its paragraphs (the JSON array's strings only: none of
# the characters parted is JSON's own, nor in its escapes).
SEARCH_VECTOR = (
    "setweight(to_tsvector('english', " + WORDS.format("coalesce(title, '')") + "), 'A') || "
    "setweight(to_tsvector('english', " + WORDS.format("coalesce(paragraphs, '[]')") + "::jsonb), 'B')"
)
# A quote's words and its speaker's, as English stems; a name's words as written (no stems: "Bush"
# is no "bush").
QUOTE_VECTOR = "to_tsvector('english', " + WORDS.format(
    "coalesce({q}text, '') || ' ' || coalesce({q}speaker_name, '') || ' ' || coalesce({q}speaker_text, '')"
) + ")"
NAME_VECTOR = "to_tsvector('simple', " + WORDS.format("{}") + ")"
INDEXES = {
    "articles_seq": "articles (seq)",
    "quotes_search": f"quotes USING gin (({QUOTE_VECTOR.format(q='')}))",
    "entities_search": f"entities USING gin (({NAME_VECTOR.format('name')}))",
    "name_forms_search": f"name_forms USING gin (({NAME_VECTOR.format('form')}))",
    "articles_keys": "articles (clean_key, annotate_key)",
    "articles_search": "articles USING gin (search)",
    "sources_article": "sources (article)",
    "mentions_article": "mentions (article)",
    "quotes_article": "quotes (article)",
    "name_uses_article": "name_uses (article)",
    "name_uses_key": "name_uses (key)",
    "name_uses_resolves_to": "name_uses (resolves_to)",
    "names_entity": "names (entity)",
    "name_blocks_value": "name_blocks (kind, value)",
    "name_blocks_key": "name_blocks (key)",
    "name_links_b": "name_links (b)",
    "entities_name": "entities (type, name)",
    "entity_merges_new": "entity_merges (new)",
    "quote_groups_article": "quote_groups (article)",
    "quote_groups_grp": "quote_groups (grp)",
    "group_merges_new": "group_merges (new)",
    "quote_shingles_shingle": "quote_shingles (shingle)",
    "quote_shingles_quote": "quote_shingles (quote)",
    "passage_shingles_shingle": "passage_shingles (shingle)",
    "passage_shingles_article": "passage_shingles (article)",
    "reuse_target": "reuse (target)",
    "article_profiles_article": "article_profiles (article)",
    "undated_features_feature": "undated_features (feature)",
    "undated_features_article": "undated_features (article)",
    "story_articles_story": "story_articles (story)",
    "clusters_storyline": "clusters (storyline)",
    "cluster_features_feature": "cluster_features (feature)",
    "cluster_features_cluster": "cluster_features (cluster)",
    "cluster_merges_new": "cluster_merges (new)",
}

_SEARCH_COLUMN = f"search tsvector GENERATED ALWAYS AS ({SEARCH_VECTOR}) STORED"
_SEARCH_INDEXES = ("articles_search", "quotes_search", "entities_search", "name_forms_search")
# What the vectors are made of, kept as the search column's comment: a database whose comment
# differs is made again.
_VECTORS_KEY = hashlib.sha256("\n".join((SEARCH_VECTOR, QUOTE_VECTOR, NAME_VECTOR)).encode()).hexdigest()[:16]


class PgSchema(PgConnection):
    """Creates the tables in a new database, and checks the version of an existing one."""

    def _open_schema(self) -> None:
        if not needs_migrating(self.path, self._schema_version(), self.read_only):
            self._renew_search_vectors()
            return
        # Every statement is idempotent: a database of any earlier version gains what it lacks.
        # The write lock keeps two processes opening a new database from creating it twice.
        with self.transaction("cannot create the tables"):
            for statement in TABLES.split(";"):
                if statement.strip():
                    self._run(statement)
            self._run(f"ALTER TABLE articles ADD COLUMN IF NOT EXISTS {_SEARCH_COLUMN}")
            for name, target in INDEXES.items():
                self._run(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
            self._run(
                "INSERT INTO meta VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [str(SCHEMA_VERSION)],
            )
        self._renew_search_vectors()

    def _renew_search_vectors(self) -> None:
        """Make the search vectors and their indexes again when a database holds another definition
        of them than this code's (words parted otherwise): its matches would differ from the
        queries', and the quote and name indexes would no longer serve them. A reader leaves that
        to the next writer."""
        if self.read_only or self._vectors_current():
            return
        with self.transaction("cannot make the search vectors again"):
            if self._vectors_current():  # another writer made them while this one waited
                return
            self._run("ALTER TABLE articles DROP COLUMN IF EXISTS search")
            self._run(f"ALTER TABLE articles ADD COLUMN {_SEARCH_COLUMN}")
            for name in _SEARCH_INDEXES:
                self._run(f"DROP INDEX IF EXISTS {name}")
                self._run(f"CREATE INDEX {name} ON {INDEXES[name]}")
            # On the column, not in meta: meta is copied between backends, and DuckDB has no vectors.
            self._run(f"COMMENT ON COLUMN articles.search IS '{_VECTORS_KEY}'")

    def _vectors_current(self) -> bool:
        row = self._one(
            "SELECT col_description(attrelid, attnum) FROM pg_attribute "
            "WHERE attrelid = 'articles'::regclass AND attname = 'search' AND NOT attisdropped"
        )
        return row is not None and row[0] == _VECTORS_KEY

    def _schema_version(self) -> int:
        """The version the database holds: ``SCHEMA_VERSION`` for an empty one (unless read-only).
        A database holding other tables is refused, so that nothing is added to it."""
        tables = {
            r[0]
            for r in self._rows(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            )
        }
        if "meta" in tables:
            row = self._one("SELECT value FROM meta WHERE key = 'schema_version'")
            if row is None or not str(row[0]).isdigit():
                raise StoreError(f"{self.path}: not a newsprism store (its meta table has no schema_version)")
            return int(row[0])
        if tables:
            raise StoreError(f"{self.path}: not a newsprism store (a PostgreSQL database of other tables)")
        if self.read_only:
            raise StoreError(f"{self.path}: not a newsprism store (an empty PostgreSQL database)")
        return SCHEMA_VERSION
