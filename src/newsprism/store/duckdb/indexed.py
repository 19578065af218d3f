"""Searching articles through the full-text index (``fulltext.TextIndex``), kept in step with the
store: the articles a transaction stores are indexed once it commits, and an index that holds
another state of the articles than the store (a run killed between the two commits, a missing or
damaged folder, older code) is rebuilt from the store by a writer, or passed over by a reader."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Self

from newsprism.records import Annotations, Article
from newsprism.store.duckdb.articles import published_filters
from newsprism.store.duckdb.connection import Connection
from newsprism.store.duckdb.fulltext import TextIndex
from newsprism.store.duckdb.search import every_word
from newsprism.store.rows import Page

# Articles read from the store at a time while the index is made again.
REBUILD_CHUNK = 1000

log = logging.getLogger(__name__)


class IndexedSearch(Connection):
    """Comes first among ``DuckDBStore``'s bases, so that its ``put_articles`` and ``_transaction``
    wrap those of the feature modules that write the articles."""

    _text: TextIndex
    _text_changed: set[str] | None  # the articles this transaction stored, None outside one
    _text_before: str | None  # the articles' state when this transaction first stored some

    def _open_text(self) -> None:
        self._text = TextIndex(self.path, self.read_only)
        self._text_changed = self._text_before = None

    @classmethod
    def _cursor_of(cls, anchor: Connection) -> Self:
        store = super()._cursor_of(anchor)
        # One index per database: the cursors of a reader share it, and the writer's if it is one.
        store._text = anchor._text  # type: ignore[attr-defined]
        store._text_changed = store._text_before = None
        return store

    def put_articles(
        self,
        results: Sequence[tuple[Article, Annotations | None]],
        raw_hash: dict[str, str],
        clean_key: str,
        annotate_key: str,
        reference_date: dt.date,
    ) -> None:
        if self._text_changed is None:
            self._text_before, self._text_changed = self._article_state(), set()
        super().put_articles(results, raw_hash, clean_key, annotate_key, reference_date)  # type: ignore[misc]
        self._text_changed.update(a.id for a, _ in results)

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        if self._depth:
            with super()._transaction(what):
                yield
            return
        try:
            with super()._transaction(what):
                yield
        finally:
            changed, before = self._text_changed, self._text_before
            self._text_changed = self._text_before = None
        if changed:
            # After the store's commit: the index never holds what the store does not.
            self._index_changes(changed, before)

    def search_index_current(self) -> bool:
        """Whether the full-text index holds the articles as the store has them."""
        return self._index_behind() is None

    def refresh_search_index(self) -> bool:
        """Make the full-text index again when it is not current (a writable store only); True if
        it was made again."""
        state = self._index_behind()
        if state is None or self._text.read_only:
            return False
        self._rebuild_text(state)
        return True

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
        """Articles holding every word and quoted phrase of ``text`` (words as stems, case aside),
        best first, of an outlet and published from ``since`` to ``until`` (inclusive) when given,
        and how many match. A read-only store whose index is not current scans the articles for
        the words instead, latest first, and logs a warning saying so."""
        if (state := self._index_behind()) is not None:
            if self._text.read_only:
                # A reader never writes: the next writer (``analyze``, ``newsprism search``) catches up.
                log.warning("%s: the search index is behind the store; scanning the articles", self.path)
                return self._scanned_articles(text, outlet, since, until, limit, offset)
            self._rebuild_text(state)
        self._text.reload()
        filtered = (outlet, since, until) != (None, None, None)
        within = self._published_ids(outlet, since, until) if filtered else None
        return Page(*self._text.search(text, within, int(limit), int(offset)))

    def _scanned_articles(
        self, text: str, outlet: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> Page[str]:
        """Articles whose title or body holds every word (case aside), latest first: the search of a
        store without a current index, and the baseline ``bench/search.py`` measures it against."""
        where, params = published_filters(outlet, since, until)
        words, word_params = every_word(
            ("a.title", "CAST(a.paragraphs AS TEXT)"), text.replace('"', " ").split()
        )
        rows = self._rows(
            "SELECT a.id, count(*) OVER () FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} AND {words} "
            "ORDER BY coalesce(a.published, b.value) DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
            [*params, *word_params, int(limit), int(offset)],
        )
        return Page([r[0] for r in rows], rows[0][1] if rows else 0)

    def _published_ids(self, outlet: str | None, since: str | None, until: str | None) -> list[str]:
        where, params = published_filters(outlet, since, until)
        return [
            r[0]
            for r in self._rows(
                "SELECT a.id FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
                f"WHERE {' AND '.join(where)}",
                params,
            )
        ]

    def _index_behind(self) -> str | None:
        """The state of the store's articles when the index does not hold it, else None."""
        state = self._article_state()
        return None if self._text.stamp() == state else state

    def _article_state(self) -> str:
        """Changes with every article stored: one made again is stored under a new sequence number."""
        count, last, total = self._one(
            "SELECT count(*), coalesce(max(seq), 0), coalesce(sum(seq), 0) FROM articles"
        )
        return f"{count}:{last}:{total}"

    def _index_changes(self, changed: set[str], before: str | None) -> None:
        after = self._article_state()
        if self._text.stamp() != before:
            self._rebuild_text(after)
            return
        rows = self._rows(
            "SELECT id, title, paragraphs FROM articles WHERE id IN (SELECT unnest(?))", [sorted(changed)]
        )
        kept = {r[0] for r in rows}
        self._text.replace(
            ((i, title or "", json.loads(p)) for i, title, p in rows), sorted(changed - kept), after
        )

    def _rebuild_text(self, state: str) -> None:
        self._text.rebuild(self._all_texts(), state)

    def _all_texts(self) -> Iterator[tuple[str, str, list[str]]]:
        last = 0
        while rows := self._rows(
            "SELECT seq, id, title, paragraphs FROM articles WHERE seq > ? ORDER BY seq LIMIT ?",
            [last, REBUILD_CHUNK],
        ):
            yield from ((i, title or "", json.loads(p)) for _, i, title, p in rows)
            last = rows[-1][0]
