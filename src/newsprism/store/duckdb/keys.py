"""The stage keys stored results carry: which code made what, for adopting results under new keys."""

from __future__ import annotations

import json

from newsprism.records import RawDoc
from newsprism.store.duckdb.connection import Connection
from newsprism.store.rows import KeyGroup, StoredInput


class Keys(Connection):
    def stage_key_groups(self) -> list[KeyGroup]:
        return [
            KeyGroup(*row)
            for row in self._rows(
                "SELECT clean_key, annotate_key, count(*) FROM articles GROUP BY clean_key, annotate_key "
                "ORDER BY clean_key, annotate_key"
            )
        ]

    def stored_inputs(self, clean_key: str, annotate_key: str, limit: int) -> list[StoredInput]:
        """Up to ``limit`` articles made under these keys, with the input each was made from, spread
        over the group in arrival order (every n-th), so that a sample is not one batch's."""
        (size,) = self._one(
            "SELECT count(*) FROM articles WHERE clean_key = ? AND annotate_key = ?",
            [clean_key, annotate_key],
        )
        rows = self._rows(
            """
            SELECT a.id, a.source, r.hash, r.text, r.is_html, r.given, a.reference_date
            FROM (SELECT *, row_number() OVER (ORDER BY seq) AS n
                  FROM articles WHERE clean_key = ? AND annotate_key = ?) a
            JOIN raw r ON r.hash = a.raw_hash
            WHERE (a.n - 1) % ? = 0
            ORDER BY a.n LIMIT ?
            """,
            [clean_key, annotate_key, max(size // max(limit, 1), 1), limit],
        )
        return [
            StoredInput(article, RawDoc(source, digest, text, is_html, json.loads(given)), reference_date)
            for article, source, digest, text, is_html, given, reference_date in rows
        ]

    def rekey(self, clean_key: str, annotate_key: str, new_clean_key: str, new_annotate_key: str) -> int:
        with self.transaction("cannot record the stage keys"):
            (count,) = self._one(
                "SELECT count(*) FROM articles WHERE clean_key = ? AND annotate_key = ?",
                [clean_key, annotate_key],
            )
            self._run(
                "UPDATE articles SET clean_key = ?, annotate_key = ? "
                "WHERE clean_key = ? AND annotate_key = ?",
                [new_clean_key, new_annotate_key, clean_key, annotate_key],
            )
        return count
