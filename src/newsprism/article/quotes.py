"""Quote attribution: direct, partial and indirect speech with speaker, cue and intermediary.

Direct and partial quotes come from quotation marks (``quote_marks``), paired over the whole body so
that a quote may run across paragraphs and unbalanced marks are recovered from; indirect speech comes from the
dependency parse through the cue lexicon and rules of ``newsprism.article.attribution`` (verbs of speech,
belief, evidence and intention with their complements, content nouns, "according to", a poll as
source), and transcript-style "SPEAKER: ..." paragraphs.
Speakers are resolved within the article: names to their fullest form, pronouns to the previous
compatible speaker, role nouns ("the foreign minister") to the person introduced with that role.
Grouping across articles (``corpus.quote_groups``) links quotes sharing most of their word
shingles (``quote_shingles``), found through the store's shingle index.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from newsprism.article.attribution import (
    REPORTED,
    according_to,
    content,
    cue_text,
    is_cue,
    is_stance_cue,
    paragraph_bounds,
    subject,
)
from newsprism.article.quote_marks import Marked, double_marks, paragraph_starts, scan_text, single_marks
from newsprism.lexicon import ABBREVIATIONS, ROLE_ABBREVIATIONS, ROLE_NOUNS
from newsprism.records import Article, Mention, Quote, QuoteKind, Speaker
from newsprism.text import contracted_words, shingles

# Bump when this stage's output changes for any article: newsprism/versions.py says why.
VERSION = 1  # quotes and their attribution

_PERSON_PRONOUNS = {"he", "she", "him", "her", "i"}
_GROUP_PRONOUNS = {"they", "we", "it"}
# One-word role nouns, abbreviations included, as they describe a speaker ("the minister", "the FM").
_ROLE_NOUNS = frozenset(noun for noun in ROLE_NOUNS if noun.isalpha()) | frozenset(ROLE_ABBREVIATIONS)
_STOP = {"the", "a", "an", "of", "for", "his", "her", "its", "their", "'s", "’s", "-", "(", ")"}

@dataclass(frozen=True)
class _Attribution:
    speaker: Speaker
    cue: str | None
    via: str | None
    is_person: bool


def _token_at(doc: Doc, starts: list[int], char: int) -> int:
    return max(bisect_right(starts, char) - 1, 0)


def _canonical_people(doc: Doc, mentions: Sequence[Mention]) -> dict[str, str]:
    """Map every word of a person's name to the fullest name of that person in the article."""
    names = [m.text for m in mentions if m.label == "PERSON"] or \
        [e.text for e in doc.ents if e.label_ == "PERSON"]
    names = [re.sub(r"(’s|'s)$", "", n).strip() for n in names]
    full: dict[str, str] = {}
    for name in sorted(names, key=lambda n: -len(n.split())):
        for word in re.split(r"[\s-]+", name):
            if word[:1].isupper() and len(word) > 1:
                full.setdefault(word.lower(), name)
    return full


def _role_words(tokens: Sequence[Token]) -> set[str]:
    words: set[str] = set()
    for t in tokens:
        low = t.text.lower()
        words.update(ABBREVIATIONS.get(low, (low,)))
    return words - _STOP


def _person_roles(doc: Doc) -> list[tuple[int, str, set[str]]]:
    """(token index, name, role words) for each PERSON entity bound to a title or appositive."""
    bound = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        root = ent.root
        role: list[Token] = []
        for child in root.lefts:
            if child.i < ent.start and child.dep_ in ("compound", "amod", "nmod", "poss"):
                role.extend(child.subtree)
        k = ent.start - 1
        taken = {t.i for t in role}
        while k >= 0 and (doc[k].is_title or doc[k].text.lower() in _ROLE_NOUNS or doc[k].text == "of") \
                and k not in taken and ent.start - k <= 6 and doc[k].ent_type_ != "PERSON":
            role.append(doc[k])
            k -= 1
        for child in root.rights:
            if child.dep_ == "appos":
                role.extend(child.subtree)
        if root.dep_ == "appos":
            role.extend(t for t in root.head.subtree if t.i < ent.start)
        words = _role_words(role)
        if words:
            bound.append((ent.start, ent.text, words))
    return bound


_PHRASE_BREAKS = {",", "(", ")", "-", "—", "–", ":", ";", '"', "“", "”", "|", "/"}


