"""What a stage's stored results depend on, so that an upgrade redoes exactly what it must.

Each stage states a ``VERSION``, bumped by hand when its output changes for some input; a stage's
key is that version (with the versions of the stages it runs together with), the versions of the
libraries and the language model whose output it holds, and the package data it reads. A comment
edit, a refactor or a move keeps every key, so nothing is redone; a bumped version, a new spaCy or a
changed ``data/*.json`` changes the key, and the results stored under the old key are redone when
their input comes in again (article stages) or rebuilt from the stored annotations (corpus level).
``tests/test_versions.py`` keeps the versions honest: it fails when a stage's output on the seed
articles changes while its versions, libraries and data stay the same.

Keys read ``stage:versions:digest`` (``annotate:a1m1q1t1:3f0c…``), so a store tells at a glance which
versions made what it holds; keys of releases before versions were 16 hex digits (``LEGACY_KEY``).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

from newsprism import corpus
from newsprism.article import annotate, clean, mentions, quotes, times
from newsprism.article.nlp import MODEL

LEGACY_KEY = re.compile(r"[0-9a-f]{16}")


@dataclass(frozen=True)
class StageSpec:
    """A stage's key material: its own and its companions' versions, its libraries."""

    name: str
    versions: dict[str, int]
    libraries: tuple[str, ...]

    def library_versions(self) -> dict[str, str]:
        return {name: metadata.version(name) for name in self.libraries}

    def key(self) -> str:
        material = json.dumps(
            {"versions": self.versions, "libraries": self.library_versions(), "data": data_digest()},
            sort_keys=True,
        )
        label = "".join(f"{stage[0]}{version}" for stage, version in sorted(self.versions.items()))
        return f"{self.name}:{label}:{hashlib.sha256(material.encode()).hexdigest()[:12]}"


# One spaCy pass yields mentions, quotes and times together, so they share one key: a new version of
# any of them redoes the pass. Cleaning runs before and apart, and keeps its results when they change.
CLEAN = StageSpec("clean", {"clean": clean.VERSION}, ("trafilatura", "dateparser", "charset-normalizer"))
ANNOTATE = StageSpec(
    "annotate",
    {
        "annotate": annotate.VERSION,
        "mentions": mentions.VERSION,
        "quotes": quotes.VERSION,
        "times": times.VERSION,
    },
    ("spacy", MODEL.replace("_", "-"), "dateparser", "rapidfuzz"),
)
CORPUS = StageSpec("corpus", {"corpus": corpus.VERSION}, ("scikit-learn", "rapidfuzz", "numpy"))


@dataclass(frozen=True)
class StageKeys:
    clean: str
    annotate: str
    corpus: str


@cache
def stage_keys() -> StageKeys:
    return StageKeys(clean=CLEAN.key(), annotate=ANNOTATE.key(), corpus=CORPUS.key())


@cache
def data_digest() -> str:
    """The package data every stage may read (outlet names, places)."""
    digest = hashlib.sha256()
    data = Path(str(resources.files("newsprism"))) / "data"
    for path in sorted(data.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
