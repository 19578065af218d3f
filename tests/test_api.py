"""The corpus as a Python object (``newsprism.open``) and the ``export`` command, on the bundled examples."""

import json
import shutil

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app

JSONL = "07_feed_export.jsonl"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """The examples added to a new corpus; the tests using it only read it."""
    path = tmp_path_factory.mktemp("api") / "c.duckdb"
    with newsprism.open(path) as opened:
        report = opened.add([EXAMPLES])
        assert (report.new, report.failed) == (8, [])
        yield opened


@pytest.fixture(scope="module")
def whole(corpus):
    """The whole corpus as the contract's document."""
    return corpus.export()


def bodies(doc: dict) -> dict[str, str]:
    return {a["id"]: "\n\n".join(a["paragraphs"]) for a in doc["articles"]}


def entity_named(doc: dict, name: str) -> dict:
    (entity,) = [e for e in doc["entities"] if e["name"] == name]
    return entity


def partition(doc: dict) -> set[frozenset[tuple[str, int]]]:
    """Which mentions are one entity, whatever its id or name."""
    return {frozenset((m["article"], m["start"]) for m in e["mentions"]) for e in doc["entities"]}


def export(db, out, *options: str):
    result = CliRunner().invoke(app, ["export", "--db", str(db), "--json", str(out), *options])
    doc = json.loads(out.read_text(encoding="utf-8")) if result.exit_code == 0 else None
    return result, doc


# -- the Python API --------------------------------------------------------------------------------


def test_articles_are_the_eight_examples(corpus, whole):
    articles = corpus.articles()
    assert len(articles) == 8 == len({a.id for a in articles})
    assert [a.id for a in articles] == [a["id"] for a in whole["articles"]]
    jsonl_ids = {a.source_id for a in articles if JSONL in a.source}
    assert jsonl_ids == {"cc-2025-0304-117", "mrr-20250304-1800-02"}
    assert all(a.source_id is None for a in articles if JSONL not in a.source)
    assert [a.id for a in corpus.articles(outlet="midriver radio")] == [
        a["id"] for a in whole["articles"] if a["outlet"] == "Midriver Radio"]


def test_entities_limit_gives_the_most_mentioned_with_mentions_in_their_bodies(corpus, whole):
    top = corpus.entities(limit=5)
    assert len(top) == 5 == len({e.id for e in top})
    counts = [len(e.mentions) for e in top]
    assert counts == sorted(counts, reverse=True)
    rest = [len(e["mentions"]) for e in whole["entities"] if e["id"] not in {e.id for e in top}]
    assert min(counts) >= max(rest)
    assert top[0].name == "Helena Brask" and top[0].type == "PERSON"
    text = {a.id: a.body for a in corpus.articles()}
    for entity in top:
        exported = next(e for e in whole["entities"] if e["id"] == entity.id)
        assert len(entity.mentions) == len(exported["mentions"])  # all its mentions, whichever article
        for m in entity.mentions:
            assert text[m.article][m.start : m.end] == m.text
    brask = {m.text for m in top[0].mentions}
    assert {"Helena Brask", "Brask"} <= brask and len({m.article for m in top[0].mentions}) > 1


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Brask", "Helena Brask"),
        ("HELENA BRASK", "Helena Brask"),
        ("Harwood", "Lotte Harwood"),
        ("Tamsel Boatmen’s Union", "Tamsel Boatmen's Union"),
    ],
)
def test_entities_are_found_by_any_spelling(corpus, spelling, canonical):
    (entity,) = corpus.entities(name=spelling)
    assert entity.name == canonical
    assert len({m.text for m in entity.mentions}) > 1  # the other spellings come with it


def test_entities_by_name_and_type_narrow_down(corpus):
    assert corpus.entities(name="Imre Voss", type="ORG") == []
    (voss,) = corpus.entities(name="Voss", type="PERSON")
    assert voss.name == "Imre Voss"
    assert corpus.entities(name="Nobody Ever Mentioned") == []


