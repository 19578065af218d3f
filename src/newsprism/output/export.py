"""The JSON document of ``../shared/eval/CONTRACT.md``: what ``newsprism analyze --json`` and
``newsprism export`` write, for any view of the corpus.

Beside the contract's fields: ``storylines`` (each with its stories in time order), a story's
``coverage`` (for each outlet, the facts it carries), ``disputes`` (a fact two outlets tell
with other numbers or dates, or one negating it: the two sentences and what differs),
``framing`` (for each outlet and speaker, quotes, quoted words, reporting verbs and their stance)
and ``first``/``last``/``outlets``, the span a fact, summary sentence or timeline entry was quoted
from, and each timeline entry's story; ``storyline_timelines``, each storyline's days ranked by
importance (``score``, ``rank``) with how many a reader is shown (``shown``).
Extra fields beyond the contract (evidence, credits, spans) are added, never renamed.

``write_document`` writes the document one record at a time, from a view in hand or one read from
the store in chunks (``corpus.stream.StreamedView``); ``to_document`` collects the same records.

``to_tables`` and ``write_tables`` give the same view as flat tables (articles, quotes, a facts ×
outlets matrix, entities, stories), written as CSV or Parquet files, from either source as well.
"""

from __future__ import annotations

import csv
import itertools
import json
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import numpy

from newsprism.errors import NewsprismError
from newsprism.records import (
    Article,
    CorpusView,
    Entity,
    EntityRelation,
    Quote,
    ReuseLink,
    Story,
    Storyline,
    StorylineTimeline,
    TimelineEntry,
    TimeRef,
    Unit,
    to_json,
)
from newsprism.text import words


class DocumentSource(Protocol):
    """What the document is written from: a ``CorpusView`` in hand (``viewed``), or a
    ``StreamedView`` that reads the store a chunk at a time while the sections are written."""

    @property
    def articles(self) -> Iterable[Article]: ...
    @property
    def entities(self) -> Iterable[Entity]: ...
    @property
    def relations(self) -> Iterable[EntityRelation]: ...
    @property
    def quotes(self) -> Iterable[Quote]: ...
    @property
    def times(self) -> Iterable[TimeRef]: ...
    @property
    def stories(self) -> Iterable[Story]: ...
    @property
    def storylines(self) -> Iterable[Storyline]: ...
    @property
    def timeline(self) -> Iterable[TimelineEntry]: ...
    @property
    def storyline_timelines(self) -> Iterable[StorylineTimeline]: ...
    @property
    def reuse(self) -> Iterable[ReuseLink]: ...


@dataclass(frozen=True)
class _Viewed:
    corpus: CorpusView

    def __getattr__(self, name: str) -> Any:
        return getattr(self.corpus, name)

    @property
    def times(self) -> Iterator[TimeRef]:
        return (t for a in self.corpus.articles for t in self.corpus.annotations[a.id].times)


def viewed(corpus: CorpusView) -> DocumentSource:
    """A view in hand as the source of a document."""
    return _Viewed(corpus)


def sections(source: DocumentSource) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """The document's top-level fields in order, each as its records one at a time: a section is
    read from the source only when it is reached."""
    yield "articles", map(_article, source.articles)
    yield "entities", map(_entity, source.entities)
    yield "relations", map(_relation, source.relations)
    yield "quotes", map(_quote, source.quotes)
    yield "times", map(_time, source.times)
    yield "stories", map(_story, source.stories)
    yield "storylines", map(_storyline, source.storylines)
    yield "timeline", map(_timeline_entry, source.timeline)
    yield "storyline_timelines", map(_storyline_timeline, source.storyline_timelines)
    yield "reuse", map(_reuse, source.reuse)


def to_document(source: CorpusView | DocumentSource) -> dict[str, Any]:
    """The whole document in memory (for tests and the Python API): ``write_document``'s records."""
    if isinstance(source, CorpusView):
        source = viewed(source)
    return {name: list(records) for name, records in sections(source)}


