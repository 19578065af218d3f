"""Entity mentions in one article: spaCy's named entities, repaired, and role references.

``extract_mentions`` repairs the model's usual slips by rule (URLs or dates tagged as people, a
leading "the", a possessive "'s", a country tagged as a person, a span running over a paragraph
break) and adds role references: once an article writes "French Foreign Minister Jean Dupont", a
later "the French FM" is a mention of that person. The name helpers here (``name_key``,
``name_tokens``, ``places``) are shared with corpus-level resolution in ``entities``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from spacy.tokens import Doc, Span

from newsprism.article.attribution import is_cue
from newsprism.article.metadata import outlet_names
from newsprism.lexicon import CALENDAR_WORDS, ROLE_ABBREVIATIONS, ROLE_MODIFIERS, ROLE_NOUNS
from newsprism.records import PARAGRAPH_SEPARATOR, Article, Mention

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
VERSION = 3  # entity mentions; 3: a role reference looks back at most ROLE_REACH characters


def wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


TYPES = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


# Final words that make a name an organisation, whatever the tagger said.
ORG_WORDS = wordset(
    "front group party council ministry department agency army forces force brigade brigades movement "
    "committee commission union organization organisation association institute university company "
    "corporation corp inc ltd bank court parliament assembly congress senate office service network "
    "alliance coalition federation league foundation fund authority board bureau police navy guard "
    "militia battalion corps administration government"
)
# Lower-case words that belong inside names (bin Laden, van Gogh, al-Bashir).
NAME_PARTICLES = wordset("al el bin ibn abu de da di du des del della la le van von der den ter dos das")


def _spelled_out(words: tuple[str, ...]) -> tuple[str, frozenset[str]]:
    """The role an abbreviation names and the modifiers it implies: "PM" is a prime minister, a role
    of its own; "FM" is a minister, and a foreign one."""
    phrase = " ".join(words)
    if phrase in ROLE_NOUNS:
        return ROLE_NOUNS[phrase], frozenset()
    return ROLE_NOUNS[words[-1]], frozenset(words[:-1])


# Each way a role is written, with the role it names and the modifiers it implies.
_ROLE_READINGS: dict[str, tuple[str, frozenset[str]]] = {
    **{noun: (role, frozenset()) for noun, role in ROLE_NOUNS.items()},
    **{abbreviation: _spelled_out(words) for abbreviation, words in ROLE_ABBREVIATIONS.items()},
}
_ROLE_WORDS = frozenset(w for role in _ROLE_READINGS for w in role.split()) | ROLE_MODIFIERS

_URL = re.compile(r"https?://|www\.|\S@\S|\.(?:com|org|net|gov|ru|uk|html?|php)\b", re.I)
_ROLE_ALT = "|".join(re.escape(r).replace(r"\ ", r"[\s-]+")
                     for r in sorted(_ROLE_READINGS, key=len, reverse=True))
_ROLE = rf"(?i:{_ROLE_ALT})"
_MODIFIER_ALT = "|".join(sorted(ROLE_MODIFIERS, key=len, reverse=True))
_QUALIFIER = r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)?)?"
# Words that may stand before a role noun in a title: capitalised words ("State Department", "U.S.",
# "(US)", "Russia's") or lower-case role modifiers ("foreign ministry spokeswoman").
_TITLE_WORD = rf"(?:\(?[A-Z][\w.’'-]*\)?|(?i:{_MODIFIER_ALT}))"
_BINDING = re.compile(rf"(?:{_TITLE_WORD}\s+)*\b{_ROLE}\b{_QUALIFIER},?\s*$")
_APPOSITIVE = re.compile(rf"^,\s+(?:the\s+)?((?:{_TITLE_WORD}\s+)*{_ROLE}\b{_QUALIFIER})")
_REFERENCE = re.compile(rf"\b[Tt]he\s+((?:{_TITLE_WORD}\s+)*{_ROLE}\b{_QUALIFIER})(?!\s+[A-Z][a-z])")


@dataclass(frozen=True)
class _Places:
    countries: dict[str, str]
    demonyms: dict[str, str]
    capitals: dict[str, str]


@cache
def gazetteer() -> _Places:
    data = json.loads(resources.files("newsprism").joinpath("data/places.json").read_text(encoding="utf-8"))
    countries, demonyms, capitals = {}, {}, {}
    for name, info in data["countries"].items():
        for form in (name, *info["aliases"]):
            countries[name_key(form)] = name
        for form in info["demonyms"]:
            demonyms[name_key(form)] = name
        for form in info["capitals"]:
            if name_key(form) not in countries:
                capitals[name_key(form)] = name
    return _Places(countries, demonyms, capitals)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.lower().replace("’", "'").replace("‘", "'")


# Names recur: the same few thousand spellings come back in every article and every page.
@lru_cache(maxsize=1 << 16)
def name_tokens(text: str) -> tuple[str, ...]:
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


def name_key(text: str) -> str:
    return " ".join(name_tokens(text))


def skeleton(tokens: Iterable[str]) -> str:
    """Consonants only, doubles collapsed: Dmitry/Dmitri and Harakat/Harakit share one."""
    return " ".join(re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy'-]", "", t)) for t in tokens)


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
        if not word or word.group(1).split("-")[0] in NAME_PARTICLES:
            return start
        start += word.end()


def _is_junk_name(text: str) -> bool:
    """True for what can't be a person or organisation name: URLs, e-mails, dates, numbers, lower case."""
    if _URL.search(text) or not re.search(r"[^\W\d_]", text) or text == text.lower():
        return True
    words = re.findall(r"[^\W\d_]+", text.lower())
    return bool(re.search(r"\d", text)) and all(w in CALENDAR_WORDS for w in words)


