"""Searching articles, quotes and entities through the full-text index (``fulltext.TextIndex``), kept
in step with the store: what a transaction changes is indexed once it commits, and an index that
holds another state than the store (a run killed between the two commits, a missing or damaged
folder, older code) is rebuilt from the store by a writer, or passed over by a reader, which scans
instead (``search.Search``)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Self

import tantivy

from newsprism.records import Annotations, Article, ArticleNames, NameCounts
from newsprism.store.duckdb.articles import published_filters
from newsprism.store.duckdb.connection import Connection, grouped
from newsprism.store.duckdb.fulltext import TextIndex, article_doc, entity_doc, quote_doc
from newsprism.store.duckdb.search import Search
from newsprism.store.rows import EntitySummary, Page, QuoteHit

# Articles (with their quotes), or entities, read from the store at a time while the index is made again.
REBUILD_CHUNK = 1000
# Entities taken from the index per one shown, before their mentions rank them again.
ENTITY_CANDIDATES = 5
# The meta row counting the transactions that changed an entity's names: entities are made again at
# the corpus level without any article changing, so the articles alone do not tell the index's state.
ENTITY_GENERATION = "entity_generation"

log = logging.getLogger(__name__)


@dataclass
class Pending:
    """What one transaction changed that the index holds, to index once the store has committed."""

    before: str  # the store's state when the transaction first changed any of it
    articles: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)  # whose spellings changed: their entities' did
    everything: bool = False  # the corpus level was cleared
    counted: bool = False  # the entity generation was moved on


class IndexedSearch(Search, Connection):
    """Comes first among ``DuckDBStore``'s bases, so that its writers and ``_transaction`` wrap those
    of the feature modules that write articles, quotes, names and entities."""

    _text: TextIndex
    # What the writes since the last transaction ended changed, indexed when the outermost one ends;
    # None until a write changes something the index holds.
    _pending: Pending | None

    def _open_text(self) -> None:
        self._text = TextIndex(self.path, self.read_only)
        self._pending = None

    @classmethod
    def _cursor_of(cls, anchor: Connection) -> Self:
        store = super()._cursor_of(anchor)
        # One index per database: the cursors of a reader share it, and the writer's if it is one.
        store._text = anchor._text  # type: ignore[attr-defined]
        store._pending = None
        return store

    # -- the writes the index follows ---------------------------------------------------------

    def put_articles(
        self,
        results: Sequence[tuple[Article, Annotations | None]],
        raw_hash: dict[str, str],
        clean_key: str,
        annotate_key: str,
        reference_date: dt.date,
    ) -> None:
        pending = self._pending_changes()
        super().put_articles(results, raw_hash, clean_key, annotate_key, reference_date)  # type: ignore[misc]
        pending.articles.update(a.id for a, _ in results)

    def put_name_uses(self, found: Sequence[ArticleNames], stats: Mapping[str, NameCounts]) -> None:
        pending = self._pending_changes(entities=True)
        super().put_name_uses(found, stats)  # type: ignore[misc]
        pending.names.update(stats)

    def retract(self, ids: Sequence[str]) -> set[str]:
        pending = self._pending_changes(entities=True)
        fallen = super().retract(ids)  # type: ignore[misc]
        pending.names.update(fallen)
        return fallen

    def put_names(
        self,
        entity_of_key: dict[str, str],
        label_of_key: dict[str, str],
        blocks: dict[str, set[tuple[str, str]]],
        unused: Iterable[str] = (),
    ) -> None:
        pending = self._pending_changes(entities=True)
        unused = list(unused)
        # The entities the names leave lose their spellings.
        left = self.entity_of_names([*entity_of_key, *unused])  # type: ignore[attr-defined]
        pending.entities.update(e for e in left.values() if e)
        super().put_names(entity_of_key, label_of_key, blocks, unused)  # type: ignore[misc]
        pending.entities.update(entity_of_key.values())

    def put_entities(
        self,
        rows: Sequence[tuple[str, str, str, int, int]],
        merges: Sequence[tuple[str, str]],
        gone: Iterable[str] = (),
    ) -> None:
        pending = self._pending_changes(entities=True)
        gone = list(gone)
        super().put_entities(rows, merges, gone)  # type: ignore[misc]
        pending.entities.update([r[0] for r in rows], [old for old, _ in merges], gone)

    def clear_corpus(self) -> None:
        pending = self._pending_changes(entities=True)
        super().clear_corpus()  # type: ignore[misc]
        pending.everything = True

    def _pending_changes(self, entities: bool = False) -> Pending:
        if self._pending is None:
            self._pending = Pending(self._state())
        if entities and not self._pending.counted:
            # In the transaction's writes: the new generation commits with the entities or not at all.
            self._run(
                "INSERT OR REPLACE INTO meta SELECT ?, CAST(coalesce(max(CAST(value AS BIGINT)), 0) + 1 "
                "AS TEXT) FROM meta WHERE key = ?",
                [ENTITY_GENERATION, ENTITY_GENERATION],
            )
            self._pending.counted = True
        return self._pending

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
            pending, self._pending = self._pending, None
        if pending is not None:
            # After the store's commit: the index never holds what the store does not.
            self._index_changes(pending)

    # -- searching ------------------------------------------------------------------------------

    def search_index_current(self) -> bool:
        """Whether the full-text index holds the articles, quotes and entities as the store has them."""
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
        if not self._index_ready():
            return self._scanned_articles(text, outlet, since, until, limit, offset)
        found, total = self._text.search("article", text, self._within(outlet, since, until), limit, offset)
        return Page([hit.values[0] for hit in found], total)

    def search_quotes(
        self,
        text: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[QuoteHit]:
        """Quotes whose words or speaker hold every word and quoted phrase of ``text``, best first,
        of articles of an outlet and published from ``since`` to ``until`` when given, and how many
        match; scanned, as articles are, by a reader whose index is not current."""
        if not self._index_ready():
            return self._scanned_quotes(text, outlet, since, until, limit, offset)
        found, total = self._text.search("quote", text, self._within(outlet, since, until), limit, offset)
        return Page([QuoteHit(*hit.values) for hit in found], total)

    def search_entities(self, text: str, *, limit: int = 20) -> list[EntitySummary]:
        """Entities whose canonical name or spellings hold every word and quoted phrase of ``text``,
        best first (BM25 weighed by how often the corpus mentions each); scanned, most mentioned
        first, by a reader whose index is not current."""
        if not self._index_ready():
            return self._scanned_entities(text, limit)
        found, _ = self._text.search("entity", text, None, limit * ENTITY_CANDIDATES, 0)
        rows = self._rows(
            "SELECT id, name, type, mentions FROM entities WHERE id IN (SELECT unnest(?))",
            [[hit.values[0] for hit in found]],
        )
        by_id = {r[0]: EntitySummary(*r) for r in rows}
        # BM25 alone puts a rare entity whose short name holds the word ("Russian-US" for "US") over
        # the one the corpus writes about most ("United States", spelt "US"): the mentions weigh in.
        ranked = sorted(
            (hit for hit in found if hit.values[0] in by_id),
            key=lambda hit: -hit.score * math.log(math.e + by_id[hit.values[0]].mentions),
        )
        return [by_id[hit.values[0]] for hit in ranked[:limit]]

    def _index_ready(self) -> bool:
        """Whether the index can be searched: current, or made so now by a writable store."""
        if (state := self._index_behind()) is not None:
            if self._text.read_only:
                # A reader never writes: the next writer (``analyze``, ``newsprism search``) catches up.
                log.warning("%s: the search index is behind the store; scanning instead", self.path)
                return False
            self._rebuild_text(state)
        self._text.reload()
        return True

    def _within(self, outlet: str | None, since: str | None, until: str | None) -> list[str] | None:
        """The articles the filters leave, None without a filter."""
        if (outlet, since, until) == (None, None, None):
            return None
        where, params = published_filters(outlet, since, until)
        return [
            r[0]
            for r in self._rows(
                "SELECT a.id FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
                f"WHERE {' AND '.join(where)}",
                params,
            )
        ]

    # -- keeping the index in step --------------------------------------------------------------

    def _index_behind(self) -> str | None:
        """The store's state when the index does not hold it, else None."""
        state = self._state()
        return None if self._text.stamp() == state else state

    def _state(self) -> str:
        """Changes with every article stored (one made again is stored under a new sequence number)
        and with every transaction that changed an entity or its names (``ENTITY_GENERATION``)."""
        count, last, total, generation = self._one(
            "SELECT count(*), coalesce(max(seq), 0), coalesce(sum(seq), 0), "
            "(SELECT coalesce(max(value), '0') FROM meta WHERE key = ?) FROM articles",
            [ENTITY_GENERATION],
        )
        return f"{count}:{last}:{total}:{generation}"

    def _index_changes(self, pending: Pending) -> None:
        after = self._state()
        if pending.everything or self._text.stamp() != pending.before:
            self._rebuild_text(after)
            return
        articles = sorted(pending.articles)
        named = self.entity_of_names(pending.names)  # type: ignore[attr-defined]
        entities = pending.entities | {e for e in named.values() if e}
        # Every changed id is dropped, and what the store still holds of it indexed again.
        gone = [("article", a) for a in articles] + [("entity", e) for e in sorted(entities)]
        docs = [*self._article_docs(articles), *self._entity_docs(sorted(entities))]
        self._text.replace(docs, gone, after)

    def _rebuild_text(self, state: str) -> None:
        self._text.rebuild(self._all_docs(), state)

    def _all_docs(self) -> Iterator[tantivy.Document]:
        last = 0
        while rows := self._rows(
            "SELECT seq, id FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", [last, REBUILD_CHUNK]
        ):
            yield from self._article_docs([i for _, i in rows])
            last = rows[-1][0]
        after = ""
        while rows := self._rows(
            "SELECT id FROM entities WHERE id > ? ORDER BY id LIMIT ?", [after, REBUILD_CHUNK]
        ):
            yield from self._entity_docs([r[0] for r in rows])
            after = rows[-1][0]

    def _article_docs(self, ids: list[str]) -> list[tantivy.Document]:
        """The documents of these articles and of their quotes, as the store holds them."""
        articles = self._rows(
            "SELECT id, title, paragraphs FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY seq", [ids]
        )
        quotes = self._rows(
            "SELECT id, article, text, speaker_name, speaker_text FROM quotes "
            "WHERE article IN (SELECT unnest(?)) ORDER BY article, start, id",
            [ids],
        )
        return [article_doc(i, title or "", json.loads(p)) for i, title, p in articles] + [
            quote_doc(q, article, text or "", (name, words)) for q, article, text, name, words in quotes
        ]

    def _entity_docs(self, ids: list[str]) -> list[tantivy.Document]:
        """The documents of these entities, those the store holds: a canonical name and its spellings."""
        forms = grouped(
            self._rows(
                "SELECT n.entity, f.form FROM names n JOIN name_forms f USING (key) "
                "WHERE n.entity IN (SELECT unnest(?)) ORDER BY n.entity, f.form",
                [ids],
            )
        )
        rows = self._rows("SELECT id, name FROM entities WHERE id IN (SELECT unnest(?)) ORDER BY id", [ids])
        return [entity_doc(i, name or "", forms.get(i, [])) for i, name in rows]
