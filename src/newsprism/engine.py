"""Where the article-level stages run. ``LocalEngine`` is the default: this process for small
batches, a pool of worker processes (one spaCy load each) for large ones.

An engine maps a stage over chunks of items and yields each chunk's results as it completes, in
input order, so a distributed engine can replace it without the pipeline noticing.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


class LocalEngine:
    def __init__(self, workers: int = 0, min_items_per_worker: int = 16):
        self.workers = workers or os.cpu_count() or 1
        self.min_items_per_worker = min_items_per_worker

    def map_chunks(
        self, stage: Callable[[Sequence[T]], list[R]], items: Sequence[T], chunk_size: int
    ) -> Iterator[list[R]]:
        chunks = [items[i : i + chunk_size] for i in range(0, len(items), chunk_size)]
        workers = min(self.workers, len(items) // self.min_items_per_worker, len(chunks))
        if workers <= 1:
            for chunk in chunks:
                yield stage(chunk)
            return
        # fork shares the already-imported modules; each worker still loads its own model once.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield from pool.map(stage, chunks)