def _noun_phrase(head: Token) -> Span:
    """The speaker phrase around ``head``: its left modifiers, the head, and a short 'of' phrase."""
    doc = head.doc
    keep = {head.i}
    for child in head.lefts:
        if child.dep_ not in ("punct", "cc", "conj", "appos", "relcl", "acl", "advmod", "prep", "case"):
            keep.update(t.i for t in child.subtree)
        elif child.dep_ == "case":
            keep.add(child.i)
    for child in head.rights:
        if child.dep_ in ("compound", "flat") or child.dep_ == "case" or \
                child.dep_ == "prep" and child.text.lower() in ("of", "for") and len(list(child.subtree)) < 6:
            keep.update(t.i for t in child.subtree)
    if head.ent_type_:
        k = head.i + 1
        while k < len(doc) and doc[k].ent_iob_ == "I":
            keep.add(k)
            k += 1
    lo, hi = paragraph_bounds(doc, head.i)
    lo, hi = max(min(keep), lo), min(max(keep), hi)
    for k in range(head.i - 1, lo - 1, -1):
        if doc[k].text in _PHRASE_BREAKS:
            lo = k + 1
            break
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    # A possessor speaks for itself: "Trump's claim" is Trump's, so the "'s" is not part of the name.
    possessive = head.dep_ == "poss"
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space or possessive and doc[hi].dep_ == "case"):
        hi -= 1
    return doc[lo:hi + 1]


_ANTECEDENT_WINDOW = 120
_GROUP_WINDOW = 80


def _phrase_head(t: Token) -> Token:
    """The head of the noun phrase ``t`` belongs to ("Hillary" in "Hillary Clinton" -> "Clinton")."""
    while t.dep_ in ("compound", "flat") and t.head is not t:
        t = t.head
    return t