def write_document(source: DocumentSource, path: Path) -> None:
    """The document written to ``path`` one record at a time, as ``json.dumps(to_document(source),
    ensure_ascii=False, indent=1)`` would write it whole. It goes to a file beside ``path`` first,
    which replaces ``path`` once complete: a failed export leaves no half document behind."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8") as out:
            for piece in _json_pieces(source):
                out.write(piece)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def _json_pieces(source: DocumentSource) -> Iterator[str]:
    # A record's own indented JSON, shifted two levels in: JSON text has newlines only between
    # tokens (a newline inside a string is written \n), so shifting every line is safe.
    yield "{"
    for i, (name, records) in enumerate(sections(source)):
        yield f'{"," if i else ""}\n "{name}": ['
        empty = True
        for record in records:
            text = json.dumps(record, ensure_ascii=False, indent=1).replace("\n", "\n  ")
            yield f"{'' if empty else ','}\n  {text}"
            empty = False
        yield "]" if empty else "\n ]"
    yield "\n}"


def _relation(r: EntityRelation) -> dict[str, Any]:
    return {
        "article": r.mention.article,
        "text": r.mention.text,
        "start": r.mention.start,
        "end": r.mention.end,
        "relation": r.relation,
        "entity": r.entity,
    }


def _storyline(line: Storyline) -> dict[str, Any]:
    return {"id": line.id, "title": line.title, "stories": list(line.stories)}


def _time(t: TimeRef) -> dict[str, Any]:
    return {
        "article": t.article,
        "text": t.text,
        "value": t.value,
        "granularity": t.granularity,
        "start": t.start,
        "end": t.end,
    }


def _timeline_entry(t: TimelineEntry) -> dict[str, Any]:
    return {
        "date": t.date,
        "text": t.text,
        "articles": list(t.articles),
        "story": t.story,
        "source": {"article": t.source[0], "start": t.source[1], "end": t.source[2]},
    }


def _storyline_timeline(line: StorylineTimeline) -> dict[str, Any]:
    return {
        "storyline": line.storyline,
        "shown": line.shown,
        "entries": [
            {
                "date": e.date,
                "text": e.text,
                "articles": list(e.articles),
                "outlets": list(e.outlets),
                "source": {"article": e.source[0], "start": e.source[1], "end": e.source[2]},
                "score": e.score,
                "rank": e.rank,
            }
            for e in line.entries
        ],
    }


def _reuse(r: ReuseLink) -> dict[str, Any]:
    return {
        "from": r.source,
        "to": r.target,
        "kind": r.kind,
        "passages": list(r.passages),
        "origin": r.origin,
        "evidence": r.evidence,
    }


def _entity(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "aliases": list(e.aliases),
        "mentions": [
            {"article": m.article, "text": m.text, "start": m.start, "end": m.end} for m in e.mentions
        ],
    }


def _story(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "articles": list(s.articles),
        "storyline": s.storyline,
        "first": s.first,
        "last": s.last,
        "outlets": list(s.outlets),
        "facts": [
            {
                "id": f.id,
                "text": f.text,
                "articles": list(f.articles),
                "outlets": list(f.outlets),
                "source": _unit(f.source),
            }
            for f in s.facts
        ],
        "disputes": [
            {
                "fact": d.fact,
                "kind": d.kind,
                "values": list(d.values),
                "sides": [{**_unit(u), "text": u.text} for u in d.sides],
            }
            for d in s.disputes
        ],
        "summary": [
            {"text": t.text, "articles": list(t.articles), "source": _unit(t.source)}
            for t in s.summary
        ],
        "framing": s.framing,
        "coverage": {
            outlet: [f.id for f in s.facts if outlet in f.outlets]
            for outlet in sorted({o for f in s.facts for o in f.outlets})
        },
    }


def _article(a: Article) -> dict[str, Any]:
    evidence = a.published_evidence
    return {
        "id": a.id,
        "source": a.source,
        "source_id": a.source_id,
        "url": a.url,
        "outlet": a.outlet,
        "title": a.title,
        "published": a.published,
        "published_evidence": to_json(evidence) if evidence else None,
        "dateline": a.dateline,
        "authors": list(a.authors),
        "credits": list(a.credits),
        "paragraphs": list(a.paragraphs),
        "removed": [to_json(r) for r in a.removed],
    }


def _unit(u: Unit) -> dict[str, Any]:
    return {"article": u.article, "start": u.start, "end": u.end}


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "id": q.id,
        "article": q.article,
        "text": q.text,
        "kind": q.kind,
        "start": q.start,
        "end": q.end,
        "speaker": {
            "text": q.speaker.text,
            "name": q.speaker.name,
            "entity": q.speaker.entity,
            "start": q.speaker.start,
            "end": q.speaker.end,
        },
        "cue": q.cue,
        "via": q.via,
        "group": q.group,
    }


# -- flat tables: CSV and Parquet ----------------------------------------------------------------------
#
# The same view as flat tables, one row per article, quote, fact, entity and story, for spreadsheets
# and data frames. Every cell is a str, int or None; lists are joined by LIST_SEPARATOR. An outlet is
# always a non-empty key: the article's outlet, or its id when the outlet is unknown, as in a fact's
# ``outlets`` and a story's ``coverage`` and ``framing``.

LIST_SEPARATOR = "; "
TABLE_FORMATS = ("csv", "parquet")

_TEXT, _INT = "VARCHAR", "BIGINT"
_COLUMNS: dict[str, dict[str, str]] = {
    "articles": {
        "id": _TEXT, "outlet": _TEXT, "title": _TEXT, "published": _TEXT, "published_method": _TEXT,
        "url": _TEXT, "source": _TEXT, "source_id": _TEXT, "dateline": _TEXT, "authors": _TEXT,
        "story": _TEXT, "words": _INT, "text": _TEXT,
    },
    "quotes": {
        "id": _TEXT, "article": _TEXT, "outlet": _TEXT, "published": _TEXT, "speaker": _TEXT,
        "speaker_entity": _TEXT, "cue": _TEXT, "via": _TEXT, "kind": _TEXT, "text": _TEXT,
        "start": _INT, "end": _INT, "group": _TEXT,
    },
    # followed by one 1/0 column per outlet of the view
    "facts": {"story": _TEXT, "id": _TEXT, "text": _TEXT, "articles": _INT},
    "entities": {"id": _TEXT, "name": _TEXT, "type": _TEXT, "mentions": _INT, "aliases": _TEXT},
    "stories": {
        "id": _TEXT, "title": _TEXT, "storyline": _TEXT, "first": _TEXT, "last": _TEXT,
        "articles": _INT, "outlets": _TEXT,
    },
}  # fmt: skip


Table = tuple[str, dict[str, str], Iterator[dict[str, Any]]]


def table_rows(source: CorpusView | DocumentSource) -> Iterator[Table]:
    """Each table's name, columns in order (with their SQL type, ``VARCHAR`` or ``BIGINT``) and rows:
    ``articles``, ``quotes``, ``facts`` (facts × outlets, 1/0), ``entities`` and ``stories``. The rows
    are read from the source as they are taken: a table's rows must be taken before the next table is
    asked for (the quotes need the articles' outlets, the facts' columns every outlet)."""
    if isinstance(source, CorpusView):
        source = viewed(source)
    stories = list(source.stories)
    stories_of: dict[str, list[str]] = {}
    for s in stories:
        for a in s.articles:
            stories_of.setdefault(a, []).append(s.id)
    seen: dict[str, tuple[str, str | None]] = {}  # each article's outlet key and publication date
    yield "articles", dict(_COLUMNS["articles"]), _article_rows(source.articles, stories_of, seen)
    entities = source.entities
    names = {e.id: e.name for e in entities}
    yield "quotes", dict(_COLUMNS["quotes"]), _quote_rows(source.quotes, seen, names)
    matrix = _outlet_columns({outlet for outlet, _ in seen.values()}, stories)
    facts = (
        {
            "story": s.id,
            "id": f.id,
            "text": f.text,
            "articles": len(f.articles),
            **{column: int(o in f.outlets) for o, column in matrix.items()},
        }
        for s in stories
        for f in s.facts
    )
    yield "facts", {**_COLUMNS["facts"], **dict.fromkeys(matrix.values(), _INT)}, facts
    yield "entities", dict(_COLUMNS["entities"]), map(_entity_row, entities)
    yield "stories", dict(_COLUMNS["stories"]), map(_story_row, stories)


def to_tables(source: CorpusView | DocumentSource) -> dict[str, list[dict[str, Any]]]:
    """The tables of ``table_rows``, whole; every row of a table has the same columns, in
    ``table_columns``' order."""
    return {name: list(rows) for name, _, rows in table_rows(source)}


