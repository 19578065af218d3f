"""Corpus-level stages: incremental updates through the store (entities, quote groups, reuse,
stories and storylines) and what is read back from it (facts, summaries, timelines, views)."""

# Bump when the corpus level's output changes for any corpus: newsprism/versions.py says why.
VERSION = 10  # 10: role references within reach, one-word names through an index (long pages)