class _Resolver:
    """Resolves speaker phrases to names within one article, remembering previous speakers."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention], last_person: str | None = None):
        self.doc = doc
        self.people = _canonical_people(doc, mentions)
        self.roles = _person_roles(doc)
        # Each word of a person's name, by token: role resolution asks for the last mention of a name
        # once per speaker, and scanning the doc each time made a long article's quotes quadratic.
        self.person_words = [(t.i, t.text.lower()) for t in doc if t.ent_type_ == "PERSON"]
        # Who spoke last before the doc began, at a token before its first: never within a pronoun's
        # window, so only what the pronoun falls back on when the window names no one.
        self.last_person: tuple[int, str] | None = (-1, last_person) if last_person else None
        self.last_group: tuple[int, Speaker] | None = None

    def person_name(self, span: Span) -> str | None:
        for t in span:
            named = t.ent_type_ == "PERSON" or t.pos_ == "PROPN" and not t.ent_type_
            if named and t.text.lower() in self.people:
                return self.people[t.text.lower()]
        return None

    def last_mention(self, name: str, before: int) -> int:
        words = {w.lower() for w in name.split()}
        return max((i for i, word in self.person_words if i < before and word in words), default=-1)

    def by_role(self, span: Span, head: Token) -> str | None:
        head_words = _role_words([head])
        if not head_words & _ROLE_NOUNS and head.text.lower() not in _ROLE_NOUNS:
            return None
        wanted = _role_words(list(span))
        best: tuple[int, int, str] | None = None
        for at, name, words in self.roles:
            if at >= span.start or not head_words <= words:
                continue
            full = self.people.get(name.split()[-1].lower(), name)
            key = (len(wanted & words), self.last_mention(full, span.start), full)
            if best is None or key > best:
                best = key
        return best[2] if best else None

    def resolve(self, head: Token) -> tuple[Speaker, bool]:
        span = _noun_phrase(head)
        if head.tag_ in ("WP", "WDT") and head.head.dep_ == "relcl" and head.head.head is not head.head:
            # "Mikulski, who wants a commission": the relative pronoun stands for the noun it follows.
            antecedent, is_person = self.resolve(head.head.head)
            return replace(antecedent, text=span.text, name=antecedent.name or antecedent.text,
                           start=span.start_char, end=span.end_char), is_person
        low = head.text.lower()
        name: str | None = None
        is_person = False
        if low in _PERSON_PRONOUNS:
            name = self._sentence_subject(head) or self._antecedent(head)
            is_person = name is not None
        elif low in _GROUP_PRONOUNS:
            name = self._group_antecedent(head)
        else:
            name = self.person_name(span)
            if name is None:
                for child in head.rights:
                    if child.dep_ == "appos":
                        name = self.person_name(_noun_phrase(child))
            is_person = name is not None
            if name is None:
                name = self.by_role(span, head)
                is_person = name is not None
            if name is None and head.ent_type_ in ("ORG", "GPE", "NORP") and head.pos_ == "PROPN":
                ent = next(e for e in self.doc.ents if e.start <= head.i < e.end)
                name = re.sub(r"^(the|The) ", "", ent.text)
        speaker = Speaker(text=span.text, name=name, start=span.start_char, end=span.end_char)
        return speaker, is_person

    def _antecedent(self, head: Token) -> str | None:
        """The person a pronoun most likely refers to: the nearer of the previous speaker and the
        last person named as a subject in the preceding text (a window of about two paragraphs)."""
        floor = max(head.i - _ANTECEDENT_WINDOW, 0)
        if self.last_person and self.last_person[0] >= floor:
            floor = self.last_person[0]
        for t in reversed(self.doc[floor:head.i]):
            if t.ent_type_ == "PERSON" and _phrase_head(t).dep_ in ("nsubj", "nsubjpass"):
                return self.person_name(self.doc[t.i:t.i + 1]) or t.text
        return self.last_person[1] if self.last_person else None

    def _group_antecedent(self, head: Token) -> str | None:
        """What "it", "they" or "we" stands for: the nearer of the previous group speaker and the
        last organization ("it") or plural noun or organization ("they", "we") that was a subject."""
        floor = max(head.i - _GROUP_WINDOW, 0)
        found: str | None = None
        if self.last_group and self.last_group[0] >= floor:
            floor, found = self.last_group[0], self.last_group[1].name or self.last_group[1].text
        plural = head.lower_ != "it"
        for t in reversed(self.doc[floor:head.i]):
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ == "PRON":
                continue
            if t.ent_type_ in ("ORG", "NORP") or plural and t.tag_ in ("NNS", "NNPS"):
                span = _noun_phrase(t)
                return re.sub(r"^(the|The) ", "", span.text)
        return found

    def _sentence_subject(self, head: Token) -> str | None:
        """A pronoun inside a sentence whose main subject is a person refers to that person."""
        root = head.sent.root
        for child in root.children:
            if child.dep_ in ("nsubj", "nsubjpass") and child.i < head.i and child.text.lower() not in \
                    _PERSON_PRONOUNS:
                span = _noun_phrase(child)
                return self.person_name(span) or self.by_role(span, child)
        return None

    def remember(self, attribution: _Attribution, at: int) -> None:
        if attribution.is_person and attribution.speaker.name:
            self.last_person = (at, attribution.speaker.name)
        elif attribution.speaker.text and attribution.speaker.text.lower() not in _PERSON_PRONOUNS:
            self.last_group = (at, attribution.speaker)


def _attribute(verb: Token, resolver: _Resolver) -> _Attribution:
    subj, via_tok, anchor = subject(verb)
    via = _noun_phrase(via_tok).text if via_tok is not None else None
    if verb.text.lower() in REPORTED and subj is not None:
        inner = next((c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and is_cue(c)), None)
        inner_subj = subject(inner)[0] if inner is not None else None
        if inner_subj is not None:
            via, subj = _noun_phrase(subj).text, inner_subj
    lo, hi = paragraph_bounds(verb.doc, verb.i)
    if subj is not None and not lo <= subj.i <= hi:
        subj = next((t for t in reversed(verb.doc[lo:verb.i]) if t.pos_ in ("NOUN", "PROPN", "PRON")
                     and verb.i - t.i <= 4), None)
    if subj is None:
        return _Attribution(Speaker(text=None), cue_text(verb, anchor), via, False)
    speaker, is_person = resolver.resolve(subj)
    return _Attribution(speaker, cue_text(verb, anchor), via, is_person)


def _governing_cue(tokens: Sequence[Token], inside: set[int]) -> Token | None:
    """The nearest reporting verb outside the quote that governs the quote's tokens."""
    for t in tokens:
        h, hops = t, 0
        while h.head is not h and hops < 8:
            h, hops = h.head, hops + 1
            if h.i in inside:
                continue
            if is_cue(h):
                return h
            if h.dep_ == "ROOT":
                break
    return None


