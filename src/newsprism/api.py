"""The corpus as a Python object: open a store, add articles, query what it knows.

import newsprism
with newsprism.open("news.duckdb") as corpus:
    corpus.add(["today/"])
    for quote in corpus.quotes(speaker="Angela Merkel", outlet="Reuters"):
        print(quote.text)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from newsprism.article.ingest import jsonl_doc
from newsprism.corpus import view as corpus_view
from newsprism.options import Options
from newsprism.output.export import to_document
from newsprism.pipeline import Progress, RunReport, analyze, ensure_corpus_current
from newsprism.records import Article, CorpusView, Entity, Quote, RawDoc, ReuseLink, Story, Storyline
from newsprism.store import Store, open_store


class Corpus:
    """A growing corpus kept in one store file."""

    def __init__(self, store: Store, options: Options | None = None):
        self.store = store
        self.options = options or Options()
        ensure_corpus_current(store)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def add(
        self, inputs: Iterable[str | Path | RawDoc | dict[str, Any]], progress: Progress | None = None
    ) -> RunReport:
        """Add files, folders, ``RawDoc`` records or dicts shaped like a JSONL line ({"text" or
        "html", "id", "url", "outlet", "title", "published"}) and update the corpus."""
        paths, records = [], []
        for item in inputs:
            if isinstance(item, (str, Path)):
                paths.append(str(item))
            else:
                records.append(item if isinstance(item, RawDoc) else _record_doc(item, len(records) + 1))
        return analyze(paths, self.store, self.options, progress, records=records)

    def view(self, ids: Sequence[str] | None = None, **selection: str | None) -> CorpusView:
        """The resolved view of these articles, or of those matching ``select``'s filters."""
        return corpus_view.view(self.store, list(ids) if ids is not None else self.select(**selection))

    def select(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
    ) -> list[str]:
        """Article ids by outlet, publication date range (YYYY-MM-DD, inclusive) and input path glob."""
        return self.store.select(outlet=outlet, since=since, until=until, source=source)

    def articles(self, **selection: str | None) -> list[Article]:
        return list(self.view(**selection).articles)

    def entities(
        self, *, name: str | None = None, type: str | None = None, limit: int | None = None
    ) -> list[Entity]:
        """Entities with all their mentions in the corpus, most mentioned first; ``name`` matches
        the canonical name or any spelling of it."""
        rows = self.store.entity_list(name=name, kind=type, limit=limit)
        ids = [r.id for r in rows]
        found = {e.id: e for e in self.view(self.store.articles_of_entities(ids)).entities}
        return [found[i] for i in ids if i in found]

    def quotes(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[Quote]:
        """Quotes with their speakers resolved; ``speaker`` matches the speaker's entity by any of
        its names, or the speaker phrase as written."""
        ids = self.select(outlet=outlet, since=since, until=until)
        if speaker is None:
            return list(self.view(ids).quotes)
        entities = {r.id for r in self.store.entity_list(name=speaker)}
        if entities:
            mentioning = set(self.store.articles_of_entities(sorted(entities)))
            ids = [i for i in ids if i in mentioning]
        needle = speaker.lower()
        return [
            q
            for q in self.view(ids).quotes
            if q.speaker.entity in entities
            or needle in (q.speaker.text or "").lower()
            or needle in (q.speaker.name or "").lower()
        ]

    def stories(self, **selection: str | None) -> list[Story]:
        """Stories of the selected articles (all by default), in time order, each listing its
        articles among the selection."""
        return list(corpus_view.stories_of(self.store, self.select(**selection))[0])

    def story(self, story_id: str) -> Story | None:
        """One story with its facts, summary and framing (an id merged into another resolves to it)."""
        found = corpus_view.story_view(self.store, story_id)
        return found[0] if found else None

    def storylines(self, **selection: str | None) -> list[Storyline]:
        return list(corpus_view.stories_of(self.store, self.select(**selection))[1])

    def reuse(self, **selection: str | None) -> list[ReuseLink]:
        """Copy, passages and quotes carried by two of the selected articles, with who had them first."""
        return list(self.view(**selection).reuse)

    def similarity(self, a: str, b: str) -> float:
        """How much two stored articles read as reports of one story, from 0 to 1."""
        return corpus_view.article_similarity(self.store, a, b)

    def export(self, **selection: str | None) -> dict[str, Any]:
        """The contract's JSON document for the whole corpus or a selection."""
        return to_document(self.view(**selection))


def open(path: str | Path = "newsprism.duckdb", options: Options | None = None) -> Corpus:  # noqa: A001
    """Open (or create) the corpus kept in this DuckDB file."""
    return Corpus(open_store(path, **(options or Options()).store_settings()), options)


def _record_doc(record: dict[str, Any], number: int) -> RawDoc:
    return jsonl_doc(json.dumps(record, ensure_ascii=False), "<records>", number)
