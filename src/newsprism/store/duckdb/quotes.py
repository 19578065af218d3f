"""Quote groups: the same words quoted by several articles, found through shared shingles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from newsprism.store.duckdb.connection import Connection
from newsprism.store.rows import ShingleHolder


class Quotes(Connection):
    def shingle_holders(self, shingles: Iterable[str], max_holders: int) -> dict[str, list[ShingleHolder]]:
        """Quotes holding each shingle that at most
        ``max_holders`` quotes hold: a commoner one is boilerplate, not evidence."""
        shingles = sorted(set(shingles))
        rows = self._rows(
            "SELECT s.shingle, s.quote, q.article, q.shingles FROM quote_shingles s "
            "JOIN shingle_counts c ON c.shingle = s.shingle AND c.n <= ? "
            "JOIN quote_groups q ON q.quote = s.quote WHERE s.shingle IN (SELECT unnest(?))",
            [max_holders, shingles],
        )
        out: dict[str, list[ShingleHolder]] = {}
        for shingle, quote, article, n in rows:
            out.setdefault(shingle, []).append(ShingleHolder(quote, article, n))
        return out

    def put_quote_shingles(self, quotes: Sequence[tuple[str, str, str, Sequence[str]]], created: int) -> None:
        """New quotes (id, article, own group, shingles), each in a group of its own to start with."""
        self._insert(
            "quote_groups",
            ("quote", "article", "grp", "shingles"),
            [(q, a, g, len(sh)) for q, a, g, sh in quotes],
        )
        self._insert(
            "groups", ("grp", "created"), [(g, created) for _, _, g, _ in quotes], "ON CONFLICT DO NOTHING"
        )
        self._insert("quote_shingles", ("shingle", "quote"), [(s, q) for q, _, _, sh in quotes for s in sh])
        counts = Counter(s for _, _, _, sh in quotes for s in sh)
        self._insert(
            "shingle_counts",
            ("shingle", "n"),
            list(counts.items()),
            "ON CONFLICT (shingle) DO UPDATE SET n = shingle_counts.n + excluded.n",
        )

    def next_group_created(self) -> int:
        return self._one("SELECT coalesce(max(created), 0) + 1 FROM groups")[0]

    def quote_groups(self, quotes: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows(
                "SELECT quote, grp FROM quote_groups WHERE quote IN (SELECT unnest(?))", [list(quotes)]
            )
        )

    def group_created(self, groups: Iterable[str]) -> dict[str, int]:
        return dict(
            self._rows("SELECT grp, created FROM groups WHERE grp IN (SELECT unnest(?))", [list(groups)])
        )

    def merge_groups(self, merges: dict[str, str]) -> None:
        """Fold each old group into its new one; the old id keeps resolving through ``group_merges``."""
        if not merges:
            return
        old, new = list(merges), list(merges.values())
        self._run(
            "UPDATE quote_groups SET grp = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
            "WHERE quote_groups.grp = m.old",
            [old, new],
        )
        self._run(
            "UPDATE group_merges SET new = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
            "WHERE group_merges.new = m.old",
            [old, new],
        )
        self._insert(
            "group_merges",
            ("old", "new"),
            list(merges.items()),
            "ON CONFLICT (old) DO UPDATE SET new = excluded.new",
        )
        self._run("DELETE FROM groups WHERE grp IN (SELECT unnest(?))", [old])

    def shared_quote_groups(self, ids: Sequence[str]) -> dict[str, str]:
        """The group of each quote of these articles whose words several articles carry."""
        return dict(
            self._rows(
                "WITH mine AS (SELECT quote, grp FROM quote_groups WHERE article IN (SELECT unnest(?))) "
                "SELECT m.quote, m.grp FROM mine m JOIN (SELECT grp FROM quote_groups "
                "WHERE grp IN (SELECT grp FROM mine) GROUP BY grp HAVING count(DISTINCT article) > 1) shared "
                "USING (grp)",
                [list(ids)],
            )
        )

    def quote_partners(self, ids: Iterable[str], limit: int) -> dict[str, set[str]]:
        """The other articles carrying a quote of each of these (one quote group), those sharing
        most quotes first, at most ``limit``."""
        out: dict[str, set[str]] = {}
        for article, other in self._rows(
            "SELECT article, other FROM ("
            " SELECT a.article, b.article AS other, row_number() OVER ("
            "  PARTITION BY a.article ORDER BY count(*) DESC, b.article) AS rank"
            " FROM quote_groups a JOIN quote_groups b ON b.grp = a.grp AND b.article <> a.article"
            " WHERE a.article IN (SELECT unnest(?)) GROUP BY a.article, b.article"
            ") ranked WHERE rank <= ?",
            [sorted(set(ids)), limit],
        ):
            out.setdefault(article, set()).add(other)
        return out

    def group_merges(self, groups: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows("SELECT old, new FROM group_merges WHERE old IN (SELECT unnest(?))", [list(groups)])
        )