def _adjacent_cue(doc: Doc, first: int, last: int, inside: set[int]) -> Token | None:
    """A reporting verb in the clause right after the closing mark, or right before the opening one."""
    k = last + 1
    while k < len(doc) and k - last <= 10:
        t = doc[k]
        if t.i in inside or "\n" in t.text or t.text in (".", "!", "?", "“", '"') and k > last + 1:
            break
        if is_cue(t):
            return t
        k += 1
    k = first - 1
    while k >= 0 and first - k <= 14 and doc[k].i not in inside and "\n" not in doc[k].text:
        if doc[k].text in (".", "!", "?", ";"):
            break
        if is_cue(doc[k]):
            return doc[k]
        k -= 1
    return None


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (body[start].isspace() or body[start] in ",;:—–-"):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _machine_text(body: str, m: Marked) -> bool:
    """Quotation marks of serialized data (JSON keys and values), not of speech."""
    before = body[max(m.open_at - 2, 0):m.open_at]
    after = body[m.close_at + 1:m.close_at + 2] if m.close_at is not None else ""
    # '{"id":"12", "title":"Old story"' is data; 'said:"We will…"' is prose typed without a space.
    keyed = before[-1:] in ("{", "[") or before[-1:] in (":", ",") and before[:1] in ('"', "'")
    return keyed or after in (":", ",") and " " not in body[m.start:m.end]


def _kind(body: str, m: Marked) -> QuoteKind:
    before = body[:m.open_at].rstrip()
    first = body[m.start:m.end].lstrip("[(…. ")
    opens_sentence = not before or before[-1] in ".!?:,\n\"”’»" or body[m.open_at - 2:m.open_at] == "\n\n"
    return "direct" if opens_sentence and (first[:1].isupper() or first[:1].isdigit()) else "partial"


# A quote before attribution: its span, kind, the cue it hangs on, and its marks if it has any.
_Candidate = tuple[int, int, QuoteKind, Token | None, Marked | None]


def quote_id(article: str, start: int, end: int) -> str:
    return f"{article}:{start}-{end}"


def moved(quote: Quote, by: int) -> Quote:
    """``quote`` read from a segment that starts ``by`` characters into the body, in the body's offsets."""
    speaker = quote.speaker
    if speaker.start is not None and speaker.end is not None:
        speaker = replace(speaker, start=speaker.start + by, end=speaker.end + by)
    start, end = quote.start + by, quote.end + by
    return replace(quote, id=quote_id(quote.article, start, end), start=start, end=end, speaker=speaker)


@dataclass(frozen=True)
class Passage:
    """What quotes in one segment of a long body (``newsprism.article.segments``) take from the rest:
    its double quotation marks as paired over the whole body, in the segment's offsets (pairing
    carries an open mark from one paragraph to the next, so a segment paired alone could begin
    inside a quote), and the last person who spoke before the segment."""

    double: Sequence[Marked]
    last_person: str | None = None


@dataclass(frozen=True)
class Attributed:
    quotes: tuple[Quote, ...]
    last_person: str | None  # who spoke last, for the segment after


def extract_quotes(article: Article, doc: Doc, mentions: Sequence[Mention]) -> tuple[Quote, ...]:
    """Every direct, partial and indirect quote in ``article``, attributed to its speaker."""
    return attribute(article, doc, mentions).quotes


