"""Cue lexicon and parse rules for quote attribution: which tokens report speech, thought or evidence,
who their subject is, and which span of the parse is the reported content.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from newsprism.lexicon import SPEECH_VERBS, verb_forms

_CITED = frozenset({"cited", "quoted"})
_SPEECH_VERBS = verb_forms(*SPEECH_VERBS) | _CITED
# Verbs whose reported content is a "to"-infinitive ("urged Russia to return").
_INFINITIVE_CUES = verb_forms(
    "urge", "ask", "call", "warn", "promise", "vow", "pledge", "tell", "demand", "threaten",
)
# Verbs whose content hangs on "of" ("accused Moscow of failing").
_OF_CUES = verb_forms("accuse", "warn", "speak", "convince")
REPORTED = verb_forms("report")
_CALL = verb_forms("call")
# Cues whose content is the object of a preposition: "called for a ban", "pointed to the polls".
_PREP_CUES = {(v, "for") for v in _CALL} | {(v, "to") for v in verb_forms("point", "refer")}
# Speech acts whose object is what was said about or for: "criticized the deal", "proposed a tax".
_TOPIC_CUES = verb_forms(
    "criticize", "criticise", "praise", "defend", "announce", "endorse", "dismiss", "blame",
    "condemn", "denounce", "reject", "deny", "tout", "decry", "question",
    "slam", "blast", "mock", "attack", "applaud", "welcome", "demand", "recall", "describe", "acknowledge",
)
# "sees the gains as evidence": verbs of regard report a view through an object and "as".
_REGARD = verb_forms("see", "view", "regard")
_DESCRIBE = verb_forms("describe", "characterize", "characterise", "portray")
_COMMUNICATION_NOUNS = {
    "statement", "claim", "charge", "accusation", "warning", "assertion", "insistence", "argument",
    "view", "belief", "assessment", "allegation", "suggestion", "promise", "pledge", "remarks",
    "comment", "comments", "announcement", "message", "conclusion", "contention", "position",
}
# Verbs of belief and perception: they report a thought only through a clausal complement
# ("believes the deal will hold"), never through an object ("knows the city").
_THOUGHT_VERBS = verb_forms(
    "hope", "expect", "worry", "doubt", "assume", "suspect", "realize", "realise", "recognize",
    "wonder", "decide", "guess", "reckon", "imagine", "figure", "determine", "insist", "suppose",
    "know", "feel", "learn", "understand", "see", "hear", "view", "regard", "bet",
)
# Verbs by which studies, polls and records "speak": a clause, or an object when the subject is one.
_EVIDENCE_VERBS = verb_forms(
    "show", "suggest", "indicate", "reveal", "estimate", "conclude", "demonstrate", "project", "confirm",
    "find",
)
_STUDY_NOUNS = {
    "poll", "polls", "polling", "survey", "surveys", "study", "studies", "report", "reports", "data",
    "analysis", "research", "records", "record", "findings", "figures", "numbers", "statistics", "review",
    "investigation", "inquiry", "audit", "estimates", "census", "documents", "filings", "results", "tally",
}
# Verbs of intention whose content is the infinitive ("wants to repeal the law").
_INTENT_VERBS = verb_forms(
    "want", "hope", "refuse", "decline", "intend", "offer", "expect", "aim", "propose", "agree", "demand",
    "vow", "pledge", "promise", "threaten", "plan", "prefer", "seek",
)
_STANCE_VERBS = _THOUGHT_VERBS | _EVIDENCE_VERBS | _INTENT_VERBS
# "was confident that ...": adjectives of certainty and concern that take a clause.
_STANCE_ADJECTIVES = {
    "confident", "sure", "certain", "convinced", "optimistic", "hopeful", "worried", "concerned", "skeptical",
    "sceptical", "aware", "afraid", "adamant", "doubtful", "fearful", "insistent", "positive",
}
# Nouns that carry what someone holds or said in a "that" clause ("Trump's claim that ...").
_CONTENT_NOUNS = _COMMUNICATION_NOUNS | {
    "belief", "hope", "fear", "idea", "notion", "prediction", "expectation", "concern", "worry", "thesis",
    "theory", "insistence", "assurance", "vow", "threat", "denial", "admission", "acknowledgment",
}

def paragraph_bounds(doc: Doc, i: int) -> tuple[int, int]:
    """First and last token index of the paragraph holding token ``i``; parses may cross paragraphs."""
    lo = i
    while lo > 0 and "\n" not in doc[lo - 1].text_with_ws:
        lo -= 1
    hi = i
    while hi + 1 < len(doc) and "\n" not in doc[hi].text_with_ws:
        hi += 1
    return lo, hi


def is_cue(t: Token) -> bool:
    """A reporting verb; a particle makes it another verb ("called off", "calling back"), and "call"
    reports speech only with what was said ("called it X", "called on them to", "what he called")."""
    low = t.text.lower()
    if low not in _SPEECH_VERBS or t.pos_ not in ("VERB", "AUX"):
        return False
    if any(c.dep_ == "prt" and c.text.lower() != "out" for c in t.children):
        return False
    if low in _CALL:
        return any(c.dep_ in ("oprd", "ccomp", "xcomp")
                   or c.dep_ == "prep" and c.text.lower() in ("on", "for")
                   or c.dep_ == "dobj" and c.tag_ in ("WP", "WDT") for c in t.children)
    return True


def subject(verb: Token) -> tuple[Token | None, Token | None, Token | None]:
    """(speaker head, intermediary head, cue anchor) for a reporting verb, climbing conjunctions."""
    if verb.pos_ == "NOUN":
        # A content noun's holder is its possessor ("Trump's claim"), when it has one.
        return next((c for c in verb.children if c.dep_ == "poss"), None), None, verb
    v = verb
    for _ in range(4):
        subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        citing = [c for c in v.children if c.dep_ in ("advcl", "acl") and c.text.lower() == "citing"]
        agent = next((g for c in v.children if c.dep_ == "agent"
                      for g in c.children if g.dep_ == "pobj"), None)
        if v.text.lower() in _CITED:
            by = next((g for c in v.subtree if c.text.lower() == "by" and c.dep_ in ("prep", "agent")
                       and v.i < c.i <= v.i + 4 for g in c.children if g.dep_ == "pobj"), None)
            return (subjects[0] if subjects else None), by, v
        if citing:
            cited = next((c for c in citing[0].children if c.dep_ == "dobj"), None)
            people = [s for s in subjects if s.ent_type_ == "PERSON"]
            if people:
                others = [s for s in subjects if s not in people]
                return people[0], (others[0] if others else None), v
            if cited is not None and subjects:
                return cited, subjects[0], v
        if subjects:
            subj = subjects[0]
            if subj.dep_ == "nsubjpass" or subj.text.lower() == "it" and subj.dep_ == "nsubj" and \
                    any(c.dep_ == "auxpass" for c in v.children):
                return agent, None, v
            return subj, None, v
        if v.dep_ in ("conj", "advcl", "xcomp", "acl", "pcomp", "acomp") and v.head is not v:
            v = v.head if v.dep_ != "pcomp" else v.head.head
            continue
        break
    return None, None, verb


def cue_text(verb: Token, anchor: Token) -> str:
    """The cue as written: the reporting verb, or the whole "was cited as saying" when ``anchor``,
    the verb its subject hangs on, is a citing verb."""
    if anchor.lower_ not in _CITED:
        return verb.text
    doc, verb = verb.doc, anchor
    if verb.text.lower() in _CITED:
        tail = next((t for t in verb.subtree if t.text.lower() in ("saying", "stating")), None)
        lo = min((c.i for c in verb.children if c.dep_ in ("auxpass", "aux")), default=verb.i)
        return doc[lo:(tail.i if tail is not None else verb.i) + 1].text
    return verb.text


_VERB_MODIFIERS = ("prep", "advmod", "dobj", "dative", "npadvmod")


def _clause_start(verb: Token, clause: Token, first: int) -> int:
    """Where a clause after ``verb`` starts: a subject the parser hung on the verb's time phrase
    ("said on Tuesday efforts to end the war must continue") belongs to the clause."""
    if clause.i < verb.i or any(c.dep_ in ("nsubj", "nsubjpass", "expl", "mark") for c in clause.children):
        return first
    k = first
    doc = verb.doc
    while k - 1 > verb.i and doc[k - 1].ent_type_ != "DATE" and not doc[k - 1].is_punct and \
            not (doc[k - 1].head is verb and doc[k - 1].dep_ in _VERB_MODIFIERS):
        k -= 1
    return k


def is_stance_cue(t: Token) -> bool:
    """A reporting verb, or a verb of belief, evidence or intention that can carry indirect content."""
    if is_cue(t):
        return True
    low = t.lower_
    if t.pos_ == "ADJ":
        return low in _STANCE_ADJECTIVES and t.dep_ == "acomp"
    if t.pos_ == "NOUN":
        return low in _CONTENT_NOUNS
    return low in _STANCE_VERBS and t.pos_ in ("VERB", "AUX") and \
        not any(c.dep_ == "prt" for c in t.children)


def _span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _continued_clause(verb: Token, end: Token, hi: int) -> Token | None:
    """The last token of a clause that goes on with what was reported ("said he would back the
    nominee, but he does not want to campaign"): a conjoined clause of the cue with a pronoun of
    its own as subject, the speaker going on in the same voice."""
    for conj in verb.rights:
        if conj.dep_ != "conj" or conj.i <= end.i or is_stance_cue(conj):
            continue
        subj = next((c for c in conj.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.pos_ == "PRON" and subj.i < conj.i:
            last = max(t.i for t in conj.subtree)
            return verb.doc[min(last, hi)]
    return None


def _characterization(verb: Token, low: str) -> tuple[int, int] | None:
    """What a speaker called or described something as: "called the deal a disaster",
    "described the plan as reckless" (the object and its predicate together)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.tag_ in ("WP", "WDT"):
        return None
    if low in _CALL:
        pred = next((c for c in verb.children if c.dep_ == "oprd" and c.i > obj.i), None)
    elif low in _DESCRIBE or low in _REGARD:
        pred = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i), None)
    else:
        return None
    return _span([*obj.subtree, *pred.subtree]) if pred is not None else None