def table_columns(source: CorpusView | DocumentSource) -> dict[str, dict[str, str]]:
    """Each table's columns in order, with their SQL type (``VARCHAR`` or ``BIGINT``)."""
    columns = {}
    for name, found, rows in table_rows(source):
        columns[name] = found
        for _ in rows:  # the next table's columns may depend on these rows
            pass
    return columns


def _entity_row(e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "mentions": len(e.mentions),
        "aliases": _joined(e.aliases),
    }


def _story_row(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "storyline": s.storyline,
        "first": s.first,
        "last": s.last,
        "articles": len(s.articles),
        "outlets": _joined(s.outlets),
    }


def _article_rows(
    articles: Iterable[Article], stories_of: dict[str, list[str]], seen: dict[str, tuple[str, str | None]]
) -> Iterator[dict[str, Any]]:
    """The articles' rows; ``seen`` gets each article's outlet (its id when it has none) and date."""
    for a in articles:
        seen[a.id] = (a.outlet or a.id, a.published)
        yield {
            "id": a.id,
            "outlet": a.outlet or a.id,
            "title": a.title,
            "published": a.published,
            "published_method": a.published_evidence.method if a.published_evidence else None,
            "url": a.url,
            "source": a.source,
            "source_id": a.source_id,
            "dateline": a.dateline,
            "authors": _joined(a.authors),
            "story": _joined(stories_of.get(a.id, ())),
            "words": len(words(a.body)),
            "text": a.body,
        }


