"""``analyze``: inputs in, a resolved corpus out, with everything stored on the way.

Bad input never stops a batch: each failure becomes an ``InputError`` in the report and the run
goes on. Articles already in the store from this pipeline version are not processed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Protocol

from newsprism.annotate import annotate
from newsprism.clean import clean
from newsprism.corpus import resolve_corpus
from newsprism.engine import LocalEngine
from newsprism.errors import InputError
from newsprism.ingest import discover, read_file
from newsprism.nlp import MODEL
from newsprism.options import Options
from newsprism.records import Annotations, Article, Corpus, RawDoc
from newsprism.store import Store


class Progress(Protocol):
    def stage(self, name: str, total: int) -> None: ...
    def advance(self, steps: int = 1) -> None: ...


class _Silent:
    def stage(self, name: str, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


@dataclass
class RunReport:
    files: int = 0
    articles: int = 0
    new: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)
    corpus: Corpus | None = None


def pipeline_version() -> str:
    """Results are reused only when the code that made them is byte-for-byte the same, and so are
    the model and the libraries whose output they hold."""
    digest = hashlib.sha256()
    for dist in ("spacy", MODEL.replace("_", "-"), "trafilatura", "dateparser"):
        digest.update(f"{dist}={metadata.version(dist)};".encode())
    package = resources.files("newsprism")
    for path in sorted(Path(str(package)).rglob("*")):
        if path.suffix in {".py", ".json"} and "__pycache__" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def analyze(
    paths: Iterable[str], store: Store, options: Options | None = None, progress: Progress | None = None
) -> RunReport:
    options = options or Options()
    progress = progress or _Silent()
    report = RunReport()
    docs = _read(paths, options, report, progress)
    version = pipeline_version()
    ids = {doc.content_hash: doc.content_hash[:16] for doc in docs}
    current = store.current(ids.values(), version)
    todo = [d for d in docs if ids[d.content_hash] not in current]
    report.unchanged = len(docs) - len(todo)
    store.put_raw(todo)
    articles = _clean(todo, report, progress)
    _annotate(articles, store, version, options, progress, {i: h for h, i in ids.items()}, report)
    report.new = len(articles)
    done = current | {a.id for a in articles}
    good = [d for d in docs if ids[d.content_hash] in done]
    store.put_sources([(d.source, ids[d.content_hash]) for d in good])
    report.corpus = _resolve(store, good, progress)
    report.articles = len(good)
    return report


def _read(paths: Iterable[str], options: Options, report: RunReport, progress: Progress) -> list[RawDoc]:
    files, errors = discover(paths)
    report.failed.extend(errors)
    report.files = len(files)
    progress.stage("reading", len(files))
    docs: dict[str, RawDoc] = {}
    for path in files:
        try:
            result = read_file(path, options)
        except InputError as exc:
            report.failed.append(exc)
        else:
            report.failed.extend(result.errors)
            for doc in result.docs:
                docs.setdefault(doc.content_hash, doc)
        progress.advance()
    return list(docs.values())


def _clean(docs: Sequence[RawDoc], report: RunReport, progress: Progress) -> list[Article]:
    progress.stage("cleaning", len(docs))
    articles = []
    for doc in docs:
        try:
            articles.append(clean(doc))
        except InputError as exc:
            report.failed.append(exc)
        progress.advance()
    return articles


def _annotate(
    articles: Sequence[Article],
    store: Store,
    version: str,
    options: Options,
    progress: Progress,
    raw_hash: dict[str, str],
    report: RunReport,
) -> None:
    progress.stage("understanding", len(articles))
    engine = LocalEngine(options.workers, options.min_articles_per_worker)
    done = 0
    for results in engine.map_chunks(annotate, articles, options.chunk_size):
        batch = articles[done : done + len(results)]
        for article, result in zip(batch, results, strict=True):
            if result.error:
                report.failed.append(InputError(article.source, f"could not be analysed: {result.error}"))
        store.put_results(list(zip(batch, results, strict=True)), raw_hash, version)
        done += len(results)
        progress.advance(len(results))


def _resolve(store: Store, docs: Sequence[RawDoc], progress: Progress) -> Corpus:
    progress.stage("resolving corpus", 1)
    ids = list(dict.fromkeys(d.content_hash[:16] for d in docs))
    source_of = {d.content_hash[:16]: d.source for d in docs}
    articles = [dataclasses.replace(a, source=source_of[a.id]) for a in store.articles(ids)]
    found = store.annotations(ids)
    annotations = {i: found.get(i) or Annotations(article=i) for i in ids}
    corpus = resolve_corpus(articles, annotations)
    store.put_entities(corpus.entities)
    progress.advance()
    return corpus
