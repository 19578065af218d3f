"""Entity mentions in one article, and their resolution into entities across the corpus.

Article level, ``extract_mentions`` reads spaCy's named entities, repairs the model's usual slips by
rule (URLs or dates tagged as people, a leading "the", a possessive "'s", a country tagged as a
person, a span running over a paragraph break) and adds role references: once an article writes
"French Foreign Minister Jean Dupont", a later "the French FM" is a mention of that person.

Corpus level, ``resolve_entities`` groups mentions into entities without comparing every pair:
names are blocked by exact key, by consonant skeleton (spelling and transliteration variants), by
surname, by acronym initials and by distinctive organisation words, so the work grows with the
number of mentions, not with its square. A capital used for its government ("Moscow says") stays its
own place and gets a ``stands_for`` relation to its country instead of being merged into it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rapidfuzz import fuzz
from spacy.tokens import Doc, Span

from newsprism.attribution import is_cue
from newsprism.records import PARAGRAPH_SEPARATOR, Article, Entity, EntityRelation, Mention


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

# Two names are spelling variants when each aligned word scores at least TOKEN_SIMILARITY and the whole
# name at least NAME_SIMILARITY (rapidfuzz ratio, 0-100). One substituted letter in a six-letter word
# (Dmitry/Dmitri, Yevgeny/Yevgeni) scores 83; in a five-letter word (Sudan/Sedan, Dan/Don) 80 or less,
# which the whole-name bar then rejects for one-word names: short words are too easily confused.
TOKEN_SIMILARITY = 80
NAME_SIMILARITY = 85
# A word shorter than this is never enough on its own to tie an organisation name to a longer one.
MIN_DISTINCTIVE_LEN = 4

_CALENDAR = _wordset(
    "jan feb mar apr jun jul aug sep sept oct nov dec january february march april may june july august "
    "september october november december mon tue tues wed thu thur thurs fri sat sun monday tuesday "
    "wednesday thursday friday saturday sunday am pm gmt utc est edt bst cet msk st nd rd th"
)
# Final words that make a name an organisation, whatever the tagger said.
ORG_WORDS = _wordset(
    "front group party council ministry department agency army forces force brigade brigades movement "
    "committee commission union organization organisation association institute university company "
    "corporation corp inc ltd bank court parliament assembly congress senate office service network "
    "alliance coalition federation league foundation fund authority board bureau police navy guard "
    "militia battalion corps administration government"
)
# Of those, the ones that name armed or political movements: "X" and "X Front" are the same group,
# whereas "X Foundation" is usually named after a person X and is not X.
_MOVEMENT_WORDS = _wordset("front group party movement army forces brigade brigades militia alliance")
# Lower-case words that belong inside names (bin Laden, van Gogh, al-Bashir).
_NAME_PARTICLES = _wordset("al el bin ibn abu de da di du des del della la le van von der den ter dos das")
_LINK_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "de", "du", "des", "la", "le", "van", "von"})

# Role nouns and the modifiers that narrow them ("foreign" minister, "deputy" spokesman).
ROLE_NOUNS = {
    "secretary-general": "secretary-general", "secretary general": "secretary-general",
    "prime minister": "prime minister", "premier": "prime minister", "pm": "prime minister",
    "fm": "minister", "minister": "minister", "secretary": "secretary",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "president": "president", "chancellor": "chancellor", "ambassador": "ambassador", "envoy": "envoy",
    "attorney general": "attorney general", "general": "general", "commander": "commander",
    "chief": "chief", "director": "director", "chairman": "chair", "chairwoman": "chair",
    "governor": "governor", "senator": "senator", "mayor": "mayor", "king": "king", "queen": "queen",
    "leader": "leader", "counterpart": "counterpart", "adviser": "adviser", "advisor": "adviser",
    "negotiator": "negotiator", "representative": "representative", "prosecutor": "prosecutor",
}
_ABBREVIATED_MODIFIERS = {"fm": frozenset({"foreign"})}
ROLE_MODIFIERS = _wordset(
    "foreign defence defense interior home finance economy trade justice health energy education state "
    "deputy vice special acting first press presidential national security military ministry"
)
_ROLE_WORDS = frozenset(w for role in ROLE_NOUNS for w in role.replace("-", " ").split()) | ROLE_MODIFIERS
# A capital after one of these words is a place where something happens, not its government.
_LOCATIVE = _wordset(
    "in at near outside into via across around inside within visit visited visiting based"
)
# "to" and "from" make a place only after a word of movement: "flew to Moscow", not "talking to Moscow".
_DIRECTIONAL = _wordset("to from toward towards")
_MOVEMENT = _wordset(
    "flew fly flying travelled traveled travel travelling traveling went go going came come coming returned "
    "return returning moved move trip visit journey way back sent send headed head heading arrived arrive "
    "driven drove fled flee evacuated deployed"
)

_URL = re.compile(r"https?://|www\.|\S@\S|\.(?:com|org|net|gov|ru|uk|html?|php)\b", re.I)
_ROLE_ALT = "|".join(re.escape(r).replace(r"\ ", r"[\s-]+").replace(r"\-", r"[\s-]+")
                     for r in sorted(ROLE_NOUNS, key=len, reverse=True))
_ROLE = rf"(?i:{_ROLE_ALT})"
_MODIFIER_ALT = "|".join(sorted(ROLE_MODIFIERS, key=len, reverse=True))
_QUALIFIER = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)?"
# Words that may stand before a role noun in a title: capitalised words ("State Department", "U.S.",
# "(US)", "Russia's") or lower-case role modifiers ("foreign ministry spokeswoman").
_TITLE_WORD = rf"(?:\(?[A-Z][\w.’'-]*\)?|(?i:{_MODIFIER_ALT}))"
_BINDING = re.compile(rf"(?:{_TITLE_WORD}\s+)*\b{_ROLE}\b{_QUALIFIER},?\s*$")
_APPOSITIVE = re.compile(rf"^,\s+(?:the\s+)?((?:{_TITLE_WORD}\s+)*{_ROLE}\b{_QUALIFIER})")
_REFERENCE = re.compile(rf"\b[Tt]he\s+((?:{_TITLE_WORD}\s+)*{_ROLE}\b{_QUALIFIER})(?!\s+[A-Z][a-z])")
_DATELINE_CLOSE = re.compile(r"\s*[)\]/]\.?\s*[-–—]")
_BRACKET_ALIAS = re.compile(r"\s*[\[(]\s*$|,?\s*\(?(?:also known as|a\.?k\.?a\.?|formerly(?: known as)?)\s+$")


@dataclass(frozen=True)
class _Places:
    countries: dict[str, str]
    demonyms: dict[str, str]
    capitals: dict[str, str]


@cache
def _places() -> _Places:
    data = json.loads(resources.files("newsprism").joinpath("data/places.json").read_text(encoding="utf-8"))
    countries, demonyms, capitals = {}, {}, {}
    for name, info in data["countries"].items():
        for form in (name, *info["aliases"]):
            countries[_key(form)] = name
        for form in info["demonyms"]:
            demonyms[_key(form)] = name
        for form in info["capitals"]:
            if _key(form) not in countries:
                capitals[_key(form)] = name
    return _Places(countries, demonyms, capitals)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("’", "'").replace("‘", "'")


def _name_tokens(text: str) -> tuple[str, ...]:
    """Words of a name for comparison: no "the", no possessive, no Arabic article (al-Bashir = Bashir)."""
    words = re.sub(r"[^\w\s'-]", " ", _fold(text).replace(".", "")).split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    out = []
    for i, word in enumerate(words):
        word = re.sub(r"^(?:al|el)-(?=\w)", "", word).strip("-'")
        if word in ("al", "el") and i < len(words) - 1:
            continue
        if word:
            out.append(word)
    if len(out) >= 3:
        # "Donald J. Trump" is "Donald Trump": middle initials are written or left out at will.
        out = [out[0], *(w for w in out[1:-1] if len(w) > 1), out[-1]]
    return tuple(out)


def _key(text: str) -> str:
    return " ".join(_name_tokens(text))


def _skeleton(tokens: Iterable[str]) -> str:
    """Consonants only, doubles collapsed: Dmitry/Dmitri and Harakat/Harakit share one."""
    return " ".join(re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy'-]", "", t)) for t in tokens)


def _stable_id(kind: str, name: str) -> str:
    return "E" + hashlib.sha1(f"{kind}|{name}".encode()).hexdigest()[:12]


# --- article level -----------------------------------------------------------------------------------


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    text = body[start:end]
    lead = re.match(r"(?:(?i:the|a|an|this|that|these|those)\s+)+", text)
    if lead and lead.end() < len(text):
        start += lead.end()
    tail = re.search(r"(?:['’]s|(?<=s)['’])$", body[start:end])
    if tail:
        end -= len(tail.group())
    while start < end and not body[start].isalnum():
        start += 1
    while end > start and not (body[end - 1].isalnum() or body[end - 1] in ".)"):
        end -= 1
    if body[start:end].endswith(")") and "(" not in body[start:end]:
        end -= 1
    return start, end


def _strip_lowercase_lead(body: str, start: int, end: int) -> int:
    """Start of an organisation name after lower-case words the tagger took in ("federal Securities ...")."""
    while True:
        word = re.match(r"([a-z][\w'’-]*)\s+(?=\S)", body[start:end])
        if not word or word.group(1).split("-")[0] in _NAME_PARTICLES:
            return start
        start += word.end()


def _is_junk_name(text: str) -> bool:
    """True for what can't be a person or organisation name: URLs, e-mails, dates, numbers, lower case."""
    if _URL.search(text) or not re.search(r"[^\W\d_]", text) or text == text.lower():
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(re.search(r"\d", text)) and all(w in _CALENDAR for w in words)


