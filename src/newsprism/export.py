"""The JSON document of ``../shared/eval/CONTRACT.md``: what ``newsprism analyze --json`` and
``newsprism export`` write, for any view of the corpus.

Beside the contract's fields: ``storylines`` (each with its stories in time order), a story's
``coverage`` (for each outlet, the facts it carries), ``framing`` (for each outlet and speaker,
quotes, quoted words, reporting verbs and their stance) and ``first``/``last``/``outlets``, the span a
fact, summary sentence or timeline entry was quoted from, and each timeline entry's story.
Extra fields beyond the contract (evidence, credits, spans) are added, never renamed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from newsprism.records import Article, CorpusView, Quote, Unit


def to_document(corpus: CorpusView) -> dict[str, Any]:
    return {
        "articles": [_article(a) for a in corpus.articles],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.type,
                "aliases": list(e.aliases),
                "mentions": [
                    {"article": m.article, "text": m.text, "start": m.start, "end": m.end} for m in e.mentions
                ],
            }
            for e in corpus.entities
        ],
        "relations": [
            {
                "article": r.mention.article,
                "text": r.mention.text,
                "start": r.mention.start,
                "end": r.mention.end,
                "relation": r.relation,
                "entity": r.entity,
            }
            for r in corpus.relations
        ],
        "quotes": [_quote(q) for q in corpus.quotes],
        "times": [
            {
                "article": t.article,
                "text": t.text,
                "value": t.value,
                "granularity": t.granularity,
                "start": t.start,
                "end": t.end,
            }
            for a in corpus.articles
            for t in corpus.annotations[a.id].times
        ],
        "stories": [
            {
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
            for s in corpus.stories
        ],
        "storylines": [
            {"id": line.id, "title": line.title, "stories": list(line.stories)} for line in corpus.storylines
        ],
        "timeline": [
            {
                "date": t.date,
                "text": t.text,
                "articles": list(t.articles),
                "story": t.story,
                "source": {"article": t.source[0], "start": t.source[1], "end": t.source[2]},
            }
            for t in corpus.timeline
        ],
        "reuse": [
            {
                "from": r.source,
                "to": r.target,
                "kind": r.kind,
                "passages": list(r.passages),
                "origin": r.origin,
                "evidence": r.evidence,
            }
            for r in corpus.reuse
        ],
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
        "published_evidence": dataclasses.asdict(evidence) if evidence else None,
        "dateline": a.dateline,
        "authors": list(a.authors),
        "credits": list(a.credits),
        "paragraphs": list(a.paragraphs),
        "removed": [{"text": r.text, "reason": r.reason} for r in a.removed],
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
