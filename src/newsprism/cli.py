"""The ``newsprism`` command: parse arguments, call the library, show progress and a summary."""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from newsprism.article.fetch import client, feed_links, fetch, page_record, save_feed, save_pages
from newsprism.corpus.search import query_refusal, search, search_quotes
from newsprism.corpus.stream import StreamedView
from newsprism.corpus.summary import SUMMARY_WORDS, summarize
from newsprism.corpus.view import stories_of, story_view, storyline_overviews, storyline_view, view
from newsprism.errors import InputError, NewsprismError
from newsprism.options import Options
from newsprism.output.export import DocumentSource, write_document, write_tables
from newsprism.output.terminal import (
    print_article_hits,
    print_entity_hits,
    print_quote_hits,
    print_stories,
    print_story,
    print_storylines,
    print_timeline,
    shown,
    terminal,
)
from newsprism.pipeline import RunReport, analyze, read_articles, reading_store
from newsprism.records import CorpusView, to_json
from newsprism.store import Store, is_server_address, open_store, store_address
from newsprism.store.copying import copy_store
from newsprism.text import is_day

app = typer.Typer(
    help="Turn raw news articles from many outlets into stories, quotes, entities and dates.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True, emoji=False)


class Engine(enum.StrEnum):
    local = "local"
    dask = "dask"


DbOption = Annotated[
    Path,
    typer.Option(
        "--db", help="DuckDB file (or postgresql://user@host/database address) keeping inputs and results."
    ),
]
DbMemoryOption = Annotated[
    str,
    typer.Option("--db-memory", help="DuckDB's memory limit (1GB, 512MB, ...); past it, it spills to disk."),
]
DbThreadsOption = Annotated[
    int, typer.Option("--db-threads", min=0, help="DuckDB's threads; 0 follows --workers (or the cores).")
]
JsonOption = Annotated[Path | None, typer.Option("--json", help="Write the export (CONTRACT.md) here.")]
ReportOption = Annotated[
    Path | None, typer.Option("--report", help="Write a self-contained HTML report of the stories here.")
]


class Format(enum.StrEnum):
    json = "json"
    csv = "csv"
    parquet = "parquet"


class _Bars:
    """Adapts a Rich progress display to the pipeline's progress protocol: one bar per task."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.tasks: dict[str, TaskID] = {}

    def start(self, task: str, total: int | None) -> None:
        if task not in self.tasks:
            self.tasks[task] = self.progress.add_task(task, total=total)

    def advance(self, task: str, steps: int = 1) -> None:
        self.progress.advance(self.tasks[task], steps)


class _RateColumn(ProgressColumn):
    """Items a second, once there is a rate to show."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:6.1f}/s" if speed else "       ", style="progress.data.speed")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


@app.command("analyze")
def analyze_command(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (walked recursively).")],
    json_out: JsonOption = None,
    report_out: ReportOption = None,
    db: DbOption = Path("newsprism.duckdb"),
    workers: Annotated[int, typer.Option(help="Worker processes; 0 means one per core.")] = 0,
    engine: Annotated[Engine, typer.Option(help="Where article-level stages run.")] = Engine.local,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler to join, tcp://HOST:PORT.")] = None,
    db_memory: DbMemoryOption = Options.db_memory,
    db_threads: DbThreadsOption = 0,
) -> None:
    """Read, clean, understand and store articles into the corpus; optionally export them as JSON
    and as an HTML report.

    Example: newsprism analyze examples/ --db news.duckdb --json out.json --report report.html
    """
    if scheduler is not None and engine is not Engine.dask:
        _fail("--scheduler needs --engine dask")
    options = Options(
        workers=workers, engine=engine.value, scheduler=scheduler, db_memory=db_memory, db_threads=db_threads
    )
    _check_export_folder(json_out)
    _check_export_folder(report_out)
    try:
        with open_store(db, **options.store_settings()) as store:
            with _progress() as bar:
                report = analyze(paths, store, options, _Bars(bar))
            if json_out is not None:
                _write_export(json_out, StreamedView(store, report.ids))
            if report_out is not None:
                _write_report(report_out, view(store, report.ids))
    except NewsprismError as exc:
        _fail(str(exc))
    _summary(report, json_out, report_out)
    if report.failed:
        raise typer.Exit(1)


