"""The local web app (``newsprism serve``): the report's views over a live store, with search,
filters, pagination and a JSON API.

The app reads the store through a ``SharedReader``, which lets go of the file whenever a run of
``newsprism analyze`` asks for it (the run, in turn, lets go of it between batches), so a newsroom
ingests while it browses; the app shows what the last committed batch left. Bound anywhere but the loopback
interface, the app asks every request for a token. Pages carry a Content-Security-Policy that lets
no script run at all: scraped text is escaped, and even an escaping bug could not run it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import secrets
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from newsprism.corpus.compare import cue_verb
from newsprism.corpus.view import stories_of, story_view, view
from newsprism.errors import StoreError
from newsprism.output.export import to_document
from newsprism.output.report import (
    TEMPLATES,
    article_page,
    coverage_chart,
    speaker_name,
    story_page,
    timeline_chart,
)
from newsprism.records import CorpusView, Story
from newsprism.store import SharedReader, Store

PAGE_SIZE = 20
# Story views kept in memory until the store changes (a page and its charts read one view).
KEPT_VIEWS = 64
# How long a request waits for a writer (a run committing a batch) to let go of the store.
READ_WAIT_S = 10.0
ROUTES = {"story": "stories", "article": "articles"}
TOKEN_COOKIE = "newsprism_token"
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'
POLICY = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _reading(request: Request) -> Iterator[Store]:
    """The store, read-only, for one request."""
    try:
        with request.app.state.reader.store() as store:
            yield store
    except StoreError as exc:
        raise HTTPException(503, f"the store cannot be read now: {exc}") from exc


StoreDep = Annotated[Store, Depends(_reading)]
PageQuery = Annotated[int, Query(ge=1)]


def create_app(db: Path, *, token: str | None = None, page_size: int = PAGE_SIZE) -> FastAPI:
    """The app over the store at ``db``; with a ``token``, every request must carry it (header
    ``Authorization: Bearer …``, the ``token`` query parameter once, or the cookie that sets)."""
    reader = SharedReader(db, wait_s=READ_WAIT_S)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # lemminflect reads its tables (0.6 s) on the first cue it lemmatizes: not on a reader's page.
        cue_verb("said")
        yield
        reader.close()

    app = FastAPI(
        title="newsprism",
        description="Stories, quotes, entities and coverage of a newsprism store.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.reader = reader

    @app.middleware("http")
    async def guard(request: Request, call_next: Any) -> Response:
        given = None
        if token is not None:
            given = (
                _bearer(request.headers.get("authorization"))
                or request.query_params.get("token")
                or request.cookies.get(TOKEN_COOKIE)
            )
            if given is None or not secrets.compare_digest(given, token):
                return PlainTextResponse("a valid token is required", status_code=401)
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if token is not None and request.query_params.get("token"):
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
        return response

    def render(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = TEMPLATES.get_template(name).render(href=_href, db_name=Path(db).name, **context)
        return HTMLResponse(html, status_code=status_code)

    def missing(kind: str, ident: str) -> HTMLResponse:
        return render("missing.html", status_code=404, kind=kind, ident=ident)

    @app.get("/static/style.css", include_in_schema=False)
    def style() -> Response:
        return Response(TEMPLATES.get_template("style.css").render(), media_type="text/css")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request, store: StoreDep, filters: FiltersDep, page: PageQuery = 1) -> HTMLResponse:
        stories, total = _story_page(store, filters, page, page_size)
        return render(
            "index.html",
            stories=stories,
            total=total,
            filters=filters,
            outlets=store.outlet_list(),
            first_shown=(page - 1) * page_size + 1,
            last_shown=(page - 1) * page_size + len(stories),
            **_paging(request, page, page_size, total),
        )

    views: OrderedDict[tuple[str, tuple[int, ...]], tuple[Story, CorpusView] | None] = OrderedDict()
    views_lock = threading.Lock()

    def viewed(store: Store, story_id: str) -> tuple[Story, CorpusView] | None:
        """A story's view, kept until the store changes: the page and its two charts need it."""
        key = (story_id, reader.version())
        with views_lock:
            if key in views:
                views.move_to_end(key)
                return views[key]
        found = story_view(store, story_id)
        with views_lock:
            views[key] = found
            while len(views) > KEPT_VIEWS:
                views.popitem(last=False)
        return found

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story(story_id: str, store: StoreDep) -> Response:
        found = viewed(store, story_id)
        if found is None:
            return missing("story", story_id)
        if found[0].id != story_id:  # merged into another story since
            return RedirectResponse(f"/stories/{found[0].id}", status_code=301)
        return render("story.html", page=story_page(*found, charts=False))

    @app.get("/stories/{story_id}/{chart}.svg", include_in_schema=False)
    def story_chart(story_id: str, chart: str, store: StoreDep) -> Response:
        found = viewed(store, story_id) if chart in ("timeline", "coverage") else None
        if found is None:
            return PlainTextResponse(f"no {chart} chart of story {story_id}", status_code=404)
        story, shown = found
        page = story_page(story, shown, charts=False)
        if chart == "timeline":
            svg = timeline_chart(page.timeline, page.articles, salt=story.id)
        else:
            svg = coverage_chart(story.facts, page.outlets, salt=story.id)
        return Response(str(svg) or EMPTY_SVG, media_type="image/svg+xml")

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article(article_id: str, store: StoreDep) -> Response:
        found = view(store, [article_id])
        if not found.articles:
            return missing("article", article_id)
        return render("article.html", page=article_page(found.articles[0], found))

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search(request: Request, store: StoreDep, q: str = "", page: PageQuery = 1) -> HTMLResponse:
        found = _search(store, q, page, page_size)
        return render(
            "search.html",
            query=q,
            **found,
            **_paging(request, page, page_size, max(found["articles_total"], found["quotes_total"])),
        )

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return render("api.html", spec=app.openapi())

    @app.get("/api/stories", summary="Stories, latest first, one page at a time")
    def api_stories(store: StoreDep, filters: FiltersDep, page: PageQuery = 1) -> dict[str, Any]:
        """Filters: an outlet, a speaker quoted (any part of the name), publication dates YYYY-MM-DD."""
        stories, total = _story_page(store, filters, page, page_size)
        return {"total": total, "page": page, "stories": [dataclasses.asdict(s) for s in stories]}

    @app.get("/api/stories/{story_id}", summary="One story: the contract's document of its articles")
    def api_story(story_id: str, store: StoreDep) -> Response:
        """Its articles, entities, quotes, facts, summary, coverage, framing, timeline and reuse."""
        found = viewed(store, story_id)
        if found is None:
            return JSONResponse({"detail": f"no story {story_id}"}, status_code=404)
        return JSONResponse(to_document(dataclasses.replace(found[1], stories=(found[0],))))

    @app.get("/api/articles/{article_id}", summary="One article: the contract's document of it")
    def api_article(article_id: str, store: StoreDep) -> Response:
        found = view(store, [article_id])
        if not found.articles:
            return JSONResponse({"detail": f"no article {article_id}"}, status_code=404)
        return JSONResponse(to_document(found))

    @app.get("/api/search", summary="Articles, quotes and entities holding every word of q")
    def api_search(
        store: StoreDep, q: Annotated[str, Query(min_length=1)], page: PageQuery = 1
    ) -> dict[str, Any]:
        found = _search(store, q, page, page_size)
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

    return app


