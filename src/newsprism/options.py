"""One options object that travels through the pipeline instead of long keyword lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    # Scraped articles are tens of kilobytes; a file a hundred times larger is a dump, not an article.
    max_file_bytes: int = 5_000_000
    # Worker processes for the article-level stages; 0 picks one per core.
    workers: int = 0
    # Below this many articles a worker pool costs more (one spaCy load each) than it saves.
    min_articles_per_worker: int = 16
    # Articles per worker task: large enough to amortize nlp.pipe batching, small enough to show progress.
    chunk_size: int = 16
    fetch_timeout_s: float = 20.0
    fetch_max_bytes: int = 5_000_000
    user_agent: str = "newsprism/0.1 (+https://github.com/newsprism/newsprism)"
