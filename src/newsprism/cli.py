"""The ``newsprism`` command: parse arguments, call the library, show progress and a summary."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from newsprism.errors import InputError, NewsprismError
from newsprism.export import to_document
from newsprism.fetch import client, feed_links, fetch, page_record, save_feed, save_pages
from newsprism.options import Options
from newsprism.pipeline import RunReport, analyze
from newsprism.store import Store

app = typer.Typer(
    help="Turn raw news articles from many outlets into stories, quotes, entities and dates.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB file that keeps inputs and results.")]


class _Bar:
    """Adapts a Rich progress display to the pipeline's progress protocol."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.task = None

    def stage(self, name: str, total: int) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=self.progress.tasks[self.task].total)
        self.task = self.progress.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        self.progress.advance(self.task, steps)


@app.command("analyze")
def analyze_command(
    paths: Annotated[list[str], typer.Argument(help="Files or directories (walked recursively).")],
    json_out: Annotated[Path | None, typer.Option("--json", help="Write the analysis export here.")] = None,
    db: DbOption = Path("newsprism.duckdb"),
    workers: Annotated[int, typer.Option(help="Worker processes; 0 means one per core.")] = 0,
) -> None:
    """Read, clean, understand and store articles; optionally export them as JSON."""
    options = Options(workers=workers)
    if json_out is not None and not json_out.parent.is_dir():
        _fail(f"{json_out}: the folder for the export does not exist")
    try:
        with (
            Store(db) as store,
            Progress(
                TextColumn("{task.description:<18}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            ) as bar,
        ):
            report = analyze(paths, store, options, _Bar(bar))
    except NewsprismError as exc:
        _fail(str(exc))
    if json_out is not None and report.corpus is not None:
        try:
            json_out.write_text(
                json.dumps(to_document(report.corpus), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        except OSError as exc:
            _fail(f"{json_out}: cannot write the export: {exc.strerror or exc}")
    _summary(report, json_out)
    if report.failed:
        raise typer.Exit(1)


def _fail(message: str) -> NoReturn:
    console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _summary(report: RunReport, json_out: Path | None) -> None:
    for failure in report.failed:
        console.print(f"[red]failed:[/red] {failure}", highlight=False, soft_wrap=True)
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
        console.print(f"export written to {json_out}")


@app.command("fetch")
def fetch_command(
    urls: Annotated[list[str] | None, typer.Argument(help="Article page URLs.")] = None,
    feed: Annotated[list[str] | None, typer.Option("--feed", help="RSS/Atom feed URL (repeatable).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the downloads.")] = Path("fetched"),
    follow: Annotated[bool, typer.Option(help="Also fetch the full page of every feed entry.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds before a download is abandoned.")] = 20.0,
) -> None:
    """Download pages and feeds into a folder that `newsprism analyze` reads."""
    options = Options(fetch_timeout_s=timeout)
    failed: list[InputError] = []
    records = []
    with client(options) as http:
        page_urls = list(urls or [])
        for url in feed or []:
            try:
                download = fetch(url, http, options)
                console.print(f"feed saved to {save_feed(download, out)}")
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
            console.print(f"{len(records)} page(s) saved to {save_pages(records, out)}")
    except OSError as exc:
        _fail(f"{out}: cannot save the downloads: {exc.strerror or exc}")
    for failure in failed:
        console.print(f"[red]failed:[/red] {failure}", highlight=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)
