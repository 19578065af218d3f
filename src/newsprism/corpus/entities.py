"""Entities across the corpus: every mention of one real-world person, organisation or place under
one id, with a canonical name, and capitals that stand for their governments.

Resolution groups mentions into entities without comparing every pair: names are blocked by exact
key, by consonant skeleton (spelling and transliteration variants), by surname, by acronym initials
and by distinctive organisation words, so the work grows with the number of names a batch touches,
not with the corpus. A capital used for its government ("Moscow says") stays its own place and gets
a ``stands_for`` relation to its country instead of being merged into it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz.distance import Levenshtein

from newsprism.article.mentions import (
    ORG_WORDS,
    PLACE_TYPES,
    TYPES,
    gazetteer,
    name_tokens,
    role_references,
    wordset,
)
from newsprism.corpus.spellings import (
    LINK_WORDS,
    MIN_FUZZY_WORD,
    MIN_LETTERS,
    acronym_fits,
    acronym_letters,
    initials,
    similar,
    sound_skeleton,
    spelling,
    within,
)
from newsprism.lexicon import ROLE_ABBREVIATIONS, ROLE_MODIFIERS, ROLE_NOUNS
from newsprism.records import ArticleNames, Mention, NameCounts, NameUse, mint_id
from newsprism.text import letters
from newsprism.unionfind import UnionFind

# A word shorter than this is never enough on its own to tie an organisation name to a longer one.
MIN_DISTINCTIVE_LEN = 4
# Of those, the ones that name armed or political movements: "X" and "X Front" are the same group,
# whereas "X Foundation" is usually named after a person X and is not X.
_MOVEMENT_WORDS = wordset("front group party movement army forces brigade brigades militia alliance")
# A capital after one of these words is a place where something happens, not its government.
_LOCATIVE = wordset(
    "in at near outside into via across around inside within visit visited visiting based"
)
# "to" and "from" make a place only after a word of movement: "flew to Moscow", not "talking to Moscow".
_DIRECTIONAL = wordset("to from toward towards")
_MOVEMENT = wordset(
    "flew fly flying travelled traveled travel travelling traveling went go going came come coming returned "
    "return returning moved move trip visit journey way back sent send headed head heading arrived arrive "
    "driven drove fled flee evacuated deployed"
)
_DATELINE_CLOSE = re.compile(r"\s*[)\]/]\.?\s*[-–—]")
_BRACKET_ALIAS = re.compile(r"\s*[\[(]\s*$|,?\s*\(?(?:also known as|a\.?k\.?a\.?|formerly(?: known as)?)\s+$")


# # Resolution works on names, not on mentions: a name is one key (``name_key`` of a mention's text) with
# the counts of the labels and surface forms its mentions carry. The corpus holds far fewer names
# than mentions, and a name's statistics are sums, so adding an article only adds to the names it
# mentions. Everything that needs the article's own text (role references, surnames written alone,
# bracketed aliases, a capital standing for its government) is settled first, article by article, by
# ``article_names``; what is left is a graph of names that ``resolve_names`` cuts into entities, for
# the whole corpus or for the neighbourhood of what a new batch of articles touched.


@dataclass
class NameStat(NameCounts):
    """A name's counts with the votes resolution reads from them (the tagger's lexicon decides)."""

    @classmethod
    def of(cls, counts: NameCounts) -> NameStat:
        return cls(counts.key, counts.labels, counts.forms, counts.first, counts.outlets, counts.articles)

    # Read once a name's counts are complete; the vote is the costliest part of resolving a name.
    @cached_property
    def label(self) -> str:
        return vote_label(self.labels, self.tokens)

    @property
    def group(self) -> str:
        return _group(self.label)

    @cached_property
    def acronym(self) -> bool:
        """Mostly written in capitals ("IRC", "AAA", "BUSH" in headlines): letters, not a sound."""
        return 2 * sum(n for form, n in self.forms.items() if acronym_letters(form)) > self.count

    @cached_property
    def node(self) -> str:
        """Names with one node are one entity: a place's node is its country's when it names one."""
        tokens = _place_tokens(self.tokens) if self.label in PLACE_TYPES else self.tokens
        return " ".join(tokens)


_COMMON_WORD = re.compile(r"\b[a-z][a-z'-]{2,}\b")


def article_names(article: str, body: str, mentions: Sequence[Mention]) -> ArticleNames:
    """Settle what one article's text says about its mentions, before any corpus-level vote."""
    ordered = sorted((m for m in mentions if m.article == article), key=lambda m: (m.start, m.end))
    labels = {m: m.label for m in ordered}
    tokens = {m: name_tokens(m.text) for m in ordered}
    tokens |= {m: _untitled(t) for m, t in tokens.items() if m.label == "PERSON"}
    persons = [m for m in ordered if labels[m] == "PERSON"]
    found = role_references(body, persons)
    refs = {m: found[(m.start, m.end)] for m in ordered if (m.start, m.end) in found}
    # A full name the tagger called an organisation is a person's when the article goes on to use
    # its last word alone as a person ("Helena Brask" ... "Brask told reporters").
    lone = {tokens[m][0] for m in ordered if labels[m] == "PERSON" and len(tokens[m]) == 1}
    for m in ordered:
        t = tokens[m]
        if labels[m] in ("ORG", "FAC") and 2 <= len(t) <= 3 and t[-1] in lone and t[-1] not in ORG_WORDS:
            labels[m] = "PERSON"
    surnames = {tokens[m][-1] for m in ordered if labels[m] == "PERSON" and len(tokens[m]) >= 2}
    # A known country is no one's surname, nor is a name written as a place: "in Haiti" after "Yele
    # Haiti", a charity the tagger took for a person, is still the country. Capitals are surnames too
    # ("Mr Hague", "Lima said"), and "in Patzek's mind" is no place.
    surnames -= gazetteer().countries.keys()
    for m in ordered:
        placed = _placed(body, m.start) and not _POSSESSIVE.match(body, m.end)
        if len(tokens[m]) == 1 and labels[m] != "PERSON" and tokens[m][0] in surnames and not placed:
            labels[m] = "PERSON"
    named = [m for m in ordered if m not in refs and tokens[m]]
    full_names = _FullNames(named, labels, tokens)
    resolves = {m: full_names.resolve(m, labels[m]) for m in named}
    uses = [NameUse(m, " ".join(tokens[m]), labels[m], resolves[m], _stands_for(m, tokens[m], body))
            for m in named]
    uses += [NameUse(ref, None, "PERSON", resolves[person])
             for ref, person in refs.items() if person in resolves]
    aliases = []
    for a, b in zip(named, named[1:], strict=False):
        between = body[a.end:b.start]
        # "BRUSSELS (Reuters) -" is a dateline: a place and the agency filing from it.
        dateline = a.text.isupper() or _DATELINE_CLOSE.match(body, b.end)
        bracketed = _BRACKET_ALIAS.match(between + " ") or re.fullmatch(r"\s*[\[(]\s*", between)
        if bracketed and not dateline:
            aliases.append((" ".join(tokens[a]), " ".join(tokens[b])))
    return ArticleNames(article, tuple(sorted(uses, key=lambda u: (u.mention.start, u.mention.end))),
                        tuple(aliases), frozenset(_COMMON_WORD.findall(body)),
                        tuple(sorted(_acronym_links(named, tokens, labels))))


