"""``analyze``: inputs in, articles stored and the corpus updated, streaming and resumable.

Inputs are read lazily and flow in chunks through the engine (clean and annotate, which are pure
functions of an article); results are stored ``Options.commit_size`` articles at a time, each commit
holding the articles, their annotations and the corpus-level update they cause, so a run killed at
any moment and started again ends with every article stored exactly once. Peak memory depends on the
chunk sizes, not on the size of the input.

Bad input never stops a batch: each failure becomes an ``InputError`` in the report and the run goes
on. An article already stored by the same versions of clean and annotate is not processed again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from newsprism.article.annotate import annotate, times_dated
from newsprism.article.clean import clean
from newsprism.article.ingest import FileProgress, iter_inputs
from newsprism.corpus import update as corpus
from newsprism.corpus.digests import refresh_digests
from newsprism.engine import make_engine
from newsprism.errors import InputError, OutdatedStoreError, StoreError
from newsprism.options import Options
from newsprism.records import Annotations, Article, RawDoc
from newsprism.store import Store, open_store
from newsprism.store.rows import StoredInput
from newsprism.versions import LEGACY_KEY, stage_keys


class Progress(Protocol):
    def start(self, task: str, total: int | None) -> None: ...
    def advance(self, task: str, steps: int = 1) -> None: ...


class _Silent:
    def start(self, task: str, total: int | None) -> None:
        pass

    def advance(self, task: str, steps: int = 1) -> None:
        pass


@dataclass
class RunReport:
    files: int = 0
    articles: int = 0
    new: int = 0
    unchanged: int = 0
    failed: list[InputError] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # the inputs' articles, as stored or found stored
    reference_date: dt.date | None = None


@dataclass(frozen=True)
class Outcome:
    """What the article-level stages made of one input."""

    raw_hash: str
    source: str
    article: Article | None
    annotations: Annotations | None
    error: InputError | None = None


def understand(docs: list[RawDoc], reference_date: dt.date) -> list[Outcome]:
    """The article-level stages on one chunk: clean, then one spaCy pass for the clean articles.
    Runs on an engine's worker, so it takes and returns plain records only."""
    cleaned: list[tuple[RawDoc, Article | InputError]] = []
    for doc in docs:
        try:
            cleaned.append((doc, clean(doc, reference_date)))
        except InputError as exc:
            cleaned.append((doc, exc))
    annotated = iter(annotate([a for _, a in cleaned if isinstance(a, Article)]))
    outcomes = []
    for doc, result in cleaned:
        if isinstance(result, InputError):
            outcomes.append(Outcome(doc.content_hash, doc.source, None, None, result))
            continue
        annotations = next(annotated)
        error = (
            InputError(doc.source, f"could not be analysed: {annotations.error}")
            if annotations.error
            else None
        )
        outcomes.append(Outcome(doc.content_hash, doc.source, result, annotations, error))
    return outcomes


def read_articles(paths: Sequence[str], options: Options) -> tuple[list[Article], list[InputError]]:
    """The clean articles of these inputs, without annotating them (for a summary of files given
    as one story); what cannot be read or cleaned is reported, the rest goes on."""
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_inputs(paths, options):
        if isinstance(item, InputError):
            errors.append(item)
        elif isinstance(item, RawDoc):
            try:
                articles.append(clean(item, options.reference_date or dt.date.today()))
            except InputError as exc:
                errors.append(exc)
    return articles, errors


def article_id(doc: RawDoc) -> str:
    return doc.content_hash[:16]


def ensure_corpus_current(store: Store) -> bool:
    """Rebuild the corpus level when the code that made it has changed; True if it did."""
    key = stage_keys().corpus
    if store.get_meta("corpus_key") == key:
        return False
    corpus.rebuild(store)
    store.set_meta("corpus_key", key)
    return True


