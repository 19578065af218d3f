"""The JSON API: stories a page at a time, one story's or article's document (the contract's, as
``newsprism export`` writes it), and search."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse, Response

from newsprism.corpus.search import query_refusal
from newsprism.corpus.view import view
from newsprism.output.export import to_document
from newsprism.output.web.reading import (
    FiltersDep,
    PageQuery,
    SiteDep,
    StoreDep,
    page_of_stories,
    search_results,
)
from newsprism.records import to_json

router = APIRouter()


@router.get("/api/stories", summary="Stories, latest first, one page at a time")
def api_stories(site: SiteDep, store: StoreDep, filters: FiltersDep, page: PageQuery = 1) -> dict[str, Any]:
    """Filters: an outlet, a speaker quoted (any part of the name), publication dates YYYY-MM-DD."""
    stories, total = page_of_stories(store, filters, page, site.page_size)
    return {"total": total, "page": page, "stories": [to_json(s) for s in stories]}


@router.get("/api/stories/{story_id}", summary="One story: the contract's document of its articles")
def api_story(story_id: str, site: SiteDep, store: StoreDep) -> Response:
    """Its articles, entities, quotes, facts, summary, coverage, framing, timeline and reuse."""
    found = site.viewed(store, story_id)
    if found is None:
        return JSONResponse({"detail": f"no story {story_id}"}, status_code=404)
    return JSONResponse(to_document(dataclasses.replace(found[1], stories=(found[0],))))


@router.get("/api/articles/{article_id}", summary="One article: the contract's document of it")
def api_article(article_id: str, store: StoreDep) -> Response:
    found = view(store, [article_id])
    if not found.articles:
        return JSONResponse({"detail": f"no article {article_id}"}, status_code=404)
    return JSONResponse(to_document(found))


@router.get("/api/search", summary="Articles, quotes and entities holding every word of q")
def api_search(
    site: SiteDep, store: StoreDep, q: Annotated[str, Query(min_length=1)], page: PageQuery = 1
) -> dict[str, Any]:
    """At most 32 words and 500 characters. Articles, quotes and entities come best first, each
    holding every word (by its stem) and every "quoted phrase" word for word; an entity by its name
    or any spelling of it."""
    if (refused := query_refusal(q)) is not None:
        raise HTTPException(422, refused)
    found = search_results(store, q, page, site.page_size)
    return {
        "articles": [
            {"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published}
            for a in found["articles"]
        ],
        "articles_total": found["articles_total"],
        "quotes": [
            {"id": q.id, "article": q.article, "text": q.text, "speaker": speaker, "outlet": a.outlet}
            for q, speaker, a in found["quotes"]
        ],
        "quotes_total": found["quotes_total"],
        "entities": [
            {"id": i, "name": name, "type": kind, "mentions": n} for i, name, kind, n in found["entities"]
        ],
    }