def attribute(
    article: Article, doc: Doc, mentions: Sequence[Mention], passage: Passage | None = None
) -> Attributed:
    """The quotes of ``article`` as ``extract_quotes`` finds them, where ``article`` may be a segment
    of a longer body: ``passage`` then says what it takes from the rest."""
    body = article.body
    paras = paragraph_starts(body)
    scan = scan_text(body)
    double = double_marks(scan, paras) if passage is None else list(passage.double)
    marked = sorted(double + single_marks(scan, paras, double), key=lambda m: m.start)
    starts = [t.idx for t in doc]
    resolver = _Resolver(doc, mentions, passage.last_person if passage else None)
    candidates = _marked_candidates(body, scan, doc, starts, marked)
    candidates += _stated_candidates(body, doc, paras, [(m.start, m.end) for m in marked])
    according = {src.i: (s, e, cue) for src, s, e, cue in according_to(doc)}
    quotes: list[Quote] = []
    seen: set[tuple[int, int]] = set()
    previous_para = -1
    for s, e, kind, cue, m in sorted(candidates, key=lambda c: c[0]):
        s, e = _trim(body, s, e) if m is None else (s + len(body[s:e]) - len(body[s:e].lstrip()),
                                                    s + len(body[s:e].rstrip()))
        if (s, e) in seen or e <= s:
            continue
        para = bisect_right(paras, s) - 1
        if cue is not None:
            attribution = _attribute(cue, resolver)
        else:
            src = next((i for i, (a, b, _) in according.items() if a <= s < b or s <= a < e), None)
            if src is not None:
                speaker, is_person = resolver.resolve(doc[src])
                attribution = _Attribution(speaker, according[src][2], None, is_person)
            elif kind == "direct" and m is not None and (intro := _colon_subject(body, doc, starts, m)):
                speaker, is_person = resolver.resolve(intro)
                attribution = _Attribution(speaker, ":", None, is_person)
            elif kind == "direct" and previous_para >= para - 1 and quotes and not _new_person(
                    doc, starts, max(paras[para], quotes[-1].end), s, quotes[-1].speaker):
                prev = quotes[-1]
                attribution = _Attribution(prev.speaker, None, prev.via, False)
            elif kind == "direct" and len(body[s:e].split()) >= 4:
                attribution = _Attribution(Speaker(text=None), None, None, False)
            else:
                continue
        seen.add((s, e))
        resolver.remember(attribution, _token_at(doc, starts, s))
        previous_para = bisect_right(paras, e) - 1
        quotes.append(Quote(id=quote_id(article.id, s, e), article=article.id, start=s, end=e, text=body[s:e],
                            kind=kind, speaker=attribution.speaker, cue=attribution.cue, via=attribution.via))
    for src_i, (s, e, source_cue) in according.items():
        s, e = _trim(body, s, e)
        if (s, e) in seen or any(q.start <= s and e <= q.end for q in quotes) or e - s < 8:
            continue
        speaker, _ = resolver.resolve(doc[src_i])
        quotes.append(Quote(id=quote_id(article.id, s, e), article=article.id, start=s, end=e, text=body[s:e],
                            kind="indirect", speaker=speaker, cue=source_cue))
    for ls, le, s, e in _speaker_labels(body, paras, doc, starts):
        if any(q.start < e and s < q.end for q in quotes):
            continue
        label = doc[_token_at(doc, starts, ls):_token_at(doc, starts, le - 1) + 1]
        name = resolver.person_name(label) if any(t.ent_type_ == "PERSON" for t in label) else None
        quotes.append(Quote(id=quote_id(article.id, s, e), article=article.id, start=s, end=e, text=body[s:e],
                            kind="direct", speaker=Speaker(text=body[ls:le], name=name, start=ls, end=le),
                            cue=":"))
    last_person = resolver.last_person[1] if resolver.last_person else None
    return Attributed(tuple(sorted(quotes, key=lambda q: (q.start, q.end))), last_person)


def _marked_candidates(
    body: str, scan: str, doc: Doc, starts: list[int], marked: Sequence[Marked]
) -> list[_Candidate]:
    """The quotes between quotation marks, with the cue each hangs on; a partial quote needs one."""
    candidates: list[_Candidate] = []
    for m in marked:
        if _machine_text(scan, m) or not any(c.isalpha() for c in body[m.start:m.end]):
            continue
        first, last = _token_at(doc, starts, m.start), _token_at(doc, starts, m.end - 1)
        inside = set(range(first, last + 1))
        kind = _kind(scan, m)
        tokens = [doc[i] for i in inside if doc[i].head.i not in inside or doc[i].head is doc[i]]
        cue = _governing_cue(tokens, inside)
        if kind == "direct" or cue is None:
            cue = _adjacent_cue(doc, first, last, inside) or cue
        text = body[m.start:m.end].strip()
        if kind == "partial" and (cue is None or len(text.split()) <= 2 and re.search(
                r"so-called\s*$", body[:m.open_at])):
            continue
        candidates.append((m.start, m.end, kind, cue, m))
    return candidates


