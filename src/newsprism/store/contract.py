"""The store's contract, by feature: exactly the methods the pipeline, the corpus stages, the
export, the API, the web app and the tests call. A backend implements every group; ``DuckDBStore``
documents what each method means, and ``tests/test_store_contract.py`` holds every backend to the
same signatures and behaviour."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol, Self

from newsprism.records import (
    Annotations,
    Article,
    ArticleNames,
    DateEvidence,
    NameCounts,
    Profile,
    RawDoc,
    ReuseLink,
    StoryDigest,
    StoryState,
    TimeRef,
)
from newsprism.store.rows import (
    Cluster,
    CopyLink,
    EntityRow,
    EntitySummary,
    KeyGroup,
    NameLink,
    NameUseRow,
    NameView,
    Page,
    Placement,
    QuoteHit,
    ShingleHolder,
    StoredInput,
)


class StoreSession(Protocol):
    """The store as a whole: its lifetime, its transactions and its cursors for reading in parallel."""

    def close(self) -> None: ...

    def release(self) -> None: ...

    def cursor(self) -> Self | None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def transaction(self, what: str = "cannot write") -> AbstractContextManager[None]: ...


class ArticleStore(Protocol):
    """Articles as cleaned and annotated, their inputs, and taking them back out of the corpus level."""

    def current(self, ids: Iterable[str], clean_key: str, annotate_key: str) -> set[str]: ...

    def known(self, ids: Iterable[str]) -> set[str]: ...

    def put_raw(self, docs: Sequence[RawDoc]) -> None: ...

    def put_sources(self, pairs: Sequence[tuple[str, str]]) -> None: ...

    def put_articles(
        self,
        results: Sequence[tuple[Article, Annotations | None]],
        raw_hash: dict[str, str],
        clean_key: str,
        annotate_key: str,
        reference_date: dt.date,
    ) -> None: ...

    def put_times(self, times: dict[str, Sequence[TimeRef]]) -> None: ...

    def stage_key_groups(self) -> list[KeyGroup]: ...

    def stored_inputs(self, clean_key: str, annotate_key: str, limit: int) -> list[StoredInput]: ...

    def rekey(self, clean_key: str, annotate_key: str, new_clean_key: str, new_annotate_key: str) -> int: ...

    def articles(self, ids: Sequence[str]) -> list[Article]: ...

    def outlets_of(self, ids: Iterable[str]) -> dict[str, str | None]: ...

    def outlet_list(self) -> list[str]: ...

    def sequence(self, ids: Sequence[str]) -> dict[str, int]: ...

    def annotations(self, ids: Sequence[str]) -> dict[str, Annotations]: ...

    def select(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        source: str | None = None,
        ids: Sequence[str] | None = None,
    ) -> list[str]: ...

    def sources_of(self, ids: Sequence[str]) -> dict[str, str]: ...

    def annotated_ids(self) -> list[str]: ...

    def borrowed_dates(self, ids: Sequence[str]) -> dict[str, DateEvidence]: ...

    def put_borrowed_dates(self, dates: dict[str, DateEvidence | None]) -> None: ...

    def retract(self, ids: Sequence[str]) -> set[str]: ...

    def clear_corpus(self) -> None: ...


class EntityStore(Protocol):
    """Names, their statistics and blocks, and the entities resolution makes of them."""

    def put_name_uses(self, found: Sequence[ArticleNames], stats: Mapping[str, NameCounts]) -> None: ...

    def name_stats(self, keys: Iterable[str]) -> dict[str, NameCounts]: ...

    def names_in_blocks(self, probes: Iterable[tuple[str, str]], max_names: int) -> set[str]: ...

    def links_of(self, keys: Iterable[str]) -> Counter[NameLink]: ...

    def common_words(self, words: Iterable[str]) -> set[str]: ...

    def entity_of_names(self, keys: Iterable[str]) -> dict[str, str | None]: ...

    def names_of_entities(self, ids: Iterable[str]) -> set[str]: ...

    def entity_rows(self, ids: Iterable[str]) -> dict[str, EntityRow]: ...

    def next_created(self) -> int: ...

    def put_names(
        self,
        entity_of_key: dict[str, str],
        label_of_key: dict[str, str],
        blocks: dict[str, set[tuple[str, str]]],
        unused: Iterable[str] = (),
    ) -> None: ...

    def put_entities(
        self,
        rows: Sequence[tuple[str, str, str, int, int]],
        merges: Sequence[tuple[str, str]],
        gone: Iterable[str] = (),
    ) -> None: ...

    def entity_merges(self, ids: Iterable[str]) -> dict[str, str]: ...

    def name_uses(self, ids: Sequence[str]) -> list[NameUseRow]: ...

    def names_view(self, keys: Iterable[str]) -> dict[str, NameView]: ...

    def entities_named(self, kind: str, names: Iterable[str]) -> dict[str, str]: ...

    def entity_list(
        self, *, name: str | None = None, kind: str | None = None, limit: int | None = None
    ) -> list[EntitySummary]: ...

    def articles_of_entities(self, ids: Sequence[str]) -> list[str]: ...


class QuoteStore(Protocol):
    """Quote groups and the shingle index they are found through."""

    def shingle_holders(
        self, shingles: Iterable[str], max_holders: int
    ) -> dict[str, list[ShingleHolder]]: ...

    def put_quote_shingles(
        self, quotes: Sequence[tuple[str, str, str, Sequence[str]]], created: int
    ) -> None: ...

    def next_group_created(self) -> int: ...

    def quote_groups(self, quotes: Iterable[str]) -> dict[str, str]: ...

    def group_created(self, groups: Iterable[str]) -> dict[str, int]: ...

    def merge_groups(self, merges: dict[str, str]) -> None: ...

    def shared_quote_groups(self, ids: Sequence[str]) -> dict[str, str]: ...

    def quote_partners(self, ids: Iterable[str], limit: int) -> dict[str, set[str]]: ...

    def group_merges(self, groups: Iterable[str]) -> dict[str, str]: ...


class ReuseStore(Protocol):
    """Text reuse between articles and the passage index it is found through."""

    def put_passage_shingles(self, shingles: dict[str, Iterable[int]]) -> None: ...

    def sharing_passages(
        self, shingles: dict[str, Iterable[int]], *, max_postings: int, min_shared: int, limit: int
    ) -> dict[str, list[str]]: ...

    def put_reuse(self, links: Sequence[ReuseLink]) -> None: ...

    def copy_partners(self, ids: Sequence[str]) -> list[CopyLink]: ...

    def reuse_of(self, ids: Sequence[str]) -> list[ReuseLink]: ...


class StoryStore(Protocol):
    """Stories and storylines: profiles, the cluster index, placements, merges and renames."""

    def put_feature_counts(self, counts: Counter[str]) -> None: ...

    def feature_counts(self, features: Iterable[str]) -> dict[str, int]: ...

    def profiled(self) -> int: ...

    def put_profiles(self, profiles: Sequence[Profile]) -> None: ...

    def profiles(self, ids: Sequence[str]) -> dict[str, Profile]: ...

    def cluster_candidates(
        self, level: str, probes: dict[str, tuple[Profile, int]], limit: int
    ) -> dict[str, list[str]]: ...

    def put_undated_features(self, rows: Sequence[tuple[str, str, float]]) -> None: ...

    def undated_near(self, probes: dict[str, Profile], limit: int) -> dict[str, list[str]]: ...

    def clusters(self, ids: Iterable[str], *, features: bool = True) -> dict[str, Cluster]: ...

    def next_cluster_created(self) -> int: ...

    def put_clusters(self, level: str, clusters: Sequence[tuple[StoryState, str | None]]) -> None: ...

    def put_story_articles(self, rows: Sequence[tuple[str, str, int | None, float]]) -> None: ...

    def story_of(self, ids: Iterable[str]) -> dict[str, str]: ...

    def story_voters(self, stories: Iterable[str], limit: int) -> dict[str, list[str]]: ...

    def undated_members(self, stories: Iterable[str]) -> set[str]: ...

    def best_member(self, story: str, excluding: str) -> str | None: ...

    def story_members(self, stories: Iterable[str]) -> dict[str, list[str]]: ...

    def storyline_stories(self, storylines: Iterable[str]) -> dict[str, list[str]]: ...

    def merge_clusters(self, merges: dict[str, str]) -> None: ...

    def story_assignments(self) -> dict[str, Placement]: ...

    def all_cluster_merges(self) -> dict[str, str]: ...

    def rename_clusters(self, renames: dict[str, str]) -> None: ...

    def record_cluster_merges(self, merges: dict[str, str]) -> None: ...

    def cluster_merges(self, ids: Iterable[str]) -> dict[str, str]: ...


class SearchStore(Protocol):
    """What the web app lists and searches, and the full-text index articles, quotes and entities are
    searched through."""

    def story_list(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        speaker: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[str]: ...

    def search_articles(
        self,
        text: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[str]: ...

    def search_index_current(self) -> bool: ...

    def refresh_search_index(self) -> bool: ...

    def search_quotes(
        self,
        text: str,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> Page[QuoteHit]: ...

    def search_entities(self, text: str, *, limit: int = 20) -> list[EntitySummary]: ...


class DigestStore(Protocol):
    """Story digests, the meta table and the table sizes."""

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def counts(self) -> dict[str, int]: ...

    def story_digests(self, stories: Iterable[str]) -> dict[str, StoryDigest]: ...

    def put_story_digests(self, digests: dict[str, StoryDigest]) -> None: ...

    def stale_digests(self) -> list[str]: ...


class Store(
    StoreSession,
    ArticleStore,
    EntityStore,
    QuoteStore,
    ReuseStore,
    StoryStore,
    SearchStore,
    DigestStore,
    Protocol,
):
    """Everything a run, a reader and the corpus stages ask of a store."""


class SharedStores(Protocol):
    """How a long-running reader (the web app) reads a store: a read-only store per use, and a
    version that changes whenever a writer commits. ``shared_reader`` picks it by the address."""

    def store(self) -> AbstractContextManager[Store]: ...

    def version(self) -> tuple[int, ...]: ...

    def close(self) -> None: ...


# The feature groups, in the order ``Store`` names them: what a backend is checked against.
CONTRACT: tuple[type, ...] = tuple(base for base in Store.__bases__ if base is not Protocol)
