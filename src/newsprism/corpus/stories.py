"""Stories and storylines: which articles report the same event, and which events one matter runs
through. Pure functions over article profiles; ``placement`` places articles as they arrive.

After Miranda et al. (EMNLP 2018, "Multilingual clustering of streaming news"): an article is a
TF-IDF vector of its content words (its title counted twice) and a vector of the entities it
names; a story is the sum of its members' vectors with the span of days they cover. An arriving
article joins the most similar story among candidates near it in time when the similarity, decayed by
the days between them, clears ``JOIN``; otherwise it starts a story. What newsprism knows beyond
words adds evidence: an article sharing copy or a quote with a story's member leans towards that
story (``REUSE_BONUS``), and the same wire copy is the same story outright. Stories whose profiles
turn out alike merge (``MERGE``); stories about one ongoing matter, weeks or months apart, share a
storyline (``STORYLINE``). An article that gives no date of its own takes the one its story's dated
articles give (``date_from_story``).

The weights and thresholds were set on development data only (``bench/stories.py``: MEANTIME's four
topic groups, Timeline17's bpoil and H1N1 topics, the SemEval-2022 same-story pairs), never on a test
corpus; the bench prints each figure beside a TF-IDF + agglomerative baseline.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from lemminflect import getLemma
from spacy.lang.en.stop_words import STOP_WORDS

from newsprism.article.headers import headline as lede_headline
from newsprism.lexicon import CALENDAR_WORDS, MONTH, month_number
from newsprism.records import (
    ENTITY_PREFIX,
    Article,
    DateEvidence,
    Profile,
    StoryState,
)
from newsprism.records import heaviest as _heaviest
from newsprism.text import letter_words

# An article's profile keeps its heaviest features; a story's, the heaviest of its members' sum.
PROFILE_WORDS = 200
PROFILE_ENTITIES = 20
# What the names an article shares with a story or storyline weigh beside its words (the rest).
# A name recurs across the events of one matter, so storylines weigh names; the words of an event
# ("spill", "cap", "hearing") tell its stories apart, and a shared generic name (a regulator, a
# country) made unrelated reports look alike. On the SemEval-2022 pairs (one analysis of their 600
# articles), the same-story decision correlates with the human score at 0.675 / 0.755 / 0.802 with
# names weighed 0.4 / 0.2 / 0 (JOIN 0.13 / 0.14 / 0.15), and at 0.625 / 0.646 / 0.679 on the same
# pairs cut to their first 40 words (headline and snippet); the similarity's own correlation rises
# from 0.762 to 0.796. TF-IDF cosine at a threshold picked on those pairs gets 0.790 and 0.759.
STORY_ENTITY_WEIGHT = 0.0
STORYLINE_ENTITY_WEIGHT = 0.4
TITLE_REPEAT = 2
# Similarity decays by this factor for each day between an article and when a story happens: by
# half in ten days, to the join threshold in four weeks for a word-for-word rewrite.
DAY_DECAY = 0.93
# On the SemEval-2022 pairs, word cosine of pairs judged the same story has a median of 0.36 and a
# lower quartile of 0.26, against 0.03-0.11 for pairs judged related but not one story. Swept on
# the decision's correlation with the human score (full text / snippets): 0.13 0.803 / 0.651,
# 0.15 0.802 / 0.679, 0.17 0.763 / 0.708, 0.19 0.743 / 0.694.
JOIN = 0.15
# Two stories are one when their sums are this alike (a member each would be far above JOIN); a
# story of one article merges at JOIN (see ``placement._merge_threshold``).
MERGE = 0.45
# A new story joins a storyline at this mean similarity between their articles (group average,
# ``storyline_similarity``), within ``STORYLINE_WINDOW_DAYS`` of its span and halved every
# ``STORYLINE_HALF_LIFE_DAYS`` away from it. Set on MEANTIME (four topics of 2004-2013 coverage,
# sparse over years: a window of months splits them) and Timeline17 (the swine flu of 2009 and the
# oil spill of 2010 share generic names, United States, Obama: with no window they join), storyline
# BCubed F1 / NMI (Timeline17's corpus level rebuilt in analyze's 16-article commits): at 0.05,
# 0.783 / 0.736 and 0.845 / 0.538; at 0.04, 0.848 / 0.835 and 0.931 / 0.692; at 0.035 two of
# MEANTIME's topics join (0.669 / 0.569) while Timeline17 rises to 0.961 / 0.802. A cosine with the
# storyline's sum instead (0.12) gave 0.780 / 0.742 and 0.891 / 0.555. Since stories weigh words
# alone (``STORY_ENTITY_WEIGHT``), 0.04 gives 0.848 / 0.835 and 0.916 / 0.659, and 0.037 already
# joins two MEANTIME topics (0.669 / 0.569). A report a year and a half after the last of a matter
# (the seeds' 2018 report) starts another.
STORYLINE = 0.04
# An article sharing passages or a quote with a story's member has this added to its similarity;
# one carrying the same copy as a member (a duplicate) is in its story whenever it ran.
REUSE_BONUS = 0.15
SAME_COPY = 1.0
# Candidate stories for an article lie within this many days of it; storylines reach further.
STORY_WINDOW_DAYS = 21
STORYLINE_WINDOW_DAYS = 500
STORYLINE_HALF_LIFE_DAYS = 720
MAX_CANDIDATES = 40
RECALL_HALF_LIFE_DAYS = 60
RECALL_AHEAD_DAYS = 7  # "talks resume on September 21" may name a day after the report
# An undated article's date comes from the most central dated members of its story, and is never as
# sure as a date the article states itself.
MAX_DATE_VOTERS = 30
STORY_DATE_CONFIDENCE = 0.5
DATE_PEERS = 0.5

_MONTH_DAY = re.compile(
    rf"\b(?P<month>{MONTH})\s*(?P<day>\d{{1,2}})\b(?!\s*(?:st|nd|rd|th)?\s*,?\s*\d)"
    rf"|\b(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month2>{MONTH})"
)
# A year right after the day ("October 4, 2016") makes the date whole: not a recalled day.
_YEAR = re.compile(r"\s*,?\s*(?:1[89]|20)\d\d\b")
HEADLINE_WORDS = 30

def content_words(title: str | None, body: str) -> Counter[str]:
    """Lemmas of the content words of an article, its title counted ``TITLE_REPEAT`` times."""
    counts: Counter[str] = Counter()
    for text, times in ((title or "", TITLE_REPEAT), (body, 1)):
        for word in letter_words(text):
            lemma = _lemma(word.lower().strip("'-"))
            if lemma:
                counts[lemma] += times
    return counts


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str | None:
    if len(word) < 3 or word in STOP_WORDS or word in CALENDAR_WORDS or word.endswith("'s") and len(word) < 5:
        return None
    word = word.removesuffix("'s")
    if not word.endswith("s"):
        # Only a plural's lemma differs from the word (bar a few like "men"): the lookup is skipped.
        return word
    lemmas = getLemma(word, upos="NOUN")
    lemma = lemmas[0] if lemmas else word
    return None if lemma in STOP_WORDS else lemma


def profile(
    article: str,
    day: int | None,
    words: Mapping[str, int],
    entities: Mapping[str, int],
    document_frequency: Mapping[str, int],
    documents: int,
    recalls: tuple[tuple[int, int], ...] = (),
) -> Profile:
    """TF-IDF profile: sublinear term frequency times smoothed inverse document frequency, over the
    corpus's document frequencies (entities are counted as features ``ENTITY_PREFIX`` + id)."""

    def weigh(counts: Mapping[str, int], prefix: str, keep: int) -> dict[str, float]:
        weights = {
            f: (1 + math.log(n))
            * (math.log((1 + documents) / (1 + document_frequency.get(prefix + f, 0))) + 1)
            for f, n in counts.items()
        }
        return _unit(_heaviest(weights, keep))

    return Profile(
        article,
        day,
        weigh(words, "", PROFILE_WORDS),
        weigh(entities, ENTITY_PREFIX, PROFILE_ENTITIES),
        recalls if day is None else (),
    )


