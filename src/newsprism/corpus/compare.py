"""Facts of a story and who carries them: the claim units of its articles aligned across outlets.

A claim unit is a sentence of an article's body (the words a reader takes as one statement). Two
units of different articles state the same fact when their TF-IDF vectors over the story's own
sentences are close (``SAME_FACT``): rewrites of one wire sentence, a quote carried with other words
around it. The closest pairs join first, and a fact holds at most one unit of each article, so a
long sentence does not gather every fact it touches. A fact keeps every article and outlet that
carries it, and the unit that agrees most with the others as its text, word for word, with its span.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import combinations
from typing import Any, Literal

import numpy as np
from lemminflect import getLemma

from newsprism.lexicon import MONTH, ORDINAL, SPEECH_VERBS
from newsprism.records import Article, Dispute, Fact, Quote, Unit, mint_id
from newsprism.text import WORD, sentence_spans, words
from newsprism.unionfind import UnionFind

# Set on the seed corpus: two outlets' renderings of one quote or statement score 0.35-0.8;
# sentences that only share the story's names (its people, countries and places) stay below.
SAME_FACT = 0.35
MIN_UNIT_WORDS = 6
# The longest stories are compared on the articles that read most like the story: alignment is
# quadratic in sentences, and a fact a hundred outlets carry is among the first fifty's.
MAX_ARTICLES = 50
# Nor does one page's length make it quadratic: an article counts with its first this many units (the
# longest development article has 1,336; a 4.9 MB transcript had 36,000, a 10 GB similarity matrix).
MAX_ARTICLE_UNITS = 1_500
# What a unit's mean similarity to the story's headlines adds to its centrality. A headline is the
# outlet's own one-line summary; since cleaning cut headlines off the ledes they were glued to, they
# are no longer units themselves. Set on Timeline17 summaries (bench/summaries.py's protocol):
# 0.05 gives ROUGE-1/2 0.284/0.078 where none gives 0.281/0.075; 0.03 gives 0.286/0.077, 0.08
# 0.283/0.077, 0.2 falls below none.
HEADLINE = 0.05
SPEECH_VERB_LEMMAS = frozenset(SPEECH_VERBS) | {"cite", "quote"}
# Two units of one fact disagree only if they tell the same thing: this share of their words (numbers
# aside) in common, and, for a negation, this much more (the rest of the wording must be alike).
SAME_CLAIM_WORDS = 0.3
SAME_WORDING = 0.6
# A fact fifty articles carry is checked on its first dozen tellings: pairs grow as their square.
DISPUTE_TELLINGS = 12
NEGATIONS = frozenset({
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "deny", "denies", "denied",
    "denying", "reject", "rejects", "rejected", "false", "untrue",
})  # fmt: skip
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*")
_MONTH_BEFORE = re.compile(rf"{MONTH}\s*$", re.I)
_MONTH_WORD = re.compile(MONTH, re.I)
_MONTH_AFTER = re.compile(rf"(?:{ORDINAL})?\s+(?:of\s+)?{MONTH}", re.I)
# How a reporting verb frames what it reports (after Bell 1991 and the AP Stylebook's advice to
# prefer "said"): endorsing verbs present the content as fact or concede it; distancing verbs leave
# it to the speaker, as contested or as an accusation; every other speech verb is neutral. Kept here,
# not in ``lexicon``: only framing reads it, and the article-level stages' cache keys stay as they are.
ENDORSING_VERBS = frozenset({
    "acknowledge", "admit", "concede", "confirm", "reveal", "disclose", "explain", "note", "point",
    "observe", "recall", "clarify", "show",
})  # fmt: skip
DISTANCING_VERBS = frozenset({
    "claim", "allege", "insist", "contend", "maintain", "assert", "purport", "boast", "accuse", "charge",
    "blame", "blast", "slam", "decry", "denounce", "condemn", "mock", "lament", "complain",
})  # fmt: skip


def claim_units(article: Article) -> list[Unit]:
    body = article.body
    return [
        Unit(article.id, start, end, body[start:end])
        for start, end in sentence_spans(body)
        if len(words(body[start:end])) >= MIN_UNIT_WORDS
    ]


def facts(articles: Sequence[Article], story: str = "") -> list[Fact]:
    """The facts of a story's articles, most carried first."""
    units = [u for a in articles[:MAX_ARTICLES] for u in claim_units(a)[:MAX_ARTICLE_UNITS]]
    if not units:
        return []
    # Imported here: scikit-learn and SciPy are 70 MB of every process that imports this module, and
    # reading stories whose comparison is stored (an export, a page) never compares.
    from sklearn.feature_extraction.text import TfidfVectorizer

    outlet = {a.id: outlet_name(a) for a in articles}
    try:
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        vectors = vectorizer.fit_transform(u.text for u in units)
    except ValueError:  # nothing but stop words
        return []
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    joined: UnionFind[int] = UnionFind()
    carriers = [{u.article} for u in units]

    # The closest pairs first; two groups join only when no article is in both, so a fact holds one
    # unit of each article that carries it and similar sentences do not chain into a topic.
    rows, cols = np.nonzero(np.triu(similarity >= SAME_FACT))
    for i, j in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: -similarity[p]):
        a, b = joined.find(i), joined.find(j)
        if a != b and not carriers[a] & carriers[b]:
            carriers[joined.union(a, b)] = carriers[a] | carriers[b]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        groups[joined.find(i)].append(i)
    centrality = similarity.sum(axis=1) / max(1, len(units) - 1)
    headlines = [a.title for a in articles[:MAX_ARTICLES] if a.title]
    if headlines:
        to_headlines = (vectorizer.transform(headlines) @ vectors.T).toarray().mean(axis=0)
        centrality = centrality + HEADLINE * to_headlines
    found = []
    for members in groups.values():
        best = max(members, key=lambda i: (similarity[i, members].sum(), centrality[i], -i))
        carried = tuple(sorted({units[i].article for i in members}))
        source = units[best]
        found.append(
            Fact(
                _fact_id(story, source),
                source.text,
                carried,
                tuple(sorted({outlet[a] for a in carried})),
                source,
                tuple(units[i] for i in sorted(members)),
                float(centrality[best]),
            )
        )
    return sorted(found, key=lambda f: (-len(f.outlets), -len(f.articles), -f.centrality, f.id))