def _parenthetical(verb: Token, lo: int, hi: int) -> tuple[int, int] | None:
    """The clause around a parenthetical cue ("Otherwise, she said, countries may ..."): the
    parser hangs the cue on the main verb, whose words minus the cue's own make the content."""
    main = verb.head
    if verb.dep_ != "parataxis" or not lo <= main.i <= hi or is_cue(main):
        return None
    own = {t.i for t in verb.subtree}
    words = [t for t in main.subtree if t.i not in own and lo <= t.i <= hi]
    return _span(words) if words else None


def content(verb: Token) -> tuple[int, int] | None:
    """Character span of the reported content governed by ``verb``."""
    low = verb.text.lower()
    doc = verb.doc
    lo, hi = paragraph_bounds(doc, verb.i)
    for child in verb.children:
        if (child.dep_ == "ccomp" or child.dep_ == "parataxis" and child.i < verb.i) and lo <= child.i <= hi:
            sub = list(child.subtree)
            first = doc[_clause_start(verb, child, sub[0].i)]
            last = _continued_clause(verb, sub[-1], hi) or sub[-1]
            return first.idx, last.idx + len(last)
    if not is_cue(verb):
        return _stance_content(verb, low)
    found = _parenthetical(verb, lo, hi) or _characterization(verb, low)
    if found:
        return found
    for prep in verb.children:
        if prep.dep_ == "prep" and (low, prep.lower_) in _PREP_CUES:
            obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return _span(list(obj.subtree))
    if low in _TOPIC_CUES:
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.tag_ not in ("WP", "WDT", "PRP")),
                   None)
        if obj is not None:
            return _span(list(obj.subtree))
    if low in _OF_CUES:
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        for child in [*verb.children, *(g for o in objects for g in o.children)]:
            if child.dep_ == "prep" and child.text.lower() == "of":
                sub = [t for c in child.children if c.dep_ in ("pcomp", "pobj") for t in c.subtree]
                if sub:
                    return sub[0].idx, sub[-1].idx + len(sub[-1])
    if low in _INFINITIVE_CUES:
        for child in verb.children:
            if child.dep_ == "prep" and child.text.lower() == "on":
                # "called on Russia to return": the infinitive hangs below the preposition.
                child = next((t for t in child.subtree if t.dep_ == "xcomp"), child)
            if child.dep_ == "xcomp":
                sub = list(child.subtree)
                return sub[0].idx, sub[-1].idx + len(sub[-1])
    for child in verb.children:
        if child.dep_ == "dobj" and child.text.lower() in _COMMUNICATION_NOUNS:
            for g in child.children:
                if g.dep_ in ("acl", "ccomp") and any(m.text.lower() == "that" for m in g.children):
                    sub = list(g.subtree)
                    return sub[0].idx, sub[-1].idx + len(sub[-1])
    # A parse broken by a run-on headline still shows "said that ..." on the surface.
    for k in range(verb.i + 1, min(verb.i + 12, hi + 1)):
        if doc[k].pos_ in ("VERB", "AUX") or doc[k].is_punct:
            break
        if doc[k].text.lower() == "that" and doc[k].dep_ == "mark":
            end = next((t for t in doc[k:hi + 1] if t.is_sent_end or t.text in (".", "!", "?")), doc[hi])
            return doc[k].idx, end.idx
    return None