def test_quotes_by_speaker_are_that_entitys_quotes(corpus, whole):
    voss = entity_named(whole, "Imre Voss")
    expected = sorted(q["id"] for q in whole["quotes"] if q["speaker"]["entity"] == voss["id"])
    assert len(expected) > 3
    for spelling in ("Imre Voss", "Voss"):
        quotes = corpus.quotes(speaker=spelling)
        assert {q.speaker.entity for q in quotes} == {voss["id"]}, spelling
        assert sorted(q.id for q in quotes) == expected
        assert {q.speaker.name for q in quotes} == {"Imre Voss"}


def test_quotes_by_outlet_are_that_outlets_articles(corpus, whole):
    ledger = {a["id"] for a in whole["articles"] if a["outlet"] == "The Aldery Ledger"}
    assert len(ledger) == 1
    quotes = corpus.quotes(outlet="The Aldery Ledger")
    assert quotes and {q.article for q in quotes} == ledger
    assert sorted(q.id for q in quotes) == sorted(q["id"] for q in whole["quotes"] if q["article"] in ledger)
    both = corpus.quotes(outlet="The Aldery Ledger", speaker="Brask")
    assert both and {q.article for q in both} == ledger
    assert all(q.speaker.name == "Helena Brask" for q in both)


def test_export_is_what_the_cli_writes_for_the_same_store(corpus, whole, tmp_path):
    result, doc = export(corpus.store.path, tmp_path / "out.json")
    assert result.exit_code == 0, result.output
    assert doc == whole
    assert doc["entities"] and doc["quotes"] and doc["times"]


def test_records_given_as_dicts_are_added(tmp_path):
    text = ("Port Aldery's mayor Ines Varga said on Thursday the ferry would run again. "
            "\"We will not leave the river to the barges,\" Varga told reporters.")
    with newsprism.open(tmp_path / "r.duckdb") as corpus:
        report = corpus.add([{"id": "x1", "text": text, "outlet": "Test Wire", "published": "2020-01-02"}])
        assert (report.new, report.articles, report.failed) == (1, 1, [])
        (article,) = corpus.articles()
        assert article.id == report.ids[0]
        assert (article.source_id, article.outlet, article.published) == ("x1", "Test Wire", "2020-01-02")
        assert "Ines Varga" in article.body
        (quote,) = [q for q in corpus.quotes() if q.kind == "direct"]
        assert quote.speaker.name == "Ines Varga"
        assert corpus.select(outlet="test wire") == [article.id]


def test_the_package_exports_a_curated_api():
    errors = {"NewsprismError", "InputError", "FetchError", "StoreError"}
    assert {"open", "Corpus", *errors} <= set(newsprism.__all__)
    assert all(not name.startswith("_") and hasattr(newsprism, name) for name in newsprism.__all__)
    assert not {"analyze", "DuckDBStore", "app", "corpus", "api"} & set(newsprism.__all__)
    assert issubclass(newsprism.InputError, newsprism.NewsprismError)
    assert issubclass(newsprism.StoreError, newsprism.NewsprismError)
    assert issubclass(newsprism.FetchError, newsprism.InputError)
    assert newsprism.open is newsprism.api.open and newsprism.Corpus is newsprism.api.Corpus


# -- the export command ----------------------------------------------------------------------------


def test_export_selects_by_outlet_date_and_source(corpus, whole, tmp_path):
    db, out = corpus.store.path, tmp_path / "out.json"
    result, doc = export(db, out)
    assert result.exit_code == 0, result.output
    assert len(doc["articles"]) == 8 and "8 article(s)" in result.output

    result, doc = export(db, out, "--outlet", "midriver RADIO")
    assert result.exit_code == 0, result.output
    assert [a["outlet"] for a in doc["articles"]] == ["Midriver Radio"]
    midriver = doc["articles"][0]["id"]
    assert doc["quotes"] and {q["article"] for q in doc["quotes"]} == {midriver}
    assert {m["article"] for e in doc["entities"] for m in e["mentions"]} == {midriver}

    dates = sorted({a["published"] for a in whole["articles"]})
    assert None not in dates and len(dates) >= 3
    first, middle, last = dates[0], dates[1], dates[-1]
    for options, keep in (
        (["--since", middle, "--until", middle], lambda d: d == middle),
        (["--since", last], lambda d: d >= last),
        (["--until", first], lambda d: d <= first),
    ):
        result, doc = export(db, out, *options)
        assert result.exit_code == 0, result.output
        expected = [a["id"] for a in whole["articles"] if keep(a["published"])]
        assert 0 < len(expected) < 8
        assert [a["id"] for a in doc["articles"]] == expected, options
    # Articles without a date of their own are selected by the date borrowed from their story.
    borrowed = [a["id"] for a in whole["articles"]
                if (a["published_evidence"] or {}).get("method") == "story"]
    assert borrowed
    for article in whole["articles"]:
        if article["id"] in borrowed:
            day = article["published"]
            result, doc = export(db, out, "--since", day, "--until", day)
            assert article["id"] in {a["id"] for a in doc["articles"]}
            result, doc = export(db, out, "--until", first)
            assert (article["id"] in {a["id"] for a in doc["articles"]}) == (day <= first)

    result, doc = export(db, out, "--source", f"*{JSONL}*")
    assert result.exit_code == 0, result.output
    assert [a["id"] for a in doc["articles"]] == [a["id"] for a in whole["articles"] if JSONL in a["source"]]
    assert len(doc["articles"]) == 2 and all(a["source_id"] for a in doc["articles"])

    result, doc = export(db, out, "--outlet", "No Such Outlet")
    assert result.exit_code == 0 and doc["articles"] == [] and doc["entities"] == []


