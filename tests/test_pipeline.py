import json
import shutil

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

from newsprism.cli import app
from newsprism.corpus.view import view
from newsprism.output.export import to_document
from newsprism.pipeline import RunReport, analyze
from newsprism.store import Store, open_store


def exported(store: Store, report: RunReport) -> dict:
    return to_document(view(store, report.ids))


@pytest.fixture
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns("*.md"))
    return folder


def test_rerun_adds_nothing_and_grown_folder_processes_only_new_files(corpus_dir, tmp_path):
    extra = corpus_dir / "07_feed_export.jsonl"
    held_back = extra.read_text(encoding="utf-8")
    extra.unlink()
    with open_store(tmp_path / "db.duckdb") as store:
        first = analyze([str(corpus_dir)], store)
        counts, before = store.counts(), exported(store, first)
        second = analyze([str(corpus_dir)], store)
        assert (first.new, first.unchanged, first.failed) == (6, 0, [])
        assert (second.new, second.unchanged) == (0, 6)
        assert store.counts() == counts
        assert exported(store, second) == before
        extra.write_text(held_back, encoding="utf-8")
        third = analyze([str(corpus_dir)], store)
        assert (third.new, third.unchanged, third.articles) == (2, 6, 8)
        assert store.counts()["articles"] == counts["articles"] + 2


def test_ids_are_stable_across_stores(corpus_dir, tmp_path):
    with open_store(tmp_path / "a.duckdb") as a, open_store(tmp_path / "b.duckdb") as b:
        ids_a = analyze([str(corpus_dir)], a).ids
        ids_b = analyze([str(corpus_dir)], b).ids
    assert ids_a == ids_b and len(set(ids_a)) == 8