def framing(quotes: Sequence[Quote], outlet_of: Mapping[str, str]) -> dict[str, dict[str, dict[str, Any]]]:
    """For each outlet and each speaker it quotes: how many quotes and quoted words, the reporting
    verbs (by lemma) and how they frame what they report (``lexicon.stance``), and the outlets it
    has quotes through ("cited by Tass")."""
    table: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for q in quotes:
        speaker = q.speaker.name or q.speaker.text or "(unattributed)"
        row = table[outlet_of.get(q.article) or q.article].setdefault(
            speaker,
            {"quotes": 0, "words": 0, "verbs": Counter(), "stance": Counter(), "via": Counter()},
        )
        row["quotes"] += 1
        row["words"] += len(words(q.text))
        verb = cue_verb(q.cue)
        if verb:
            row["verbs"][verb] += 1
            row["stance"][stance(verb)] += 1
        if q.via:
            row["via"][q.via] += 1
    return {
        outlet: {
            speaker: {k: dict(v) if isinstance(v, Counter) else v for k, v in row.items()}
            for speaker, row in sorted(rows.items())
        }
        for outlet, rows in sorted(table.items())
    }


def disputes(found: Sequence[Fact], outlet_of: Mapping[str, str]) -> list[Dispute]:
    """Facts that two outlets tell differently, the two sentences side by side: each has a number
    the other lacks (``dates`` when those numbers are days or years of dates), or the two read
    alike but one says it is not so. One dispute per fact: the first disagreeing pair among its
    first ``DISPUTE_TELLINGS`` tellings."""
    found_disputes = []
    for fact in found:
        told = [(u, _claim_words(u.text), _numbers(u.text)) for u in fact.units[:DISPUTE_TELLINGS]]
        for a, b in combinations(told, 2):
            if outlet_of.get(a[0].article, a[0].article) == outlet_of.get(b[0].article, b[0].article):
                continue
            disagreement = _disagreement(a[1:], b[1:])
            if disagreement:
                kind, values = disagreement
                found_disputes.append(Dispute(fact.id, kind, (a[0], b[0]), values))
                break
    return found_disputes


