"""newsprism: from raw news articles of many outlets to stories, quotes, entities and timelines."""

__version__ = "0.1.0"