def _acronym_links(named: Sequence[Mention], tokens: dict[Mention, tuple[str, ...]],
                   labels: dict[Mention, str]) -> set[tuple[str, str]]:
    """(acronym, expansion) for each acronym whose letters fit exactly one full name the article
    writes: one that fits two names ("IRC" beside the International Rescue Corps and the Iraqi
    Red Crescent) says nothing about either."""
    full = {" ".join(tokens[m]): (m.text, labels[m] == "PERSON") for m in named
            if initials(m.text) and not acronym_letters(m.text)}
    # Each acronym is matched once, however often it is written, against every full name.
    acronyms = {(acronym_letters(m.text), " ".join(tokens[m])) for m in named}
    links = set()
    for spelled, acronym in acronyms:
        if not spelled:
            continue
        # "BP Plc" is not what BP stands for: an expansion never holds the acronym itself.
        fitting = [key.split() for key, (text, person) in full.items()
                   if spelled not in key.split() and acronym_fits(spelled, text, person)]
        # "US Securities and Exchange Commission" holds the name SEC fits: one name, not two.
        names = [f for f in fitting if not any(within(g, f) for g in fitting)]
        if len(names) == 1:
            links.add((acronym, " ".join(names[0])))
    return links


# Words that stand before a person's surname or full name without being part of it: honorifics and
# the titles of offices ("Mr Hayward", "Comrade Obama", "Foreign Minister Jean Dupont"). Royal and
# religious titles go with a given name ("King Abdullah", "Pope Francis") and stay.
_TITLES = (wordset("mr mrs ms mx miss mister dr prof sir dame comrade prez pres sen rep gov gen adm col "
                   "capt lt sgt cmdr rev")
           | {w for noun in (*ROLE_NOUNS, *ROLE_ABBREVIATIONS) for w in noun.split()}
           | ROLE_MODIFIERS) - wordset("king queen prince princess pope")