def features(counts_words: Iterable[str], counts_entities: Iterable[str]) -> set[str]:
    """The document-frequency keys of an article's words and entities."""
    return set(counts_words) | {ENTITY_PREFIX + e for e in counts_entities}


def similarity(profile: Profile, story: StoryState, bonus: float = 0.0) -> float:
    """Similarity of an article to a story: content (plus what shared copy adds, ``bonus``),
    decayed by the days between the article and when the story happens."""
    content = _content(
        profile.words,
        profile.entities,
        _unit_norms(profile),
        story.words,
        story.entities,
        story.norms(),
        STORY_ENTITY_WEIGHT,
    )
    return _decayed(profile, story, content, bonus)


def similarity_without(profile: Profile, story: StoryState, bonus: float = 0.0) -> float:
    """``similarity`` of an undated member to its story with the member taken out (its days never
    widened the story's span), from the story's vectors as they are: a member's dot products and the
    story's norms give the rest, so weighing every member of a big story costs its members, not
    their number times the story's vocabulary."""
    words, norm_words = _without(profile.words, story.words, story.norms()[0])
    entities, norm_entities = _without(profile.entities, story.entities, story.norms()[1])
    on_words = words / norm_words if norm_words else 0.0
    on_entities = entities / norm_entities if profile.entities and norm_entities else None
    return _decayed(profile, story, _weighed(on_words, on_entities, STORY_ENTITY_WEIGHT), bonus)


