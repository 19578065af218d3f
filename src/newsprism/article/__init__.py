"""Article-level stages: pure functions of one input (ingest, clean, annotate and what annotation
finds in one article). They run on the engine's workers and their results are cached by content,
keyed by each stage's ``VERSION``; nothing here imports the corpus level, the store or the output."""