def _label(text: str, label: str) -> str | None:
    places = _places()
    key = _key(text)
    if label in ("PERSON", "ORG") and _is_junk_name(text):
        return None
    if label == "PERSON" and (key in places.countries or key in places.capitals):
        return "GPE"
    if label == "PERSON" and key in places.demonyms:
        return "NORP"
    if label in ("PERSON", "FAC", "LOC") and key.split()[-1:] and key.split()[-1] in ORG_WORDS:
        return "ORG"
    return label


def _entity_spans(body: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """Clean pieces of one spaCy entity: split at paragraph breaks, trimmed, relabelled, or dropped."""
    out = []
    pos = start
    for piece in body[start:end].split(PARAGRAPH_SEPARATOR):
        s, e = _trim(body, pos, pos + len(piece))
        pos += len(piece) + len(PARAGRAPH_SEPARATOR)
        if label == "ORG":
            s = _strip_lowercase_lead(body, s, e)
        if e <= s or body[s:e] == body[s:e].lower():
            continue
        new = _label(body[s:e], label)
        if new is None:
            continue
        words = list(re.finditer(r"\S+", body[s:e]))
        country = _key(words[0].group()) in _places().countries if words else False
        glued = country and len(words) >= 3 and _key(body[s:e]).split()[-1] not in ORG_WORDS
        if new in ("PERSON", "ORG") and glued:
            # "Envoy for Libya Anna Berg": the tagger glued a country onto the name after it.
            out.append((s, s + words[0].end(), "GPE"))
            out.append((s + words[1].start(), e, "PERSON"))
        else:
            out.append((s, e, new))
    return out


@dataclass(frozen=True)
class _Role:
    role: str
    modifiers: frozenset[str]
    countries: frozenset[str]

    def fits(self, bound: _Role) -> bool:
        """A later reference fits a title if it names the same role and says nothing that contradicts it."""
        return (self.role == bound.role and self.modifiers <= bound.modifiers
                and (not self.countries or not bound.countries or bool(self.countries & bound.countries)))


def _parse_role(phrase: str) -> _Role | None:
    places = _places()
    roles = [(m.start(), m.group()) for m in re.finditer(rf"\b{_ROLE}\b", phrase)]
    if not roles:
        return None
    raw = re.sub(r"[\s-]+", " ", roles[-1][1].lower())
    role = ROLE_NOUNS.get(raw) or ROLE_NOUNS[raw.replace(" ", "-")]
    modifiers, countries = set(_ABBREVIATED_MODIFIERS.get(raw, ())), set()
    for word in re.findall(r"[\w.’'-]+", phrase):
        key = _key(word)
        country = places.countries.get(key) or places.demonyms.get(key)
        if country:
            countries.add(country)
        elif key in ROLE_MODIFIERS:
            modifiers.add("defence" if key == "defense" else key)
    return _Role(role, frozenset(modifiers), frozenset(countries))


@dataclass(frozen=True)
class _Binding:
    start: int  # where the title phrase starts
    end: int
    person: Mention
    role: _Role


def _bindings(body: str, persons: Sequence[Mention]) -> list[_Binding]:
    """Titles written right before a person's name, or in apposition after it."""
    out = []
    for person in persons:
        if len(person.text.split()) < 2:
            continue
        para_start = body.rfind(PARAGRAPH_SEPARATOR, 0, person.start) + len(PARAGRAPH_SEPARATOR)
        window = body[max(para_start, person.start - 150):person.start]
        before = _BINDING.search(window)
        if before:
            role = _parse_role(before.group())
            if role:
                start = person.start - len(window) + before.start()
                out.append(_Binding(start, person.start, person, role))
        after = _APPOSITIVE.match(body[person.end:person.end + 120])
        if after:
            role = _parse_role(after.group(1))
            if role:
                out.append(_Binding(person.end + after.start(1), person.end + after.end(1), person, role))
    return out


def _role_references(body: str, persons: Sequence[Mention]) -> dict[tuple[int, int], Mention]:
    """Bare role references ("the Russian FM") mapped to the person mention whose title they recall.

    When several titled people fit, the one mentioned most recently before the reference wins.
    """
    bindings = _bindings(body, persons)
    if not bindings:
        return {}
    refs = {}
    for match in _REFERENCE.finditer(body):
        start, end = match.span(1)
        end -= len(re.search(r"(?:['’]s)?$", match.group(1)).group())
        ref_role = _parse_role(match.group(1))
        fitting = [b for b in bindings if b.end <= start and ref_role and ref_role.fits(b.role)]
        if not fitting or any(b.start <= start < b.end + 1 for b in bindings):
            continue

        def recency(binding: _Binding, start: int = start) -> int:
            names = set(_name_tokens(binding.person.text))
            return max((p.start for p in persons if p.start < start and set(_name_tokens(p.text)) <= names),
                       default=binding.person.start)

        refs[(start, end)] = max(fitting, key=recency).person
    return refs


def _unknown_place_speaking(ent: Span) -> bool:
    """The small model tags unfamiliar surnames as places; a one-word "place" that no gazetteer
    knows and that is the subject of a reporting verb ("Brask told reporters") is a person.
    Known capitals keep speaking for their governments ("Moscow says")."""
    if ent.label_ not in ("GPE", "LOC") or len(ent) != 1:
        return False
    places = _places()
    key = _key(ent.text)
    if key in places.countries or key in places.capitals or key in places.demonyms:
        return False
    token = ent.root
    return token.dep_ == "nsubj" and is_cue(token.head)


def extract_mentions(article: Article, doc: Doc) -> tuple[Mention, ...]:
    """Mentions of people, organisations, places and groups in one article, from its spaCy ``doc``.

    ``doc`` must be the pipeline's parse of ``article.body``; offsets are into that body.
    """
    body = article.body
    spans: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        if ent.label_ in TYPES:
            tagged = "PERSON" if _unknown_place_speaking(ent) else ent.label_
            for s, e, label in _entity_spans(body, ent.start_char, ent.end_char, tagged):
                spans.setdefault((s, e), label)
    persons = [Mention(article.id, s, e, body[s:e], "PERSON")
               for (s, e), label in spans.items() if label == "PERSON"]
    refs = _role_references(body, persons)
    titles = [(b.start, b.end) for b in _bindings(body, persons)]
    kept = {}
    for (s, e), label in spans.items():
        if any(s < re_ and rs < e for rs, re_ in refs):
            continue
        inside_title = any(ts <= s and e <= te for ts, te in titles)
        if inside_title and label != "NORP" and set(_name_tokens(body[s:e])) <= _ROLE_WORDS:
            continue
        kept[(s, e)] = label
    kept.update(dict.fromkeys(refs, "PERSON"))
    return tuple(Mention(article.id, s, e, body[s:e], label) for (s, e), label in sorted(kept.items()))


# --- corpus level ------------------------------------------------------------------------------------
#
# Resolution works on names, not on mentions: a name is one key (``_key`` of a mention's text) with
# the counts of the labels and surface forms its mentions carry. The corpus holds far fewer names
# than mentions, and a name's statistics are sums, so adding an article only adds to the names it
# mentions. Everything that needs the article's own text (role references, surnames written alone,
# bracketed aliases, a capital standing for its government) is settled first, article by article, by
# ``article_names``; what is left is a graph of names that ``resolve_names`` cuts into entities, for
# the whole corpus or for the neighbourhood of what a new batch of articles touched.


@dataclass(frozen=True)
class NameUse:
    """One mention after its article's own evidence is read.

    ``key`` is the name it counts for in the corpus statistics (None for a role reference such as
    "the Russian FM", which names nobody by itself); ``resolves_to`` is the key whose entity the
    mention belongs to: its own, a full name written earlier ("Kerry" after "John Kerry"), or the
    name a role reference recalls. ``country`` is the country a capital stands for here.
    """

    mention: Mention
    key: str | None
    label: str
    resolves_to: str
    country: str | None = None


@dataclass(frozen=True)
class ArticleNames:
    article: str
    uses: tuple[NameUse, ...]
    aliases: tuple[tuple[str, str], ...]  # bracketed aliases: "Jabhat Fatah al-Sham (JFS)"
    words: frozenset[str]  # lower-case words of the body: a name word written in lower case is common


@dataclass
class NameStat:
    """What the corpus knows of one name: how its mentions were tagged and written."""

    key: str
    labels: Counter[str] = field(default_factory=Counter)
    forms: Counter[str] = field(default_factory=Counter)
    # Where each form was first seen (corpus order): of two equally frequent forms the earlier wins.
    first: dict[str, int] = field(default_factory=dict)

    @property
    def tokens(self) -> tuple[str, ...]:
        return tuple(self.key.split())

    @property
    def label(self) -> str:
        return _vote(self.labels, self.tokens)

    @property
    def group(self) -> str:
        return _group(self.label)

    @property
    def node(self) -> str:
        """Names with one node are one entity: a place's node is its country's when it names one."""
        tokens = _place_tokens(self.tokens) if self.label in PLACE_TYPES else self.tokens
        return " ".join(tokens)

    @property
    def count(self) -> int:
        return sum(self.labels.values())

    def add(self, other: NameStat) -> None:
        self.labels.update(other.labels)
        self.forms.update(other.forms)
        for form, seen in other.first.items():
            self.first[form] = min(seen, self.first.get(form, seen))


_COMMON_WORD = re.compile(r"\b[a-z][a-z'-]{2,}\b")


def article_names(article: str, body: str, mentions: Sequence[Mention]) -> ArticleNames:
    """Settle what one article's text says about its mentions, before any corpus-level vote."""
    ordered = sorted((m for m in mentions if m.article == article), key=lambda m: (m.start, m.end))
    labels = {m: m.label for m in ordered}
    tokens = {m: _name_tokens(m.text) for m in ordered}
    persons = [m for m in ordered if labels[m] == "PERSON"]
    found = _role_references(body, persons)
    refs = {m: found[(m.start, m.end)] for m in ordered if (m.start, m.end) in found}
    # A full name the tagger called an organisation is a person's when the article goes on to use
    # its last word alone as a person ("Helena Brask" ... "Brask told reporters").
    lone = {tokens[m][0] for m in ordered if labels[m] == "PERSON" and len(tokens[m]) == 1}
    for m in ordered:
        t = tokens[m]
        if labels[m] in ("ORG", "FAC") and 2 <= len(t) <= 3 and t[-1] in lone and t[-1] not in ORG_WORDS:
            labels[m] = "PERSON"
    surnames = {tokens[m][-1] for m in ordered if labels[m] == "PERSON" and len(tokens[m]) >= 2}
    for m in ordered:
        if len(tokens[m]) == 1 and labels[m] != "PERSON" and tokens[m][0] in surnames:
            labels[m] = "PERSON"
    named = [m for m in ordered if m not in refs and tokens[m]]
    resolves = {m: _local_full_name(m, named, labels, tokens) for m in named}
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
                        tuple(aliases), frozenset(_COMMON_WORD.findall(body)))


