"""What the pages and the API read: the store for one request, the story filters, a page of
stories, search results, and story views kept until the store changes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from newsprism.corpus.view import stories_of, story_view, view
from newsprism.errors import StoreError
from newsprism.output.report import speaker_name
from newsprism.records import CorpusView, Story
from newsprism.store import SharedStores, Store
from newsprism.text import is_day

# Story views kept in memory until the store changes (a page and its charts read one view).
KEPT_VIEWS = 64
# Past any store's last page, and low enough that the offset it asks for fits the database's integers.
MAX_PAGE = 1_000_000


@dataclass
class Site:
    """What every route of one app shares, kept on ``app.state.site``."""

    reader: SharedStores
    db_name: str
    page_size: int
    _views: OrderedDict[tuple[str, tuple[int, ...]], tuple[Story, CorpusView] | None] = field(
        default_factory=OrderedDict, init=False, repr=False
    )
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def viewed(self, store: Store, story_id: str) -> tuple[Story, CorpusView] | None:
        """A story's view, kept until the store changes: the page and its two charts need it."""
        key = (story_id, self.reader.version())
        with self._lock:
            if key in self._views:
                self._views.move_to_end(key)
                return self._views[key]
        found = story_view(store, story_id)
        with self._lock:
            self._views[key] = found
            while len(self._views) > KEPT_VIEWS:
                self._views.popitem(last=False)
        return found


def _site(request: Request) -> Site:
    return request.app.state.site


def _reading(request: Request) -> Iterator[Store]:
    """The store, read-only, for one request."""
    try:
        with request.app.state.site.reader.store() as store:
            yield store
    except StoreError as exc:
        raise HTTPException(503, f"the store cannot be read now: {exc}") from exc


def _filters(
    outlet: str | None = None, speaker: str | None = None, since: str | None = None, until: str | None = None
) -> dict[str, str | None]:
    """The story filters of a request. Empty form fields mean no filter; a date that is not
    YYYY-MM-DD is a clear 422."""
    given = {"outlet": outlet, "speaker": speaker, "since": since, "until": until}
    filters = {k: (v.strip() or None) if v else None for k, v in given.items()}
    for key in ("since", "until"):
        value = filters.get(key)
        if value is not None and not is_day(value):
            raise HTTPException(422, f"{key}={value}: expected a date as YYYY-MM-DD")
    return filters


SiteDep = Annotated[Site, Depends(_site)]
StoreDep = Annotated[Store, Depends(_reading)]
PageQuery = Annotated[int, Query(ge=1, le=MAX_PAGE)]
FiltersDep = Annotated[dict[str, str | None], Depends(_filters)]


def page_of_stories(store: Store, filters: dict[str, str | None], page: int, size: int) -> tuple[list, int]:
    ids, total = store.story_list(**filters, limit=size, offset=(page - 1) * size)
    members = store.story_members(ids)
    stories, _ = stories_of(store, [a for s in ids for a in members.get(s, ())])
    order = {story_id: i for i, story_id in enumerate(ids)}
    return sorted((s for s in stories if s.id in order), key=lambda s: order[s.id]), total


def search_results(store: Store, text: str, page: int, size: int) -> dict[str, Any]:
    if not text.split():
        return {"articles": [], "articles_total": 0, "quotes": [], "quotes_total": 0, "entities": []}
    offset = (page - 1) * size
    article_ids, articles_total = store.search_articles(text, limit=size, offset=offset)
    quote_ids, quotes_total = store.search_quotes(text, limit=size, offset=offset)
    shown = sorted({*article_ids, *(hit.article for hit in quote_ids)})
    found = view(store, shown, compared=False, ranked=False)
    by_id = {a.id: a for a in found.articles}
    quotes = {q.id: q for q in found.quotes}
    names = {e.id: e.name for e in found.entities}
    return {
        "articles": [by_id[i] for i in article_ids if i in by_id],
        "articles_total": articles_total,
        "quotes": [
            (quotes[hit.quote], speaker_name(quotes[hit.quote], names), by_id[hit.article])
            for hit in quote_ids
            if hit.quote in quotes and hit.article in by_id
        ],
        "quotes_total": quotes_total,
        "entities": store.search_entities(text, limit=size),
    }
