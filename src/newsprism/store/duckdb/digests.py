"""Story digests (facts, disputes, summary) kept until a story's members change, and the meta table."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from newsprism.records import Dispute, Fact, StoryDigest, SummarySentence, from_json, to_json
from newsprism.store.duckdb.connection import Connection


class Digests(Connection):
    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", [key])
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._run(
            "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def counts(self) -> dict[str, int]:
        return {
            t: self._one(f"SELECT count(*) FROM {t}")[0]
            for t in ("raw", "articles", "sources", "mentions", "quotes", "times", "entities")
        }

    def story_digests(self, stories: Iterable[str]) -> dict[str, StoryDigest]:
        """The stored facts, disputes and summary of these stories, each with the key of the members
        it was computed from."""
        found = {}
        for story, members, facts, disputes, summary in self._rows(
            "SELECT story, members, facts, disputes, summary FROM story_digests "
            "WHERE story IN (SELECT unnest(?))",
            [list(stories)],
        ):
            found[story] = StoryDigest(
                members,
                tuple(from_json(Fact, f) for f in json.loads(facts)),
                tuple(from_json(Dispute, d) for d in json.loads(disputes)),
                tuple(from_json(SummarySentence, s) for s in json.loads(summary)),
            )
        return found

    def put_story_digests(self, digests: dict[str, StoryDigest]) -> None:
        self._insert(
            "story_digests",
            ("story", "members", "facts", "disputes", "summary"),
            [
                (
                    story,
                    d.members,
                    json.dumps([to_json(f) for f in d.facts]),
                    json.dumps([to_json(x) for x in d.disputes]),
                    json.dumps([to_json(x) for x in d.summary]),
                )
                for story, d in digests.items()
            ],
            "ON CONFLICT (story) DO UPDATE SET members = excluded.members, facts = excluded.facts, "
            "disputes = excluded.disputes, summary = excluded.summary",
        )

    def stale_digests(self) -> list[str]:
        """Stories whose digest is missing or was computed from other members (``members_key``),
        oldest first; digests of stories that no longer exist are dropped."""
        self._run("DELETE FROM story_digests WHERE story NOT IN (SELECT story FROM story_articles)")
        rows = self._rows(
            "SELECT s.story FROM (SELECT story, md5(string_agg(article, ',' ORDER BY article)) AS members "
            "FROM story_articles GROUP BY story) s LEFT JOIN story_digests d USING (story) "
            "JOIN clusters c ON c.id = s.story "
            "WHERE d.members IS DISTINCT FROM s.members ORDER BY c.created, c.id"
        )
        return [r[0] for r in rows]


def members_key(articles: Iterable[str]) -> str:
    """What a story digest was computed from: the same digest as ``stale_digests`` computes in SQL."""
    return hashlib.md5(",".join(sorted(articles)).encode()).hexdigest()