def _label(text: str, label: str) -> str | None:
    places = gazetteer()
    key = name_key(text)
    if label in ("PERSON", "ORG") and _is_junk_name(text):
        return None
    if label == "PERSON" and (key in places.countries or key in places.capitals):
        return "GPE"
    if label == "PERSON" and key in places.demonyms:
        return "NORP"
    if label in ("PERSON", "FAC", "LOC") and key.split()[-1:] and key.split()[-1] in ORG_WORDS:
        return "ORG"
    return label


# Where one tagged span holds several names: a paragraph break, a dash between spaces ("Mubarak -
# Mubarak"), a slash of a photo credit ("Dave Martin/AP"), a tokeniser's bracket ("-RRB-").
_SPAN_BREAK = re.compile(r"\n\n|\s+[-–—]{1,2}\s+|\s*\\?/\s*|-?[LR][RSC]B-")
# Words a page glues before a name: an outlet's credit, or a comment thread's buttons.
_PAGE_WORDS = wordset("reply share comment comments posted report recommend like")


def _pieces(body: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    pos = start
    for brk in _SPAN_BREAK.finditer(body, start, end):
        yield pos, brk.start()
        pos = brk.end()
    yield pos, end


def _strip_glued_lead(body: str, start: int, end: int) -> int:
    """Start of a name after an outlet or page word glued before it ("Reuters Gaddafi", "Reply Gaddafi").
    An organisation's name keeps its first word: outlets are named with common words too ("National",
    "Independent", "Times"), and "National Transitional Council" is not The National's credit."""
    first = re.match(r"(\S+)\s+(?=[A-Z])", body[start:end])
    if not first:
        return start
    organisation = name_tokens(body[start:end])[-1] in ORG_WORDS
    credit = name_key(first.group(1)) in outlet_keys() and not organisation
    if first.group(1).lower() in _PAGE_WORDS or credit:
        return start + first.end()
    return start


@cache
def outlet_keys() -> frozenset[str]:
    """Name keys of the outlets newsprism knows by name."""
    return frozenset(name_key(name) for name in outlet_names())


def _entity_spans(body: str, start: int, end: int, label: str) -> list[tuple[int, int, str]]:
    """Clean pieces of one spaCy entity: split where it holds several names, trimmed, relabelled,
    or dropped."""
    out = []
    for pos, stop in _pieces(body, start, end):
        s, e = _trim(body, pos, stop)
        s = _strip_glued_lead(body, s, e)
        if label == "ORG":
            s = _strip_lowercase_lead(body, s, e)
        if e <= s or body[s:e] == body[s:e].lower():
            continue
        new = _label(body[s:e], label)
        if new is None:
            continue
        words = list(re.finditer(r"\S+", body[s:e]))
        country = name_key(words[0].group()) in gazetteer().countries if words else False
        glued = country and len(words) >= 3 and name_key(body[s:e]).split()[-1] not in ORG_WORDS
        if new in ("PERSON", "ORG") and glued:
            # "Envoy for Libya Anna Berg": the tagger glued a country onto the name after it.
            out.append((s, s + words[0].end(), "GPE"))
            out.append((s + words[1].start(), e, "PERSON"))
        elif new == "PERSON" and len(words) >= 3 and re.fullmatch(r"[A-Z]{2,5}", words[-1].group()):
            # "Tony Hayward BP": a person and the company a caption names after them.
            out.append((s, s + words[-2].end(), "PERSON"))
            out.append((s + words[-1].start(), e, "ORG"))
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
    places = gazetteer()
    roles = [(m.start(), m.group()) for m in re.finditer(rf"\b{_ROLE}\b", phrase)]
    if not roles:
        return None
    raw = re.sub(r"[\s-]+", " ", roles[-1][1].lower())
    role, implied = _ROLE_READINGS[raw]
    modifiers, countries = set(implied), set()
    for word in re.findall(r"[\w.’'-]+", phrase):
        key = name_key(word)
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


# How far back a role reference ("the Russian FM") looks for the title it recalls, in characters:
# more than any article, so that only a transcript or a live page of many articles is cut, where
# looking back over the whole page made every reference rescan every titled person (quadratic).
ROLE_REACH = 20_000


def role_references(body: str, persons: Sequence[Mention]) -> dict[tuple[int, int], Mention]:
    """Bare role references ("the Russian FM") mapped to the person mention whose title they recall.

    When several titled people fit, the one mentioned most recently before the reference wins.
    """
    bindings = _bindings(body, persons)
    if not bindings:
        return {}
    # Bindings by where they end (ties in the order found, which settles ties of recency below),
    # persons by where they start: each reference reads the ones within reach by bisection.
    by_end = sorted(range(len(bindings)), key=lambda i: (bindings[i].end, i))
    ends = [bindings[i].end for i in by_end]
    longest = max(b.end - b.start for b in bindings)
    named = sorted(persons, key=lambda p: p.start)
    starts = [p.start for p in named]
    tokens = {p: set(name_tokens(p.text)) for p in named}
    refs = {}
    for match in _REFERENCE.finditer(body):
        start, end = match.span(1)
        end -= len(re.search(r"(?:['’]s)?$", match.group(1)).group())
        ref_role = _parse_role(match.group(1))
        if not ref_role:
            continue
        # A reference inside a title ("the French FM Jean Dupont") is that title, not a recall.
        covering = by_end[bisect_left(ends, start):bisect_right(ends, start + longest)]
        if any(bindings[i].start <= start for i in covering):
            continue
        reach = by_end[bisect_left(ends, start - ROLE_REACH):bisect_right(ends, start)]
        fitting = [bindings[i] for i in sorted(reach) if ref_role.fits(bindings[i].role)]
        if not fitting:
            continue
        before = named[bisect_left(starts, start - ROLE_REACH):bisect_left(starts, start)]

        def recency(binding: _Binding, before: list[Mention] = before) -> int:
            names = tokens[binding.person]
            return max((p.start for p in before if tokens[p] <= names), default=binding.person.start)

        refs[(start, end)] = max(fitting, key=recency).person
    return refs


def _unknown_place_speaking(ent: Span) -> bool:
    """The small model tags unfamiliar surnames as places; a one-word "place" that no gazetteer
    knows and that is the subject of a reporting verb ("Brask told reporters") is a person.
    Known capitals keep speaking for their governments ("Moscow says")."""
    if ent.label_ not in ("GPE", "LOC") or len(ent) != 1:
        return False
    places = gazetteer()
    key = name_key(ent.text)
    if key in places.countries or key in places.capitals or key in places.demonyms:
        return False
    token = ent.root
    return token.dep_ == "nsubj" and is_cue(token.head)


# Parts of speech a name never starts with: "Earlier Obama", "Blame Obama", "Asking Tony Hayward"
# are a sentence's first word capitalised and taken into the name by the tagger.
_NOT_NAME_POS = frozenset({"ADV", "VERB", "ADP", "PRON", "DET", "CCONJ", "SCONJ", "PART", "INTJ"})


def _name_start(ent: Span) -> int:
    tokens = list(ent)
    while len(tokens) > 1 and tokens[0].pos_ in _NOT_NAME_POS:
        tokens.pop(0)
    return tokens[0].idx


def extract_mentions(article: Article, doc: Doc) -> tuple[Mention, ...]:
    """Mentions of people, organisations, places and groups in one article, from its spaCy ``doc``.

    ``doc`` must be the pipeline's parse of ``article.body``; offsets are into that body.
    """
    body = article.body
    spans: dict[tuple[int, int], str] = {}
    for ent in doc.ents:
        if ent.label_ in TYPES:
            tagged = "PERSON" if _unknown_place_speaking(ent) else ent.label_
            start = _name_start(ent) if tagged == "PERSON" else ent.start_char
            for s, e, label in _entity_spans(body, start, ent.end_char, tagged):
                spans.setdefault((s, e), label)
    persons = [Mention(article.id, s, e, body[s:e], "PERSON")
               for (s, e), label in spans.items() if label == "PERSON"]
    refs = role_references(body, persons)
    titles = [(b.start, b.end) for b in _bindings(body, persons)]
    kept = {}
    for (s, e), label in spans.items():
        if any(s < re_ and rs < e for rs, re_ in refs):
            continue
        inside_title = any(ts <= s and e <= te for ts, te in titles)
        if inside_title and label != "NORP" and set(name_tokens(body[s:e])) <= _ROLE_WORDS:
            continue
        kept[(s, e)] = label
    kept.update(dict.fromkeys(refs, "PERSON"))
    return tuple(Mention(article.id, s, e, body[s:e], label) for (s, e), label in sorted(kept.items()))