def _local_full_name(m: Mention, named: Sequence[Mention], labels: dict[Mention, str],
                     tokens: dict[Mention, tuple[str, ...]]) -> str:
    """A one-word person is the full name the article gives them: the one named last before it
    when two people share the word."""
    own = " ".join(tokens[m])
    if labels[m] != "PERSON" or len(tokens[m]) != 1:
        return own
    word = tokens[m][0]
    full = [f for f in named if labels[f] == "PERSON" and len(tokens[f]) >= 2]
    local = [f for f in full if tokens[f][-1] == word] or \
            [f for f in full if word in tokens[f][:-1] and len(word) >= 3]
    if not local:
        return own
    before = [f for f in local if f.start < m.start] or local
    return " ".join(tokens[max(before, key=lambda f: f.start)])


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
_PROBES = {"node": "node", "skeleton": "skeleton", "initials": "acronym", "acronym": "initials",
           "core": "core", "surname": "surname", "tail": "tail", "lone": "surname"}


def name_blocks(stat: NameStat) -> set[tuple[str, str]]:
    """Where a name is filed. ``lone`` files a one-word person name under its word, so a full name
    with that surname finds it; ``tail`` files "Miss Universe Ana Lopez" under "ana lopez"."""
    tokens, label, group = stat.tokens, stat.label, stat.group
    node_tokens = stat.node.split()
    blocks = {("node", f"{group}|{stat.node}"), ("skeleton", f"{group}|{_skeleton(node_tokens)}")}
    if label == "ORG":
        for form in stat.forms:
            if _acronym(form):
                blocks.add(("acronym", _acronym(form)))
            elif _initials(form):
                blocks.add(("initials", _initials(form)))
    if group == "NAME" and len(tokens) >= 2:
        blocks |= {("core", t) for t in _core(node_tokens)}
    if label == "PERSON":
        if len(tokens) >= 2:
            blocks.add(("surname", tokens[-1]))
        if len(tokens) >= 3:
            blocks.add(("tail", " ".join(tokens[-2:])))
        if len(tokens) == 2:
            blocks.add(("tail", stat.key))
        if len(tokens) == 1:
            blocks.add(("lone", tokens[0]))
    return blocks