def _stated_candidates(
    body: str, doc: Doc, paras: list[int], quoted_chars: list[tuple[int, int]]
) -> list[_Candidate]:
    """Indirect speech: the content of each stance cue outside quotation marks, unless marks already
    hold most of it."""
    candidates: list[_Candidate] = []
    for verb in doc:
        if not is_stance_cue(verb) or any(a <= verb.idx < b for a, b in quoted_chars):
            continue
        span = content(verb)
        if span is None:
            continue
        para = bisect_right(paras, verb.idx) - 1
        para_end = paras[para + 1] - 2 if para + 1 < len(paras) else len(body)
        s, e = _trim(body, max(span[0], paras[para]), min(span[1], para_end))
        covered = sum(max(0, min(e, b) - max(s, a)) for a, b in quoted_chars)
        if e - s < 8 or covered >= 0.6 * (e - s):
            continue
        candidates.append((s, e, "indirect", verb, None))
    return candidates


_LABEL = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}): +(\S.{7,})", re.S)
_EDITORIAL_LABELS = {"note", "editor's note", "update", "related", "read more", "watch", "video", "photos",
                     "source", "sources", "correction", "clarification", "disclosure", "advertisement"}


def _speaker_labels(body: str, paras: list[int], doc: Doc,
                    starts: list[int]) -> list[tuple[int, int, int, int]]:
    """(label start, label end, content start, content end) for each transcript-style paragraph,
    "SPEAKER: what was said", whose label is written in capitals or is a named person or outlet."""
    found = []
    for k, start in enumerate(paras):
        end = paras[k + 1] - 2 if k + 1 < len(paras) else len(body)
        m = _LABEL.fullmatch(body, start, end)
        if m is None or m.group(1).lower() in _EDITORIAL_LABELS:
            continue
        label = doc[_token_at(doc, starts, m.start(1)):_token_at(doc, starts, m.end(1) - 1) + 1]
        named = all(t.ent_type_ in ("PERSON", "ORG") for t in label if t.is_alpha)
        if m.group(1).isupper() or named:
            found.append((m.start(1), m.end(1), m.start(2), m.end(2)))
    return found


def _colon_subject(body: str, doc: Doc, starts: list[int], m: Marked) -> Token | None:
    """The speaker of a sentence that introduces a quote with a colon but no reporting verb
    ("Kaine took the Catholic stance: “I'm pro-life ...”"): its subject, when that is a person,
    an organization or a personal pronoun."""
    before = body[:m.open_at].rstrip()
    if not before.endswith(":"):
        return None
    colon = doc[_token_at(doc, starts, len(before) - 1)]
    lo, _ = paragraph_bounds(doc, colon.i)
    root = colon.head
    while root.dep_ in ("conj", "ccomp", "advcl") and root.head is not root:
        root = root.head
    subj = next((c for c in root.children if c.dep_ == "nsubj" and c.i >= lo), None)
    if subj is None:
        return None
    named = subj.ent_type_ in ("PERSON", "ORG", "NORP") or subj.lower_ in _PERSON_PRONOUNS | {"they", "we"}
    return subj if named or subj.lower_ in _ROLE_NOUNS else None


def _new_person(doc: Doc, starts: list[int], since: int, at: int, previous: Speaker) -> bool:
    """Whether a person other than the previous speaker is named between ``since`` (the paragraph
    start, or the end of the previous quote when later: names inside it were quoted, not introduced)
    and ``at``."""
    lo, hi = _token_at(doc, starts, since), _token_at(doc, starts, at)
    names = set(norm_words(previous.name or previous.text or ""))
    return any(t.ent_type_ == "PERSON" and t.text.lower() not in names for t in doc[lo:hi])


def norm_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` with every quotation mark, dash and punctuation dropped."""
    text = unicodedata.normalize("NFKC", text).lower()
    return contracted_words(text)


QUOTE_SHINGLE = 3
# Two quotes of different articles are one when this share of the shorter one's word shingles occur
# in the longer one, so truncations and partial quotes join the full quote.
QUOTE_CONTAINED = 0.6
# A shingle carried by more quotes than this is boilerplate ("we will continue to"), not evidence.
QUOTE_COMMON = 50


def quote_shingles(text: str) -> set[str]:
    """Word trigrams of a quote; none for a quote too short to tell apart from any other."""
    return {" ".join(run) for run in shingles(norm_words(text), QUOTE_SHINGLE)}
