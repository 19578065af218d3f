"""The pipeline's ``tag_rules`` sets exactly what the model's attribute ruler sets for every stage to read."""

from __future__ import annotations

import spacy
from conftest import SHARED

from newsprism.article.nlp import MODEL, load_nlp


def test_tag_rules_give_the_attribute_rulers_tags_parts_of_speech_and_labels(seeds_dir):
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds_dir.iterdir())]
    texts += [p.read_text(encoding="utf-8", errors="replace")
              for p in sorted((SHARED / "data" / "timelines" / "timeline17").glob("*/InputDocs/*/*"))[::200]]
    ruled = spacy.load(MODEL, exclude=["lemmatizer"])
    ruled.add_pipe("paragraph_boundaries", before="parser")
    ours = load_nlp()
    assert "attribute_ruler" not in ours.pipe_names and "tag_rules" in ours.pipe_names
    tokens = 0
    for expected, found in zip(ruled.pipe(texts), ours.pipe(texts), strict=True):
        tokens += len(found)
        assert [(t.tag_, t.pos_, t.dep_, t.head.i) for t in found] == [
            (t.tag_, t.pos_, t.dep_, t.head.i) for t in expected
        ]
    assert tokens > 5_000


def test_tag_rules_read_the_rulers_patterns_in_order():
    doc = load_nlp()("There is no doubt he did it, but I have been told nothing.\n\nHe said so.")
    pos = {t.text: t.pos_ for t in doc}
    # Later patterns win: "is" after an expletive "There" is a VERB, not the AUX its tag gives.
    assert pos["is"] == "VERB" and pos["nothing"] == "PRON" and pos["been"] == "AUX"
    assert [t.pos_ for t in doc if t.is_space] == ["SPACE"] and [t.tag_ for t in doc if t.is_space] == ["_SP"]