@contextmanager
def reading_store(path: str | Path, options: Options | None = None) -> Iterator[Store]:
    """The existing store at ``path``, opened read-only once it is current. A store an older release
    wrote, or whose corpus level older code made, is first brought up to date: the one write a reader
    makes, and only to a newsprism store (a missing file, or one that is no store, is a ``StoreError``
    and stays as it was). A search index behind the store is rebuilt too where the store can be
    written; where it cannot (read-only media), the reader searches by scanning instead. The database
    keeps to ``options``' memory limit and threads."""
    settings = (options or Options()).store_settings()
    corpus_current, indexed = _currency(path, settings)
    if not corpus_current:
        with open_store(path, **settings) as store:
            ensure_corpus_current(store)
            store.refresh_search_index()
    elif not indexed:
        with suppress(StoreError, OSError), open_store(path, **settings) as store:
            store.refresh_search_index()
    with open_store(path, read_only=True, **settings) as store:
        yield store


def _currency(path: str | Path, settings: dict[str, Any]) -> tuple[bool, bool]:
    """Whether the store's corpus level is today's code's, and whether its search index is current."""
    try:
        with open_store(path, read_only=True, **settings) as store:
            return store.get_meta("corpus_key") == stage_keys().corpus, store.search_index_current()
    except OutdatedStoreError:
        return False, False


# Articles a store made before stage versions holds, per key pair, that are made again to tell
# whether today's code makes the same of them: one spaCy batch, a few seconds, once per store.
ADOPTION_SAMPLE = 8


def adopt_unversioned(store: Store) -> int:
    """Results stored before stage versions carry keys that no code computes any more. Each group of
    them (one key pair: one release made it) is adopted under today's keys when today's stages make
    exactly the same articles and annotations of a sample of its inputs; a group that differs keeps
    its keys and is redone when its inputs come in again. Returns the number of articles adopted."""
    if store.get_meta("unversioned_examined") == "1":
        return 0
    keys, adopted = stage_keys(), 0
    for group in store.stage_key_groups():
        if not all(LEGACY_KEY.fullmatch(key or "") for key in (group.clean_key, group.annotate_key)):
            continue
        sample = store.stored_inputs(group.clean_key, group.annotate_key, ADOPTION_SAMPLE)
        if sample and _made_alike(store, sample):
            adopted += store.rekey(group.clean_key, group.annotate_key, keys.clean, keys.annotate)
    store.set_meta("unversioned_examined", "1")
    return adopted


def _made_alike(store: Store, sample: Sequence[StoredInput]) -> bool:
    ids = [s.article for s in sample]
    stored_articles = {a.id: a for a in store.articles(ids)}
    stored_annotations = store.annotations(ids)
    # An undated article's times were read again against its story's date; so are today's.
    borrowed = store.borrowed_dates(ids)
    for item in sample:
        (outcome,) = understand([item.doc], item.reference_date)
        made, annotations = outcome.article, outcome.annotations
        if made is None or annotations is None or made != stored_articles.get(item.article):
            return False
        if item.article in borrowed:
            annotations = replace(annotations, times=times_dated(made, borrowed[item.article].value))
        if annotations != stored_annotations.get(item.article):
            return False
    return True


def analyze(
    paths: Iterable[str],
    store: Store,
    options: Options | None = None,
    progress: Progress | None = None,
    records: Iterable[RawDoc] = (),
) -> RunReport:
    """Read the files and folders ``paths`` (and ``records`` already read) into the store."""
    options = options or Options()
    progress = progress or _Silent()
    report = RunReport(reference_date=options.reference_date or dt.date.today())
    adopt_unversioned(store)
    ensure_corpus_current(store)
    # A run killed between the store's commit and the index's left the index behind.
    store.refresh_search_index()
    pending: dict[str, RawDoc] = {}
    copies: list[Copy] = []
    docs = _read(paths, records, options, report, progress, copies)
    chunks = _chunks(_fresh(docs, store, report, progress), options.chunk_size, pending)
    stage = partial(understand, reference_date=report.reference_date)
    with make_engine(
        options.engine, options.workers, options.scheduler, options.min_articles_per_worker
    ) as engine:
        batch: list[Outcome] = []
        for outcomes in engine.map(stage, chunks):
            batch.extend(outcomes)
            if len(batch) >= options.commit_size:
                _commit(store, batch, pending, report, progress)
                batch = []
        _commit(store, batch, pending, report, progress)
        _record_copies(store, copies, report)

        def compared(stories: int, total: int) -> None:
            progress.start("comparing", total)
            progress.advance("comparing", stories)

        # The comparisons are pure functions of each story's articles: the workers make them too.
        refresh_digests(store, compared=compared, run=engine.map)
    report.articles = len(report.ids)
    return report


