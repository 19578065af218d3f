"""Summary: a neutral, extractive summary of a story, every sentence citing its articles.

The sentences are the texts of the story's facts (``compare.facts``), quoted word for word: the facts
most outlets carry first, then those most central to the story, each only if it says something the
chosen ones do not (``REDUNDANT``), until the word budget is spent; an article no sentence cites yet
counts like one more outlet. A sentence cites every article
that carries its fact, not only the one it was taken from. Attributions stay as the articles wrote
them ("the minister said", "the spokesman accused"), so a disputed claim stays its speaker's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsprism.compare import facts
from newsprism.records import Article, Fact, SummarySentence

SUMMARY_WORDS = 120
# Word overlap (Jaccard) above which a fact repeats one already chosen.
REDUNDANT = 0.5
LEAD_WEIGHT = 0.0
CENTRALITY_WEIGHT = 0.99
SKIP_CHATTER = 0.0
_WORD = re.compile(r"\w+")
# A question, an exclamation or a first-person sentence outside quotation marks is a reader's
# comment, a teaser or a column's aside, not a report of the story.
_CHATTER = re.compile(r"[?!]\s*$|^(?:[^\"“”]*\s)?(?:I|I'm|I've|my|me)\b", re.M)


def summarize_facts(found: Sequence[Fact], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """Facts chosen one at a time: the one most outlets carry, counting one more for a fact that
    brings in an article no chosen sentence cites yet (a summary of five reports should not be
    four reports' summary), then the most central; each must fit the budget and not repeat."""
    chosen: list[Fact] = []
    cited: set[str] = set()
    spent = 0
    left = [f for f in found if not (SKIP_CHATTER and _CHATTER.search(f.text))] or list(found)
    lead = _lead(found)
    while left:
        fitting = [
            f
            for f in left
            if (not chosen or spent + _length(f) <= words)
            and not any(_jaccard(_words(f), _words(c)) >= REDUNDANT for c in chosen)
        ]
        if not fitting:
            break
        best = max(
            fitting,
            key=lambda f: (
                len(f.outlets)
                + bool(set(f.articles) - cited)
                + LEAD_WEIGHT * lead[f.id]
                + CENTRALITY_WEIGHT * f.centrality,
                f.id,
            ),
        )
        chosen.append(best)
        cited |= set(best.articles)
        spent += _length(best)
        left.remove(best)
    return [SummarySentence(f.text, f.articles, f.source) for f in chosen]


def summarize(articles: Sequence[Article], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """The summary of these articles taken as one story."""
    return summarize_facts(facts(articles), words)


def _lead(found: Sequence[Fact]) -> dict[str, float]:
    """How near its article's top a fact is told: 1 for a first sentence, 1/2 for a second ..."""
    starts: dict[str, list[int]] = {}
    for fact in found:
        for unit in fact.units:
            starts.setdefault(unit.article, []).append(unit.start)
    rank = {
        (article, start): i
        for article, found_starts in starts.items()
        for i, start in enumerate(sorted(found_starts))
    }
    return {f.id: max(1 / (1 + rank[(u.article, u.start)]) for u in f.units) for f in found}


def _words(fact: Fact) -> set[str]:
    return set(_WORD.findall(fact.text.lower()))


def _length(fact: Fact) -> int:
    return len(_WORD.findall(fact.text))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