@app.command("export")
def export_command(
    json_out: JsonOption = None,
    format: Annotated[  # noqa: A002
        Format, typer.Option("--format", help="json: one file (CONTRACT.md); csv, parquet: one file a table.")
    ] = Format.json,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="The JSON file, or the folder for csv and parquet tables."),
    ] = None,
    db: DbOption = Path("newsprism.duckdb"),
    outlet: Annotated[str | None, typer.Option(help="Only this outlet's articles.")] = None,
    since: Annotated[str | None, typer.Option(help="Published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published on or before YYYY-MM-DD.")] = None,
    source: Annotated[str | None, typer.Option(help="Input paths matching this glob.")] = None,
    db_memory: DbMemoryOption = Options.db_memory,
    db_threads: DbThreadsOption = 0,
) -> None:
    """Export the whole corpus in the store, or a selection of it: the JSON of CONTRACT.md, or tables
    (articles, quotes with their outlet, facts × outlets, entities, stories) as CSV or Parquet.

    Examples: newsprism export --db news.duckdb --json all.json;
    newsprism export --db news.duckdb --format csv --out tables/ --outlet Reuters
    """
    if format is Format.json:
        target = json_out or out
        if target is None:
            _fail("--json OUT.json (or --out OUT.json) is required")
        _check_export_folder(target)
    else:
        if out is None:
            _fail(f"--out FOLDER is required for --format {format.value}")
        target = out
    _check_dates(since, until)
    with _stored_corpus(db, Options(db_memory=db_memory, db_threads=db_threads)) as store:
        ids = store.select(outlet=outlet, since=since, until=until, source=source)
        if format is Format.json:
            _write_export(target, StreamedView(store, ids))
        else:
            try:
                written = write_tables(StreamedView(store, ids), target, format.value)
            except NewsprismError as exc:
                _fail(str(exc))
            target = f"{target} ({', '.join(p.name for p in written)})"
    console.print(f"{len(ids)} article(s) exported to {shown(target)}")


@app.command("stories")
def stories_command(
    db: DbOption = Path("newsprism.duckdb"),
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the stories as JSON here instead of a table.")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories this outlet reported.")] = None,
    since: Annotated[str | None, typer.Option(help="Articles published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Articles published on or before YYYY-MM-DD.")] = None,
) -> None:
    """List the stories in the store: id, title, articles, outlets, date span and storyline.

    Examples: newsprism stories --db news.duckdb --outlet Reuters --since 2016-10-01;
    newsprism stories --db news.duckdb --json stories.json
    """
    _check_dates(since, until)
    _check_export_folder(json_out)
    with _stored_corpus(db) as store:
        stories, storylines = stories_of(store, store.select(outlet=outlet, since=since, until=until))
    if json_out is not None:
        document = {
            "stories": [to_json(s) for s in stories],
            "storylines": [to_json(s) for s in storylines],
        }
        try:
            json_out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            _fail(f"{json_out}: cannot write: {exc.strerror or exc}")
        console.print(f"{len(stories)} stories written to {shown(json_out)}")
        return
    print_stories(stories, storylines)


@app.command("storylines")
def storylines_command(
    db: DbOption = Path("newsprism.duckdb"),
    outlet: Annotated[str | None, typer.Option(help="Only storylines this outlet reported.")] = None,
    since: Annotated[str | None, typer.Option(help="Articles published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Articles published on or before YYYY-MM-DD.")] = None,
) -> None:
    """List the storylines in the store: id, title, date span, stories, articles, the people and
    organisations most of its articles name, and outlets.

    Example: newsprism storylines --db news.duckdb --since 2011-02-01
    """
    _check_dates(since, until)
    with _stored_corpus(db) as store:
        overviews = storyline_overviews(store, store.select(outlet=outlet, since=since, until=until))
    print_storylines(overviews)