@dataclass(frozen=True)
class Copy:
    """An input that repeats one read before it in the same run (the same JSONL line twice)."""

    source: str
    article: str
    first: str  # the source of the input it repeats


def _read(
    paths: Iterable[str],
    records: Iterable[RawDoc],
    options: Options,
    report: RunReport,
    progress: Progress,
    copies: list[Copy],
) -> Iterator[RawDoc]:
    """Each input article once, in input order; a repeat is analysed with its first copy and only
    noted in ``copies``."""
    seen: dict[str, str] = {}
    for item in itertools.chain(iter_inputs(paths, options), records):
        if isinstance(item, FileProgress):
            if item.path is None:
                report.files = item.total
                progress.start("reading", item.total)
                progress.start("understanding", None)
            else:
                progress.advance("reading")
        elif isinstance(item, InputError):
            report.failed.append(item)
        elif item.content_hash in seen:
            copies.append(Copy(item.source, article_id(item), seen[item.content_hash]))
        else:
            seen[item.content_hash] = item.source
            yield item


def _record_copies(store: Store, copies: Sequence[Copy], report: RunReport) -> None:
    """A repeated input is stored as its first copy was, with its own source recorded, or reported
    when the first copy failed: no input goes unaccounted for."""
    if not copies:
        return
    keys = stage_keys()
    current = store.current([c.article for c in copies], keys.clean, keys.annotate)
    with store.transaction("cannot record the input paths"):
        store.put_sources([(c.source, c.article) for c in copies if c.article in current])
    store.release()
    report.failed.extend(
        InputError(c.source, f"the same article as {c.first}, which could not be analysed")
        for c in copies
        if c.article not in current
    )


def _fresh(
    docs: Iterator[RawDoc], store: Store, report: RunReport, progress: Progress, lookup: int = 256
) -> Iterator[RawDoc]:
    """The documents whose article is not stored yet by these stages; the others only get their
    input path recorded."""
    keys = stage_keys()
    batch: list[RawDoc] = []

    def flush() -> Iterator[RawDoc]:
        current = store.current([article_id(d) for d in batch], keys.clean, keys.annotate)
        done = [d for d in batch if article_id(d) in current]
        if done:
            with store.transaction("cannot record the input paths"):
                store.put_sources([(d.source, article_id(d)) for d in done])
            report.unchanged += len(done)
            report.ids.extend(article_id(d) for d in done)
            progress.advance("understanding", len(done))
        # Readers of the store (the web app) get in while the articles are being understood.
        store.release()
        yield from (d for d in batch if article_id(d) not in current)

    for doc in docs:
        batch.append(doc)
        if len(batch) >= lookup:
            yield from flush()
            batch = []
    yield from flush()


def _chunks(docs: Iterator[RawDoc], size: int, pending: dict[str, RawDoc]) -> Iterator[list[RawDoc]]:
    """Chunks for the engine; the raw documents wait in ``pending`` until their results are stored."""
    chunk: list[RawDoc] = []
    for doc in docs:
        pending[doc.content_hash] = doc
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _commit(
    store: Store,
    outcomes: Sequence[Outcome],
    pending: dict[str, RawDoc],
    report: RunReport,
    progress: Progress,
) -> None:
    if not outcomes:
        return
    keys = stage_keys()
    raws = [pending.pop(o.raw_hash) for o in outcomes]
    stored = [o for o in outcomes if o.article is not None]
    articles = [o.article for o in stored]
    annotations = {o.article.id: o.annotations for o in stored if o.error is None}
    with store.transaction("cannot store the results"):
        store.put_raw(raws)
        lowered = corpus.retract(store, sorted(store.known(a.id for a in articles)))
        store.put_articles(
            [(o.article, o.annotations) for o in stored],
            {o.article.id: o.raw_hash for o in stored},
            keys.clean,
            keys.annotate,
            report.reference_date,
        )
        store.put_sources([(o.source, o.article.id) for o in stored])
        corpus.update(store, [a for a in articles if a.id in annotations], annotations, lowered)
    store.release()
    report.failed.extend(o.error for o in outcomes if o.error is not None)
    report.new += len(stored)
    report.ids.extend(a.id for a in articles)
    progress.advance("understanding", len(outcomes))
