"""Stage versions stay honest: when a stage's output on the seed articles changes, a version its key
holds must change too, or stored results made by the old code would pass for current ones.

The outputs are recorded in ``tests/data/stage_outputs.json`` with the versions, libraries and
package data that made them. After bumping a ``VERSION``, record them again:
``NEWSPRISM_RECORD_STAGES=1 pytest tests/test_versions.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import hashlib
import json
import os
from pathlib import Path

import pytest
from conftest import EXAMPLES

import newsprism
from newsprism import pipeline
from newsprism.corpus.view import view
from newsprism.options import Options
from newsprism.output.export import to_document
from newsprism.store import open_store
from newsprism.versions import ANNOTATE, CLEAN, CORPUS, LEGACY_KEY, StageSpec, data_digest, stage_keys

RECORDED = Path(__file__).parent / "data" / "stage_outputs.json"
RECORDING = os.environ.get("NEWSPRISM_RECORD_STAGES") == "1"
# Fixed, so that the years inferred for "Tuesday, Oct. 4" do not move with the calendar.
REFERENCE_DATE = dt.date(2026, 12, 1)

# Each output and the stages whose versions it depends on: annotation reads the clean text, and the
# corpus level reads both.
DEPENDS = {
    "clean": (CLEAN,),
    "mentions": (CLEAN, ANNOTATE),
    "quotes": (CLEAN, ANNOTATE),
    "times": (CLEAN, ANNOTATE),
    "corpus": (CLEAN, ANNOTATE, CORPUS),
}


def _digest(value: object, seeds_dir: Path) -> str:
    plain = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
    # Articles name the file they came from: where the checkout lies must not count.
    plain = plain.replace(str(seeds_dir), "SEEDS")
    return hashlib.sha256(plain.encode()).hexdigest()[:16]


@pytest.fixture(scope="module")
def outputs(seeds_dir, tmp_path_factory) -> dict[str, str]:
    with newsprism.open(
        tmp_path_factory.mktemp("versions") / "seeds.duckdb", Options(reference_date=REFERENCE_DATE)
    ) as corpus:
        corpus.add([seeds_dir])
        ids = sorted(a.id for a in corpus.articles())
        articles = corpus.store.articles(ids)
        annotations = corpus.store.annotations(ids)
        document = corpus.export()
    stage_fields = ("mentions", "quotes", "times")
    found = {
        "clean": _digest([dataclasses.asdict(a) for a in articles], seeds_dir),
        **{
            name: _digest(
                {i: [dataclasses.asdict(x) for x in getattr(annotations[i], name)] for i in ids}, seeds_dir
            )
            for name in stage_fields
        },
        # What the corpus level adds: everything in the export but the articles' own fields.
        "corpus": _digest({k: v for k, v in document.items() if k != "articles"}, seeds_dir),
    }
    return found


def document(store) -> dict:
    return to_document(view(store, store.select()))


def _inputs(specs: tuple[StageSpec, ...]) -> dict[str, object]:
    return {
        "versions": {name: v for spec in specs for name, v in spec.versions.items()},
        "libraries": {name: v for spec in specs for name, v in spec.library_versions().items()},
        "data": data_digest(),
    }


def test_a_stage_whose_output_changed_has_a_new_version(outputs):
    if RECORDING:
        RECORDED.write_text(
            json.dumps(
                {name: {**_inputs(specs), "output": outputs[name]} for name, specs in DEPENDS.items()},
                indent=2,
                sort_keys=True,
            )
            + "\n"
        )
    recorded = json.loads(RECORDED.read_text())
    assert set(recorded) == set(DEPENDS)
    for name, specs in DEPENDS.items():
        then, now = recorded[name], _inputs(specs)
        assert then["versions"] == now["versions"], (
            f"{name}: versions {then['versions']} were recorded, the code states {now['versions']}: "
            "record the outputs again (NEWSPRISM_RECORD_STAGES=1 pytest tests/test_versions.py)"
        )
        if outputs[name] == then["output"]:
            continue
        if (then["libraries"], then["data"]) != (now["libraries"], now["data"]):
            # The key holds libraries and data, so stored results are redone: the cache is right,
            # but this record no longer tells a code change from a library's.
            pytest.skip(f"{name}: libraries or data differ from the recorded ones; record again")
        pytest.fail(
            f"the output of {name} on the seeds changed but no version it depends on did: bump the "
            f"VERSION of the stage you changed ({', '.join(sorted(now['versions']))}), then record again"
        )


def test_keys_name_the_versions_that_made_them():
    keys = stage_keys()
    assert keys.clean.startswith(f"clean:c{CLEAN.versions['clean']}:")
    assert keys.annotate.split(":")[1] == "".join(
        f"{name[0]}{version}" for name, version in sorted(ANNOTATE.versions.items())
    )
    assert len({keys.clean, keys.annotate, keys.corpus}) == 3


def test_a_version_library_or_data_change_changes_the_key():
    bumped = dataclasses.replace(CLEAN, versions={"clean": CLEAN.versions["clean"] + 1})
    assert bumped.key() != CLEAN.key()
    other_library = dataclasses.replace(CLEAN, libraries=(*CLEAN.libraries, "numpy"))
    assert other_library.key() != CLEAN.key()
    # The same material gives the same key: a refactor or a comment edit redoes nothing.
    assert dataclasses.replace(CLEAN).key() == CLEAN.key()


# The examples as the release before stage versions stored them (schema 5, keys of 16 hex digits).
UNVERSIONED_STORE = Path(__file__).parent / "data" / "store-v5-examples.duckdb.gz"
LEGACY_PAIR = ("0123456789abcdef", "fedcba9876543210")


@pytest.fixture
def legacy_store(tmp_path) -> Path:
    """The examples stored by today's stages, under keys as a release before versions wrote them."""
    path = tmp_path / "legacy.duckdb"
    with open_store(path) as store:
        pipeline.analyze([str(EXAMPLES)], store)
        keys = stage_keys()
        store.rekey(keys.clean, keys.annotate, *LEGACY_PAIR)
        store.set_meta("unversioned_examined", "0")
    return path


