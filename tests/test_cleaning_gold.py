"""The cleaning gold set is well formed and as broad as bench/cleaning.py's figures claim."""

import json
from collections import Counter
from pathlib import Path

GOLD = Path(__file__).parent / "data" / "cleaning-gold.jsonl"
LABELS = {"body", "title", "header", "navigation", "share", "caption", "comment", "ad", "legal", "meta",
          "other"}


def test_the_gold_set_labels_every_line_of_enough_articles_from_enough_outlets():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150
    assert len({r["id"] for r in rows}) == len(rows)
    outlets = Counter(r["outlet"] for r in rows)
    assert sum(1 for n in outlets.values() if n >= 5) >= 8
    for row in rows:
        assert row["lines"], row["id"]
        for digest, label in row["lines"]:
            assert len(digest) == 8 and int(digest, 16) >= 0
            assert label in LABELS