def name_probes(stat: NameStat) -> set[tuple[str, str]]:
    """The blocks to look in for names that ``stat`` might merge with."""
    return {(_PROBES[kind], value) for kind, value in name_blocks(stat)}


def _acronym(form: str) -> str:
    letters = re.sub(r"[^\w]", "", form)
    return letters.lower() if letters.isupper() and 2 <= len(letters) <= 6 else ""


def _core(tokens: Iterable[str]) -> frozenset[str]:
    return frozenset(t for t in tokens if t not in ORG_WORDS and t not in _LINK_WORDS)


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _group(label: str) -> str:
    """People, organisations and facilities are compared together: the tagger often swaps them."""
    return "NAME" if label in ("PERSON", "ORG", "FAC") else label


def _vote(labels: Counter[str], tokens: tuple[str, ...]) -> str:
    if tokens and tokens[-1] in ORG_WORDS and labels.keys() & {"ORG", "PERSON", "FAC"}:
        return "ORG"
    if labels.keys() & PLACE_TYPES:
        labels = Counter({k: v for k, v in labels.items() if k != "NORP"})
    priority = {label: i for i, label in enumerate(TYPES)}
    return min(labels, key=lambda label: (-labels[label], priority[label]))


def _similar(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return (len(a) == len(b) and all(fuzz.ratio(x, y) >= TOKEN_SIMILARITY for x, y in zip(a, b, strict=True))
            and fuzz.ratio(" ".join(a), " ".join(b)) >= NAME_SIMILARITY)


def _initials(text: str) -> str:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text) if w.lower() not in _LINK_WORDS]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return ""
    return "".join(w[0] for w in words).lower()


