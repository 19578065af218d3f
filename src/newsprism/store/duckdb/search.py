"""What the web app lists by scanning: pages of stories; and the scans that search articles, quotes and
entities by their words where the full-text index cannot be read (``indexed``), a reader's index
behind the store. They are the baseline ``bench/search.py`` measures the index against."""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.store.duckdb.articles import published_filters
from newsprism.store.duckdb.connection import Connection
from newsprism.store.rows import EntitySummary, Page, QuoteHit


class Search(Connection):
    def story_list(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        speaker: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[str]:
        """One page of story ids, latest first, with an article matching every filter (outlet,
        publication dates, a speaker quoted, by any part of the name as written), and how many
        stories match in all."""
        where, params = published_filters(outlet, since, until)
        where.append("c.level = 'story'")
        if speaker is not None:
            spoken, spoken_params = every_word(("speaker_name", "speaker_text"), [speaker])
            where.append(f"a.id IN (SELECT article FROM quotes WHERE {spoken})")
            params += spoken_params
        rows = self._rows(
            "SELECT c.id, count(*) OVER () FROM clusters c JOIN story_articles s ON s.story = c.id "
            "JOIN articles a ON a.id = s.article LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} GROUP BY c.id, c.last, c.size "
            "ORDER BY c.last DESC NULLS LAST, c.size DESC, c.id LIMIT ? OFFSET ?",
            [*params, int(limit), int(offset)],
        )
        return Page([r[0] for r in rows], rows[0][1] if rows else 0)

    def _scanned_articles(
        self, text: str, outlet: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> Page[str]:
        """Articles whose title or body holds every word (case aside), latest first."""
        where, params = published_filters(outlet, since, until)
        words, word_params = every_word(("a.title", "CAST(a.paragraphs AS TEXT)"), _words(text))
        rows = self._rows(
            "SELECT a.id, count(*) OVER () FROM articles a LEFT JOIN borrowed_dates b ON b.article = a.id "
            f"WHERE {' AND '.join(where)} AND {words} "
            "ORDER BY coalesce(a.published, b.value) DESC NULLS LAST, a.seq DESC LIMIT ? OFFSET ?",
            [*params, *word_params, int(limit), int(offset)],
        )
        return Page([r[0] for r in rows], rows[0][1] if rows else 0)

    def _scanned_quotes(
        self, text: str, outlet: str | None, since: str | None, until: str | None, limit: int, offset: int
    ) -> Page[QuoteHit]:
        """Quotes whose words or speaker hold every word (case aside), by article and place."""
        where, params = published_filters(outlet, since, until)
        words, word_params = every_word(("q.text", "q.speaker_name", "q.speaker_text"), _words(text))
        rows = self._rows(
            "SELECT q.id, q.article, count(*) OVER () FROM quotes q JOIN articles a ON a.id = q.article "
            f"LEFT JOIN borrowed_dates b ON b.article = a.id WHERE {' AND '.join(where)} AND {words} "
            "ORDER BY q.article, q.start LIMIT ? OFFSET ?",
            [*params, *word_params, int(limit), int(offset)],
        )
        return Page([QuoteHit(r[0], r[1]) for r in rows], rows[0][2] if rows else 0)

    def _scanned_entities(self, text: str, limit: int) -> list[EntitySummary]:
        """Entities whose name, or one spelling, holds every word (case aside), most mentioned first."""
        in_name, name_params = every_word(("e.name",), _words(text))
        in_form, form_params = every_word(("f.form",), _words(text))
        rows = self._rows(
            f"SELECT e.id, e.name, e.type, e.mentions FROM entities e WHERE {in_name} OR e.id IN "
            f"(SELECT n.entity FROM name_forms f JOIN names n USING (key) WHERE {in_form}) "
            "ORDER BY e.mentions DESC, e.id LIMIT ?",
            [*name_params, *form_params, int(limit)],
        )
        return [EntitySummary(*r) for r in rows]


def _words(text: str) -> list[str]:
    """A query's words as a scan matches them: a quoted phrase's words each on their own."""
    return text.replace('"', " ").split()


def every_word(columns: Sequence[str], words: Sequence[str]) -> tuple[str, list[str]]:
    """A condition true when each word is, literally and case aside, in one of the columns."""
    one = "(" + " OR ".join(f"{c} ILIKE ? ESCAPE '\\'" for c in columns) + ")"
    return " AND ".join([one] * len(words)) or "1 = 1", [f"%{_like(w)}%" for w in words for _ in columns]


def _like(text: str) -> str:
    """``text`` matched literally inside an ILIKE pattern whose escape character is the backslash."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