@app.command("timeline")
def timeline_command(
    storyline_id: Annotated[str, typer.Argument(help="A storyline id, as `newsprism storylines` lists it.")],
    db: DbOption = Path("newsprism.duckdb"),
    dates: Annotated[
        int | None,
        typer.Option(min=1, help="How many of the most important dates (default: by the storyline's span)."),
    ] = None,
) -> None:
    """A storyline's key dates, ranked by importance and shown in date order, each with the sentence
    that tells it and the outlets dating something to it.

    Example: newsprism timeline l071f4b3a1023 --db news.duckdb --dates 20
    """
    with _stored_corpus(db) as store:
        found = storyline_view(store, storyline_id)
    if found is None:
        _fail(f"{storyline_id}: no such storyline in {db}")
    print_timeline(*found, dates)


@app.command("copy")
def copy_command(
    source: Annotated[
        Path, typer.Option("--from", help="The store to copy: a DuckDB file or a postgresql:// address.")
    ],
    target: Annotated[Path, typer.Option("--to", help="A new store to copy it into (or an empty database).")],
) -> None:
    """Move a whole store to another backend, or another place: every article, entity, story and
    merge record, ids included; the source stays as it was.

    Examples: newsprism copy --from news.duckdb --to postgresql://user@dbhost/newsroom;
    newsprism copy --from postgresql://user@dbhost/newsroom --to backup.duckdb
    """
    with _stored_corpus(source) as reading:
        try:
            with open_store(target) as writing:
                copied = copy_store(reading, writing)
        except NewsprismError as exc:
            _fail(str(exc))
    console.print(
        f"copied {copied['articles']} articles and {copied['clusters']} stories and storylines "
        f"to {shown(store_address(target))}"
    )


@contextmanager
def _stored_corpus(db: Path, options: Options | None = None) -> Iterator[Store]:
    """An existing store, current and read-only; a failure is an error line, not a traceback."""
    try:
        with reading_store(db, options) as store:
            yield store
    except NewsprismError as exc:
        _fail(str(exc))


def _check_dates(since: str | None, until: str | None) -> None:
    for name, value in (("--since", since), ("--until", until)):
        if value is not None and not is_day(value):
            _fail(f"{name} {value}: expected a date as YYYY-MM-DD")


def _check_export_folder(json_out: Path | None) -> None:
    if json_out is not None and not json_out.parent.is_dir():
        _fail(f"{json_out}: the folder for the export does not exist")


def _write_export(json_out: Path, source: DocumentSource) -> None:
    try:
        write_document(source, json_out)
    except OSError as exc:
        _fail(f"{json_out}: cannot write the export: {exc.strerror or exc}")


def _write_report(out: Path, corpus: CorpusView, title: str = "newsprism report") -> None:
    # Imported where used: the report's plotting (matplotlib) and the web app's framework are a
    # third of the CLI's start-up, which every other command would pay.
    from newsprism.output.report import render_report

    try:
        out.write_text(render_report(corpus, title=title), encoding="utf-8")
    except OSError as exc:
        _fail(f"{out}: cannot write the report: {exc.strerror or exc}")