def test_bad_inputs_are_reported_and_the_batch_goes_on(corpus_dir, tmp_path):
    bad = corpus_dir / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (bad / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (bad / "truncated.html").write_text("<html><head><title>Cut</title></head><body><article><p>Only")
    (bad / "lines.jsonl").write_text(
        '{"id": "ok", "text": "The ferry ran all night, the captain said."}\n'
        '{"id": "broken", "text": "unterminated\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        app, ["analyze", str(corpus_dir), "--json", str(out), "--db", str(tmp_path / "db.duckdb")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    for name in ("empty.txt", "binary.txt", "menu.html", "truncated.html", "lines.jsonl:2"):
        assert name in result.output, name
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert len(doc["articles"]) == 9
    assert any(a["source_id"] == "ok" for a in doc["articles"])


def test_export_follows_the_contract(corpus_dir, tmp_path):
    out = tmp_path / "out.json"
    result = CliRunner().invoke(
        app, ["analyze", str(corpus_dir), "--json", str(out), "--db", str(tmp_path / "db.duckdb")]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert set(doc) >= {"articles", "entities", "quotes", "times", "stories", "timeline"}
    bodies = {a["id"]: "\n\n".join(a["paragraphs"]) for a in doc["articles"]}
    for article in doc["articles"]:
        assert set(article) >= {
            "id",
            "source",
            "source_id",
            "url",
            "outlet",
            "title",
            "published",
            "dateline",
            "paragraphs",
            "removed",
        }
    for entity in doc["entities"]:
        for m in entity["mentions"]:
            assert bodies[m["article"]][m["start"] : m["end"]] == m["text"]
    for quote in doc["quotes"]:
        assert bodies[quote["article"]][quote["start"] : quote["end"]] == quote["text"]
        assert quote["kind"] in {"direct", "partial", "indirect"}
    for time in doc["times"]:
        assert bodies[time["article"]][time["start"] : time["end"]] == time["text"]
    jsonl = next(a for a in doc["articles"] if a["source"].endswith("07_feed_export.jsonl:1"))
    assert jsonl["source_id"] and jsonl["published"]


def test_worker_pool_gives_the_same_result_as_one_process(corpus_dir, tmp_path):
    from newsprism.options import Options

    with open_store(tmp_path / "one.duckdb") as one, open_store(tmp_path / "pool.duckdb") as pool:
        serial = exported(one, analyze([str(corpus_dir)], one, Options(workers=1)))
        parallel = exported(
            pool,
            analyze([str(corpus_dir)], pool, Options(workers=2, min_articles_per_worker=1, chunk_size=2)),
        )
    assert parallel == serial


def test_an_article_that_trips_a_stage_is_reported_and_the_rest_goes_on(corpus_dir, tmp_path, monkeypatch):
    import newsprism.article.annotate
    from newsprism.options import Options

    real = newsprism.article.annotate.attribute

    def fragile(article, doc, mentions, passage):
        if "Kofi Mensah" in article.body:
            raise IndexError("list index out of range")
        return real(article, doc, mentions, passage)

    monkeypatch.setattr(newsprism.article.annotate, "attribute", fragile)
    with open_store(tmp_path / "db.duckdb") as store:
        first = analyze([str(corpus_dir)], store, Options(workers=1))
        (failure,) = first.failed
        assert "06_aldery_ledger.html" in str(failure) and "IndexError" in str(failure)
        assert first.articles == 8 and exported(store, first)["quotes"]
        again = analyze([str(corpus_dir)], store, Options(workers=1))
        assert (again.new, again.unchanged, len(again.failed)) == (1, 7, 1)


def test_unwritable_export_and_odd_fields_give_errors_not_tracebacks(corpus_dir, tmp_path):
    (corpus_dir / "odd.jsonl").write_text(
        json.dumps(
            {
                "id": "odd",
                "text": "The mayor said the ferry would run.",
                "url": "http://[::1",
                "published": "2016-99-99",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    missing = runner.invoke(
        app,
        [
            "analyze",
            str(corpus_dir),
            "--json",
            str(tmp_path / "no" / "out.json"),
            "--db",
            str(tmp_path / "db.duckdb"),
        ],
    )
    assert missing.exit_code == 2 and "Traceback" not in missing.output and "does not exist" in missing.output
    ok = runner.invoke(
        app,
        [
            "analyze",
            str(corpus_dir),
            "--json",
            str(tmp_path / "out.json"),
            "--db",
            str(tmp_path / "db.duckdb"),
        ],
    )
    assert ok.exit_code == 0, ok.output
    odd = next(
        a for a in json.loads((tmp_path / "out.json").read_text())["articles"] if a["source_id"] == "odd"
    )
    assert odd["outlet"] is None and odd["published"] != "2016-99-99"


def test_the_reference_date_comes_from_the_options_and_is_recorded(corpus_dir, tmp_path):
    import datetime as dt

    import duckdb

    from newsprism.options import Options

    with open_store(tmp_path / "db.duckdb") as store:
        report = analyze([str(corpus_dir)], store, Options(workers=1, reference_date=dt.date(2030, 1, 2)))
        assert report.reference_date == dt.date(2030, 1, 2)
    with duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True) as db:
        assert db.execute("SELECT DISTINCT reference_date FROM articles").fetchall() == [
            (dt.date(2030, 1, 2),)
        ]


def test_a_50_mb_jsonl_of_news_pages_is_analysed_in_full(tmp_path):
    """The size cap is per article: a JSONL of real news pages past 50 MB streams through whole."""
    import gzip

    from conftest import SHARED

    from newsprism.options import Options

    pages = sorted((SHARED / "data" / "extraction" / "trafilatura-eval-en" / "html").glob("*.html.gz"))
    source, size, lines = tmp_path / "pages.jsonl", 0, 0
    with source.open("w", encoding="utf-8") as out:
        while size < 50_000_000:
            page = pages[lines % len(pages)]
            # A page seen again is another outlet's copy: its own id makes it another article.
            line = (
                json.dumps(
                    {
                        "id": f"{page.name}#{lines}",
                        "html": gzip.decompress(page.read_bytes()).decode("utf-8", errors="replace"),
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
            out.write(line)
            size += len(line.encode("utf-8"))
            lines += 1
    assert source.stat().st_size > 50_000_000
    with open_store(tmp_path / "db.duckdb") as store:
        report = analyze([str(source)], store, Options(workers=2))
        stored = store.counts()["articles"]
    assert not [f for f in report.failed if "too large" in f.message]
    # Every line is an article or a reported page without one (a menu, a comment thread).
    assert len(report.ids) + len(report.failed) == lines
    assert stored == len(report.ids) > 0.9 * lines


def test_a_repeated_input_is_stored_or_reported_like_its_first_copy(tmp_path):
    """Found by tests/test_properties.py: a JSONL line repeating an earlier one was neither stored
    (its source was not recorded) nor reported."""
    good = json.dumps({"id": "a", "text": "The ferry ran all night, the captain said on Monday."})
    bad = json.dumps({"id": "b", "text": "https://site.example/a\n12 comments"})
    lines = tmp_path / "lines.jsonl"
    lines.write_text("\n".join([good, bad, good, bad]), encoding="utf-8")
    with open_store(tmp_path / "db.duckdb") as store:
        report = analyze([str(lines)], store)
        assert store.select(source=f"{lines}:1") == store.select(source=f"{lines}:3") == report.ids
    assert sorted(str(e).split(": ")[0] for e in report.failed) == [f"{lines}:2", f"{lines}:4"]
