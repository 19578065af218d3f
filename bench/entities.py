"""Cross-document entity coreference on NewsReader MEANTIME English, against an exact-string baseline.

    python bench/entities.py [--group airbus|apple|gm|stock] [--types PER,ORG,LOC] [--show-errors N]

The 120 Wikinews articles of ../shared/data/timex/meantime-en (4 topic groups of 30) are rebuilt as
plain text from their token layer (the headline goes in the "title" field, the creation-time line
into "published", one body sentence per line) and run through the real ``newsprism analyze``
command as one corpus. Its export's entities are scored against the gold cross-document entity
clusters (``instance_id``) with MUC, B-cubed, CEAF-e and the CoNLL F1 (mean of the three F1s).

Scored mentions: gold ENTITY_MENTIONs in the body (not the headline) whose entity is of one of
``--types`` (PER, ORG, LOC by default: newsprism resolves persons, organisations and places, not
products or financial objects) and which are proper names: syntactic type NAM or PRE.NAM, or, where
the annotators left the type empty (a third of the corpus, mostly in the airbus and gm groups), a
span that is a name by its shape (``is_name_shaped``). Each is reduced to its name head (the gold
``head`` attribute, else the last capitalised run of its first phrase, see ``name_head``); one with
no capitalised name is left out, and nested gold mentions with the same head count once. A gold
mention is matched, one to one, to the predicted mention of the same article that overlaps its head
(the one holding the head's last character first, then the largest overlap). Gold mentions with no
predicted counterpart, or that cannot be placed in the cleaned body, are singletons in the
prediction, for both systems; the run prints how many, and what was left out and why.

Baseline, same run: the predicted mentions newsprism found, clustered by exact normalised text
(lower case, no leading "the", no possessive, punctuation removed), so the two rows share the
same detection and differ only in resolution.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
MEANTIME = SHARED / "data" / "timex" / "meantime-en" / "intra_cross-doc_annotation"
GROUPS = ("airbus", "apple", "gm", "stock")
NAMED_SYNTAX = frozenset({"NAM", "PRE.NAM"})
# newsprism resolves persons, organisations and places, not products or financial objects.
TYPES = "PER,ORG,LOC"
# MEANTIME's sentence 0 is the headline and sentence 1 the creation-time line (true of all 120 files).
TITLE_SENTENCE, DCT_SENTENCE = "0", "1"
# A gold mention is looked for this far (characters) either side of where the body text puts it,
# once the cleaner has dropped or joined lines around it.
SEARCH_WINDOW = 300


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NO_SPACE_BEFORE = _words(", . ; : ! ? ) ] } % 's ' n't 're 've 'll 'd 'm ''")
_NO_SPACE_AFTER = _words("( [ { $ `` #")
_DETERMINERS = frozenset({"the", "a", "an"})
_PRONOUNS = _words(
    "he she it they we i you his her its their our my your this that these those which who whom us them him "
    "me both another most some all each every any one none several many"
)
# A name ending in one of these is a role ("Apple CEO", "U.S. President"), a nominal in the gold.
_ROLE_WORDS = _words(
    "ceo president chairman chairwoman executive chief minister secretary officer director spokesman "
    "spokeswoman senator governor analyst analysts mr mrs ms dr sir prime vice deputy founder judge justice"
)
_NAME_LINKS = frozenset({"of", "&", "de", "du", "and"})
_UNTYPED_CUT = frozenset({",", "(", "[", "--", "-", "which", "who"})


# ----------------------------------------------------------------------------- gold


@dataclass
class GoldMention:
    doc: str
    group: str
    entity: str  # the cross-document instance id, or a document-local key when the gold has none
    ent_type: str
    syntax: str
    text: str  # the name head: what a named-entity recogniser is expected to find
    start: int  # of the name head, in the body text built here
    end: int
    aligned: tuple[int, int] | None = None  # the same span in the cleaned body, once found


@dataclass
class GoldDoc:
    doc: str
    group: str
    title: str
    published: str | None
    lines: list[str]
    line_starts: list[int]
    mentions: list[GoldMention] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join one sentence's tokens as running text; the char span of every token comes with it."""
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    glue = True  # no space before the first token, nor after an opening bracket or quote
    open_quote = False
    for token in tokens:
        text = token
        if token in ("``", "''", '"'):
            # Straight quotes alternate open/close; PTB-style ones say which they are.
            opening = token == "``" or (token == '"' and not open_quote)
            open_quote = opening
            text = '"'
            space = not glue and opening
            glue_next = opening
        else:
            space = not glue and token not in _NO_SPACE_BEFORE
            glue_next = token in _NO_SPACE_AFTER
        if space:
            out.append(" ")
            length += 1
        spans.append((length, length + len(text)))
        out.append(text)
        length += len(text)
        glue = glue_next
    return "".join(out), spans


