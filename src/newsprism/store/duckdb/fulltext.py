"""The full-text index of the store (tantivy), kept beside the DuckDB file in ``STORE.search/``, or
in memory for a ``":memory:"`` store. It holds three kinds of document, each with fields of its own
(``KINDS``): an article (its id, title and each paragraph: a phrase never runs from one paragraph
into the next), a quote (its id, its article, its words and its speaker) and an entity (its id, and
its canonical name with every other spelling the corpus wrote it with). One index rather than one
per kind: a single commit and a single stamp cover all three, so they are never out of step with
each other, and an article's quotes are dropped with it through the article field they share.
``stamp.json`` beside the index says which state of the store it holds; the store compares it with
its own and rebuilds the index when they differ, so an index left behind by a killed run is never
read."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import tantivy

from newsprism.errors import StoreError

# Changes whenever the schema or the tokenizer does: an index made by other code is rebuilt.
INDEX_VERSION = 2
WRITER_HEAP = 50_000_000
# Words found within this many positions of each other in the query's order rank a document higher.
NEAR_SLOP = 10
# A quoted phrase, or a word: what the query text is made of.
QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')
# A query part with nothing the tokenizer keeps (no letter or digit) would match nothing at all.
WORDY = re.compile(r"[^\W_]")
# Quotes and backslashes would be query syntax inside a quoted part; the tokenizer drops them anyway.
UNQUOTED = str.maketrans('"\\', "  ")


class Kind(NamedTuple):
    """What a query of one kind of document searches and what each hit gives back."""

    fields: tuple[str, ...]  # searched for the words; only this kind's documents have them
    boosts: dict[str, float]
    stored: tuple[str, ...]  # a hit's values, in this order


class Found(NamedTuple):
    score: float
    values: tuple[str, ...]  # the hit's stored values, as its kind lists them


# A title holding the words says more than a paragraph does. An entity's canonical name counts no
# more than its other spellings (one field holds them all): "US" names the United States as surely
# as "Russian-US" names that pair, and the mentions tell them apart (``indexed.search_entities``).
KINDS = {
    "article": Kind(("title", "body"), {"title": 2.0}, ("article",)),
    "quote": Kind(("said", "speaker"), {}, ("quote", "article")),
    "entity": Kind(("names",), {}, ("entity",)),
}


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for key in ("article", "quote", "entity"):
        builder.add_text_field(key, stored=True, tokenizer_name="raw")
    for text in ("title", "body", "said", "speaker", "names"):
        builder.add_text_field(text, tokenizer_name="en_stem")
    return builder.build()


def article_doc(article: str, title: str, paragraphs: Sequence[str]) -> tantivy.Document:
    return tantivy.Document(article=[article], title=[title], body=list(paragraphs))


def quote_doc(quote: str, article: str, text: str, speakers: Iterable[str | None]) -> tantivy.Document:
    """A quote's document; ``speakers`` are its speaker's name and the words naming them, either
    of which may be missing or the same as the other."""
    return tantivy.Document(
        quote=[quote], article=[article], said=[text], speaker=list(dict.fromkeys(s for s in speakers if s))
    )


def entity_doc(entity: str, name: str, forms: Sequence[str]) -> tantivy.Document:
    """An entity's document: its canonical name, then its other spellings (the name is mostly one
    of them, and would count twice)."""
    return tantivy.Document(entity=[entity], names=[name, *sorted(set(forms) - {name})])


class TextIndex:
    """The index of one store: opened on first use, and only ever written by a writable store."""

    def __init__(self, store_path: str, read_only: bool):
        self.folder = None if store_path == ":memory:" else Path(store_path + ".search")
        self.read_only = read_only
        self.schema = _schema()
        self._index: tantivy.Index | None = None
        self._stamp: str | None = None  # a memory index's stamp
        self._lock = threading.Lock()

    def stamp(self) -> str | None:
        """The store state the index holds, as the store described it; None when there is no index."""
        return self._stamp if self.folder is None else self._stamp_field("store")

    def replace(self, docs: Iterable[tantivy.Document], gone: Iterable[tuple[str, str]], stamp: str) -> None:
        """Drop the documents holding each term ``gone`` (a field and an id: an article's term drops
        its quotes too), index ``docs``, and record ``stamp`` once the index has committed."""
        self._write(docs, gone, stamp, everything=False)

    def rebuild(self, docs: Iterable[tantivy.Document], stamp: str) -> None:
        """The index made again from ``docs``, every document of the store."""
        self._write(docs, (), stamp, everything=True)

    def search(
        self, kind: str, text: str, within: Sequence[str] | None, limit: int, offset: int
    ) -> tuple[list[Found], int]:
        """Documents of ``kind`` matching every word and quoted phrase of ``text``, best first
        (BM25, a boosted field counting more, words near each other in the query's order higher),
        those of the articles ``within`` only unless it is None; and how many match in all."""
        query = self._query(KINDS[kind], text, within)
        if query is None:
            return [], 0
        with self._lock:
            searcher = self._opened().searcher()
        try:
            found = searcher.search(query, limit, count=True, offset=offset)
        except ValueError:  # tantivy refuses a query its tokenizer left nothing to require in
            return [], 0
        stored = KINDS[kind].stored
        hits = [(score, searcher.doc(address)) for score, address in found.hits]
        return [Found(score, tuple(doc[field][0] for field in stored)) for score, doc in hits], found.count

    def reload(self) -> None:
        """See what the writer committed since the index was opened."""
        with self._lock:
            if self._index is not None:
                self._index.reload()

    def _query(self, kind: Kind, text: str, within: Sequence[str] | None) -> tantivy.Query | None:
        parts = [phrase or word for phrase, word in QUERY_PART.findall(text)]
        parts = [" ".join(p.translate(UNQUOTED).split()) for p in parts if WORDY.search(p)]
        if not parts:
            return None
        required = " ".join(f'+"{p}"' for p in parts)
        words = " ".join(parts).split()
        near = f' "{" ".join(words)}"~{NEAR_SLOP}' if len(words) > 1 else ""
        with self._lock:
            index = self._opened()
        query = index.parse_query(required + near, list(kind.fields), field_boosts=kind.boosts)
        if within is None:
            return query
        allowed = tantivy.Query.term_set_query(self.schema, "article", list(within))
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, query), (tantivy.Occur.Must, allowed)])

    def _opened(self) -> tantivy.Index:
        if self._index is None:
            if self.folder is None:
                self._index = tantivy.Index(self.schema)
            elif self.read_only:
                try:
                    self._index = tantivy.Index.open(str(self.folder / "index"))
                except ValueError as exc:
                    raise StoreError(f"{self.folder}: cannot open the search index: {exc}") from exc
            else:
                self._index = self._created()
        return self._index

    def _created(self) -> tantivy.Index:
        """The writable index in the folder, made anew when it is missing, damaged or of older code."""
        assert self.folder is not None
        where = self.folder / "index"
        if self._stamp_field("version") == INDEX_VERSION:
            try:
                return tantivy.Index(self.schema, path=str(where), reuse=True)
            except ValueError:
                pass  # damaged: made anew below, and filled by the rebuild its missing stamp asks for
        shutil.rmtree(self.folder, ignore_errors=True)
        where.mkdir(parents=True)
        self._save_stamp(None)
        return tantivy.Index(self.schema, path=str(where), reuse=False)

    def _stamp_field(self, name: str) -> str | int | None:
        assert self.folder is not None
        try:
            return json.loads((self.folder / "stamp.json").read_text())[name]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write(
        self, docs: Iterable[tantivy.Document], gone: Iterable[tuple[str, str]], stamp: str, everything: bool
    ) -> None:
        if self.read_only:
            raise StoreError(f"{self.folder}: a read-only store does not write its search index")
        with self._lock:
            index = self._opened()
            # The stamp goes first: a run killed before the index commits leaves no stamp to trust.
            self._save_stamp(None)
            writer = index.writer(heap_size=WRITER_HEAP, num_threads=1)
            if everything:
                writer.delete_all_documents()
            for field, value in gone:
                writer.delete_documents_by_term(field, value)
            for doc in docs:
                writer.add_document(doc)
            writer.commit()
            writer.wait_merging_threads()
            del writer  # lets go of the index's write lock
            index.reload()
            self._save_stamp(stamp)

    def _save_stamp(self, stamp: str | None) -> None:
        if self.folder is None:
            self._stamp = stamp
            return
        temporary = self.folder / "stamp.json.tmp"
        temporary.write_text(json.dumps({"version": INDEX_VERSION, "store": stamp}))
        os.replace(temporary, self.folder / "stamp.json")