def _noun_content(noun: Token) -> tuple[int, int] | None:
    """The "that" clause of a content noun: "the claim that taxes will rise", "her view is that ..."."""
    clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp")]
    if noun.dep_ == "nsubj" and noun.head.lower_ in ("is", "was", "remains", "'s", "’s"):
        clauses += [c for c in noun.head.children if c.dep_ == "ccomp" and c.i > noun.head.i]
    for clause in clauses:
        if any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children):
            return _span(list(clause.subtree))
    return None


def _stance_content(verb: Token, low: str) -> tuple[int, int] | None:
    """Content of a verb of intention (its infinitive) or of evidence (its object, when a study,
    poll or record is the subject: "the survey found broad support for the plan")."""
    if verb.pos_ == "NOUN":
        return _noun_content(verb)
    if low in _REGARD:
        return _characterization(verb, low)
    if low in _INTENT_VERBS:
        for child in verb.children:
            if child.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                return _span(list(child.subtree))
    if low in _EVIDENCE_VERBS:
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if subj is not None and obj is not None and subj.text.lower() in _STUDY_NOUNS:
            return _span(list(obj.subtree))
    return None


def according_to(doc: Doc) -> list[tuple[Token, int, int, str]]:
    """(source head, content start, content end, cue) for each source phrase of a sentence:
    "according to X", and "in X" when X is a poll, survey or study ("In a CNN poll, 40 percent ...")."""
    found = []
    for t in doc:
        low = t.lower_
        if low == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to":
            src = next((g for g in doc[t.i + 1].children if g.dep_ == "pobj"), None) or \
                next((g for g in t.children if g.dep_ == "pobj"), None)
            phrase = {x.i for x in t.subtree} | {x.i for x in doc[t.i + 1].subtree}
            cue = "according to"
        elif low == "in" and t.dep_ == "prep" and t.head.pos_ in ("VERB", "AUX"):
            src = next((g for g in t.children if g.dep_ == "pobj" and g.lower_ in _STUDY_NOUNS), None)
            phrase = {x.i for x in t.subtree}
            cue = t.text
        else:
            continue
        if src is None:
            continue
        rest = [x for x in t.sent if x.i not in phrase]
        if len(rest) > 2:
            found.append((src, rest[0].idx, rest[-1].idx + len(rest[-1]), cue))
    return found