def test_export_refuses_bad_dates_and_missing_files_without_a_traceback(corpus, tmp_path):
    out = tmp_path / "out.json"
    result, _ = export(corpus.store.path, out, "--since", "2020-13-01")
    assert result.exit_code == 2
    assert "--since 2020-13-01" in result.output and "YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output and not out.exists()
    result, _ = export(corpus.store.path, out, "--until", "yesterday")
    assert result.exit_code == 2 and "--until yesterday" in result.output

    missing = tmp_path / "nowhere.duckdb"
    result, _ = export(missing, out)
    assert result.exit_code == 2
    assert str(missing) in result.output and "no such database" in result.output
    assert "Traceback" not in result.output and not missing.exists() and not out.exists()

    result = CliRunner().invoke(app, ["export", "--db", str(corpus.store.path)])
    assert result.exit_code == 2 and "--json" in result.output


def test_export_of_a_store_from_a_newer_release_is_an_error_not_a_traceback(tmp_path):
    from newsprism.store import open_store

    db = tmp_path / "future.duckdb"
    with open_store(db) as store:
        store.set_meta("schema_version", "99")
    result, _ = export(db, tmp_path / "out.json")
    assert result.exit_code == 2
    assert str(db) in result.output and "newer" in result.output and "Traceback" not in result.output


def test_a_second_analysis_grows_the_corpus_instead_of_replacing_it(tmp_path, whole):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix != ".md":
            shutil.copy(path, a if path.name < "05" else b)
    db, out = tmp_path / "grown.duckdb", tmp_path / "out.json"
    runner = CliRunner()
    for folder in (a, b):
        result = runner.invoke(app, ["analyze", str(folder), "--db", str(db), "--workers", "1"])
        assert result.exit_code == 0, result.output
    result, doc = export(db, out)
    assert result.exit_code == 0, result.output

    by_folder = {a["id"]: a["source"].startswith(str(b)) for a in doc["articles"]}
    assert sorted(by_folder.values()) == [False] * 4 + [True] * 4
    assert sorted(by_folder) == sorted(x["id"] for x in whole["articles"])
    # The first run's mentions are still in entities, merged with the second run's.
    mentions = {(m["article"], m["start"]) for e in doc["entities"] for m in e["mentions"]}
    assert mentions == {(m["article"], m["start"]) for e in whole["entities"] for m in e["mentions"]}
    spanning = [e["name"] for e in doc["entities"]
                if len({by_folder[m["article"]] for m in e["mentions"]}) == 2]
    assert {"Helena Brask", "Imre Voss", "Kessling Bridge"} <= set(spanning)
    brask = entity_named(doc, "Helena Brask")
    assert len(brask["mentions"]) == len(entity_named(whole, "Helena Brask")["mentions"])
    # One entity per real thing: the grown store resolves the examples as one run over all of them.
    assert partition(doc) == partition(whole)
    text = bodies(doc)
    for entity in doc["entities"]:
        for m in entity["mentions"]:
            assert text[m["article"]][m["start"] : m["end"]] == m["text"]
