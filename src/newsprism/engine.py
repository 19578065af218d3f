"""Where the article-level stages run: this process, a local pool of worker processes, or a Dask
cluster, all behind one ``Engine`` interface.

Article-level stages (clean, annotate) are pure functions of their chunk of inputs: they read
nothing but the chunk and the packaged model, so a chunk can run in any process on any machine and
give the same result. That is what lets the pipeline swap engines without noticing.

The pipeline streams inputs of any size, so an engine pulls chunks lazily and keeps only a bounded
number in flight, and yields each chunk's results in input order: the output does not depend on
which worker finished first.

spaCy is the cost centre, and ``newsprism.article.nlp.load_nlp`` loads it once per process. Both engines
therefore run stages in long-lived worker processes (never threads, never a process per chunk), and
the local engine runs small batches in this process rather than pay one model load per worker.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar

from newsprism.errors import NewsprismError

if TYPE_CHECKING:
    from dask.distributed import Client, LocalCluster
    from dask.distributed import Future as DaskFuture

T = TypeVar("T")
R = TypeVar("R")
R_co = TypeVar("R_co", covariant=True)

Stage = Callable[[list[T]], list[R]]


class Engine(Protocol):
    def map(self, stage: Stage[T, R], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        """Apply `stage` to each chunk, yielding each chunk's result in input order as soon as it and
        all earlier ones are done. Pulls chunks lazily from the iterable: at most `lookahead` chunks
        are submitted but not yet yielded at any time (bounded memory on inputs of any size)."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc_info: object) -> None: ...


class _Pending(Protocol[R_co]):
    """What both ``concurrent.futures.Future`` and ``dask.distributed.Future`` offer."""

    def result(self) -> R_co: ...


P = TypeVar("P", bound=_Pending[list[Any]])


def _in_order(
    submit: Callable[[list[T]], P],
    cancel: Callable[[list[P]], None],
    chunks: Iterator[list[T]],
    lookahead: int,
) -> Iterator[list[Any]]:
    pending: deque[P] = deque(submit(chunk) for chunk in islice(chunks, lookahead))
    try:
        while pending:
            yield pending.popleft().result()
            # Refill only after the caller has taken the result, so the bound holds even while it
            # is still busy with it (writing it to the store, say).
            pending.extend(submit(chunk) for chunk in islice(chunks, 1))
    finally:
        # Reached on a stage error or when the caller stops early: nobody will read the rest.
        if pending:
            cancel(list(pending))


def _cancel_local(futures: list[Future[Any]]) -> None:
    for future in futures:
        future.cancel()


class LocalEngine:
    """Runs stages in this process, or on a pool of ``workers`` forked processes (0: one per CPU)
    once the input holds at least ``min_items_per_worker`` items per worker: below that, the model
    loads in the workers would cost more than they save. The pool keeps ``2 * workers`` chunks in
    flight; deciding whether to start it may buffer up to ``workers * min_items_per_worker`` items."""

    def __init__(self, workers: int = 0, min_items_per_worker: int = 16):
        self.workers = workers or os.cpu_count() or 1
        self.min_items_per_worker = min_items_per_worker
        # Kept across map calls so the workers load the model once per engine, not once per stage.
        self._pool: ProcessPoolExecutor | None = None

    def map(self, stage: Stage[T, R], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        rest = iter(chunks)
        if self._pool is not None:  # started for an earlier stage: its workers cost nothing more
            head, enough = [], True
        else:
            head, enough = self._head(rest) if self.workers > 1 else ([], False)
        if not enough:
            for chunk in chain(head, rest):
                yield stage(chunk)
            return
        submit = partial(self._start_pool().submit, stage)
        yield from _in_order(submit, _cancel_local, chain(head, rest), 2 * self.workers)

    def _head(self, chunks: Iterator[list[T]]) -> tuple[list[list[T]], bool]:
        """The first chunks, until they hold enough items to give every worker its minimum, and
        whether they do (if not, the input is exhausted)."""
        head: list[list[T]] = []
        size = 0
        for chunk in chunks:
            head.append(chunk)
            size += len(chunk)
            if size >= self.workers * self.min_items_per_worker:
                return head, True
        return head, False

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # fork shares the already-imported modules (and the model, if this process loaded it).
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class DaskEngine:
    """Runs stages on a Dask cluster: the one at `scheduler` ("tcp://HOST:PORT"), whose workers
    must have newsprism installed, or else a local cluster of `workers` processes (0: one per CPU)
    started here. Keeps two chunks per worker thread in flight (at least two)."""

    def __init__(self, workers: int = 0, scheduler: str | None = None):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as error:
            raise NewsprismError(
                "--engine dask needs the dask extra: pip install 'newsprism[dask]'"
            ) from error
        # A stage's error reaches the caller as an exception; dask's own log lines would only repeat
        # it, or report routine cluster chatter, in the middle of the CLI's output.
        logging.getLogger("distributed").setLevel(logging.ERROR)
        self._cluster: LocalCluster | None = None
        if scheduler:
            try:
                self._client: Client = Client(scheduler)
            except (OSError, ValueError) as error:
                raise NewsprismError(f"cannot join the Dask scheduler at {scheduler}: {error}") from error
            return
        # Processes with one thread each: every worker loads the model once and no stage shares a
        # process (or the GIL) with another. The preload quiets the worker processes' own logs.
        self._cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            preload=[__name__],
        )
        self._client = Client(self._cluster)

    def map(self, stage: Stage[T, R], chunks: Iterable[list[T]]) -> Iterator[list[R]]:
        lookahead = max(2, 2 * sum(self._client.nthreads().values()))
        submit = partial(self._client.submit, stage, pure=False)
        yield from _in_order(submit, self._cancel, iter(chunks), lookahead)

    def _cancel(self, futures: list[DaskFuture]) -> None:
        # A closed client has dropped its futures already; an abandoned map's generator may be
        # finalized only after the engine is closed.
        if self._client.status == "running":
            self._client.cancel(futures)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def dask_setup(worker: object) -> None:
    """Dask's preload hook, run in each worker process ``DaskEngine`` starts (and in any replacement
    for a worker that died): a failing chunk is reported to the caller, so the worker need not log
    it too."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)


def make_engine(
    kind: str = "local", workers: int = 0, scheduler: str | None = None, min_items_per_worker: int = 16
) -> Engine:
    """kind "local": LocalEngine; kind "dask": DaskEngine (joins `scheduler` "tcp://HOST:PORT" if given,
    else starts a LocalCluster of `workers` worker processes, 1 thread each, on 127.0.0.1, no dashboard)."""
    if kind == "local":
        if scheduler:
            raise NewsprismError(f"--scheduler {scheduler} needs --engine dask")
        return LocalEngine(workers, min_items_per_worker)
    if kind == "dask":
        return DaskEngine(workers, scheduler)
    raise NewsprismError(f"unknown engine {kind!r}: choose 'local' or 'dask'")
