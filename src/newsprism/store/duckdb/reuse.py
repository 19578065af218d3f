"""Text reuse: the passage-shingle index and the links between articles carrying the same text."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import numpy as np

from newsprism.records import ReuseLink
from newsprism.store.duckdb.connection import Connection, grouped
from newsprism.store.rows import CopyLink


class Reuse(Connection):
    def put_passage_shingles(self, shingles: dict[str, Iterable[int]]) -> None:
        self._insert(
            "passage_shingles",
            ("shingle", "article"),
            [(s, article) for article, found in shingles.items() for s in sorted(found)],
        )

    def sharing_passages(
        self, shingles: dict[str, Iterable[int]], *, max_postings: int, min_shared: int, limit: int
    ) -> dict[str, list[str]]:
        """For each article (with its indexed shingles, stored already), the others holding at least
        ``min_shared`` of them (those held by more than ``max_postings`` articles are skipped), most
        shared first, at most ``limit``."""
        mine = [(article, s) for article, found in shingles.items() for s in found]
        if not mine:
            return {}
        batch = {
            "article": np.array([a for a, _ in mine], dtype=object),
            "shingle": np.array([s for _, s in mine], dtype=np.int64),
        }
        with self._registered("mine", batch):
            return grouped(
                self._rows(
                    # One pass over the index: its rows holding any of the new shingles.
                    "WITH hits AS MATERIALIZED (SELECT shingle, article FROM passage_shingles"
                    " WHERE shingle IN (SELECT shingle FROM mine)), "
                    "rare AS (SELECT shingle FROM hits GROUP BY shingle HAVING count(*) BETWEEN 2 AND ?) "
                    "SELECT article, other FROM ("
                    " SELECT m.article, h.article AS other, row_number() OVER ("
                    "  PARTITION BY m.article ORDER BY count(*) DESC, h.article) AS rank"
                    " FROM mine m JOIN rare USING (shingle)"
                    " JOIN hits h ON h.shingle = m.shingle AND h.article <> m.article"
                    " GROUP BY m.article, h.article HAVING count(*) >= ?"
                    ") ranked WHERE rank <= ? ORDER BY article, rank",
                    [max_postings, min_shared, limit],
                )
            )

    def put_reuse(self, links: Sequence[ReuseLink]) -> None:
        self._insert(
            "reuse",
            ("source", "target", "kind", "passages", "origin", "evidence"),
            [(r.source, r.target, r.kind, json.dumps(r.passages), r.origin, r.evidence) for r in links],
            "ON CONFLICT (source, target) DO NOTHING",
        )

    def copy_partners(self, ids: Sequence[str]) -> list[CopyLink]:
        """The reuse links touching these articles, without their
        passages (the longest column of the table)."""
        rows = self._rows(
            "SELECT source, target, kind FROM reuse "
            "WHERE source IN (SELECT unnest(?)) OR target IN (SELECT unnest(?)) ORDER BY source, target",
            [list(ids), list(ids)],
        )
        return [CopyLink(*r) for r in rows]

    def reuse_of(self, ids: Sequence[str]) -> list[ReuseLink]:
        """Reuse links between two of these articles."""
        rows = self._rows(
            "SELECT source, target, kind, passages, origin, evidence FROM reuse "
            "WHERE source IN (SELECT unnest(?)) AND target IN (SELECT unnest(?)) ORDER BY source, target",
            [list(ids), list(ids)],
        )
        return [ReuseLink(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5]) for r in rows]
