"""Score newsprism's date resolution against plain dateparser on TimeBank + AQUAINT (TempEval-3).

The data set (``../shared/data/timex/tbaq-cleaned``, 256 TimeML files) marks every time expression
with a ``TIMEX3`` tag; the document creation time is the one with
``functionInDocument="CREATION_TIME"``. The gold items here are the ``TIMEX3`` tags of type DATE
whose value is a plain calendar value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``); weeks, quarters,
seasons, ``PRESENT_REF``, ``XXXX`` and the like have no counterpart in newsprism and are skipped.

Two resolvers are scored on the same gold items:

* ``newsprism`` -- ``newsprism.article.times.extract_times`` runs over the whole document text (tags
  stripped, entities unescaped) with the creation date as anchor. A gold item is right when some
  emitted TimeRef overlaps its span and has exactly its value, so finding is scored with resolving.
* ``dateparser`` -- given the gold text itself (so it is spared the finding), parsed with
  ``dateparser.parse(text, settings={"RELATIVE_BASE": dct, "PREFER_DATES_FROM": "past"})`` and
  formatted to the gold's granularity; right when that equals the gold value.

``precision`` is newsprism's: among its TimeRefs that overlap any gold TIMEX3 (of any type or value,
so that expressions the annotators left out are not charged), the share that overlap a gold DATE
with the same value. ``unmatched`` counts TimeRefs overlapping no TIMEX3 at all (mostly false
positives, a few unannotated dates).

Run from the repository root::

    .venv/bin/python bench/timex.py               # all files
    .venv/bin/python bench/timex.py --limit 40    # first 40 files (sorted by path)
    .venv/bin/python bench/timex.py --show-errors # gold items newsprism gets wrong
"""

from __future__ import annotations

import argparse
import datetime
import html
import re
import time
from dataclasses import dataclass
from pathlib import Path

import dateparser

from newsprism.article.times import extract_times

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "timex" / "tbaq-cleaned"
CALENDAR_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
PIECE = re.compile(r"<[^>]*>|&#?\w+;|[^<&]+|&")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str

    @property
    def is_gold_date(self) -> bool:
        return self.type == "DATE" and CALENDAR_VALUE.fullmatch(self.value) is not None


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    dct: datetime.date
    timexes: tuple[Timex, ...]


def read_tml(path: Path) -> Document:
    """The TEXT part with tags stripped, its TIMEX3 spans, and the creation date."""
    raw = path.read_text(encoding="utf-8")
    dct_tag = re.search(r'<TIMEX3[^>]*functionInDocument="CREATION_TIME"[^>]*>', raw)
    dct = datetime.date.fromisoformat(dict(ATTRIBUTE.findall(dct_tag.group(0)))["value"][:10])
    body = raw[raw.index("<TEXT>") + len("<TEXT>") : raw.index("</TEXT>")]
    text: list[str] = []
    length = 0
    timexes: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    for piece in PIECE.findall(body):
        if piece.startswith("<TIMEX3"):
            open_timex = (length, dict(ATTRIBUTE.findall(piece)))
        elif piece.startswith("</TIMEX3") and open_timex is not None:
            start, attributes = open_timex
            content = "".join(text)[start:length]
            timexes.append(
                Timex(start, length, content, attributes.get("type", ""), attributes.get("value", ""))
            )
            open_timex = None
        elif not piece.startswith("<"):
            chunk = html.unescape(piece)
            text.append(chunk)
            length += len(chunk)
    return Document(path.stem, "".join(text), dct, tuple(timexes))


def dateparser_value(timex: Timex, dct: datetime.date) -> str | None:
    base = datetime.datetime.combine(dct, datetime.time(12))
    parsed = dateparser.parse(timex.text, settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"})
    if parsed is None:
        return None
    return parsed.strftime({4: "%Y", 7: "%Y-%m", 10: "%Y-%m-%d"}[len(timex.value)])


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate(limit: int | None = None, show_errors: bool = False) -> dict[str, float]:
    """Prints the table; returns newsprism's figures: accuracy (overall and per granularity), precision."""
    paths = sorted(DATA.glob("*/*.tml"))[:limit]
    gold_total = ours_right = baseline_right = 0
    emitted = judged = precise = unmatched = 0
    ours_seconds = baseline_seconds = 0.0
    by_granularity: dict[str, list[int]] = {}
    for path in paths:
        doc = read_tml(path)
        started = time.perf_counter()
        refs = extract_times(doc.name, doc.text, doc.dct)
        ours_seconds += time.perf_counter() - started
        emitted += len(refs)
        for ref in refs:
            touching = [t for t in doc.timexes if overlaps(ref.start, ref.end, t.start, t.end)]
            if not touching:
                unmatched += 1
                continue
            judged += 1
            precise += any(t.is_gold_date and t.value == ref.value for t in touching)
        for timex in doc.timexes:
            if not timex.is_gold_date:
                continue
            gold_total += 1
            right = any(
                ref.value == timex.value and overlaps(ref.start, ref.end, timex.start, timex.end)
                for ref in refs
            )
            started = time.perf_counter()
            baseline = dateparser_value(timex, doc.dct)
            baseline_seconds += time.perf_counter() - started
            ours_right += right
            baseline_right += baseline == timex.value
            tally = by_granularity.setdefault({4: "year", 7: "month", 10: "day"}[len(timex.value)], [0, 0, 0])
            tally[0] += 1
            tally[1] += right
            tally[2] += baseline == timex.value
            if show_errors and not right:
                got = [
                    f"{r.text!r}={r.value}" for r in refs if overlaps(r.start, r.end, timex.start, timex.end)
                ]
                print(f"{doc.name}  dct={doc.dct}  {timex.text!r} gold={timex.value}  got={got or '-'}")

    print(f"files {len(paths)}   gold DATE timexes with calendar values {gold_total}")
    print(f"{'':12}{'newsprism':>12}{'dateparser':>12}{'count':>8}")
    print(
        f"{'accuracy':12}{ours_right / gold_total:>12.3f}{baseline_right / gold_total:>12.3f}{gold_total:>8}"
    )
    for granularity in ("day", "month", "year"):
        count, ours, base = by_granularity.get(granularity, [0, 0, 0])
        if count:
            print(f"{'  ' + granularity:12}{ours / count:>12.3f}{base / count:>12.3f}{count:>8}")
    print(f"{'seconds':12}{ours_seconds:>12.2f}{baseline_seconds:>12.2f}")
    precision = precise / judged if judged else 0.0
    print(
        f"newsprism emitted {emitted}: {judged} overlap a gold TIMEX3, {precise} of them with the right value"
        f" (precision {precision:.3f}); {unmatched} overlap none"
    )
    return {"accuracy": ours_right / gold_total, "precision": precision} | {
        f"accuracy_{granularity}": ours / count for granularity, (count, ours, _) in by_granularity.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N files")
    parser.add_argument("--show-errors", action="store_true", help="list gold items newsprism misses")
    args = parser.parse_args()
    evaluate(args.limit, args.show_errors)


if __name__ == "__main__":
    main()