def _untitled(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A person's name without the titles written before it, never down to nothing."""
    start = 0
    while start < len(tokens) - 1 and tokens[start] in _TITLES:
        start += 1
    return tokens[start:]


class _FullNames:
    """An article's full person names filed by surname, by how the surname sounds and by given name,
    so that resolving each one-word name is a lookup: a scan of every name for each one was
    quadratic on a transcript with tens of thousands of mentions."""

    def __init__(self, named: Sequence[Mention], labels: dict[Mention, str],
                 tokens: dict[Mention, tuple[str, ...]]):
        self.tokens = tokens
        self.by_surname: defaultdict[str, list[Mention]] = defaultdict(list)
        self.by_sound: defaultdict[str, list[Mention]] = defaultdict(list)
        self.by_given: defaultdict[str, list[Mention]] = defaultdict(list)
        for f in named:  # in body order, which each list keeps
            if labels[f] == "PERSON" and len(tokens[f]) >= 2:
                self.by_surname[tokens[f][-1]].append(f)
                self.by_sound[spelling(tokens[f][-1])].append(f)
                for given in dict.fromkeys(tokens[f][:-1]):
                    self.by_given[given].append(f)

    def resolve(self, m: Mention, label: str) -> str:
        """A one-word person is the full name the article gives them: the one named last before it
        when two people share the word."""
        own = " ".join(self.tokens[m])
        # "BP" is no one's surname, whatever the tagger says: "Bill BP" in a caption is a person
        # and a company.
        if label != "PERSON" or len(self.tokens[m]) != 1 or acronym_letters(m.text):
            return own
        word = self.tokens[m][0]
        # The surname, then its transliteration ("Ghadaffi" after "Muammar Gaddafi"), then a given name.
        local = (self.by_surname.get(word)
                 or (len(word) >= MIN_FUZZY_WORD and self.by_sound.get(spelling(word)))
                 or (len(word) >= 3 and self.by_given.get(word)))
        if not local:
            return own
        before = bisect_left(local, m.start, key=lambda f: f.start)
        latest = local[before - 1].start if before else local[-1].start
        # The first of those named at that offset, as a scan keeping the first maximum would pick.
        return " ".join(self.tokens[local[bisect_left(local, latest, key=lambda f: f.start)]])


# A form's place in corpus order: the article's sequence number, then the offset in its body.
ORDER_STRIDE = 10_000_000


def name_stats(uses: Iterable[NameUse], sequence: dict[str, int]) -> dict[str, NameStat]:
    """Statistics of the names these uses count for; ``sequence`` numbers their articles in the
    order the corpus received them."""
    stats: dict[str, NameStat] = {}
    for use in uses:
        if use.key is not None:
            stat = stats.setdefault(use.key, NameStat(use.key))
            text = use.mention.text
            stat.labels[use.label] += 1
            stat.forms[text] += 1
            seen = sequence[use.mention.article] * ORDER_STRIDE + min(use.mention.start, ORDER_STRIDE - 1)
            stat.first[text] = min(seen, stat.first.get(text, seen))
    return stats


# Blocks: a name is filed under these (kind, value) pairs, and a name can only merge with names it
# shares a block with under the matching kind, so candidates come from an index, never a scan.
_PROBES = {"node": ("node",), "skeleton": ("skeleton",), "core": ("core",), "tail": ("tail",),
           "ends": ("ends",), "surname": ("surname", "lone"), "lone": ("surname",)}


def name_blocks(stat: NameStat) -> set[tuple[str, str]]:
    """Where a name is filed. ``lone`` files a one-word person name under its word, so a full name
    with that surname finds it; ``tail`` files "Miss Universe Ana Lopez" under "ana lopez" and
    ``ends`` "Barack Hussein Obama" under "barack obama". Surnames and spelling skeletons are
    filed by how they sound (``spelling``), so Gaddafi finds Qaddafy."""
    tokens, label, group = stat.tokens, stat.label, stat.group
    node_tokens = stat.node.split()
    blocks = {("node", f"{group}|{stat.node}"), ("skeleton", f"{group}|{sound_skeleton(node_tokens)}")}
    if group == "NAME" and (len(tokens) >= 2 or label == "ORG"):
        blocks |= {("core", t) for t in _core(node_tokens)}
    if label == "PERSON":
        if len(tokens) >= 2:
            blocks.add(("surname", spelling(tokens[-1])))
            blocks.add(("ends", f"{tokens[0]} {tokens[-1]}"))
        if len(tokens) >= 3:
            blocks.add(("tail", " ".join(tokens[-2:])))
        if len(tokens) == 2:
            blocks.add(("tail", stat.key))
        if len(tokens) == 1:
            blocks.add(("lone", spelling(tokens[0])))
    return blocks


def name_probes(stat: NameStat) -> set[tuple[str, str]]:
    """The blocks to look in for names that ``stat`` might merge with."""
    return {(probe, value) for kind, value in name_blocks(stat) for probe in _PROBES[kind]}


# Company forms the tagger keeps in a name ("BP Plc", "Siemens AG"): like "Inc" and "Ltd", not
# part of what the company is called.
COMPANY_FORMS = wordset("plc inc ltd corp co llc llp lp sa ag nv spa gmbh")


def _core(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if t not in ORG_WORDS | COMPANY_FORMS | LINK_WORDS)


def _group(label: str) -> str:
    """People, organisations and facilities are compared together: the tagger often swaps them."""
    return "NAME" if label in ("PERSON", "ORG", "FAC") else label


def vote_label(labels: Counter[str], tokens: tuple[str, ...]) -> str:
    if tokens and tokens[-1] in ORG_WORDS and labels.keys() & {"ORG", "PERSON", "FAC"}:
        return "ORG"
    if labels.keys() & PLACE_TYPES:
        labels = Counter({k: v for k, v in labels.items() if k != "NORP"})
    priority = {label: i for i, label in enumerate(TYPES)}
    # The group the tagger leans to first, then its label: "Horizon" tagged a place 225 times, an
    # organisation 195 and a person 143 is a name (the rig's), not a place.
    groups: Counter[str] = Counter()
    for label, n in labels.items():
        groups[_group(label)] += n
    group = min(groups, key=lambda g: (-groups[g], min(priority[k] for k in labels if _group(k) == g)))
    return min((k for k in labels if _group(k) == group), key=lambda label: (-labels[label], priority[label]))


def _place_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    country = gazetteer().countries.get(" ".join(tokens))
    return name_tokens(country) if country else tokens


def resolve_names(stats: dict[str, NameStat], links: Counter[tuple[str, str, str]],
                  common: Iterable[str], outlets: Collection[str] = ()) -> dict[str, str]:
    """Cut a graph of names into entities: each name key mapped to the root key of its entity.

    ``links`` counts the articles that tie two names, as (name, name, kind): kind "alias" for a
    bracketed alias, "acronym" for an acronym written beside its expansion. ``outlets`` are the
    keys of news outlets' names, which a byline or dateline puts beside any name. The rules only
    ever join names that share a block (``name_blocks``) or a link, so resolving the neighbourhood
    of some names gives them the same entities as resolving the whole corpus.
    """
    uf: UnionFind[str] = UnionFind()
    by_node: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, stat in stats.items():
        uf.find(key)
        by_node[(stat.group, stat.node)].append(key)
    for keys in by_node.values():
        for other in keys[1:]:
            uf.union(keys[0], other)
    _merge_variants(stats, by_node, uf)
    for (a, b, kind), n in sorted(links.items()):
        if kind == "alias" and _alias_holds(stats.get(a), stats.get(b), n, outlets):
            uf.union(a, b)
    _merge_acronyms(stats, links, uf)
    _merge_organisations(stats, set(common), uf)
    _merge_people(stats, uf)
    return {key: uf.find(key) for key in stats}


# A bracketed alias ties two names only when it is not a stray: at least one article in
# ALIAS_SUPPORT of the rarer name's mentions writes it ("Reuters" beside a court once is a credit).
ALIAS_SUPPORT = 20
# An acronym takes the expansion that most of the articles writing both give it.
ACRONYM_AGREEMENT = 0.8


def _alias_holds(a: NameStat | None, b: NameStat | None, articles: int, outlets: Collection[str]) -> bool:
    if a is None or b is None or a.group != "NAME" or b.group != "NAME":
        return False
    if a.key in outlets or b.key in outlets:
        return False
    # A person and an organisation are one only when a name is shaped like an organisation's and
    # the tagger called it a person ("Jebhat al-Nusra [Fatah al-Sham Front]"); "Paul Begala (CNN)" is two.
    if {a.label, b.label} == {"PERSON", "ORG"} and not any(s.tokens[-1] in ORG_WORDS for s in (a, b)):
        return False
    return articles * ALIAS_SUPPORT >= min(a.count, b.count)


def _merge_acronyms(
    stats: dict[str, NameStat], links: Counter[tuple[str, str, str]], uf: UnionFind[str]
) -> None:
    """An acronym joins what most articles writing it beside a name spell it out as, counting the
    spellings of one name together (World Health Organization and Organisation), and the longer
    names that hold one of them ("UN Food and Agriculture Organisation" for FAO)."""
    expansions: dict[str, Counter[str]] = defaultdict(Counter)
    for (acronym, expansion, kind), n in links.items():
        if kind == "acronym" and acronym in stats and expansion in stats and stats[expansion].group == "NAME":
            expansions[acronym][expansion] += n
    for acronym, found in sorted(expansions.items()):
        held = {e: min((h for h in found if within(h.split(), e.split())), key=len, default=e)
                for e in found}
        votes: Counter[str] = Counter()
        for expansion, n in found.items():
            votes[uf.find(held[expansion])] += n
        root, n = max(votes.items(), key=lambda item: (item[1], item[0]))
        if n >= ACRONYM_AGREEMENT * sum(votes.values()) and stats[acronym].group == "NAME":
            for expansion in (acronym, *(e for e in found if uf.find(held[e]) == root)):
                uf.union(expansion, root)


def _merge_variants(
    stats: dict[str, NameStat], by_node: dict[tuple[str, str], list[str]], uf: UnionFind[str]
) -> None:
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for group, node in by_node:
        blocks[(group, sound_skeleton(node.split()))].append((group, node))
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                ka, kb = by_node[a][0], by_node[b][0]
                # Acronyms and names of a letter or two are letters, not sounds: IRC is not IRGC,
                # nor AC the AK, nor AAA the A.
                if uf.find(ka) == uf.find(kb) or any(stats[k].acronym or len(stats[k].key) < MIN_LETTERS
                                                     for k in (ka, kb)):
                    continue
                # One word of two spellings is one name only if the tagger calls both the same kind
                # of thing (the rig "Horizon" is not Mr "Harrison"), or one is a misspelling.
                alike = " " in a[1] or stats[ka].label == stats[kb].label
                if (alike and similar(tuple(a[1].split()), tuple(b[1].split()))
                        or _misspelled(stats[ka], stats[kb]) or _misspelled(stats[kb], stats[ka])):
                    uf.union(ka, kb)


# A one-word name is a misspelling of another one letter away when the other is written in this
# many times as many articles, and by no fewer outlets: "Al-Queda", which the tagger takes for a
# person, in a corpus that writes "Al-Qaeda" everywhere.
MISSPELLING_ATTESTATION = 5


def _misspelled(rare: NameStat, common: NameStat) -> bool:
    """One word, one letter off a far better attested organisation's or place's name, that the
    tagger, not knowing the misspelt word, takes for a person. People's names are not misspellings
    of one another: Osama is not Obama, nor Alleyn's school Mr Allen."""
    return (len(rare.tokens) == len(common.tokens) == 1 and rare.label == "PERSON" != common.label
            and min(len(rare.key), len(common.key)) >= MIN_FUZZY_WORD
            and Levenshtein.distance(rare.key, common.key) == 1
            and rare.outlets <= common.outlets
            and rare.articles * MISSPELLING_ATTESTATION <= common.articles)


def _merge_organisations(stats: dict[str, NameStat], common: set[str], uf: UnionFind[str]) -> None:
    """Names that differ only by a movement word or by extra words."""
    places = gazetteer()
    orgs = {key for key, stat in stats.items() if stat.label == "ORG"}
    # "Apple" is "Apple Inc.": an organisation's one-word name joins the names that only add
    # organisation words to it.
    names = {key for key, stat in stats.items()
             if stat.group == "NAME" and (len(stat.tokens) >= 2 or stat.label == "ORG")}

    def node_words(key: str) -> set[str]:
        return set(stats[key].node.split())

    def core(key: str) -> frozenset[str]:
        return _core(stats[key].node.split())

    same_core: dict[frozenset[str], list[str]] = defaultdict(list)
    for key in sorted(names):
        if core(key):
            same_core[core(key)].append(key)
    for words, group in same_core.items():
        if all(w in common or w in places.countries or w in places.demonyms or w in places.capitals
               or len(w) == 1 for w in words):
            # "US Navy", "US Army" and "US Court" share only a country: that makes no one group;
            # "Group A" and "A" share a letter.
            continue
        found = [k for k in group if k in orgs and node_words(k) - core(k) <= _MOVEMENT_WORDS]
        for key in group:
            if found and (key in orgs or node_words(key) == core(key)):
                uf.union(found[0], key)
    by_word: dict[str, set[str]] = defaultdict(set)
    for key in names:
        for t in core(key):
            by_word[t].add(key)
    for key in sorted(orgs):
        words = core(key)
        if not words or any(len(t) < MIN_DISTINCTIVE_LEN or t in common or t in places.countries
                            or t in places.demonyms for t in words):
            continue
        extra = node_words(key) - words
        # "al-Huda Front" is "Jabhat al-Huda": a longer name holding every distinctive word, whose
        # other words only add to it; "European Parliament" is not "European Union".
        holders = {n for n in set.intersection(*(by_word[t] for t in words))
                   if words < core(n) and extra - node_words(n) <= _MOVEMENT_WORDS}
        roots = {uf.find(n) for n in holders} - {uf.find(key)}
        if len(roots) == 1:
            uf.union(key, next(iter(roots)))


# The share of a surname's full-name mentions one person must hold for the surname alone to be theirs.
DOMINANT_BEARER = 0.9


def _merge_people(stats: dict[str, NameStat], uf: UnionFind[str]) -> None:
    """A title glued onto a known name joins it, and so does a name with a middle name added; a
    surname written alone joins the one person the corpus names with it."""
    people = {key: stat.tokens for key, stat in stats.items() if stat.label == "PERSON"}
    for key, tokens in people.items():
        tail, ends = " ".join(tokens[-2:]), f"{tokens[0]} {tokens[-1]}"
        if len(tokens) >= 3 and len(people.get(tail, ())) == 2:
            # "Miss Universe Ana Lopez": the tagger took a title word into a name it knows already.
            uf.union(key, tail)
        if len(tokens) >= 3 and len(people.get(ends, ())) == 2:
            uf.union(key, ends)
    surnames: dict[str, set[str]] = defaultdict(set)
    for key, tokens in people.items():
        if len(tokens) >= 2:
            surnames[spelling(tokens[-1])].add(key)
    for key, tokens in sorted(people.items()):
        # "BP" is no one's surname, though a caption tags it a person; "BUSH" in a headline is one.
        if len(tokens) != 1 or stats[key].acronym:
            continue
        # Two people of that surname (George and Jeb Bush, Hillary and Bill Clinton): the surname
        # alone stays apart, unless one of them is named in full DOMINANT_BEARER of the times any
        # is ("Obama" is Barack, though Michelle is named too); the article that names one of
        # them has already tied it there.
        named: Counter[str] = Counter()
        for full in surnames.get(spelling(tokens[0]), ()):
            named[uf.find(full)] += stats[full].count
        if named:
            root, n = max(named.items(), key=lambda item: (item[1], item[0]))
            if n >= DOMINANT_BEARER * sum(named.values()):
                uf.union(key, root)


def entity_id(kind: str, name: str) -> str:
    return mint_id("E", f"{kind}|{name}")


def _stands_for(mention: Mention, tokens: tuple[str, ...], body: str) -> str | None:
    """The country a capital stands for here, unless it is written as a place (in Moscow, MOSCOW, ...).
    Only a name the corpus votes a place keeps the relation (``build_resolution``)."""
    country = gazetteer().capitals.get(" ".join(tokens))
    if not country or mention.text.isupper():
        return None
    previous = _previous_words(body, mention.start)
    modifier = _MODIFIED.match(body, mention.end) and previous[-1:] in (["the"], ["a"], ["an"])
    if modifier or body[mention.end:mention.end + 1] == "-":
        # "the Paris accord", "a Washington-based developer": the city names a thing, not a government.
        return None
    return None if _placed(body, mention.start) else country


# Matched where a name ends, never on a copy of the rest of the body: a page of millions of
# characters has tens of thousands of names.
_POSSESSIVE = re.compile(r"\s?['’]s\b")
_MODIFIED = re.compile(r"-|\s+[a-z]")


def _previous_words(body: str, start: int) -> list[str]:
    return [w.lower() for w in letters(body[max(0, start - 40):start])]


def _placed(body: str, start: int) -> bool:
    """Whether the name at ``start`` is written as a place: "in Moscow", "flew to Moscow"."""
    previous = _previous_words(body, start)
    if not previous:
        return False
    moving = previous[-1] in _DIRECTIONAL and len(previous) > 1 and previous[-2] in _MOVEMENT
    return previous[-1] in _LOCATIVE or moving