def _quote_rows(
    quotes: Iterable[Quote], seen: dict[str, tuple[str, str | None]], entity_names: dict[str, str]
) -> Iterator[dict[str, Any]]:
    for q in quotes:
        outlet, published = seen.get(q.article, (q.article, None))
        yield {
            "id": q.id,
            "article": q.article,
            "outlet": outlet,
            "published": published,
            "speaker": entity_names.get(q.speaker.entity or "") or q.speaker.text,
            "speaker_entity": q.speaker.entity,
            "cue": q.cue,
            "via": q.via,
            "kind": q.kind,
            "text": q.text,
            "start": q.start,
            "end": q.end,
            "group": q.group,
        }


def write_tables(source: CorpusView | DocumentSource, folder: Path, format: str) -> list[Path]:  # noqa: A002
    """Write each table of ``table_rows`` to ``folder/<table>.csv`` or ``folder/<table>.parquet``
    (the folder is made if missing), headers and column types included when a table is empty. CSV
    rows are written as they are read; Parquet rows go, a chunk at a time, to a DuckDB table in a
    temporary file (which spills to disk rather than holding them), copied out as Parquet."""
    if format not in TABLE_FORMATS:
        raise ValueError(f"unknown table format {format!r}: expected one of {', '.join(TABLE_FORMATS)}")
    folder = Path(folder)
    written: list[Path] = []
    path = folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) if format == "parquet" else nullcontext() as scratch:
            connection = duckdb.connect(str(Path(scratch) / "tables.duckdb")) if scratch else None
            try:
                for name, columns, rows in table_rows(source):
                    path = folder / f"{name}.{format}"
                    if connection is None:
                        _write_csv(path, columns, rows)
                    else:
                        _write_parquet(connection, path, columns, rows)
                    written.append(path)
            finally:
                if connection is not None:
                    connection.close()
    except (OSError, duckdb.Error) as e:
        where = e.filename if isinstance(e, OSError) and e.filename else path
        reason = e.strerror if isinstance(e, OSError) and e.strerror else " ".join(str(e).split())
        raise NewsprismError(f"{where}: cannot write the {format} table: {reason}") from e
    return written


def _outlet_columns(outlets: Iterable[str], stories: Iterable[Story]) -> dict[str, str]:
    """Each outlet of the view (an article's outlet, or its id when it has none, as facts count them)
    and its column name in the facts table: the outlet itself, unless it would clash with another
    column (DuckDB names are case-insensitive), then ``outlet:<name>`` and a number if need be."""
    outlets = set(outlets)
    outlets.update(o for s in stories for f in s.facts for o in f.outlets)
    taken = {c.casefold() for c in _COLUMNS["facts"]}
    columns: dict[str, str] = {}
    for outlet in sorted(outlets, key=lambda o: (o.casefold(), o)):
        column, n = outlet, 1
        while column.casefold() in taken:
            n += 1
            column = f"outlet:{outlet}" if n == 2 else f"outlet:{outlet} ({n - 1})"
        taken.add(column.casefold())
        columns[outlet] = column
    return columns


def _joined(values: Iterable[str]) -> str:
    return LIST_SEPARATOR.join(values)


def _write_csv(path: Path, columns: dict[str, str], rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(columns), quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        writer.writerows(rows)


# Rows handed to DuckDB at once: a few megabytes of Python objects.
PARQUET_CHUNK_ROWS = 1000


def _write_parquet(
    connection: duckdb.DuckDBPyConnection, path: Path, columns: dict[str, str], rows: Iterable[dict[str, Any]]
) -> None:
    """Typed columns: the table is made with the columns' SQL types, and each chunk of rows is
    registered as one object array per column and cast to them."""
    names = [f"c{i}" for i in range(len(columns))]
    connection.execute("DROP TABLE IF EXISTS table_rows")
    typed = ", ".join(f"{_identifier(c)} {sql}" for c, sql in columns.items())
    connection.execute(f"CREATE TABLE table_rows ({typed})")
    select = ", ".join(f"CAST({n} AS {sql})" for n, sql in zip(names, columns.values(), strict=True))
    rows = iter(rows)
    while chunk := list(itertools.islice(rows, PARQUET_CHUNK_ROWS)):
        arrays = {}
        for n, column in zip(names, columns, strict=True):
            values = numpy.empty(len(chunk), dtype=object)
            values[:] = [row[column] for row in chunk]
            arrays[n] = values
        connection.register("chunk_rows", arrays)
        try:
            connection.execute(f"INSERT INTO table_rows SELECT {select} FROM chunk_rows")
        finally:
            connection.unregister("chunk_rows")
    connection.execute(f"COPY table_rows TO {_literal(str(path))} (FORMAT PARQUET)")


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