def _without(part: Mapping[str, float], whole: Mapping[str, float], whole_norm: float) -> tuple[float, float]:
    """The dot product of a unit vector with ``whole - part`` and that difference's length."""
    if not part:
        return 0.0, 0.0
    dot = sum(w * whole.get(f, 0.0) for f, w in part.items())
    own = sum(w * w for w in part.values())
    rest = whole_norm * whole_norm - 2 * dot + own
    # What rounding leaves of a story that held nothing but this member is no vector at all.
    return dot - own, math.sqrt(rest) if rest > 1e-9 else 0.0


def _decayed(profile: Profile, story: StoryState, content: float, bonus: float) -> float:
    if bonus >= SAME_COPY:
        return content + bonus
    if profile.day is None:
        return (content + bonus) * _recall_fit(profile.recalls, story.last)
    # Distance to when the story happens (its members' mean day), not to its span: a story covered
    # every day would otherwise stretch over months, one day at a time. Copy shared a year later
    # (a background paragraph reused) decays like words do.
    return (content + bonus) * DAY_DECAY ** _gap(profile.day, profile.day, story.center, story.center)


def headline(article: Article) -> str | None:
    """An article's title, or when it has none (or it is a byline or a timestamp) its lede's first
    sentence (a news lead says what happened) without its dateline, cut at a clause boundary within
    ``HEADLINE_WORDS``."""
    return lede_headline(article.title, article.paragraphs, HEADLINE_WORDS)


def recalled_days(body: str) -> tuple[tuple[int, int], ...]:
    """The (month, day) pairs of the dates an article names by month and day without a year."""
    found = set()
    for match in _MONTH_DAY.finditer(body):
        if _YEAR.match(body, match.end()):
            continue
        month = match.group("month") or match.group("month2")
        day = int(match.group("day") or match.group("day2"))
        if 1 <= day <= 31:
            found.add((month_number(month), day))
    return tuple(sorted(found))


def _recall_fit(recalls: Sequence[tuple[int, int]], last: int | None) -> float:
    """How well a story's latest day suits the days an undated article names: halved for every
    ``RECALL_HALF_LIFE_DAYS`` between the story and the most recent of them before it."""
    if not recalls or last is None:
        return 1.0
    end = dt.date.fromordinal(last)
    gaps = []
    for month, day in recalls:
        for year in (end.year, end.year - 1):
            try:
                named = dt.date(year, month, day)
            except ValueError:
                continue
            if named <= end + dt.timedelta(days=RECALL_AHEAD_DAYS):
                gaps.append(max(0, (end - named).days))
                break
    return 0.5 ** (min(gaps) / RECALL_HALF_LIFE_DAYS) if gaps else 1.0


def story_similarity(a: StoryState, b: StoryState) -> float:
    """How much two stories read as one: content, decayed by the days between when they happen."""
    content = _content(a.words, a.entities, a.norms(), b.words, b.entities, b.norms(), STORY_ENTITY_WEIGHT)
    return content * DAY_DECAY ** _gap(a.center, a.center, b.center, b.center)


def storyline_similarity(story: StoryState, line: StoryState) -> float:
    """How much a story reads as part of a storyline: the mean similarity of their articles, pair by
    pair (group average: the sums' dot product over the product of their sizes, each article's
    vectors being unit length), halved for every ``STORYLINE_HALF_LIFE_DAYS`` between the story and
    the storyline's span (a matter silent for a year is likelier another one that shares its words).
    A cosine with the storyline's sum would rise as the storyline grows more varied, and chain."""
    content = _content(
        story.words,
        story.entities,
        (story.size, story.size),
        line.words,
        line.entities,
        (line.size, line.size),
        STORYLINE_ENTITY_WEIGHT,
    )
    return content * 0.5 ** (_gap(story.first, story.last, line.first, line.last) / STORYLINE_HALF_LIFE_DAYS)