def _disagreement(
    a: tuple[set[str], dict[str, tuple[bool, str]]], b: tuple[set[str], dict[str, tuple[bool, str]]]
) -> tuple[Literal["numbers", "dates", "polarity"], tuple[str, str]] | None:
    """How two tellings (their words and numbers) of one fact disagree, if they do: numbers count
    only when a number of each side that the other lacks counts the same thing ("70 miles" against
    "100 miles", "September 9" against "September 12")."""
    (words_a, numbers_a), (words_b, numbers_b) = a, b
    if _jaccard(words_a, words_b) < SAME_CLAIM_WORDS:
        return None
    only_a = {n: numbers_a[n] for n in numbers_a.keys() - numbers_b.keys()}
    only_b = {n: numbers_b[n] for n in numbers_b.keys() - numbers_a.keys()}
    for slot in sorted({s for _, s in only_a.values()} & {s for _, s in only_b.values()}):
        side_a = sorted(n for n, (_, s) in only_a.items() if s == slot)
        side_b = sorted(n for n, (_, s) in only_b.items() if s == slot)
        dated = all(only_a[n][0] for n in side_a) and all(only_b[n][0] for n in side_b)
        return ("dates" if dated else "numbers"), (", ".join(side_a), ", ".join(side_b))
    negated_a, negated_b = words_a & NEGATIONS, words_b & NEGATIONS
    if bool(negated_a) != bool(negated_b) and (
        _jaccard(words_a - NEGATIONS, words_b - NEGATIONS) >= SAME_WORDING
    ):
        return "polarity", (" ".join(sorted(negated_a)), " ".join(sorted(negated_b)))
    return None


def _claim_words(text: str) -> set[str]:
    return {w for w in words(text.lower().replace("n't", " not")) if not w.isdigit()}


def _numbers(text: str) -> dict[str, tuple[bool, str]]:
    """The numbers of a sentence, each with whether it is part of a date (a day beside a month
    name, or a year) and what it counts: the month of a day, else the word after it."""
    found: dict[str, tuple[bool, str]] = {}
    for match in _NUMBER.finditer(text):
        number = match.group().replace(",", "")
        before, after = text[max(0, match.start() - 12) : match.start()], text[match.end() : match.end() + 24]
        month = _MONTH_BEFORE.search(before) or _MONTH_AFTER.match(after)
        year = len(number) == 4 and number.startswith(("19", "20"))
        if month:
            slot = _MONTH_WORD.search(month.group()).group()[:3].lower()
        else:
            following = WORD.search(after)
            slot = "year" if year else (following.group().lower() if following else "")
        found.setdefault(number, (bool(month) or year, slot))
    return found


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def outlet_name(article: Article) -> str:
    """The outlet an article stands for in comparisons: its outlet, or the article itself when unknown."""
    return article.outlet or article.id


def stance(verb_lemma: str) -> str:
    """``endorsing``, ``distancing`` or ``neutral``: how a reporting verb frames what it reports."""
    if verb_lemma in ENDORSING_VERBS:
        return "endorsing"
    return "distancing" if verb_lemma in DISTANCING_VERBS else "neutral"


@lru_cache(maxsize=4096)  # a story's thousands of quotes use a few dozen cues
def cue_verb(cue: str | None) -> str | None:
    """The speech verb of a cue, as a lemma: "was cited as saying" is "say", "accused" "accuse"."""
    for word in reversed((cue or "").lower().split()):
        lemmas = getLemma(word, upos="VERB")
        if lemmas and lemmas[0] in SPEECH_VERB_LEMMAS:
            return lemmas[0]
    return None


def _fact_id(story: str, unit: Unit) -> str:
    return mint_id("f", f"{story}:{unit.article}:{unit.start}")
