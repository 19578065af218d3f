"""Timeline: the dated developments of a story, from the dates its articles name.

Each date expression resolved to a day or a month ("on Tuesday", "September 19", "in March 2016")
dates the sentence that holds it. The sentences of a story's articles that fall on one date are one
development, however many outlets reported it: the entry cites every article that dates something
to that day, and its text is the sentence that shares most words with the others (the one most of
them agree on), taken word for word from its article. Entries are ordered by the date of the event,
not by when it was reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence

from newsprism.records import Article, TimelineEntry, TimeRef
from newsprism.text import ascii_words, sentence_spans

# A sentence longer than this is cut around the date it holds: a timeline entry is read at a glance.
MAX_ENTRY_CHARS = 400
MIN_ENTRY_WORDS = 8


# A timeline candidate: the article, the span of the dated sentence in its body, and that sentence.
Sentence = tuple[str, int, int, str]


def build_timeline(
    articles: Sequence[Article], times: Mapping[str, Sequence[TimeRef]], story_of: Mapping[str, str]
) -> list[TimelineEntry]:
    """The timeline of these articles, one entry per story and date."""
    found: dict[tuple[str | None, str], list[Sentence]] = defaultdict(list)
    for article in articles:
        for key, sentence in dated_sentences(article, times.get(article.id, ()), story_of.get(article.id)):
            found[key].append(sentence)
    return timeline_of(found)


def dated_sentences(
    article: Article, times: Sequence[TimeRef], story: str | None
) -> Iterator[tuple[tuple[str | None, str], Sentence]]:
    """Each (story, date) of the article's day and month dates, with the sentence that holds it:
    what ``timeline_of`` chooses from, gathered one article at a time."""
    body = article.body
    spans = sentence_spans(body)
    for t in times:
        if t.granularity == "year":
            continue
        start, end = next(((s, e) for s, e in spans if s <= t.start < e), (t.start, t.end))
        yield (story, t.value), (article.id, start, end, body[start:end])


def timeline_of(found: Mapping[tuple[str | None, str], Sequence[Sentence]]) -> list[TimelineEntry]:
    """One entry per (story, date) of ``found``, in date order."""
    entries = []
    for (story, date), sentences in found.items():
        unique = list(dict.fromkeys(sentences))
        words = {s[:3]: set(ascii_words(s[3].lower())) for s in unique}
        # A sentence of a few words is a dateline or a caption ("MOSCOW, April 5. /TASS/."), not a
        # development; among the others, the one the rest agree with, else the one reported first.
        told = [s for s in unique if len(words[s[:3]]) >= MIN_ENTRY_WORDS]
        if not told:
            continue
        article, start, end, text = max(told, key=lambda s: (_agreement(words, s[:3]), -s[1], s[0]))
        entries.append(
            TimelineEntry(date, _cut(text), tuple(sorted({s[0] for s in told})), story, (article, start, end))
        )
    return sorted(entries, key=lambda e: (e.date, e.story or "", e.text))


def _agreement(words: Mapping[tuple[str, int, int], set[str]], sentence: tuple[str, int, int]) -> float:
    """How much of a sentence the other sentences of its date share (mean Jaccard overlap)."""
    others = [w for s, w in words.items() if s[0] != sentence[0]]
    mine = words[sentence]
    if not others or not mine:
        return 0.0
    return sum(len(mine & w) / len(mine | w) for w in others) / len(others)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ENTRY_CHARS else text[: MAX_ENTRY_CHARS - 1].rsplit(" ", 1)[0] + " …"