def _is_pronoun(word: str) -> bool:
    # "US" is a country, "Us" and "us" are not.
    return word.lower().strip("'") in _PRONOUNS and not (len(word) > 1 and word.isupper())


def is_name_shaped(words: Sequence[str], sentence_initial: bool, mid_sentence_caps: set[str]) -> bool:
    """Whether an untyped gold mention is a proper name: every word capitalised (bar linking words),
    no pronoun or quantifier first, no role word last. A lone sentence-initial word must also be seen
    capitalised mid-sentence elsewhere, or "Analysts" and "Automaker" would pass."""
    if not words or _is_pronoun(words[0]) or words[-1].lower() in _ROLE_WORDS:
        return False
    if words[0].lower() in _NAME_LINKS or words[-1].lower() in _NAME_LINKS:
        return False
    for word in words:
        if word.lower() in _NAME_LINKS or word in ("'s", "."):
            continue
        if not (word[:1].isupper() or word[:1].isdigit()):
            return False
    # "GM and Chrysler" is a group of two entities (CONJ in the typed part of the gold), not a name.
    if "and" in words and not any(w in ("of", "&") for w in words):
        return False
    return not (len(words) == 1 and sentence_initial and words[0] not in mid_sentence_caps)


def _phrase(words: Sequence[str]) -> tuple[int, int]:
    """The mention's first phrase: up to the first comma, bracket or relative pronoun (what follows is
    an apposition or a relative clause), without a leading determiner."""
    end = next((k for k, w in enumerate(words) if w in _UNTYPED_CUT and k > 0), len(words))
    start = 0
    while start < end - 1 and words[start].lower() in _DETERMINERS:
        start += 1
    return start, end


def _is_cap(word: str) -> bool:
    return word[:1].isupper() and word.lower() not in _DETERMINERS and not _is_pronoun(word)


def _name_runs(words: Sequence[str], start: int, end: int) -> list[tuple[int, int]]:
    """Runs of capitalised words in words[start:end], each without the title before a person's name."""
    runs: list[tuple[int, int]] = []
    i = start
    while i < end:
        if not _is_cap(words[i]):
            i += 1
            continue
        j = i + 1
        # Linking words and digits stay inside a name: "Bank of America", "Nikkei 225", "O' Leary".
        while j < end and (_is_cap(words[j]) or words[j][:1].isdigit() or words[j] in ("-", "'")
                           or (words[j].lower() in _NAME_LINKS and j + 1 < end and _is_cap(words[j + 1]))):
            j += 1
        roles = [k for k in range(i, j) if words[k].lower().rstrip(".") in _ROLE_WORDS]
        # After a title comes the name ("Senator John McCain"), unless it is the title's own
        # complement: in "Prime Minister of Canada" the person is not named at all.
        if not roles:
            runs.append((i, j))
        elif roles[-1] + 1 < j and words[roles[-1] + 1].lower() not in _NAME_LINKS:
            runs.append((roles[-1] + 1, j))
        i = j
    return runs


def name_head(words: Sequence[str], head: str | None) -> tuple[int, int] | None:
    """Token range [i, j) of the name inside a gold mention. The gold ``head`` when it has one (the
    apple and stock groups mostly do); else the last run of capitalised words of the first phrase,
    since English names are head-final ("United States airframer Boeing", "JSA Research analyst Paul
    Nesbit"), with a title before a person's name dropped ("Apple CEO Steve Jobs", "Senator John McCain"),
    or when that phrase names nobody the first run after it ("Ryanair CEO, Michael O' Leary"). None
    when no name is left ("Apple CEO", "federal", "automobile manufacturing firm")."""
    if head:
        target = [t.lower() for t in head.split()]
        for i in range(len(words) - len(target) + 1):
            if [w.lower() for w in words[i : i + len(target)]] == target:
                return i, i + len(target)
    start, end = _phrase(words)
    runs = _name_runs(words, start, end)
    if runs:
        return runs[-1]
    later = _name_runs(words, end, len(words))
    return later[0] if later else None


