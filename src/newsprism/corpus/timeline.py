"""Timeline: the dated developments of a story, from the dates its articles name.

A storyline's timeline (``storyline_timelines``) gathers the day entries of its stories, one per
day, and ranks them by importance, for a reader following a matter over months who wants its key
dates as a news desk would list them.

Each date expression resolved to a day or a month ("on Tuesday", "September 19", "in March 2016")
dates the sentence that holds it. The sentences of a story's articles that fall on one date are one
development, however many outlets reported it: the entry cites every article that dates something
to that day, and its text is the sentence that shares most words with the others (the one most of
them agree on, ``_agreement``), taken word for word from its article. Entries are ordered by the
date of the event, not by when it was reported.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from newsprism.article.headers import furniture_sentence
from newsprism.records import Article, RankedEntry, StorylineTimeline, TimelineEntry, TimeRef
from newsprism.text import ascii_words, sentence_spans

# A sentence longer than this is cut around the date it holds: a timeline entry is read at a glance.
MAX_ENTRY_CHARS = 400
MIN_ENTRY_WORDS = 8
AGREEMENT_OTHERS = 200


# A timeline candidate: the article, the span of the dated sentence in its body, and that sentence.
Sentence = tuple[str, int, int, str]
# The dated sentences of some articles by (story, date): what timelines choose from (``gather``).
DatedSentences = dict[tuple[str | None, str], list[Sentence]]


def gather(
    articles: Iterable[Article], times: Mapping[str, Sequence[TimeRef]], story_of: Mapping[str, str]
) -> DatedSentences:
    """The dated sentences of these articles, by story and date."""
    found: DatedSentences = defaultdict(list)
    for article in articles:
        for key, sentence in dated_sentences(article, times.get(article.id, ()), story_of.get(article.id)):
            found[key].append(sentence)
    return found


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
        if (chosen := _told(sentences)) is None:
            continue
        (article, start, end, text), citing = chosen
        entries.append(TimelineEntry(date, _cut(text), citing, story, (article, start, end)))
    return sorted(entries, key=lambda e: (e.date, e.story or "", e.text))


def _told(sentences: Iterable[Sentence]) -> tuple[Sentence, tuple[str, ...]] | None:
    """The sentence telling a date, and the articles citing it; None when none tells it. A sentence
    of a few words is a dateline or a caption ("MOSCOW, April 5. /TASS/."), not a development, and
    one opening with page furniture (a byline, a stamp) is no reader's entry; among the others, the
    one the rest agree with, else the one reported first."""
    unique = sorted(set(sentences))
    words = {s[:3]: set(ascii_words(s[3].lower())) for s in unique}
    told = [s for s in unique if len(words[s[:3]]) >= MIN_ENTRY_WORDS]
    # Furniture glued to a sentence cites its article, but never tells the date for all.
    tellers = [s for s in told if not furniture_sentence(s[3])]
    if not tellers:
        return None
    best = max(tellers, key=lambda s: (_agreement(words, s[:3]), -s[1], s[0]))
    return best, tuple(sorted({s[0] for s in told}))


def _agreement(words: Mapping[tuple[str, int, int], set[str]], sentence: tuple[str, int, int]) -> float:
    """How much the other sentences of its date share with a sentence: the words they have in
    common over the log of both lengths, as TextRank weighs two sentences (Mihalcea and Tarau 2004),
    averaged. Jaccard overlap chose short sentences, which tell least; on Timeline17 dev this
    choice raised the storyline timelines' ROUGE-2 from 0.122 to 0.132 (TextRank's own 0.125). The
    others are the first ``AGREEMENT_OTHERS``: a day hundreds of articles date is told as well from
    a sample, and costs what a small one does."""
    others = list(itertools.islice((w for s, w in words.items() if s[0] != sentence[0]), AGREEMENT_OTHERS))
    mine = words[sentence]
    if not others or not mine:
        return 0.0
    return sum(len(mine & w) / (math.log1p(len(mine)) + math.log1p(len(w))) for w in others) / len(others)


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ENTRY_CHARS else text[: MAX_ENTRY_CHARS - 1].rsplit(" ", 1)[0] + " …"


# What makes a day important in a storyline, after the date-selection work on Timeline17 (Tran et
# al. 2013; Martschat and Markert 2018): how many articles date an event to it, how many outlets,
# how many of those wrote days later and still refer back to it, and the burst of reports published
# on it and the day after. Each counts by its logarithm: the hundredth article adds less than the
# second.
CITING_WEIGHT = 1.0
OUTLET_WEIGHT = 1.0
LATER_WEIGHT = 1.0
BURST_WEIGHT = 1.0
# An article published this many days after a date refers back to it, rather than reporting it.
LATER_DAYS = 2
# A storyline shows about two dates per square-root day of its span, between these bounds.
SHOWN_PER_ROOT_DAY = 2.0
MIN_SHOWN, MAX_SHOWN = 5, 40


def storyline_timelines(
    found: DatedSentences,
    storyline_of: Mapping[str, str],
    members: Mapping[str, Sequence[str]],
    published: Mapping[str, str | None],
    outlets: Mapping[str, str | None],
) -> list[StorylineTimeline]:
    """Each storyline's ranked timeline, from the dated sentences of its stories (``gather``):
    ``storyline_of`` maps a story to its storyline, ``members`` a storyline to its articles,
    ``published`` and ``outlets`` an article to its publication day and outlet."""
    days: dict[str, dict[str, list[Sentence]]] = defaultdict(lambda: defaultdict(list))
    for (story, date), sentences in found.items():
        if story in storyline_of and len(date) == 10:
            days[storyline_of[story]][date] += sentences
    timelines = []
    for line in sorted(days):
        reported = Counter(_ordinal(published.get(a)) for a in members.get(line, ()))
        reported.pop(None, None)
        ranked = [
            _scored(date, told, reported, published, outlets)
            for date, sentences in days[line].items()
            if (told := _told(sentences)) is not None
        ]
        rank = {e.date: n for n, e in enumerate(sorted(ranked, key=lambda e: (-e.score, e.date)), 1)}
        in_order = sorted(ranked, key=lambda e: e.date)
        entries = tuple(dataclasses.replace(e, rank=rank[e.date]) for e in in_order)
        timelines.append(StorylineTimeline(line, entries, _shown(reported, len(entries))))
    return timelines


def _scored(
    date: str,
    told: tuple[Sentence, tuple[str, ...]],
    reported: Mapping[int | None, int],
    published: Mapping[str, str | None],
    outlets: Mapping[str, str | None],
) -> RankedEntry:
    """One day of a storyline, with its importance."""
    (article, start, end, text), citing = told
    day = dt.date.fromisoformat(date).toordinal()
    by = tuple(sorted({o for a in citing if (o := outlets.get(a))}))
    later = sum(1 for a in citing if (_ordinal(published.get(a)) or day) >= day + LATER_DAYS)
    burst = reported.get(day, 0) + reported.get(day + 1, 0)
    score = (
        CITING_WEIGHT * math.log1p(len(citing))
        + OUTLET_WEIGHT * math.log1p(len(by))
        + LATER_WEIGHT * math.log1p(later)
        + BURST_WEIGHT * math.log1p(burst)
    )
    return RankedEntry(date, _cut(text), citing, by, (article, start, end), round(score, 4), 0)


def _shown(reported: Mapping[int | None, int], entries: int) -> int:
    days = [d for d in reported if d is not None]
    span = max(days) - min(days) + 1 if days else 1
    return min(entries, max(MIN_SHOWN, min(MAX_SHOWN, round(SHOWN_PER_ROOT_DAY * math.sqrt(span)))))


def _ordinal(day: str | None) -> int | None:
    return dt.date.fromisoformat(day[:10]).toordinal() if day and len(day) >= 10 else None