def pair_similarity(a: Profile, b: Profile) -> float:
    """Same-story similarity of two articles: the first against a story of the second alone."""
    story = StoryState(b.article, b.article, 0)
    story.add(b)
    return similarity(a, story)


def place(
    profile: Profile, candidates: Iterable[StoryState], bonus: Mapping[str, float]
) -> tuple[str | None, float]:
    """The story this article joins and its score, or (None, best score) when it starts its own.
    Ties go to the older story, so the result does not depend on the candidates' order."""
    best: tuple[float, int, str] | None = None
    for story in candidates:
        score = similarity(profile, story, bonus.get(story.id, 0.0))
        key = (score, -story.created, story.id)
        if best is None or key > best:
            best = key
    if best is None:
        return None, 0.0
    score, _, story_id = best
    return (story_id if score >= JOIN else None), score


def date_from_story(
    article: Profile, dated: Sequence[Profile], cited: Mapping[str, str]
) -> DateEvidence | None:
    """The publication date an undated article takes from the dated articles of its story: the
    latest day among those of the members that read most like it (at least ``DATE_PEERS`` of the
    closest one's similarity). A report that matches a developing story as it stands is published
    with its latest developments, and a near tie between two days then has one answer. ``cited``
    names each dated article as the evidence will (its input path)."""
    weights = {other.article: pair_similarity(article, other) for other in dated if other.day is not None}
    if not weights or not max(weights.values()):
        return None
    best = max(weights.values())
    peers = [p for p in dated if p.article in weights and weights[p.article] >= DATE_PEERS * best]
    day = max(p.day for p in peers if p.day is not None)
    closest = max((p for p in peers if p.day == day), key=lambda p: (weights[p.article], p.article))
    # The share of the story's dated articles on that day, as the text says: not of the peers, which
    # move with the word weights each profile took from the corpus as it stood when its article came
    # in, so that a corpus grown in two runs would give other confidences than one made at once.
    agreeing = sum(1 for p in dated if p.day == day)
    return DateEvidence(
        dt.date.fromordinal(day).isoformat(),
        f"{agreeing} of {len(dated)} dated articles of its story; closest "
        f"{cited.get(closest.article, closest.article)}",
        "story",
        round(STORY_DATE_CONFIDENCE * agreeing / len(dated), 2),
    )


def within(day: int | None, first: int | None, last: int | None, window: int) -> bool:
    return _gap(day, day, first, last) <= window


def _gap(a_first: int | None, a_last: int | None, b_first: int | None, b_last: int | None) -> int:
    """Days between two spans; an undated side is no distance at all (its content must decide)."""
    if a_first is None or a_last is None or b_first is None or b_last is None:
        return 0
    return max(0, b_first - a_last, a_first - b_last)


def _content(
    words: Mapping[str, float],
    entities: Mapping[str, float],
    norms: tuple[float, float],
    other_words: Mapping[str, float],
    other_entities: Mapping[str, float],
    other_norms: tuple[float, float],
    entity_weight: float,
) -> float:
    """Word and entity cosines, weighed; words alone when either side names no one (a text whose
    names went unrecognised is not less alike for it)."""
    on_words = _cosine(words, other_words, norms[0] * other_norms[0])
    if not entities or not other_entities:
        return on_words
    return _weighed(on_words, _cosine(entities, other_entities, norms[1] * other_norms[1]), entity_weight)


def _weighed(on_words: float, on_entities: float | None, entity_weight: float) -> float:
    """Word and entity cosines as one; words alone when either side names no one."""
    return on_words if on_entities is None else (1 - entity_weight) * on_words + entity_weight * on_entities


def _cosine(a: Mapping[str, float], b: Mapping[str, float], lengths: float) -> float:
    if not a or not b or not lengths:
        return 0.0
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    return sum(w * large.get(f, 0.0) for f, w in small.items()) / lengths




def _unit_norms(profile: Profile) -> tuple[float, float]:
    """A profile's vectors are unit length, or empty."""
    return (1.0 if profile.words else 0.0, 1.0 if profile.entities else 0.0)






def _unit(weights: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {f: w / norm for f, w in weights.items()} if norm else {}