def read_gold(groups: Iterable[str], types: frozenset[str]) -> tuple[list[GoldDoc], Counter[str]]:
    """Every article as lines of body text, with the scored gold mentions placed in it, and the
    counts of what was left out of the score and why."""
    skipped: Counter[str] = Counter()
    parsed = []
    for group in groups:
        for path in sorted((MEANTIME / f"corpus_{group}").glob("*.xml")):
            parsed.append((group, ET.parse(path).getroot()))
    # Capitalised words seen after a sentence's first token: proper names by their spelling.
    mid_caps: set[str] = set()
    for _, root in parsed:
        first: set[str] = set()
        for token in root.iter("token"):
            sentence = token.get("sentence", "")
            if sentence in first and (token.text or "")[:1].isupper():
                mid_caps.add(token.text or "")
            first.add(sentence)
    docs = [_read_doc(group, root, types, mid_caps, skipped) for group, root in parsed]
    return docs, skipped


def _read_doc(group: str, root: ET.Element, types: frozenset[str], mid_caps: set[str],
              skipped: Counter[str]) -> GoldDoc:
    doc_id = root.get("doc_id", "")
    sentences: dict[str, list[ET.Element]] = defaultdict(list)
    for token in root.iter("token"):
        sentences[token.get("sentence", "")].append(token)
    token_at: dict[str, tuple[str, int, int]] = {}  # t_id -> (sentence, start, end) in the body
    lines: list[str] = []
    line_starts: list[int] = []
    title = ""
    offset = 0
    for sentence, tokens in sorted(sentences.items(), key=lambda kv: int(kv[0])):
        text, spans = detokenize([t.text or "" for t in tokens])
        if sentence == TITLE_SENTENCE:
            title = text
        if sentence in (TITLE_SENTENCE, DCT_SENTENCE):
            for t in tokens:
                token_at[t.get("t_id", "")] = (sentence, -1, -1)
            continue
        for t, (s, e) in zip(tokens, spans, strict=True):
            token_at[t.get("t_id", "")] = (sentence, offset + s, offset + e)
        lines.append(text)
        line_starts.append(offset)
        offset += len(text) + 1
    markables = root.find("Markables")
    relations = root.find("Relations")
    assert markables is not None and relations is not None
    published = None
    for timex in markables.iter("TIMEX3"):
        value = timex.get("value", "")
        if timex.get("functionInDocument") == "CREATION_TIME" and re.match(r"\d{4}-\d\d-\d\d$", value):
            published = value
    entities = {e.get("m_id", ""): e for e in markables if e.tag == "ENTITY"}
    refers: dict[str, str] = {}
    for relation in relations.iter("REFERS_TO"):
        target = relation.find("target")
        for source in relation.findall("source"):
            if target is not None:
                refers[source.get("m_id", "")] = target.get("m_id", "")
    doc = GoldDoc(doc_id, group, title, published, lines, line_starts)
    words_of = {t.get("t_id", ""): t.text or "" for t in root.iter("token")}
    first_of = {tokens[0].get("t_id", "") for tokens in sentences.values()}
    by_head: dict[tuple[int, int], list[tuple[int, GoldMention]]] = defaultdict(list)
    for mention in markables.iter("ENTITY_MENTION"):
        ids = [a.get("t_id", "") for a in mention.findall("token_anchor")]
        entity = entities.get(refers.get(mention.get("m_id", ""), ""))
        if not ids or entity is None:
            skipped["no entity (no REFERS_TO)"] += 1
            continue
        ent_type = entity.get("ent_type", "")
        if ent_type not in types:
            skipped[f"type {ent_type}"] += 1
            continue
        syntax = mention.get("syntactic_type") or ""
        words = [words_of[i] for i in ids]
        typed = bool(syntax)
        if typed and syntax not in NAMED_SYNTAX:
            skipped[f"not a name ({syntax})"] += 1
            continue
        span = name_head(words, mention.get("head"))
        first, last = _phrase(words)
        if not typed and not is_name_shaped(words[first:last], ids[first] in first_of, mid_caps):
            skipped["untyped, not name-shaped"] += 1
            continue
        if span is None:
            skipped["no capitalised name in the span"] += 1
            continue
        places = [token_at[i] for i in ids[span[0] : span[1]]]
        if places[0][1] < 0:
            skipped["in the headline or dateline"] += 1
            continue
        start, end = places[0][1], places[-1][2]
        key = entity.get("instance_id") or f"{doc_id}#{entity.get('m_id')}"
        name = doc.text[start:end]
        by_head[(start, end)].append((len(ids), GoldMention(doc_id, group, key, ent_type, syntax or "untyped",
                                                            name, start, end)))
    # Nested gold mentions often share a name ("Paul Nesbit" in "JSA Research defence analyst Paul
    # Nesbit"); a name is one mention to find, so one stands for it: the tightest, whose entity is the
    # name's own when the wider one names something else.
    for found in by_head.values():
        doc.mentions.append(min(found, key=lambda x: x[0])[1])
        skipped["same name as a nested gold mention"] += len(found) - 1
    return doc


