import os
import sys
from collections.abc import Iterator
from itertools import count, islice

import dask
import pytest
from dask.distributed import Client, LocalCluster

from newsprism.engine import Engine, LocalEngine, make_engine
from newsprism.errors import NewsprismError

Result = list[tuple[int, int]]


def double(chunk: list[int]) -> Result:
    return [(os.getpid(), x * 2) for x in chunk]


def double_but_not_13(chunk: list[int]) -> Result:
    if 13 in chunk:
        raise ValueError("13 is unlucky")
    return double(chunk)


def chunked(n: int, size: int) -> list[list[int]]:
    return [list(range(start, min(start + size, n))) for start in range(0, n, size)]


def values(results: list[Result]) -> list[int]:
    return [value for chunk in results for _, value in chunk]


def pids(results: list[Result]) -> set[int]:
    return {pid for chunk in results for pid, _ in chunk}


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield cluster


def test_local_small_input_runs_in_this_process():
    with LocalEngine(workers=2, min_items_per_worker=16) as engine:
        results = list(engine.map(double, chunked(20, 5)))
    assert pids(results) == {os.getpid()}
    assert values(results) == [x * 2 for x in range(20)]


def test_local_single_worker_runs_in_this_process():
    with LocalEngine(workers=1, min_items_per_worker=1) as engine:
        results = list(engine.map(double, chunked(100, 5)))
    assert pids(results) == {os.getpid()}


def test_local_large_input_runs_on_worker_processes_in_order():
    with LocalEngine(workers=2, min_items_per_worker=4) as engine:
        results = list(engine.map(double, chunked(100, 3)))
    assert os.getpid() not in pids(results)
    assert values(results) == [x * 2 for x in range(100)]


def test_a_started_pool_runs_a_later_stage_however_small_its_input():
    with LocalEngine(workers=2, min_items_per_worker=4) as engine:
        list(engine.map(double, chunked(100, 3)))
        later = list(engine.map(double, chunked(4, 2)))
    assert os.getpid() not in pids(later)
    assert values(later) == [0, 2, 4, 6]


def test_story_digests_made_on_the_workers_equal_those_made_here(seeds_dir, tmp_path):
    import duckdb

    from newsprism.corpus.digests import refresh_digests
    from newsprism.pipeline import analyze
    from newsprism.store import open_store

    path = tmp_path / "seeds.duckdb"
    with open_store(path) as store:
        analyze([str(seeds_dir)], store)
        stories = sorted({p.story for p in store.story_assignments().values()})
        here = store.story_digests(stories)
    with duckdb.connect(str(path)) as db:
        db.execute("DELETE FROM story_digests")
    with open_store(path) as store, LocalEngine(workers=2, min_items_per_worker=1) as engine:
        assert refresh_digests(store, chunk=1, run=engine.map) == len(stories) == len(here)
        assert store.story_digests(stories) == here


def test_local_stage_error_reaches_the_caller():
    with LocalEngine(workers=2, min_items_per_worker=4) as engine, pytest.raises(ValueError, match="unlucky"):
        list(engine.map(double_but_not_13, chunked(100, 5)))


def test_dask_engine_matches_local_and_stops_its_cluster():
    chunks = chunked(100, 7)
    with LocalEngine(workers=1) as local:
        expected = values(list(local.map(double, chunks)))
    engine = make_engine("dask", workers=2)
    try:
        results = list(engine.map(double, chunks))
        with pytest.raises(ValueError, match="unlucky"):
            list(engine.map(double_but_not_13, chunks))
    finally:
        engine.close()
    assert values(results) == expected
    workers = pids(results)
    assert os.getpid() not in workers
    for pid in workers:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_dask_engine_joins_a_running_scheduler_and_leaves_it_running(cluster: LocalCluster):
    with make_engine("dask", scheduler=cluster.scheduler_address) as engine:
        results = list(engine.map(double, chunked(30, 4)))
    assert values(results) == [x * 2 for x in range(30)]
    assert os.getpid() not in pids(results)
    with Client(cluster.scheduler_address) as client:
        assert client.submit(double, [1], pure=False).result()[0][1] == 2


@pytest.mark.parametrize(
    ("kind", "lookahead"),
    # Local: 2 workers x 4 items fill the buffer with 2 chunks of 5; lookahead is 2 x 2 workers.
    # Dask: the joined cluster has one single-threaded worker, so the lookahead is its minimum, 2.
    [("local", 4), ("dask", 2)],
)
def test_engines_pull_chunks_lazily_and_keep_few_in_flight(kind: str, lookahead: int, request):
    pulled = 0

    def endless() -> Iterator[list[int]]:
        nonlocal pulled
        for start in count(0, 5):
            pulled += 1
            yield list(range(start, start + 5))

    engine: Engine
    if kind == "local":
        engine = make_engine("local", workers=2, min_items_per_worker=4)
    else:
        engine = make_engine("dask", scheduler=request.getfixturevalue("cluster").scheduler_address)
    with engine:
        results = engine.map(double, endless())
        taken = []
        for result in islice(results, 10):
            taken.append(result)
            assert pulled - len(taken) <= lookahead
        results.close()
    assert values(taken) == [x * 2 for x in range(50)]


def test_unknown_engine_and_misplaced_scheduler_are_user_errors():
    with pytest.raises(NewsprismError, match="unknown engine"):
        make_engine("spark")
    with pytest.raises(NewsprismError, match="needs --engine dask"):
        make_engine("local", scheduler="tcp://127.0.0.1:8786")


def test_unreachable_scheduler_is_a_user_error():
    # Nothing listens on port 1; a short timeout spares the test dask's default 30 s of retries.
    timeout = dask.config.set({"distributed.comm.timeouts.connect": "1s"})
    with timeout, pytest.raises(NewsprismError, match="cannot join the Dask scheduler at tcp://127.0.0.1:1"):
        make_engine("dask", scheduler="tcp://127.0.0.1:1")


def test_dask_engine_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(NewsprismError, match=r"pip install 'newsprism\[dask\]'"):
        make_engine("dask")
