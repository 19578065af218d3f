"""The HTML pages: the report's views (stories, a story with its charts, an article, search) over
the live store, and the API's documentation."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from newsprism.corpus.search import query_refusal
from newsprism.corpus.view import storyline_view, view
from newsprism.output.report import (
    TEMPLATES,
    StorylinePage,
    article_page,
    coverage_chart,
    story_page,
    storyline_page,
    timeline_chart,
)
from newsprism.output.web.reading import (
    FiltersDep,
    PageQuery,
    Site,
    SiteDep,
    StoreDep,
    page_of_stories,
    search_results,
)
from newsprism.store import Store

# How many key dates a storyline page may be asked for (its default is the storyline's own).
DatesQuery = Annotated[int | None, Query(ge=1, le=1000)]
ROUTES = {"story": "stories", "storyline": "storylines", "article": "articles"}
EMPTY_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'

router = APIRouter()


def _render(site: Site, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = TEMPLATES.get_template(name).render(href=_href, db_name=site.db_name, **context)
    return HTMLResponse(html, status_code=status_code)


def _missing(site: Site, kind: str, ident: str) -> HTMLResponse:
    return _render(site, "missing.html", status_code=404, kind=kind, ident=ident)


@router.get("/static/style.css", include_in_schema=False)
def style() -> Response:
    return Response(TEMPLATES.get_template("style.css").render(), media_type="text/css")


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def index(
    request: Request, site: SiteDep, store: StoreDep, filters: FiltersDep, page: PageQuery = 1
) -> HTMLResponse:
    stories, total = page_of_stories(store, filters, page, site.page_size)
    return _render(
        site,
        "index.html",
        stories=stories,
        total=total,
        filters=filters,
        outlets=store.outlet_list(),
        first_shown=(page - 1) * site.page_size + 1,
        last_shown=(page - 1) * site.page_size + len(stories),
        **_paging(request, page, site.page_size, total),
    )


@router.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
def story(story_id: str, site: SiteDep, store: StoreDep) -> Response:
    found = site.viewed(store, story_id)
    if found is None:
        return _missing(site, "story", story_id)
    if found[0].id != story_id:  # merged into another story since
        return RedirectResponse(f"/stories/{found[0].id}", status_code=301)
    return _render(site, "story.html", page=story_page(*found, charts=False))


@router.get("/stories/{story_id}/{chart}.svg", include_in_schema=False)
def story_chart(story_id: str, chart: str, site: SiteDep, store: StoreDep) -> Response:
    found = site.viewed(store, story_id) if chart in ("timeline", "coverage") else None
    if found is None:
        return PlainTextResponse(f"no {chart} chart of story {story_id}", status_code=404)
    story, shown = found
    page = story_page(story, shown, charts=False)
    if chart == "timeline":
        svg = timeline_chart(page.timeline, page.articles, salt=story.id)
    else:
        svg = coverage_chart(story.facts, page.outlets, salt=story.id)
    return Response(str(svg) or EMPTY_SVG, media_type="image/svg+xml")


@router.get("/storylines/{storyline_id}", response_class=HTMLResponse, include_in_schema=False)
def storyline(storyline_id: str, site: SiteDep, store: StoreDep, dates: DatesQuery = None) -> Response:
    page = _storyline_page(store, storyline_id, dates, charts=False)
    if page is None:
        return _missing(site, "storyline", storyline_id)
    if page.storyline.id != storyline_id:  # folded into another storyline since
        return RedirectResponse(f"/storylines/{page.storyline.id}", status_code=301)
    return _render(site, "storyline.html", page=page)


@router.get("/storylines/{storyline_id}/timeline.svg", include_in_schema=False)
def storyline_chart(storyline_id: str, store: StoreDep, dates: DatesQuery = None) -> Response:
    page = _storyline_page(store, storyline_id, dates, charts=True)
    if page is None:
        return PlainTextResponse(f"no timeline chart of storyline {storyline_id}", status_code=404)
    return Response(str(page.chart) or EMPTY_SVG, media_type="image/svg+xml")


def _storyline_page(
    store: Store, storyline_id: str, dates: int | None, *, charts: bool
) -> StorylinePage | None:
    found = storyline_view(store, storyline_id)
    if found is None:
        return None
    timeline, shown = found
    line = next(line for line in shown.storylines if line.id == timeline.storyline)
    return storyline_page(line, shown, dates=dates, charts=charts)


@router.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
def article(article_id: str, site: SiteDep, store: StoreDep) -> Response:
    found = view(store, [article_id])
    if not found.articles:
        return _missing(site, "article", article_id)
    return _render(site, "article.html", page=article_page(found.articles[0], found))


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search(
    request: Request, site: SiteDep, store: StoreDep, q: str = "", page: PageQuery = 1
) -> HTMLResponse:
    if (refused := query_refusal(q)) is not None:
        return _render(site, "search.html", status_code=422, query=q, refused=refused)
    found = search_results(store, q, page, site.page_size)
    return _render(
        site,
        "search.html",
        query=q,
        refused=None,
        **found,
        **_paging(request, page, site.page_size, max(found["articles_total"], found["quotes_total"])),
    )


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def docs(request: Request, site: SiteDep) -> HTMLResponse:
    return _render(site, "api.html", spec=request.app.openapi())


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