# ----------------------------------------------------------------------------- newsprism


def run_newsprism(docs: Sequence[GoldDoc], tmp: Path) -> dict:
    input_path = tmp / "meantime.jsonl"
    with input_path.open("w", encoding="utf-8") as out:
        for doc in docs:
            record = {"id": doc.doc, "title": doc.title, "text": doc.text, "published": doc.published}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    export = tmp / "out.json"
    command = [str(Path(sys.executable).with_name("newsprism")), "analyze", str(input_path),
               "--db", str(tmp / "tmp.duckdb"), "--json", str(export)]
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"newsprism failed:\n{run.stderr[-2000:]}")
    return json.loads(export.read_text(encoding="utf-8"))


def align(doc: GoldDoc, body: str) -> None:
    """Place each gold mention in the cleaned body. Lines found verbatim carry their mentions by a
    fixed shift; otherwise the mention's own text is searched for near where the last shift puts it."""
    shift = 0
    cursor = 0
    shifts: list[int | None] = []
    for line, start in zip(doc.lines, doc.line_starts, strict=True):
        found = body.find(line, cursor)
        if found >= 0:
            shift = found - start
            cursor = found + len(line)
            shifts.append(shift)
        else:
            shifts.append(None)
    for m in doc.mentions:
        line = max(i for i, s in enumerate(doc.line_starts) if s <= m.start)
        known = shifts[line]
        if known is not None:
            m.aligned = (m.start + known, m.end + known)
            continue
        previous = next((s for s in reversed(shifts[:line]) if s is not None), 0)
        expected = m.start + previous
        lo = max(0, expected - SEARCH_WINDOW)
        window = body[lo : expected + SEARCH_WINDOW + len(m.text)]
        hits = [h.start() for h in re.finditer(re.escape(m.text), window)]
        if hits:
            best = min(hits, key=lambda h: abs(lo + h - expected))
            m.aligned = (lo + best, lo + best + len(m.text))


@dataclass(frozen=True)
class Predicted:
    article: str
    start: int
    end: int
    text: str
    entity: str


def match(gold: Sequence[GoldMention], predicted: Sequence[Predicted]) -> dict[int, Predicted]:
    """One to one, between gold name heads and the predicted mentions they overlap: the predicted mention
    holding the name's last character first, then the largest overlap, then the closest length."""
    by_article: dict[str, list[Predicted]] = defaultdict(list)
    for p in predicted:
        by_article[p.article].append(p)
    pairs = []
    for i, g in enumerate(gold):
        if g.aligned is None:
            continue
        for p in by_article.get(g.doc, ()):
            overlap = min(g.aligned[1], p.end) - max(g.aligned[0], p.start)
            if overlap > 0:
                # Names are head-final: of "Japanese" and "Toyota" inside "Japanese Toyota", the one
                # holding the last word is the mention of the gold entity.
                holds_end = p.start < g.aligned[1] <= p.end
                pairs.append(((holds_end, overlap, -abs((p.end - p.start) - (g.end - g.start))), i, p))
    pairs.sort(key=lambda x: x[0], reverse=True)
    taken: set[Predicted] = set()
    matched: dict[int, Predicted] = {}
    for _, i, p in pairs:
        if i not in matched and p not in taken:
            matched[i] = p
            taken.add(p)
    return matched


