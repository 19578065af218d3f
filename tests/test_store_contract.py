"""Every backend keeps the store contract (``newsprism.store.contract``): the same signatures as the
Protocols, and every method doing its job when the real pipeline runs through the contract alone.
A new backend joins by adding its name to ``BACKENDS`` and an address to ``address``; PostgreSQL
runs against the server conftest's ``postgres_server`` names, each store in a fresh database."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
from conftest import EXAMPLES

from newsprism.corpus.digests import refresh_digests
from newsprism.corpus.update import rebuild
from newsprism.corpus.view import stories_of, view
from newsprism.errors import StoreError
from newsprism.pipeline import analyze
from newsprism.records import DateEvidence, RawDoc, ReuseLink
from newsprism.store import Store, open_store
from newsprism.store.contract import CONTRACT
from newsprism.store.duckdb import DuckDBStore
from newsprism.store.postgres import PostgresStore

BACKENDS = ["duckdb", "postgres"]
IMPLEMENTATIONS = {"duckdb": DuckDBStore, "postgres": PostgresStore}
# The server of this session's PostgreSQL stores, set by the ``backend`` fixture.
SERVERS = {}


def contract_methods(group: type) -> list[str]:
    """The methods ``group`` declares (``Protocol`` adds functions of its own to each class)."""
    return [
        name
        for name, value in vars(group).items()
        if inspect.isfunction(value) and value.__qualname__ == f"{group.__name__}.{name}"
    ]


def every_contract_method() -> set[str]:
    return {name for group in CONTRACT for name in contract_methods(group)}


def address(backend: str, where: Path | None) -> str:
    """Where a store of ``backend`` lives: a file under ``where``, or in memory when it is None; a
    fresh database either way for PostgreSQL, which has no store in memory."""
    if backend == "postgres":
        return SERVERS["postgres"].fresh()
    assert backend == "duckdb"
    return ":memory:" if where is None else str(where / "contract.duckdb")


class Recording:
    """A store seen only through the contract, noting which methods were called."""

    def __init__(self, store: Store):
        self._store = store
        self.called: set[str] = set()

    def __getattr__(self, name: str) -> object:
        if name not in every_contract_method():
            raise AttributeError(f"{name} is not in the store contract")
        self.called.add(name)
        return getattr(self._store, name)

    def __enter__(self) -> Recording:
        self.called.add("__enter__")
        self._store.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.called.add("__exit__")
        self._store.__exit__(*exc)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("group", CONTRACT, ids=lambda g: g.__name__)
def test_the_backend_implements_every_method_of_the_contract_with_its_signature(backend, group):
    implementation = IMPLEMENTATIONS[backend]
    for name in contract_methods(group):
        assert callable(getattr(implementation, name, None)), f"{backend} lacks {group.__name__}.{name}"
        promised = inspect.signature(getattr(group, name))
        kept = inspect.signature(getattr(implementation, name))
        assert str(kept) == str(promised), f"{group.__name__}.{name}"


def test_the_contract_names_each_method_once():
    names = [name for group in CONTRACT for name in contract_methods(group)]
    assert len(names) == len(set(names))
    assert set(names) == {n for n in dir(Store) if n in set(names)}


@pytest.fixture(params=BACKENDS)
def backend(request) -> str:
    if request.param == "postgres":
        SERVERS["postgres"] = request.getfixturevalue("postgres_server")
    return request.param


def test_open_store_refuses_an_address_no_backend_serves():
    with pytest.raises(StoreError, match="no store backend"):
        open_store("mysql://localhost/newsprism")


def test_a_run_through_the_contract_uses_every_method(backend, tmp_path):
    with open_store(address(backend, tmp_path)) as opened:
        store = Recording(opened)
        analyze([str(EXAMPLES)], store)
        ids = store.select()
        assert len(ids) >= 5
        shown = view(store, ids)
        assert shown.articles and shown.entities and shown.stories
        refresh_digests(store)
        stories, _ = stories_of(store, ids)
        assert stories
        digests = store.story_digests(s.id for s in stories)
        assert digests and all(d.facts for d in digests.values())
        rebuild(store)
        _reads(store, ids)
        _stage_keys(store, ids)
        _lists_and_searches(store, shown)
        _writes(store, ids)
        assert store.cursor() is not None
        with store:
            store.release()
        assert every_contract_method() - store.called - {"close"} == set()


def _reads(store: Recording, ids: list[str]) -> None:
    """What the run and the view leave unread."""
    assert store.known(ids) == set(ids)
    assert set(store.sequence(ids)) == set(ids)
    assert set(store.outlets_of(ids)) == set(ids)
    assert store.annotated_ids() == ids
    assert set(store.sources_of(ids)) == set(ids)
    assert store.counts()["articles"] == len(ids)
    assert store.get_meta("schema_version")
    entities = store.entity_list(limit=3)
    assert entities and entities[0].mentions >= entities[-1].mentions
    assert store.articles_of_entities([e.id for e in entities])
    assert store.entity_merges([e.id for e in entities]) == {}
    assert store.group_merges(["no such group"]) == {}
    uses = store.name_uses(ids)
    assert uses and all(u.article in ids for u in uses)
    keys = {u.resolves_to for u in uses}
    assert set(store.names_view(keys)) <= keys
    placed = store.story_assignments()
    story = next(iter(placed.values())).story
    assert placed[store.best_member(story, excluding="")].story == story
    shared = store.shared_quote_groups(ids)
    assert shared and store.quote_groups(shared) == shared
    top = entities[0]
    assert store.entities_named(top.type, [top.name]).keys() == {top.name}
    assert isinstance(store.all_cluster_merges(), dict)
    assert isinstance(store.cluster_merges(ids), dict)
    assert store.stale_digests() == []


def _stage_keys(store: Recording, ids: list[str]) -> None:
    (group,) = store.stage_key_groups()
    assert group.articles == len(ids)
    sample = store.stored_inputs(group.clean_key, group.annotate_key, 3)
    assert len(sample) == 3 and {s.article for s in sample} <= set(ids)
    assert all(s.doc.content_hash and s.doc.text and s.reference_date for s in sample)
    assert store.rekey(group.clean_key, group.annotate_key, "c-contract", "a-contract") == len(ids)
    assert store.current(ids, "c-contract", "a-contract") == set(ids)
    assert store.rekey("c-contract", "a-contract", group.clean_key, group.annotate_key) == len(ids)


def _lists_and_searches(store: Recording, shown) -> None:
    page = store.story_list(limit=2)
    assert page.items and page.total >= len(page.items)
    assert store.outlet_list()
    article = next(a for a in shown.articles if a.title)
    assert article.id in store.search_articles(" ".join(article.title.split()[:2]), limit=50).items
    assert store.search_index_current() and not store.refresh_search_index()
    quote = shown.quotes[0]
    hits = store.search_quotes(" ".join(quote.text.split()[:2]), limit=50)
    assert (quote.id, quote.article) in hits.items
    entity = shown.entities[0]
    assert entity.id in {e.id for e in store.search_entities(entity.name.split()[0], limit=50)}


def _writes(store: Recording, ids: list[str]) -> None:
    """Writes in a transaction that the run made through other paths, or not at all."""
    with store.transaction():
        store.set_meta("contract", "kept")
        store.put_raw([RawDoc(source="contract.txt", content_hash="h-contract", text="Text.")])
        store.put_sources([("contract.txt", ids[0])])
        evidence = DateEvidence("2020-01-02", "Jan 2", "contract", 0.5)
        store.put_borrowed_dates({ids[0]: evidence})
        assert store.borrowed_dates([ids[0]]) == {ids[0]: evidence}
        link = ReuseLink(ids[0], "contract-copy", "passage", ("a passage",), None, "contract")
        store.put_reuse([link])
        assert store.reuse_of([ids[0], "contract-copy"]) == [link]
        assert store.copy_partners(["contract-copy"]) == [(ids[0], "contract-copy", "passage")]
        store.record_cluster_merges({"s-contract-old": "s-contract-new"})
        assert store.cluster_merges(["s-contract-old"]) == {"s-contract-old": "s-contract-new"}
    assert store.get_meta("contract") == "kept"


def test_a_fresh_store_in_memory_takes_articles_and_gives_them_back(backend, tmp_path):
    with open_store(address(backend, tmp_path)) as made:
        analyze([str(EXAMPLES / "01_tamsel_courier.txt")], made)
        ids = made.select()
        articles, annotations = made.articles(ids), made.annotations(ids)
    with open_store(address(backend, None)) as store, store.transaction():
        store.put_articles([(a, annotations[a.id]) for a in articles], {}, "c", "a", dt.date(2020, 1, 1))
        assert store.articles(ids) == articles
        assert store.annotations(ids) == annotations
        assert store.current(ids, "c", "a") == set(ids)
        store.put_times({ids[0]: ()})
        assert store.annotations(ids)[ids[0]].times == ()
        assert store.retract(ids) == set()
        store.clear_corpus()
        assert store.counts()["entities"] == 0
