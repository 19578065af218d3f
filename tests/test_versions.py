"""Stage versions stay honest: when a stage's output on the seed articles changes, a version its key
holds must change too, or stored results made by the old code would pass for current ones.

The outputs are recorded in ``tests/data/stage_outputs.json`` with the versions, libraries and
package data that made them. After bumping a ``VERSION``, record them again:
``NEWSPRISM_RECORD_STAGES=1 pytest tests/test_versions.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pytest

import newsprism
from newsprism.options import Options
from newsprism.versions import ANNOTATE, CLEAN, CORPUS, StageSpec, data_digest, stage_keys

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


def _digest(value: object) -> str:
    plain = json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)
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
        "clean": _digest([dataclasses.asdict(a) for a in articles]),
        **{
            name: _digest({i: [dataclasses.asdict(x) for x in getattr(annotations[i], name)] for i in ids})
            for name in stage_fields
        },
        # What the corpus level adds: everything in the export but the articles' own fields.
        "corpus": _digest({k: v for k, v in document.items() if k != "articles"}),
    }
    return found


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