def _fail(message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {shown(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_failure(failure: InputError) -> None:
    console.print(f"[red]failed:[/red] {shown(failure)}", highlight=False, soft_wrap=True)


def _summary(report: RunReport, json_out: Path | None, report_out: Path | None) -> None:
    for failure in report.failed:
        _print_failure(failure)
    table = Table(title="newsprism analyze", show_header=True)
    for column in ("files read", "articles", "stored (new)", "unchanged", "failed"):
        table.add_column(column, justify="right")
    table.add_row(
        str(report.files),
        str(report.articles),
        str(report.new),
        str(report.unchanged),
        str(len(report.failed)),
    )
    console.print(table)
    if json_out is not None:
        console.print(f"export written to {shown(json_out)}")
    if report_out is not None:
        console.print(f"report written to {shown(report_out)}")


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words all in a hit; "quoted words" as a phrase.')],
    db: DbOption = Path("newsprism.duckdb"),
    outlet: Annotated[str | None, typer.Option(help="Only articles (and quotes) of this outlet.")] = None,
    since: Annotated[str | None, typer.Option(help="Articles published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Articles published on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many hits to show of each kind.")] = 20,
    quotes: Annotated[bool, typer.Option("--quotes", help="Search the quotes and their speakers.")] = False,
    entities: Annotated[bool, typer.Option("--entities", help="Search the entities' names.")] = False,
) -> None:
    """The stored articles that best match QUERY, best first, each with its best paragraph; with
    --quotes or --entities, the quotes or the entities (by any spelling) instead, or both.

    Examples: newsprism search "Kessling Bridge" --db news.duckdb;
    newsprism search '"said on Monday"' --db news.duckdb --outlet Reuters --since 2016-10-01;
    newsprism search "port strike" --quotes --entities --db news.duckdb
    """
    _check_dates(since, until)
    if (refused := query_refusal(query)) is not None:
        _fail(refused)
    filters = {"outlet": outlet, "since": since, "until": until, "limit": limit}
    with _stored_corpus(db) as store:
        if not (quotes or entities):
            hits, total = search(store, query, **filters)
            print_article_hits(hits)
            console.print(f"{len(hits)} of {total} matching article(s)")
        if quotes:
            found, total = search_quotes(store, query, **filters)
            print_quote_hits(found)
            console.print(f"{len(found)} of {total} matching quote(s)")
        if entities:
            named = store.search_entities(query, limit=limit)
            print_entity_hits(named)
            console.print(f"{len(named)} matching entit{'y' if len(named) == 1 else 'ies'}")


@app.command("story")
def story_command(
    story_id: Annotated[str, typer.Argument(help="A story id, as `newsprism stories` lists it.")],
    db: DbOption = Path("newsprism.duckdb"),
    facts: Annotated[int, typer.Option(min=1, help="How many facts the coverage table shows.")] = 15,
) -> None:
    """One story in the terminal: its summary, timeline, and which outlet carries which fact.

    Example: newsprism story s071f4b3a1023 --db news.duckdb --facts 25
    """
    with _stored_corpus(db) as store:
        found = story_view(store, story_id)
    if found is None:
        _fail(f"{story_id}: no such story in {db}")
    story, view_of_story = found
    print_story(story, view_of_story, facts)


@app.command("report")
def report_command(
    db: DbOption = Path("newsprism.duckdb"),
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("report.html"),
    story: Annotated[
        str | None, typer.Option(help="Only this story (an id from `newsprism stories`).")
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet's articles.")] = None,
    since: Annotated[str | None, typer.Option(help="Articles published on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Articles published on or before YYYY-MM-DD.")] = None,
) -> None:
    """Write one self-contained HTML file (it opens offline) showing the stories in the store: cited
    summaries, timelines, outlet × fact coverage, quotes and their framing, reuse, and every article.

    Examples: newsprism report --db news.duckdb -o report.html;
    newsprism report --db news.duckdb --story s071f4b3a1023 -o story.html
    """
    _check_dates(since, until)
    _check_export_folder(out)
    with _stored_corpus(db) as store:
        if story is not None:
            found = story_view(store, story)
            if found is None:
                _fail(f"{story}: no such story in {db}; `newsprism stories --db {db}` lists them")
            reported = dataclasses.replace(found[1], stories=(found[0],))
            title = found[0].title or story
        else:
            reported = view(store, store.select(outlet=outlet, since=since, until=until))
            title = f"newsprism report: {db.name}"
    _write_report(out, reported, title)
    console.print(
        f"report of {len(reported.stories)} stories, {len(reported.articles)} articles "
        f"written to {shown(out)}"
    )


@app.command("serve")
def serve_command(
    db: DbOption = Path("newsprism.duckdb"),
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback needs --token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="NEWSPRISM_TOKEN", help="Every request must carry it (Bearer header or ?token=)."
        ),
    ] = None,
    db_memory: DbMemoryOption = Options.db_memory,
    db_threads: Annotated[
        int, typer.Option("--db-threads", min=0, help="DuckDB's threads; 0: one (requests run in parallel).")
    ] = 0,
) -> None:
    """Browse the stories of a store in a web browser, while `newsprism analyze` keeps adding to it.

    Examples: newsprism serve --db news.duckdb, then open http://127.0.0.1:8000;
    NEWSPRISM_TOKEN=s3cret newsprism serve --db news.duckdb --host 0.0.0.0
    """
    import uvicorn

    from newsprism.output.web import create_app
    from newsprism.output.web.auth import is_loopback

    if not is_server_address(db) and not db.is_file():
        _fail(f"{db}: no such database; `newsprism analyze PATH --db {db}` makes one")
    if not is_loopback(host) and not token:
        _fail(f"binding {host} opens the store to the network: give --token or set NEWSPRISM_TOKEN")
    options = Options(db_memory=db_memory, db_threads=db_threads)
    with _stored_corpus(db, options):
        pass  # a file that is no store, or a damaged one, is refused now, not at every request
    console.print(f"serving {shown(db)} on {shown(f'http://{host}:{port}')} (Ctrl+C stops)")
    web = create_app(db, token=token, host=host, options=options)
    uvicorn.run(web, host=host, port=port, log_level="warning")


@app.command("summarize")
def summarize_command(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of articles, taken as one story.")],
    words: Annotated[int, typer.Option(min=10, help="Word budget of the summary.")] = SUMMARY_WORDS,
    json_out: JsonOption = None,
) -> None:
    """Summarize the given articles as one story: sentences quoted from them, each citing its articles.

    Example: newsprism summarize today/bridge/ --words 80 --json summary.json
    """
    _check_export_folder(json_out)
    articles, errors = read_articles([str(p) for p in paths], Options())
    for error in errors:
        _print_failure(error)
    summary = summarize(articles, words)
    if json_out is not None:
        document = {"summary": [{"text": s.text, "articles": list(s.articles)} for s in summary]}
        try:
            json_out.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            _fail(f"{json_out}: cannot write: {exc.strerror or exc}")
    sources = {a.id: a.outlet or a.source for a in articles}
    for sentence in summary:
        cited = ", ".join(sorted({sources[a] for a in sentence.articles}))
        terminal().print(f"{shown(sentence.text)} [dim]({shown(cited)})[/dim]", highlight=False)
    if errors:
        raise typer.Exit(1)


@app.command("fetch")
def fetch_command(
    urls: Annotated[list[str] | None, typer.Argument(help="Article page URLs.")] = None,
    feed: Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL (repeatable).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the downloads.")] = Path("fetched"),
    follow: Annotated[bool, typer.Option(help="Also fetch the full page of every feed entry.")] = False,
    timeout: Annotated[
        float, typer.Option(help="Seconds a download may take in all, redirects included.")
    ] = 20.0,
    allow_private: Annotated[
        bool,
        typer.Option(
            "--allow-private", help="Also fetch from loopback, private, link-local and reserved addresses."
        ),
    ] = False,
) -> None:
    """Download pages and feeds into a folder that `newsprism analyze` reads.

    Examples: newsprism fetch https://example.org/news/1 --out fetched/;
    newsprism fetch --feed https://example.org/rss.xml --follow --out fetched/
    """
    options = Options(fetch_timeout_s=timeout, fetch_allow_private=allow_private)
    failed: list[InputError] = []
    records = []
    with client(options) as http:
        page_urls = list(urls or [])
        for url in feed or []:
            try:
                download = fetch(url, http, options)
                console.print(f"feed saved to {shown(save_feed(download, out))}")
                if follow:
                    page_urls.extend(feed_links(download))
            except InputError as exc:
                failed.append(exc)
            except OSError as exc:
                _fail(f"{out}: cannot save the downloads: {exc.strerror or exc}")
        for url in page_urls:
            try:
                records.append(page_record(fetch(url, http, options)))
            except InputError as exc:
                failed.append(exc)
    try:
        if records:
            path, unreadable = save_pages(records, out, options)
            console.print(f"{len(records)} page(s) saved to {shown(path)}")
            failed.extend(unreadable)
    except OSError as exc:
        _fail(f"{out}: cannot save the downloads: {exc.strerror or exc}")
    for failure in failed:
        _print_failure(failure)
    if failed:
        raise typer.Exit(1)