def test_results_stored_before_versions_are_adopted_when_today_makes_the_same(legacy_store, monkeypatch):
    stored = []
    monkeypatch.setattr(pipeline, "_commit", lambda *args, **kwargs: stored.append(args[1]))
    with open_store(legacy_store) as store:
        before = document(store)
        (group,) = store.stage_key_groups()
        report = pipeline.analyze([str(EXAMPLES)], store)
        assert (report.new, report.unchanged, report.failed) == (0, group.articles, [])
        assert not any(stored)  # nothing was cleaned, annotated or written again
        keys = stage_keys()
        assert store.stage_key_groups() == [(keys.clean, keys.annotate, group.articles)]
        assert document(store) == before


def test_results_a_release_made_otherwise_are_not_adopted(legacy_store, monkeypatch):
    with open_store(legacy_store) as store:
        (group,) = store.stage_key_groups()
        real = pipeline.understand

        def other_quotes(docs, reference_date):
            return [dataclasses.replace(o, annotations=dataclasses.replace(o.annotations, quotes=()))
                    for o in real(docs, reference_date)]

        # Today's quotes differ from what was stored: the group keeps its keys, to be redone.
        monkeypatch.setattr(pipeline, "understand", other_quotes)
        assert pipeline.adopt_unversioned(store) == 0
        assert store.stage_key_groups() == [group]
        assert pipeline.adopt_unversioned(store) == 0  # examined once per store
        # What is redone is what comes in again.
        monkeypatch.setattr(pipeline, "understand", real)
        report = pipeline.analyze([str(EXAMPLES)], store)
        assert (report.new, report.unchanged) == (group.articles, 0)
        assert {g.clean_key for g in store.stage_key_groups()} == {stage_keys().clean}


def test_the_store_of_the_release_before_versions_opens_and_ends_current(tmp_path):
    """Whether its results are adopted or redone depends on whether today's stages still make the
    same of the examples; either way, one analysis leaves every article current and none twice."""
    path = tmp_path / "v5.duckdb"
    path.write_bytes(gzip.decompress(UNVERSIONED_STORE.read_bytes()))
    with open_store(path) as store:
        (group,) = store.stage_key_groups()
        assert LEGACY_KEY.fullmatch(group.clean_key) and LEGACY_KEY.fullmatch(group.annotate_key)
        report = pipeline.analyze([str(EXAMPLES)], store)
        assert report.new + report.unchanged == group.articles and report.failed == []
        keys = stage_keys()
        assert store.stage_key_groups() == [(keys.clean, keys.annotate, group.articles)]
        assert store.get_meta("corpus_key") == keys.corpus
