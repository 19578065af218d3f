"""newsprism: from raw news articles of many outlets to stories, quotes, entities and timelines.

import newsprism
corpus = newsprism.open("news.duckdb")
corpus.add(["articles/"])
corpus.entities(limit=10), corpus.quotes(speaker="Merkel"), corpus.export(outlet="Reuters")
corpus.stories(since="2016-10-01"), corpus.reuse(outlet="RT")
"""

from newsprism.api import Corpus, open
from newsprism.corpus.summary import summarize
from newsprism.errors import FetchError, InputError, NewsprismError, StoreError
from newsprism.options import Options
from newsprism.records import (
    Article,
    CorpusView,
    Entity,
    Fact,
    Mention,
    Quote,
    ReuseLink,
    Speaker,
    Story,
    Storyline,
    SummarySentence,
    TimelineEntry,
    TimeRef,
)

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Corpus",
    "CorpusView",
    "Entity",
    "Fact",
    "FetchError",
    "InputError",
    "Mention",
    "NewsprismError",
    "Options",
    "Quote",
    "ReuseLink",
    "Speaker",
    "StoreError",
    "Story",
    "Storyline",
    "SummarySentence",
    "TimeRef",
    "TimelineEntry",
    "open",
    "summarize",
]