def _place_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    country = _places().countries.get(" ".join(tokens))
    return _name_tokens(country) if country else tokens


def resolve_names(stats: dict[str, NameStat], aliases: Iterable[tuple[str, str]],
                  common: Iterable[str]) -> dict[str, str]:
    """Cut a graph of names into entities: each name key mapped to the root key of its entity.

    The rules only ever join names that share a block (``name_blocks``), so resolving the
    neighbourhood of some names gives them the same entities as resolving the whole corpus.
    """
    uf = _Union()
    by_node: dict[tuple[str, str], list[str]] = defaultdict(list)
    for key, stat in stats.items():
        uf.find(key)
        by_node[(stat.group, stat.node)].append(key)
    for keys in by_node.values():
        for other in keys[1:]:
            uf.union(keys[0], other)
    _merge_variants(by_node, uf)
    for a, b in aliases:
        if a in stats and b in stats and stats[a].group == stats[b].group == "NAME":
            uf.union(a, b)
    _merge_organisations(stats, set(common), uf)
    _merge_people(stats, uf)
    return {key: uf.find(key) for key in stats}


def _merge_variants(by_node: dict[tuple[str, str], list[str]], uf: _Union) -> None:
    blocks: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for group, node in by_node:
        blocks[(group, _skeleton(node.split()))].append((group, node))
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1:]:
                ka, kb = by_node[a][0], by_node[b][0]
                if uf.find(ka) != uf.find(kb) and _similar(tuple(a[1].split()), tuple(b[1].split())):
                    uf.union(ka, kb)


