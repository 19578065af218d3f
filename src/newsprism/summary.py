"""Summary: a neutral, extractive summary of a story, every sentence citing its articles.

The sentences are the texts of the story's facts (``compare.facts``), quoted word for word, leaving
out questions, exclamations and first-person asides (readers' comments, teasers): the facts most
outlets carry first, then those most central to the story, each only if it says something the
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
_WORD = re.compile(r"\w+")
# A question, an exclamation or a first-person sentence outside quotation marks is a reader's
# comment, a teaser or a column's aside, not a report of the story.
_CHATTER = re.compile(r"[?!]\s*$|^(?:[^\"“”]*\s)?(?:I|I'm|I've|my|me)\b", re.M)


def summarize_facts(found: Sequence[Fact], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """Facts chosen one at a time: the one most outlets carry, counting one more for a fact that
    brings in an article no chosen sentence cites yet (a summary of five reports should not be
    four reports' summary), then the most central; each must fit the budget and not repeat."""
    words_of = {f.id: _words(f) for f in found}
    length = {f.id: _length(f) for f in found}
    chosen: list[Fact] = []
    cited: set[str] = set()
    spent = 0
    left = [f for f in found if not _CHATTER.search(f.text)] or list(found)
    while left:
        best = max(left, key=lambda f: (len(f.outlets) + bool(set(f.articles) - cited), f.centrality, f.id))
        chosen.append(best)
        cited |= set(best.articles)
        spent += length[best.id]
        # The budget only shrinks and the chosen only grow: what no longer fits, or repeats, never will.
        left = [
            f
            for f in left
            if f is not best
            and spent + length[f.id] <= words
            and _jaccard(words_of[f.id], words_of[best.id]) < REDUNDANT
        ]
    return [SummarySentence(f.text, f.articles, f.source) for f in chosen]


def summarize(articles: Sequence[Article], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """The summary of these articles taken as one story."""
    return summarize_facts(facts(articles), words)


def _words(fact: Fact) -> set[str]:
    return set(_WORD.findall(fact.text.lower()))


def _length(fact: Fact) -> int:
    return len(_WORD.findall(fact.text))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
