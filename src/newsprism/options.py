"""One options object that travels through the pipeline instead of long keyword lists."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Options:
    # Scraped articles are tens of kilobytes; one a hundred times larger is a dump, not an article. The cap is
    # per article, so a JSONL of any size streams and only its oversized lines are skipped.
    max_article_bytes: int = 5_000_000
    # feedparser needs a feed whole, and one feed holds many articles, so feeds get their own, larger cap.
    max_feed_bytes: int = 200_000_000
    # Worker processes for the article-level stages; 0 picks one per core.
    workers: int = 0
    # Below this many articles a worker pool costs more (one spaCy load each) than it saves.
    min_articles_per_worker: int = 16
    # Articles per worker task: large enough to amortize nlp.pipe batching, small enough to show progress.
    chunk_size: int = 16
    # Articles stored per transaction, corpus-level update included: a run killed at any moment loses
    # at most this many articles' work, and a commit's fixed cost is spread over that many.
    commit_size: int = 64
    # Where the article-level stages run: "local" (this machine's processes) or "dask".
    engine: str = "local"
    # A Dask scheduler to join ("tcp://HOST:PORT"); None starts a local cluster of ``workers``.
    scheduler: str | None = None
    # The date a run treats as today, to infer the year of a dateline's weekday and the like. None:
    # the run's start date, recorded with the results.
    reference_date: datetime.date | None = None
    # The longest a download may take in all, redirects included; each connect and read gets as long.
    fetch_timeout_s: float = 20.0
    # Whether fetching may reach loopback, private, link-local and reserved addresses (a local test
    # server, an intranet); off, a page or redirect cannot make newsprism request the machine's neighbours.
    fetch_allow_private: bool = False
    fetch_max_bytes: int = 5_000_000
    user_agent: str = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
    # DuckDB's own cap on its buffers (a DuckDB size: "1GB", "512MB"), where its default is 80% of RAM.
    # Past it DuckDB spills to disk rather than failing; 1GB holds a 100k-article store's scans, and
    # leaves room for the worker processes that each hold spaCy beside it.
    db_memory: str = "1GB"
    # DuckDB's threads; 0 follows ``workers`` (one per core when that is 0 too), so a run asked to
    # keep to N cores does so in the database as well.
    db_threads: int = 0

    def store_settings(self) -> dict[str, Any]:
        """The keywords of ``open_store`` that carry these options to the database."""
        threads = self.db_threads or self.workers or os.cpu_count() or 1
        return {"memory_limit": self.db_memory, "threads": threads}