def _merge_organisations(stats: dict[str, NameStat], common: set[str], uf: _Union) -> None:
    """Acronyms to their expansion, and names that differ only by a movement word or by extra words."""
    places = _places()
    orgs = {key for key, stat in stats.items() if stat.label == "ORG"}
    names = {key for key, stat in stats.items() if stat.group == "NAME" and len(stat.tokens) >= 2}
    by_initials: dict[str, set[str]] = defaultdict(set)
    for key in orgs:
        for form in stats[key].forms:
            # "U.N." is written with initials but is the acronym, not what it stands for.
            if _initials(form) and not _acronym(form):
                by_initials[_initials(form)].add(key)
    for key in sorted(orgs):
        for letters in sorted({_acronym(form) for form in stats[key].forms} - {""}):
            roots = {uf.find(n) for n in by_initials.get(letters, ())}
            if len(roots) == 1:
                uf.union(key, next(iter(roots)))

    def node_words(key: str) -> set[str]:
        return set(stats[key].node.split())

    def core(key: str) -> frozenset[str]:
        return _core(stats[key].node.split())

    same_core: dict[frozenset[str], list[str]] = defaultdict(list)
    for key in sorted(names):
        if core(key):
            same_core[core(key)].append(key)
    for group in same_core.values():
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


def _merge_people(stats: dict[str, NameStat], uf: _Union) -> None:
    """A title glued onto a known name joins it; a surname written alone joins the one full name
    the corpus knows with that surname, and stays apart when there are two (George and Jeb Bush)."""
    people = {key: stat.tokens for key, stat in stats.items() if stat.label == "PERSON"}
    for key, tokens in people.items():
        tail = " ".join(tokens[-2:])
        if len(tokens) >= 3 and len(people.get(tail, ())) == 2:
            # "Miss Universe Ana Lopez": the tagger took a title word into a name it knows already.
            uf.union(key, tail)
    surnames: dict[str, set[str]] = defaultdict(set)
    for key, tokens in people.items():
        if len(tokens) >= 2:
            surnames[tokens[-1]].add(key)
    for key, tokens in sorted(people.items()):
        if len(tokens) == 1 and len({uf.find(n) for n in surnames.get(tokens[0], ())}) == 1:
            uf.union(key, next(iter(surnames[tokens[0]])))