def normalise(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip().lower())
    text = re.sub(r"^the\s+", "", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


# ----------------------------------------------------------------------------- metrics

Clusters = list[set[int]]


def clusters_of(labels: Sequence[Hashable]) -> Clusters:
    groups: dict[Hashable, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return list(groups.values())


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def muc(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Vilain et al. 1995: links kept. Recall counts, per key cluster, the links lost by the
    response partitioning it; precision is the same with the roles swapped."""
    def recall(k: Clusters, r: Clusters) -> float:
        where: dict[int, Hashable] = {m: i for i, c in enumerate(r) for m in c}
        # A mention the other side lacks is a part of its own.
        num = sum(len(c) - len({where.get(m, ("alone", m)) for m in c}) for c in k)
        den = sum(len(c) - 1 for c in k)
        return num / den if den else 0.0

    r, p = recall(key, response), recall(response, key)
    return p, r, f1(p, r)


def b_cubed(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Bagga and Baldwin 1998: per mention, the share of its response cluster in its key cluster
    (precision) and the other way round (recall), averaged over mentions."""
    key_of = {m: c for c in key for m in c}
    response_of = {m: c for c in response for m in c}
    n = len(key_of)
    p = sum(len(key_of[m] & response_of[m]) / len(response_of[m]) for m in key_of) / n
    r = sum(len(key_of[m] & response_of[m]) / len(key_of[m]) for m in key_of) / n
    return p, r, f1(p, r)


def ceaf_e(key: Clusters, response: Clusters) -> tuple[float, float, float]:
    """Luo 2005, entity-based: the best one-to-one pairing of key and response clusters under
    phi4 = 2|K & R| / (|K| + |R|); its total over the number of response (key) clusters."""
    sim = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in response] for k in key])
    rows, cols = linear_sum_assignment(sim, maximize=True)
    total = float(sim[rows, cols].sum())
    p, r = total / len(response), total / len(key)
    return p, r, f1(p, r)


@dataclass(frozen=True)
class Scores:
    mentions: int
    muc: float
    b3: tuple[float, float, float]
    ceaf: float

    @property
    def conll(self) -> float:
        return (self.muc + self.b3[2] + self.ceaf) / 3


def score(gold_labels: Sequence[Hashable], predicted_labels: Sequence[Hashable]) -> Scores:
    key, response = clusters_of(gold_labels), clusters_of(predicted_labels)
    return Scores(len(gold_labels), muc(key, response)[2], b_cubed(key, response), ceaf_e(key, response)[2])


# ----------------------------------------------------------------------------- report