def _filters(
    outlet: str | None = None, speaker: str | None = None, since: str | None = None, until: str | None = None
) -> dict[str, str | None]:
    """The story filters of a request. Empty form fields mean no filter; a date that is not
    YYYY-MM-DD is a clear 422."""
    given = {"outlet": outlet, "speaker": speaker, "since": since, "until": until}
    filters = {k: (v.strip() or None) if v else None for k, v in given.items()}
    for key in ("since", "until"):
        value = filters.get(key)
        if value is not None and not _is_day(value):
            raise HTTPException(422, f"{key}={value}: expected a date as YYYY-MM-DD")
    return filters


FiltersDep = Annotated[dict[str, str | None], Depends(_filters)]


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _story_page(store: Store, filters: dict[str, str | None], page: int, size: int) -> tuple[list, int]:
    ids, total = store.story_list(**filters, limit=size, offset=(page - 1) * size)
    members = store.story_members(ids)
    stories, _ = stories_of(store, [a for s in ids for a in members.get(s, ())])
    order = {story_id: i for i, story_id in enumerate(ids)}
    return sorted((s for s in stories if s.id in order), key=lambda s: order[s.id]), total


def _search(store: Store, text: str, page: int, size: int) -> dict[str, Any]:
    words = text.split()
    if not words:
        return {"articles": [], "articles_total": 0, "quotes": [], "quotes_total": 0, "entities": []}
    offset = (page - 1) * size
    article_ids, articles_total = store.search_articles(words, limit=size, offset=offset)
    quote_ids, quotes_total = store.search_quotes(words, limit=size, offset=offset)
    found = view(store, sorted({*article_ids, *(a for _, a in quote_ids)}), compared=False)
    by_id = {a.id: a for a in found.articles}
    quotes = {q.id: q for q in found.quotes}
    names = {e.id: e.name for e in found.entities}
    return {
        "articles": [by_id[i] for i in article_ids if i in by_id],
        "articles_total": articles_total,
        "quotes": [
            (quotes[q], speaker_name(quotes[q], names), by_id[a])
            for q, a in quote_ids
            if q in quotes and a in by_id
        ],
        "quotes_total": quotes_total,
        "entities": store.search_entities(words, limit=size),
    }


def _paging(request: Request, page: int, size: int, total: int) -> dict[str, str | None]:
    def at(number: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k not in ("page", "token")}
        return f"{request.url.path}?{urlencode({**params, 'page': number})}"

    return {
        "previous_page": at(page - 1) if page > 1 else None,
        "next_page": at(page + 1) if page * size < total else None,
    }


def _href(kind: str, ident: str) -> str:
    return f"/{ROUTES[kind]}/{quote(ident, safe='')}"


def _bearer(header: str | None) -> str | None:
    if header and header.lower().startswith("bearer "):
        return header[7:].strip()
    return None