def describe(members: Sequence[NameStat]) -> tuple[str, str]:
    """The type and canonical name of an entity made of these names."""
    labels: Counter[str] = Counter()
    for stat in members:
        labels[stat.label] += stat.count
    kind = "ORG" if "ORG" in labels and labels["ORG"] >= labels["PERSON"] > 0 else _vote(labels, ())
    return kind, _canonical(members)


def _canonical(members: Sequence[NameStat]) -> str:
    places = _places()
    countries = Counter()
    for stat in members:
        country = places.countries.get(stat.key)
        if country and stat.label in PLACE_TYPES:
            countries[country] += stat.count
    if countries:
        return min(countries, key=lambda c: (-countries[c], c))
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for stat in members:
        counts.update(stat.forms)
        for form, seen in stat.first.items():
            first[form] = min(seen, first.get(form, seen))
    if all(stat.label == "PERSON" for stat in members):
        # A full name also counts the longer forms that end with it: "Miss Universe Ana Lopez" is
        # a title glued on by the tagger, not a more complete name.
        tails: Counter[tuple[str, ...]] = Counter()
        for stat in members:
            for n in range(2, len(stat.tokens)):
                tails[stat.tokens[-n:]] += stat.count
        counts = Counter({text: n + tails[_name_tokens(text)] for text, n in counts.items()})
    return min(counts, key=lambda t: (len(t.split()) < 2, -counts[t], -len(t), first.get(t, 0), t))


def entity_id(kind: str, name: str) -> str:
    return "E" + hashlib.sha1(f"{kind}|{name}".encode()).hexdigest()[:12]


