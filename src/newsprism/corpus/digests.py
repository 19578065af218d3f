"""Story digests: the comparison of a story's articles (facts, disputes, summary), stored per story
and made again when its articles change; framing is added when a story is viewed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

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


# Runs a pure stage over chunks, yielding each chunk's results in order: an engine's ``map``.
Mapper = Callable[[Callable[[list[Any]], list[Any]], Iterable[list[Any]]], Iterator[list[Any]]]


def digest_chunk(work: list[tuple[str, list[Article]]]) -> list[tuple[str, StoryDigest]]:
    """The digests of a chunk of stories: a pure function of their articles, so any engine's worker
    can make them."""
    return [(story, digest_of(story, articles)) for story, articles in work]


def refresh_digests(
    store: Store,
    chunk: int = 16,
    compared: Callable[[int, int], None] | None = None,
    run: Mapper | None = None,
) -> int:
    """Compare again the stories whose articles changed since their digest was stored (and those
    without one), ``chunk`` stories per transaction, calling ``compared(stories, of_total)`` after
    each; returns how many. ``run`` (an engine's ``map``) makes the digests of several chunks at once;
    without it they are made here, one chunk after the other. A run calls it once at its end, so a
    story gaining articles in every commit of a run is compared once, not per commit; a run killed
    before it leaves the digests to the next one."""
    stale = store.stale_digests()
    work = (_stories_of(store, stale[i : i + chunk]) for i in range(0, len(stale), chunk))
    for made in (run or _here)(digest_chunk, work):
        with store.transaction("cannot store the story digests"):
            store.put_story_digests(dict(made))
        store.release()
        if compared is not None:
            compared(len(made), len(stale))
    return len(stale)


def _stories_of(store: Store, stories: Sequence[str]) -> list[tuple[str, list[Article]]]:
    members = store.story_members(stories)
    by_id = {a.id: a for a in store.articles([a for ids in members.values() for a in ids])}
    return [(story, [by_id[a] for a in ids if a in by_id]) for story, ids in members.items()]


def _here(stage: Callable[[list[Any]], list[Any]], chunks: Iterable[list[Any]]) -> Iterator[list[Any]]:
    return (stage(chunk) for chunk in chunks)