def show_errors(gold: Sequence[GoldMention], labels: Sequence[Hashable], system: str, n: int) -> None:
    """The predicted clusters holding most mentions of gold entities other than their main one, and
    the gold entities with most mentions outside their main predicted cluster."""

    def tag(label: Hashable) -> str:
        return "no predicted mention" if isinstance(label, tuple) else f"pred {str(label)[:14]}"

    def describe(members: list[int], part_of: dict[int, str]) -> None:
        parts: dict[str, Counter[str]] = defaultdict(Counter)
        for i in members:
            parts[part_of[i]][gold[i].text] += 1
        for key, texts in sorted(parts.items(), key=lambda kv: -sum(kv[1].values())):
            shown = " | ".join(f"{t} x{k}" if k > 1 else t for t, k in texts.most_common(6))
            print(f"      {sum(texts.values()):3d}  {shown}  [{key}]")

    def worst(groups: Iterable[list[int]], part: dict[int, str]) -> list[tuple[int, list[int]]]:
        ranked = []
        for members in groups:
            sizes = Counter(part[i] for i in members)
            if len(sizes) > 1:
                ranked.append((len(members) - max(sizes.values()), members))
        return sorted(ranked, key=lambda x: -x[0])

    as_gold = {i: f"{g.entity} {g.ent_type}" for i, g in enumerate(gold)}
    as_pred = {i: tag(label) for i, label in enumerate(labels)}
    by_pred: dict[Hashable, list[int]] = defaultdict(list)
    by_gold: dict[str, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        by_pred[label].append(i)
        by_gold[gold[i].entity].append(i)
    merges = worst(by_pred.values(), as_gold)
    print(f"\n{system}: worst wrong merges, by mentions outside the cluster's main gold entity "
          f"({len(merges)} clusters mix entities)")
    for wrong, members in merges[:n]:
        print(f"  {tag(labels[members[0]])}: {len(members)} mentions, {wrong} of other gold entities")
        describe(members, as_gold)
    splits = worst(by_gold.values(), as_pred)
    print(f"\n{system}: worst splits, by mentions outside the entity's main predicted cluster "
          f"({len(splits)} entities split)")
    for wrong, members in splits[:n]:
        print(f"  {as_gold[members[0]]}: {len(members)} mentions, {wrong} outside its main cluster")
        describe(members, as_pred)


def evaluate(groups: Sequence[str] = GROUPS, types: str = TYPES, errors: int = 0) -> dict[str, Scores]:
    """Prints the table (and the ``errors`` worst merges and splits); returns newsprism's scores,
    overall ("all") and per group."""
    docs, skipped = read_gold(groups, frozenset(types.split(",")))
    with tempfile.TemporaryDirectory() as tmp:
        export = run_newsprism(docs, Path(tmp))
    source_of = {a["id"]: a["source_id"] for a in export["articles"]}
    bodies = {a["source_id"]: "\n\n".join(a["paragraphs"]) for a in export["articles"]}
    gold: list[GoldMention] = []
    for doc in docs:
        if doc.doc in bodies:
            align(doc, bodies[doc.doc])
        gold.extend(doc.mentions)
    predicted = [Predicted(source_of[m["article"]], m["start"], m["end"], m["text"], e["id"])
                 for e in export["entities"] for m in e["mentions"]]
    matched = match(gold, predicted)
    ours = [matched[i].entity if i in matched else ("unmatched", i) for i in range(len(gold))]
    baseline = [normalise(matched[i].text) if i in matched else ("unmatched", i) for i in range(len(gold))]
    truth = [g.entity for g in gold]

    unaligned = sum(g.aligned is None for g in gold)
    print(f"articles {len(docs)} (exported {len(bodies)}), predicted entity mentions {len(predicted)}")
    syntax = ", ".join(f"{k} {v}" for k, v in Counter(g.syntax for g in gold).most_common())
    kinds = ", ".join(f"{k} {v}" for k, v in Counter(g.ent_type for g in gold).most_common())
    print(f"gold mentions scored {len(gold)} ({syntax}; {kinds}), gold entities {len(set(truth))}")
    print(f"left out of the score: {', '.join(f'{k} {v}' for k, v in skipped.most_common())}")
    print(f"not placed in the cleaned body (singletons for both) {unaligned}; "
          f"no overlapping predicted mention (singletons for both) {len(gold) - unaligned - len(matched)}; "
          f"matched {len(matched)} ({len(matched) / len(gold):.1%})")
    print("\nmatching: head overlap, one to one (the predicted span holding the name head's end first)")
    header = (f"{'group':8} {'system':12} {'mentions':>8} {'MUC F1':>7} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} "
              f"{'CEAFe F1':>8} {'CoNLL F1':>8}")
    print(header)
    print("-" * len(header))
    figures: dict[str, Scores] = {}
    for group in ("all", *groups) if len(groups) > 1 else ("all",):
        keep = [i for i, g in enumerate(gold) if group in ("all", g.group)]
        for name, labels in (("newsprism", ours), ("exact-match", baseline)):
            s = score([truth[i] for i in keep], [labels[i] for i in keep])
            if name == "newsprism":
                figures[group] = s
            p, r, f = s.b3
            print(f"{group:8} {name:12} {s.mentions:8d} {s.muc:7.1%} {p:6.1%} {r:6.1%} {f:6.1%} "
                  f"{s.ceaf:8.1%} {s.conll:8.1%}")
    if errors:
        show_errors(gold, ours, "newsprism", errors)
        show_errors(gold, baseline, "exact-match", errors)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--group", choices=GROUPS, action="append",
                        help="only this topic group (repeatable; default all four, as one corpus)")
    parser.add_argument("--types", default=TYPES,
                        help=f"gold entity types scored, of PER ORG LOC PRO FIN (default {TYPES})")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="print the N worst wrong merges and splits of each system")
    args = parser.parse_args()
    evaluate(tuple(args.group or GROUPS), args.types, args.show_errors)


if __name__ == "__main__":
    main()
