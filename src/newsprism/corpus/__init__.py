"""Corpus-level stages: incremental updates through the store (entities, quote groups, reuse,
stories and storylines) and what is read back from it (facts, summaries, timelines, views)."""
