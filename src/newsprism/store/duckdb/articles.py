"""Articles as cleaned and annotated: their rows, inputs, annotations and the dates they borrow."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable, Sequence

from newsprism.records import (
    Annotations,
    Article,
    DateEvidence,
    Mention,
    Quote,
    RawDoc,
    Removed,
    Speaker,
    TimeRef,
    from_json,
    to_json,
)
from newsprism.store.duckdb.connection import Connection

ARTICLE_COLUMNS = (
    "id",
    "seq",
    "raw_hash",
    "clean_key",
    "annotate_key",
    "reference_date",
    "source",
    "source_id",
    "url",
    "outlet",
    "title",
    "published",
    "published_evidence",
    "dateline",
    "authors",
    "credits",
    "paragraphs",
    "removed",
)
READ_ARTICLE = (
    "id, source, source_id, url, outlet, title, published, published_evidence, dateline, authors, "
    "credits, paragraphs, removed"
)


class Articles(Connection):
    def current(self, ids: Iterable[str], clean_key: str, annotate_key: str) -> set[str]:
        """Which of these articles already hold results of these versions of clean and annotate."""
        ids = list(ids)
        if not ids:
            return set()
        rows = self._rows(
            "SELECT id FROM articles WHERE clean_key = ? AND annotate_key = ? AND id IN (SELECT unnest(?))",
            [clean_key, annotate_key, ids],
        )
        return {r[0] for r in rows}

    def known(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        return {r[0] for r in self._rows("SELECT id FROM articles WHERE id IN (SELECT unnest(?))", [ids])}

    def put_raw(self, docs: Sequence[RawDoc]) -> None:
        self._insert(
            "raw",
            ("hash", "source", "is_html", "text", "given"),
            [(d.content_hash, d.source, d.is_html, d.text, json.dumps(d.given)) for d in docs],
            "ON CONFLICT DO NOTHING",
        )

    def put_sources(self, pairs: Sequence[tuple[str, str]]) -> None:
        self._insert(
            "sources",
            ("source", "article"),
            pairs,
            "ON CONFLICT (source) DO UPDATE SET article = excluded.article",
        )

    def _next_sequence(self) -> int:
        return self._one("SELECT coalesce(max(seq), 0) + 1 FROM articles")[0]

    def put_articles(
        self,
        results: Sequence[tuple[Article, Annotations | None]],
        raw_hash: dict[str, str],
        clean_key: str,
        annotate_key: str,
        reference_date: dt.date,
    ) -> None:
        """Article rows numbered in arrival order, with their annotations; an article whose
        annotation failed keeps no ``annotate_key`` and no annotations, so the next run retries it."""
        first = self._next_sequence()
        # Only an article made again has rows to replace; looking for others scans whole tables.
        self._delete_article_rows(sorted(self.known(a.id for a, _ in results)))
        self._insert(
            "articles",
            ARTICLE_COLUMNS,
            [
                _article_row(
                    a,
                    first + i,
                    raw_hash.get(a.id),
                    clean_key,
                    annotate_key if n is not None and n.error is None else None,
                    reference_date,
                )
                for i, (a, n) in enumerate(results)
            ],
        )
        self._put_annotations([n for _, n in results if n is not None and n.error is None])

    def _delete_article_rows(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        for table, column in (
            ("articles", "id"),
            ("mentions", "article"),
            ("quotes", "article"),
            ("times", "article"),
        ):
            self._run(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest(?))", [list(ids)])

    def _put_annotations(self, found: Sequence[Annotations]) -> None:
        """Annotations of articles whose earlier rows are gone: one insert per table for them all."""
        self._insert(
            "mentions",
            ("article", "start", "end", "text", "label"),
            [(m.article, m.start, m.end, m.text, m.label) for n in found for m in n.mentions],
        )
        self._insert(
            "quotes",
            (
                "id",
                "article",
                "start",
                "end",
                "text",
                "kind",
                "speaker_text",
                "speaker_name",
                "speaker_start",
                "speaker_end",
                "cue",
                "via",
            ),
            [
                (
                    q.id,
                    q.article,
                    q.start,
                    q.end,
                    q.text,
                    q.kind,
                    q.speaker.text,
                    q.speaker.name,
                    q.speaker.start,
                    q.speaker.end,
                    q.cue,
                    q.via,
                )
                for n in found
                for q in n.quotes
            ],
        )
        self._insert_times([t for n in found for t in n.times])

    def put_times(self, times: dict[str, Sequence[TimeRef]]) -> None:
        """The time expressions of these articles, replacing the ones stored for them."""
        self._run("DELETE FROM times WHERE article IN (SELECT unnest(?))", [sorted(times)])
        self._insert_times([t for found in times.values() for t in found])

    def _insert_times(self, times: Sequence[TimeRef]) -> None:
        self._insert(
            "times",
            ("article", "start", "end", "text", "value", "granularity"),
            [(t.article, t.start, t.end, t.text, t.value, t.granularity) for t in times],
        )

    def articles(self, ids: Sequence[str]) -> list[Article]:
        rows = self._rows(f"SELECT {READ_ARTICLE} FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)])
        by_id = {r[0]: _article(r) for r in rows}
        return [by_id[i] for i in ids if i in by_id]

    def outlets_of(self, ids: Iterable[str]) -> dict[str, str | None]:
        return dict(self._rows("SELECT id, outlet FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]))

    def outlet_list(self) -> list[str]:
        """Every outlet the store holds articles of, by name."""
        rows = self._rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY 1")
        return [r[0] for r in rows]

    def sequence(self, ids: Sequence[str]) -> dict[str, int]:
        return dict(self._rows("SELECT id, seq FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)]))

    def annotations(self, ids: Sequence[str]) -> dict[str, Annotations]:
        """Annotations of the annotated articles among ``ids``."""
        ids = list(ids)
        done = [
            r[0]
            for r in self._rows(
                "SELECT id FROM articles WHERE annotate_key IS NOT NULL AND id IN (SELECT unnest(?))", [ids]
            )
        ]
        mentions: dict[str, list[Mention]] = {i: [] for i in done}
        quotes: dict[str, list[Quote]] = {i: [] for i in done}
        times: dict[str, list[TimeRef]] = {i: [] for i in done}
        for r in self._rows(
            'SELECT article, start, "end", text, label FROM mentions '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end", label',
            [done],
        ):
            # One string per article and per label, not one per row: an export holds every mention.
            mentions[r[0]].append(Mention(sys.intern(r[0]), r[1], r[2], r[3], sys.intern(r[4])))
        for r in self._rows(
            'SELECT id, article, start, "end", text, kind, speaker_text, speaker_name, '
            "speaker_start, speaker_end, cue, via FROM quotes WHERE article IN (SELECT unnest(?)) "
            'ORDER BY article, start, "end", id',
            [done],
        ):
            quotes[r[1]].append(
                Quote(r[0], r[1], r[2], r[3], r[4], r[5], Speaker(r[6], r[7], r[8], r[9]), r[10], r[11])
            )
        for r in self._rows(
            # A range ("1918-1920") is two times of one span: without the value, they come in
            # either order, and so does the export.
            'SELECT article, start, "end", text, value, granularity FROM times '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end", value, granularity',
            [done],
        ):
            times[r[0]].append(TimeRef(*r))
        return {i: Annotations(i, tuple(mentions[i]), tuple(quotes[i]), tuple(times[i])) for i in done}

    def select(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[str]:
        """Ids of stored articles, in arrival order, that match every given filter. Dates compare
        with the publication date (own or borrowed); ``source`` is a glob over input paths."""
        where, params = published_filters(outlet, since, until)
        if source is not None:
            glob, pattern = self._glob(source)
            where.append(f"(a.source {glob} OR a.id IN (SELECT article FROM sources WHERE source {glob}))")
            params += [pattern, pattern]
        if ids is not None:
            where.append("a.id IN (SELECT unnest(?))")
            params.append(list(ids))
        rows = self._rows(
            f"SELECT a.id FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} ORDER BY a.seq",
            params,
        )
        return [r[0] for r in rows]

    def sources_of(self, ids: Sequence[str]) -> dict[str, str]:
        """One input path per article: the latest one it was read from."""
        rows = self._rows(
            "SELECT article, max(source) FROM sources WHERE article IN (SELECT unnest(?)) GROUP BY article",
            [list(ids)],
        )
        return dict(rows)

    def annotated_ids(self) -> list[str]:
        return [
            r[0] for r in self._rows("SELECT id FROM articles WHERE annotate_key IS NOT NULL ORDER BY seq")
        ]

    def borrowed_dates(self, ids: Sequence[str]) -> dict[str, DateEvidence]:
        return {
            r[0]: DateEvidence(*r[1:])
            for r in self._rows(
                "SELECT article, value, text, method, confidence FROM borrowed_dates "
                "WHERE article IN (SELECT unnest(?))",
                [list(ids)],
            )
        }

    def put_borrowed_dates(self, dates: dict[str, DateEvidence | None]) -> None:
        self._run("DELETE FROM borrowed_dates WHERE article IN (SELECT unnest(?))", [list(dates)])
        self._insert(
            "borrowed_dates",
            ("article", "value", "text", "method", "confidence"),
            [(a, e.value, e.text, e.method, e.confidence) for a, e in dates.items() if e is not None],
        )


def _article_row(
    a: Article,
    seq: int,
    raw_hash: str | None,
    clean_key: str,
    annotate_key: str | None,
    reference_date: dt.date,
) -> tuple:
    evidence = json.dumps(to_json(a.published_evidence)) if a.published_evidence else None
    return (
        a.id,
        seq,
        raw_hash,
        clean_key,
        annotate_key,
        reference_date,
        a.source,
        a.source_id,
        a.url,
        a.outlet,
        a.title,
        a.published,
        evidence,
        a.dateline,
        json.dumps(a.authors),
        json.dumps(a.credits),
        json.dumps(a.paragraphs, ensure_ascii=False),
        json.dumps([to_json(r) for r in a.removed], ensure_ascii=False),
    )


def _article(row: tuple) -> Article:
    (
        id_,
        source,
        source_id,
        url,
        outlet,
        title,
        published,
        evidence,
        dateline,
        authors,
        credits,
        paragraphs,
        removed,
    ) = row
    return Article(
        id=id_,
        source=source,
        source_id=source_id,
        url=url,
        outlet=outlet,
        title=title,
        published=published,
        published_evidence=from_json(DateEvidence, json.loads(evidence)) if evidence else None,
        dateline=dateline,
        authors=tuple(json.loads(authors)),
        credits=tuple(json.loads(credits)),
        paragraphs=tuple(json.loads(paragraphs)),
        removed=tuple(from_json(Removed, r) for r in json.loads(removed)),
    )


def published_filters(
    outlet: str | None, since: str | None, until: str | None
) -> tuple[list[str], list[object]]:
    """Conditions on an article ``a`` (with its borrowed date ``b``): its outlet, case aside, and
    its publication date (own or borrowed) from ``since`` to ``until``, inclusive."""
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if outlet is not None:
        where.append("lower(a.outlet) = lower(?)")
        params.append(outlet)
    if since is not None:
        where.append("coalesce(a.published, b.value) >= ?")
        params.append(since)
    if until is not None:
        where.append("coalesce(a.published, b.value) <= ?")
        params.append(until)
    return where, params
