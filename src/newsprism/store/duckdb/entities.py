"""Names, their statistics and blocking index, and the entities resolution makes of them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from newsprism.records import ArticleNames, NameCounts
from newsprism.store.duckdb.connection import Connection
from newsprism.store.rows import EntityRow, EntitySummary, NameLink, NameUseRow, NameView


class Entities(Connection):
    def put_name_uses(self, found: Sequence[ArticleNames], stats: Mapping[str, NameCounts]) -> None:
        """Each mention's name and entity key, and the names' statistics added to the corpus's."""
        self._insert(
            "name_uses",
            ("article", "start", "end", "key", "label", "resolves_to", "country"),
            [
                (u.mention.article, u.mention.start, u.mention.end, u.key, u.label, u.resolves_to, u.country)
                for names in found
                for u in names.uses
            ],
        )
        self._insert("names", ("key",), [(k,) for k in stats], "ON CONFLICT DO NOTHING")
        self._insert(
            "name_labels",
            ("key", "label", "n"),
            [(k, label, n) for k, s in stats.items() for label, n in s.labels.items()],
            "ON CONFLICT (key, label) DO UPDATE SET n = name_labels.n + excluded.n",
        )
        self._insert(
            "name_forms",
            ("key", "form", "n", "first"),
            [(k, form, n, s.first[form]) for k, s in stats.items() for form, n in s.forms.items()],
            "ON CONFLICT (key, form) DO UPDATE SET n = name_forms.n + excluded.n, "
            "first = least(name_forms.first, excluded.first)",
        )
        # Counted by article: how many articles tie the two names.
        links = Counter((a, b, "alias") for names in found for a, b in set(names.aliases))
        links.update((a, b, "acronym") for names in found for a, b in names.acronyms)
        self._insert(
            "name_links",
            ("a", "b", "kind", "n"),
            [(a, b, kind, n) for (a, b, kind), n in links.items()],
            "ON CONFLICT (a, b, kind) DO UPDATE SET n = name_links.n + excluded.n",
        )
        words = sorted(set().union(*(names.words for names in found)))
        self._insert("common_words", ("word",), [(w,) for w in words], "ON CONFLICT DO NOTHING")

    def name_stats(self, keys: Iterable[str]) -> dict[str, NameCounts]:
        keys = list(keys)
        stats = {k: NameCounts(k) for k in keys}
        for key, label, n in self._rows(
            "SELECT key, label, n FROM name_labels WHERE key IN (SELECT unnest(?))", [keys]
        ):
            stats[key].labels[label] = n
        for key, form, n, first in self._rows(
            "SELECT key, form, n, first FROM name_forms WHERE key IN (SELECT unnest(?))", [keys]
        ):
            stats[key].forms[form] = n
            stats[key].first[form] = first
        for key, outlets, articles in self._rows(
            "SELECT u.key, count(DISTINCT a.outlet), count(DISTINCT u.article) FROM name_uses u "
            "JOIN articles a ON a.id = u.article WHERE u.key IN (SELECT unnest(?)) GROUP BY u.key",
            [keys],
        ):
            stats[key].outlets, stats[key].articles = outlets, articles
        return {k: s for k, s in stats.items() if s.labels}

    def names_in_blocks(self, probes: Iterable[tuple[str, str]], max_names: int) -> set[str]:
        """Names filed under these blocks, leaving out blocks that hold more than ``max_names``."""
        probes = sorted(set(probes))
        if not probes:
            return set()
        rows = self._rows(
            "WITH hits AS (SELECT b.kind, b.value, b.key FROM name_blocks b JOIN "
            "(SELECT unnest(?) AS kind, unnest(?) AS value) p USING (kind, value)) "
            "SELECT DISTINCT key FROM hits WHERE (kind, value) IN "
            "(SELECT kind, value FROM hits GROUP BY kind, value HAVING count(*) <= ?)",
            [[k for k, _ in probes], [v for _, v in probes], max_names],
        )
        return {r[0] for r in rows}

    def links_of(self, keys: Iterable[str]) -> Counter[NameLink]:
        """Links (name, name, kind) touching these names, with the number of articles writing each."""
        keys = list(keys)
        rows = self._rows(
            "SELECT a, b, kind, n FROM name_links WHERE a IN (SELECT unnest(?)) OR b IN (SELECT unnest(?))",
            [keys, keys],
        )
        return Counter({NameLink(a, b, kind): n for a, b, kind, n in rows})

    def common_words(self, words: Iterable[str]) -> set[str]:
        return {
            r[0]
            for r in self._rows(
                "SELECT word FROM common_words WHERE word IN (SELECT unnest(?))", [sorted(set(words))]
            )
        }

    def entity_of_names(self, keys: Iterable[str]) -> dict[str, str | None]:
        return dict(self._rows("SELECT key, entity FROM names WHERE key IN (SELECT unnest(?))", [list(keys)]))

    def names_of_entities(self, ids: Iterable[str]) -> set[str]:
        return {
            r[0] for r in self._rows("SELECT key FROM names WHERE entity IN (SELECT unnest(?))", [list(ids)])
        }

    def entity_rows(self, ids: Iterable[str]) -> dict[str, EntityRow]:
        return {
            r[0]: EntityRow(*r[1:])
            for r in self._rows(
                "SELECT id, type, name, created FROM entities WHERE id IN (SELECT unnest(?))", [list(ids)]
            )
        }

    def next_created(self) -> int:
        return self._one("SELECT coalesce(max(created), 0) + 1 FROM entities")[0]

    def put_names(
        self,
        entity_of_key: dict[str, str],
        label_of_key: dict[str, str],
        blocks: dict[str, set[tuple[str, str]]],
        unused: Iterable[str] = (),
    ) -> None:
        """Names with their label and entity; ``blocks`` refiles the names it holds; ``unused``
        names, no article using them any more, go."""
        keys, unused = list(entity_of_key), list(unused)
        self._run("DELETE FROM names WHERE key IN (SELECT unnest(?))", [keys + unused])
        self._insert(
            "names", ("key", "label", "entity"), [(k, label_of_key[k], entity_of_key[k]) for k in keys]
        )
        self._run("DELETE FROM name_blocks WHERE key IN (SELECT unnest(?))", [list(blocks) + unused])
        self._insert(
            "name_blocks",
            ("kind", "value", "key"),
            [(kind, value, k) for k, filed in blocks.items() for kind, value in sorted(filed)],
        )

    def put_entities(
        self,
        rows: Sequence[tuple[str, str, str, int, int]],
        merges: Sequence[tuple[str, str]],
        gone: Iterable[str] = (),
    ) -> None:
        """Rows of (id, type, name, mentions, created); ``merges`` maps ids that joined another;
        ``gone`` ids no name bears any more."""
        self._run("DELETE FROM entities WHERE id IN (SELECT unnest(?))", [sorted(gone)])
        self._insert(
            "entities",
            ("id", "type", "name", "mentions", "created"),
            rows,
            "ON CONFLICT (id) DO UPDATE SET type = excluded.type, name = excluded.name, "
            "mentions = excluded.mentions",
        )
        if merges:
            self._insert(
                "entity_merges", ("old", "new"), merges, "ON CONFLICT (old) DO UPDATE SET new = excluded.new"
            )
            # An id that was merged earlier into one merged now follows it.
            self._run(
                "UPDATE entity_merges SET new = m.new FROM (SELECT unnest(?) AS old, unnest(?) AS new) m "
                "WHERE entity_merges.new = m.old",
                [[o for o, _ in merges], [n for _, n in merges]],
            )
            self._run("DELETE FROM entities WHERE id IN (SELECT unnest(?))", [[o for o, _ in merges]])

    def entity_merges(self, ids: Iterable[str]) -> dict[str, str]:
        return dict(
            self._rows("SELECT old, new FROM entity_merges WHERE old IN (SELECT unnest(?))", [list(ids)])
        )

    def name_uses(self, ids: Sequence[str]) -> list[NameUseRow]:
        """The names of the articles' mentions, in text order."""
        rows = self._rows(
            'SELECT article, start, "end", key, label, resolves_to, country FROM name_uses '
            'WHERE article IN (SELECT unnest(?)) ORDER BY article, start, "end"',
            [list(ids)],
        )
        return [NameUseRow(*r) for r in rows]

    def names_view(self, keys: Iterable[str]) -> dict[str, NameView]:
        """Name key to its voted label and entity id."""
        return {
            r[0]: NameView(r[1], r[2])
            for r in self._rows(
                "SELECT key, label, entity FROM names WHERE key IN (SELECT unnest(?))", [list(keys)]
            )
        }

    def entities_named(self, kind: str, names: Iterable[str]) -> dict[str, str]:
        """Canonical name to entity id, for entities of this type."""
        return dict(
            self._rows(
                "SELECT name, min(id) FROM entities WHERE type = ? AND name IN (SELECT unnest(?)) "
                "GROUP BY name",
                [kind, list(names)],
            )
        )

    def entity_list(
        self, *, name: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[EntitySummary]:
        """Entities, most mentioned first; ``name`` matches, case aside, the canonical
        name or any spelling the corpus wrote it with ("Brask" for Helena Brask)."""
        where, params = ["1 = 1"], []
        if name is not None:
            where.append(
                "(lower(name) = lower(?) OR id IN (SELECT n.entity FROM name_forms f JOIN names n "
                "USING (key) WHERE lower(f.form) = lower(?)))"
            )
            params += [name, name]
        if kind is not None:
            where.append("type = ?")
            params.append(kind)
        sql = (
            f"SELECT id, name, type, mentions FROM entities WHERE {' AND '.join(where)} "
            "ORDER BY mentions DESC, id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [EntitySummary(*r) for r in self._rows(sql, params)]

    def articles_of_entities(self, ids: Sequence[str]) -> list[str]:
        rows = self._rows(
            "SELECT DISTINCT u.article FROM name_uses u JOIN names n ON n.key = u.resolves_to "
            "WHERE n.entity IN (SELECT unnest(?))",
            [list(ids)],
        )
        return [r[0] for r in rows]