def _stands_for(mention: Mention, tokens: tuple[str, ...], body: str) -> str | None:
    """The country a capital stands for here, unless it is written as a place (in Moscow, MOSCOW, ...).
    Only a name the corpus votes a place keeps the relation (``build_resolution``)."""
    country = _places().capitals.get(" ".join(tokens))
    if not country or mention.text.isupper():
        return None
    before = body[max(0, mention.start - 40):mention.start]
    previous = [w.lower() for w in re.findall(r"[A-Za-z]+", before)]
    modifier = re.match(r"-|\s+[a-z]", body[mention.end:]) and previous[-1:] in (["the"], ["a"], ["an"])
    if modifier or body[mention.end:mention.end + 1] == "-":
        # "the Paris accord", "a Washington-based developer": the city names a thing, not a government.
        return None
    if previous and (previous[-1] in _LOCATIVE
                     or (previous[-1] in _DIRECTIONAL and len(previous) > 1 and previous[-2] in _MOVEMENT)):
        return None
    return country


@dataclass(frozen=True)
class Resolution:
    """Entities of a set of articles and the relations between them, with lookups by span and name."""

    entities: tuple[Entity, ...]
    relations: tuple[EntityRelation, ...] = ()
    _spans: dict[str, list[tuple[int, int, Entity]]] = field(init=False, repr=False, compare=False)
    _names: dict[str, Entity] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        spans: dict[str, list[tuple[int, int, Entity]]] = defaultdict(list)
        names: dict[str, Entity] = {}
        for entity in self.entities:
            for m in entity.mentions:
                spans[m.article].append((m.start, m.end, entity))
            names.setdefault(_key(entity.name), entity)
        by_weight = sorted(self.entities, key=lambda e: -len(e.mentions))
        for entity in by_weight:
            for alias in entity.aliases:
                names.setdefault(_key(alias), entity)
        object.__setattr__(self, "_spans", dict(spans))
        object.__setattr__(self, "_names", names)

    def entity_at(self, article: str, start: int, end: int) -> Entity | None:
        """The entity with a mention overlapping ``[start, end)`` of the article; the largest overlap wins."""
        best, best_score = None, None
        for s, e, entity in self._spans.get(article, ()):
            overlap = min(e, end) - max(s, start)
            if overlap > 0 or (start == end and s <= start < e):
                score = (overlap, -(e - s))
                if best_score is None or score > best_score:
                    best, best_score = entity, score
        return best

    def entities_within(self, article: str, start: int, end: int) -> list[tuple[Mention, Entity]]:
        """Mentions lying inside ``[start, end)`` of the article, in text order, with their entities."""
        found = [(m, entity) for s, e, entity in self._spans.get(article, ()) if start <= s and e <= end
                 for m in entity.mentions if m.article == article and m.start == s and m.end == e]
        return sorted(found, key=lambda pair: pair[0].start)

    def entity_named(self, name: str) -> Entity | None:
        """The entity with this canonical name or alias (case, punctuation and "al-" ignored)."""
        return self._names.get(_key(name))


def build_resolution(uses: Iterable[NameUse], entity_of_key: dict[str, str], described: dict[str, tuple[str, str]],
                     label_of_key: dict[str, str], countries: dict[str, str]) -> Resolution:
    """Entities and relations of some articles, from their name uses, the entity and voted label of
    each name key, each entity's type and canonical name (``described``) and the entity of each
    country by name."""
    members: dict[str, list[NameUse]] = defaultdict(list)
    uses = list(uses)
    for use in uses:
        if use.resolves_to in entity_of_key:
            members[entity_of_key[use.resolves_to]].append(use)
    built = []
    for eid, found in members.items():
        kind, name = described[eid]
        mentions = sorted({u.mention for u in found}, key=lambda m: (m.article, m.start, m.end))
        aliases = tuple(sorted({u.mention.text for u in found if u.key is not None} - {name}))
        built.append(Entity(eid, name, kind, aliases, tuple(mentions)))
    built.sort(key=lambda e: (e.name, e.id))
    relations = [EntityRelation(u.mention, "stands_for", countries[u.country]) for u in uses
                 if u.country in countries and u.key is not None and label_of_key.get(u.key) == "GPE"
                 and entity_of_key.get(u.key) != countries[u.country]]
    return Resolution(tuple(built), tuple(relations))
