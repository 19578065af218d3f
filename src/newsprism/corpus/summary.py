"""Summary: a neutral, extractive summary of a story, every sentence citing its articles.

The sentences are the texts of the story's facts (``compare.facts``), quoted word for word, leaving
out questions, exclamations and first-person asides (readers' comments, teasers). Each fact is rated
by how central it is to the story (its mean similarity to every sentence of the story, as TextRank
and LexRank rate sentences: a fact many articles tell is close to all their tellings; and a little
to its headlines, ``compare.HEADLINE``), how early an
article tells it (news puts what matters first), and the share of the story's outlets carrying it;
the best rated comes first, then the next that says something the chosen ones do not
(``REDUNDANT``), until the word budget is spent; a fact bringing in an article no sentence cites yet
gets a little more. A sentence cites every article that carries its fact, not only the one it was
taken from. Attributions stay as the articles wrote them ("the minister said", "the spokesman
accused"), so a disputed claim stays its speaker's.

The weights were set on Timeline17 (bpoil and H1N1: a day's articles against the journalists' entry
for that day, ``bench/summaries.py``), where they sit on a broad plateau: centrality alone reaches
ROUGE-1 0.266, adding the lead 0.276, the outlet share 0.281; ranking by outlets first, as this
module did before, 0.237.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from newsprism.article.headers import furniture_sentence
from newsprism.corpus.compare import facts
from newsprism.lexicon import SPEECH_VERBS
from newsprism.records import Article, Fact, SummarySentence
from newsprism.text import words

SUMMARY_WORDS = 120
# What a fact's rating adds to its centrality (scaled to the story's most central fact, so 0 to 1):
# LEAD / (1 + the place of its earliest telling among its article's sentences), OUTLET_SHARE times
# the share of the story's outlets carrying it, NEW_ARTICLE if no chosen sentence cites its articles.
LEAD = 0.5
OUTLET_SHARE = 0.4
NEW_ARTICLE = 0.1
# Word overlap (Jaccard) above which a fact repeats one already chosen.
REDUNDANT = 0.5
_SPEECH_FORMS = frozenset(
    form for verb in SPEECH_VERBS for form in (verb, verb + "s", verb + "ed", verb + "d")
) | {"said", "told", "wrote", "says", "tells", "writes", "added", "adds", "thought"}
# A question, an exclamation or a first-person sentence outside quotation marks is a reader's
# comment, a teaser or a column's aside, not a report of the story.
_CHATTER = re.compile(r"[?!]\s*$|^(?:[^\"“”]*\s)?(?:I|I'm|I've|my|me)\b", re.M)
# A quotation whose only speaker is a pronoun ('"The violence must stop," he said.') does not say who
# spoke once it stands alone in a summary; a sentence naming its speaker ("..., Obama said") does.
_PRONOUN = r"(?:he|she|they|it|we|you)"
_SPEECH = rf"(?:{'|'.join(sorted(_SPEECH_FORMS, key=len, reverse=True))})"
_PRONOUN_QUOTE = re.compile(
    rf"[\"”’'`]\s*(?:,\s*)?{_PRONOUN}\s+(?:also\s+|later\s+|then\s+)?{_SPEECH}\b"  # "...," he said
    rf"|[\"”’'`]\s*(?:,\s*)?{_SPEECH}\s+{_PRONOUN}\b"  # "...," said he
    rf"|^(?:{_PRONOUN})\s+(?:also\s+)?{_SPEECH}\s*[:,]?\s*[\"“‘`]",  # He said: "..."
    re.I,
)


def summarize_facts(found: Sequence[Fact], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """Facts chosen one at a time, the best rated first (centrality, lead, outlet share, a new
    article cited); each must fit the budget and not repeat one chosen before."""
    words_of = {f.id: _words(f) for f in found}
    length = {f.id: _length(f) for f in found}
    place = _earliest_place(found)
    most_central = max((f.centrality for f in found), default=0.0) or 1.0
    outlets = len({o for f in found for o in f.outlets}) or 1
    base = {
        f.id: f.centrality / most_central + LEAD / (1 + place[f.id]) + OUTLET_SHARE * len(f.outlets) / outlets
        for f in found
    }
    chosen: list[Fact] = []
    cited: set[str] = set()
    spent = 0
    left = [f for f in found if not _unfit(f.text)] or list(found)
    while left:
        best = max(left, key=lambda f: (base[f.id] + NEW_ARTICLE * bool(set(f.articles) - cited), f.id))
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


def _unfit(text: str) -> bool:
    """A reader's aside, a quote with no one named, or page furniture glued to a sentence."""
    return bool(_CHATTER.search(text) or _PRONOUN_QUOTE.search(text) or furniture_sentence(text))


def summarize(articles: Sequence[Article], words: int = SUMMARY_WORDS) -> list[SummarySentence]:
    """The summary of these articles taken as one story."""
    return summarize_facts(facts(articles), words)


def _earliest_place(found: Sequence[Fact]) -> dict[str, int]:
    """Each fact's earliest telling: the place (0 first) of its sentence among its article's claim
    units, which are the units of all the facts together."""
    starts: dict[str, list[int]] = defaultdict(list)
    for fact in found:
        for unit in fact.units:
            starts[unit.article].append(unit.start)
    place = {article: {start: i for i, start in enumerate(sorted(s))} for article, s in starts.items()}
    return {f.id: min(place[u.article][u.start] for u in f.units) for f in found}


def _words(fact: Fact) -> set[str]:
    return set(words(fact.text.lower()))


def _length(fact: Fact) -> int:
    return len(words(fact.text))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0
