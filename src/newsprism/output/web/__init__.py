"""The local web app (``newsprism serve``): the report's views over a live store, with search,
filters, pagination and a JSON API.

The app reads the store through a ``SharedReader``, which lets go of the file whenever a run of
``newsprism analyze`` asks for it (the run, in turn, lets go of it between batches), so a newsroom
ingests while it browses (a PostgreSQL store's reader, ``shared_reader``, never needs to); the
app shows what the last committed batch left. Bound anywhere but the loopback interface, the app
asks every request for a token; without one, it answers only requests naming a loopback host
(``auth``). Pages carry a Content-Security-Policy that lets no script run at all: scraped text
is escaped, and even an escaping bug could not run it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from newsprism.corpus.compare import cue_verb
from newsprism.options import Options
from newsprism.output.web import api, pages
from newsprism.output.web.auth import guard, trusted_hosts
from newsprism.output.web.reading import Site
from newsprism.store import shared_reader, store_address

PAGE_SIZE = 20
# How long a request waits for a writer (a run committing a batch) to let go of the store.
READ_WAIT_S = 10.0


def create_app(
    db: Path | str,
    *,
    token: str | None = None,
    host: str = "127.0.0.1",
    page_size: int = PAGE_SIZE,
    options: Options | None = None,
) -> FastAPI:
    """The app over the store at ``db``, served at ``host``; with a ``token``, every request must
    carry it (header ``Authorization: Bearer …``, the ``token`` query parameter once, or the cookie
    that sets), without one a request must name a loopback host or ``host``. The database keeps to
    ``options``' memory limit, and to its threads where they are given (one otherwise)."""
    options = options or Options()
    reader = shared_reader(
        db, wait_s=READ_WAIT_S, memory_limit=options.db_memory, threads=options.db_threads or 1
    )

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
    app.state.site = Site(reader, store_address(db).rsplit("/", 1)[-1], page_size)
    if token is None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=trusted_hosts(host))
    app.middleware("http")(guard(token))  # added last, it runs first: its headers go on every answer
    app.include_router(pages.router)
    app.include_router(api.router)
    return app
