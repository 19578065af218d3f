"""Facts of a story and who carries them: the claim units of its articles aligned across outlets.

A claim unit is a sentence of an article's body (the words a reader takes as one statement). Two
units of different articles state the same fact when their TF-IDF vectors over the story's own
sentences are close (``SAME_FACT``): rewrites of one wire sentence, a quote carried with other words
around it. The closest pairs join first, and a fact holds at most one unit of each article, so a
long sentence does not gather every fact it touches. A fact keeps every article and outlet that
carries it, and the unit that agrees most with the others as its text, word for word, with its span.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsprism.records import Article, Fact, Unit

# Set on the seeds' Syria story: Reuters' and RT's renderings of one Kerry quote or statement score
# 0.35-0.8; sentences that only share the story's names ("Kerry", "Russia", "Syria") stay below.
SAME_FACT = 0.35
MIN_UNIT_WORDS = 6
# The longest stories are compared on the articles that read most like the story: alignment is
# quadratic in sentences, and a fact a hundred outlets carry is among the first fifty's.
MAX_ARTICLES = 50
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’']))\s+(?=[A-Z\"“‘'])|\n\n")
_WORDS = re.compile(r"\w+")


def claim_units(article: Article) -> list[Unit]:
    body, units, start = article.body, [], 0
    for match in (*_SENTENCE_END.finditer(body), None):
        end = match.start() if match else len(body)
        text = body[start:end].strip()
        if len(_WORDS.findall(text)) >= MIN_UNIT_WORDS:
            offset = body.index(text, start)
            units.append(Unit(article.id, offset, offset + len(text), text))
        start = match.end() if match else len(body)
    return units


def facts(articles: Sequence[Article], story: str = "") -> list[Fact]:
    """The facts of a story's articles, most carried first."""
    units = [u for a in articles[:MAX_ARTICLES] for u in claim_units(a)]
    if not units:
        return []
    outlet = {a.id: a.outlet or a.id for a in articles}
    try:
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        vectors = vectorizer.fit_transform(u.text for u in units)
    except ValueError:  # nothing but stop words
        return []
    similarity = (vectors @ vectors.T).toarray()
    np.fill_diagonal(similarity, 0.0)
    parent = list(range(len(units)))
    carriers = [{u.article} for u in units]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # The closest pairs first; two groups join only when no article is in both, so a fact holds one
    # unit of each article that carries it and similar sentences do not chain into a topic.
    rows, cols = np.nonzero(np.triu(similarity >= SAME_FACT))
    for i, j in sorted(zip(rows.tolist(), cols.tolist(), strict=True), key=lambda p: -similarity[p]):
        a, b = find(i), find(j)
        if a != b and not carriers[a] & carriers[b]:
            parent[b] = a
            carriers[a] |= carriers[b]
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        groups[find(i)].append(i)
    centrality = similarity.sum(axis=1) / max(1, len(units) - 1)
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


def _fact_id(story: str, unit: Unit) -> str:
    return "f" + hashlib.sha1(f"{story}:{unit.article}:{unit.start}".encode()).hexdigest()[:12]
