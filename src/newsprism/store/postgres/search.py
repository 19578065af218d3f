"""Searching articles with PostgreSQL's own full text: each article's ``search`` vector (a generated
column, GIN-indexed) matched by ``websearch_to_tsquery`` (every word, quoted phrases as phrases) and
ranked by ``ts_rank``. The server keeps the vector in step with every row it commits, so there is
no index to rebuild."""

from __future__ import annotations

from newsprism.store.duckdb.articles import published_filters
from newsprism.store.postgres.connection import PgConnection
from newsprism.store.rows import Page


class PgSearch(PgConnection):
    def search_index_current(self) -> bool:
        """Always: the search vectors are columns of the articles' own rows."""
        return True

    def refresh_search_index(self) -> bool:
        """Nothing to make again (see ``search_index_current``)."""
        return False

    def search_articles(
        self,
        text: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[str]:
        """Articles holding every word and quoted phrase of ``text`` (words as English stems, case
        aside), best first (a title match weighs more), of an outlet and published from ``since``
        to ``until`` (inclusive) when given, and how many match."""
        where, params = published_filters(outlet, since, until)
        rows = self._rows(
            "WITH q AS (SELECT websearch_to_tsquery('english', ?) AS query) "
            "SELECT a.id, count(*) OVER () FROM q, articles a "
            "LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE a.search @@ q.query AND {' AND '.join(where)} "
            "ORDER BY ts_rank(a.search, q.query) DESC, a.seq LIMIT ? OFFSET ?",
            [text, *params, int(limit), int(offset)],
        )
        return Page([r[0] for r in rows], rows[0][1] if rows else 0)
