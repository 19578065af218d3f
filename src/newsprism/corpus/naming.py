"""What an entity is called: its type and canonical name, voted from the names resolution put in it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from newsprism.article.mentions import NAME_PARTICLES, PLACE_TYPES, gazetteer, name_tokens
from newsprism.corpus.entities import COMPANY_FORMS, NameStat, vote_label
from newsprism.corpus.spellings import LINK_WORDS, acronym_fits, acronym_letters, within


def describe(members: Sequence[NameStat]) -> tuple[str, str]:
    """The type and canonical name of an entity made of these names."""
    labels: Counter[str] = Counter()
    for stat in members:
        labels[stat.label] += stat.count
    kind = "ORG" if "ORG" in labels and labels["ORG"] >= labels["PERSON"] > 0 else vote_label(labels, ())
    return kind, _canonical(members, kind)


# The canonical name is a full form (two words or more) when one is written at least this share as
# often as the commonest form: "Barack Obama" over a thousand "Obama", never a stray "Foxy Loxy".
FULL_FORM_SHARE = 0.05
_NAME_WORD = re.compile(r"(?:[A-Z\u00C0-\u024F][\w'’.-]*|[a-z]{1,3}-[A-Z][\w'’-]*)$")


def name_like(form: str) -> bool:
    """A form a reader takes for a name: capitalised words, with particles ("bin", "de", "of the")
    between them; not "Obama a Muslim", "John McCain - Mental Case" or a broken "Petr leos"."""
    words = form.split()
    if not 1 <= len(words) <= 10 or any(c.isdigit() for c in form) and not form.isupper():
        return False
    inner = {w.lower() for w in words[1:-1]}
    return (all(_NAME_WORD.match(w) or w.lower() in NAME_PARTICLES | LINK_WORDS for w in words)
            and bool(_NAME_WORD.match(words[0]) or words[0] == "the") and bool(_NAME_WORD.match(words[-1]))
            and not inner & {"a", "an", "is", "was"})


# A longer name holding a shorter one's words in a run is its full form, and names the entity in
# its place, when it is written in WELL_ATTESTED articles or more and in at least FULL_FORM_ARTICLES
# of the shorter one's articles: not "Average Goldman Sachs", twice glued by the tagger.
WELL_ATTESTED = 2
FULL_FORM_ARTICLES = 0.5


def _canonical(members: Sequence[NameStat], kind: str) -> str:
    places = gazetteer()
    countries = Counter()
    for stat in members:
        country = places.countries.get(stat.key)
        if country and stat.label in PLACE_TYPES:
            countries[country] += stat.count
    if countries:
        return min(countries, key=lambda c: (-countries[c], c))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    # Forms vote by how widely their name is written before how often: one outlet's misspelling
    # repeated in every paragraph does not outvote the spelling every other outlet uses.
    attested: dict[str, tuple[int, int]] = {}
    for stat in members:
        counts.update(stat.forms)
        attested |= dict.fromkeys(stat.forms, (stat.outlets, stat.articles))
        for form, seen in stat.first.items():
            first[form] = min(seen, first.get(form, seen))
    forms = [f for f in counts if name_like(f)] or list(counts)
    top = max(counts[f] for f in forms)
    # What an acronym stands for names the entity however rarely it is spelled out: "Bureau of Ocean
    # Energy Management, Regulation and Enforcement" for BOEMRE.
    acronyms = {acronym_letters(f) for f in forms} - {""}
    # "BP Plc" is not a fuller name than "BP": the company form adds no word of the name.
    full = [f for f in forms if len(set(name_tokens(f)) - COMPANY_FORMS) >= 2
            and (counts[f] >= FULL_FORM_SHARE * top or any(acronym_fits(a, f) for a in acronyms))]
    if kind != "PERSON":
        # "Transitional Council" is "National Transitional Council" cut short. A person's longer
        # forms are the tagger's glued titles instead ("Miss Universe Alicia Machado").
        full = [f for f in full if not any(_fuller(g, f, attested) for g in full)]
    # A form written once is a name only when nothing better is written twice.
    for pool in (full, forms):
        if any(counts[f] >= 2 for f in pool):
            pool[:] = [f for f in pool if counts[f] >= 2]
    # Of forms as widely written and as often, the one with fewest words: the tagger glues titles
    # onto names ("Miss Universe Alicia Machado"), and middle names come and go.
    return min(full or forms, key=lambda t: (tuple(-n for n in attested[t]), -counts[t], len(t.split()),
                                             -len(t), first.get(t, 0), t))


def _fuller(longer: str, form: str, attested: dict[str, tuple[int, int]]) -> bool:
    """Whether ``longer`` is ``form`` written in full, and well attested. "Exxon Mobil Corp" is not
    fuller than "Exxon Mobil": a company form adds no word of the name."""
    part, whole = ([w for w in name_tokens(f) if w not in COMPANY_FORMS] for f in (form, longer))
    articles = attested[longer][1]
    return within(part, whole) and articles >= max(WELL_ATTESTED, FULL_FORM_ARTICLES * attested[form][1])
