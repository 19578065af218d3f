"""Story digests: the comparison of a story's articles (facts, disputes, summary), stored per story
and made again when its articles change; framing is added when a story is viewed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from newsprism.corpus.compare import disputes, facts, framing, outlet_name
from newsprism.corpus.summary import summarize_facts
from newsprism.records import Article, Quote, Story, StoryDigest
from newsprism.store import Store, members_key


def summarized(
    story: Story, articles: Sequence[Article], quotes: Sequence[Quote], stored: StoryDigest | None = None
) -> Story:
    """A story with its facts, disputes, summary and framing, from its articles among the selection;
    the stored digest stands for the comparison when it was made from these very articles. Framing
    names speakers by their entities, which change as the corpus grows: it is never stored."""
    digest = stored if stored and stored.members == members_key(a.id for a in articles) else None
    digest = digest or digest_of(story.id, articles)
    members = {a.id: outlet_name(a) for a in articles}
    return dataclasses.replace(
        story,
        facts=digest.facts,
        disputes=digest.disputes,
        summary=digest.summary,
        framing=framing([q for q in quotes if q.article in members], members),
    )


def digest_of(story: str, articles: Sequence[Article]) -> StoryDigest:
    found = tuple(facts(articles, story))
    outlets = {a.id: outlet_name(a) for a in articles}
    return StoryDigest(
        members_key(outlets), found, tuple(disputes(found, outlets)), tuple(summarize_facts(found))
    )


def refresh_digests(
    store: Store, chunk: int = 64, compared: Callable[[int, int], None] | None = None
) -> int:
    """Compare again the stories whose articles changed since their digest was stored (and those
    without one), ``chunk`` stories per transaction, calling ``compared(stories, of_total)`` after
    each; returns how many. A run calls it once at its
    end, so a story gaining articles in every commit of a run is compared once, not per commit; a
    run killed before it leaves the digests to the next one."""
    stale = store.stale_digests()
    for i in range(0, len(stale), chunk):
        part = stale[i : i + chunk]
        members = store.story_members(part)
        by_id = {a.id: a for a in store.articles([a for ids in members.values() for a in ids])}
        digests = {
            story: digest_of(story, [by_id[a] for a in ids if a in by_id]) for story, ids in members.items()
        }
        with store.transaction("cannot store the story digests"):
            store.put_story_digests(digests)
        store.release()
        if compared is not None:
            compared(len(part), len(stale))
    return len(stale)
