"""Quote attribution benchmark: newsprism's extract_quotes against textacy on PolNeAR, and the seed gold.

    python bench/polnear.py [--split dev|train] [--limit N] [--out DIR] [--no-baseline]  # PolNeAR
    python bench/polnear.py --seeds                                                     # seed quotes

Both extractors read the same spaCy docs in the same run. Each writes an export-like JSON document
that ../shared/eval/score_polnear.py scores. The seed mode approximates the pipeline's cleaning by
splitting the raw files on blank lines; the real end-to-end figure comes from score_seeds.py.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import spacy

from newsprism.article.nlp import MODEL, load_nlp
from newsprism.article.quotes import extract_quotes
from newsprism.corpus.view import resolve
from newsprism.records import Annotations, Article, Mention

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
sys.path.insert(0, str(SHARED / "eval"))

import score_polnear  # noqa: E402
import score_seeds  # noqa: E402


def _mentions(article: Article, doc) -> tuple[Mention, ...]:
    return tuple(Mention(article.id, e.start_char, e.end_char, e.text, e.label_) for e in doc.ents)


def _article(doc_id: str, text: str) -> Article:
    paragraphs = [p.strip() for p in text.replace("\r", "").split("\n") if p.strip()]
    return Article(id=doc_id, source=f"polnear:{doc_id}", source_id=doc_id, paragraphs=tuple(paragraphs))


def _textacy_quotes(article: Article, doc) -> list[dict]:
    """textacy's direct quotations; it bails out on unbalanced marks, which then count as none found."""
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        found = list(direct_quotations(doc))
    except ValueError:
        return out
    for dq in found:
        speaker = " ".join(t.text for t in dq.speaker)
        out.append({"article": article.id, "text": " ".join(t.text for t in dq.content),
                    "speaker": {"text": speaker, "name": None}, "kind": "direct"})
    return out


def _ours(quotes) -> list[dict]:
    return [{"id": q.id, "article": q.article, "text": q.text, "kind": q.kind, "cue": q.cue, "via": q.via,
             "speaker": {"text": q.speaker.text, "name": q.speaker.name}, "group": q.group} for q in quotes]


def polnear(
    split: str, limit: int | None, out_dir: Path, baseline: bool = True
) -> dict[str, dict[str, float]]:
    """score_polnear's figures per extractor: newsprism, and textacy unless ``baseline`` is off."""
    gold = SHARED / "data" / "quotes" / f"polnear-{split}.jsonl"
    rows = score_polnear.gold_rows(gold)[:limit]
    articles = [_article(r["doc_id"], r["text"]) for r in rows]
    nlp = load_nlp()
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.body for a in articles), batch_size=16))
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    ours = [q for a, d in zip(articles, docs, strict=True) for q in extract_quotes(a, d, _mentions(a, d))]
    t_ours = time.perf_counter() - t0
    exports = {"newsprism": _ours(ours)}
    seconds = f"seconds: spacy {t_spacy:.1f}  newsprism {t_ours:.2f}"
    if baseline:
        # textacy matches reporting verbs by lemma; our pipeline has no lemmatizer, so lemmatize the same
        # parsed docs (after our extraction, which never reads lemmas) with the model's own lemmatizer.
        lemmatizer = spacy.load(MODEL).get_pipe("lemmatizer")
        docs = [lemmatizer(d) for d in docs]
        t0 = time.perf_counter()
        exports["textacy"] = [q for a, d in zip(articles, docs, strict=True) for q in _textacy_quotes(a, d)]
        seconds += f"  textacy {time.perf_counter() - t0:.2f}"
    arts = [{"id": a.id, "source": a.source, "source_id": a.source_id, "paragraphs": list(a.paragraphs)}
            for a in articles]
    results = {}
    for name, quotes in exports.items():
        path = out_dir / f"polnear-{split}-{name}.json"
        path.write_text(json.dumps({"articles": arts, "quotes": quotes}), encoding="utf-8")
        print(f"--- {name}")
        results[name] = score_polnear.score(gold, path)
    print(f"\n{'figure':<18}" + "".join(f"{name:>10}" for name in results))
    for key in results["newsprism"]:
        print(f"{key:<18}" + "".join(f"{figures[key]:10.3f}" for figures in results.values()))
    print(f"{seconds}  ({len(rows)} texts)")
    return results


def seeds(out_dir: Path) -> None:
    gold = json.loads(score_seeds.GOLD.read_text(encoding="utf-8"))
    nlp = load_nlp()
    arts, articles, annotations = [], [], {}
    for key, meta in sorted(gold["articles"].items()):
        raw = (score_seeds.SEEDS / meta["file"]).read_text(encoding="utf-8")
        paragraphs = tuple(p.strip() for p in raw.splitlines() if p.strip() and not p.startswith("http"))
        article = Article(id=key, source=meta["file"], paragraphs=paragraphs)
        doc = nlp(article.body)
        annotations[key] = Annotations(key, quotes=extract_quotes(article, doc, _mentions(article, doc)))
        articles.append(article)
        arts.append({"id": key, "source": meta["file"], "paragraphs": list(paragraphs)})
    # Grouped as the corpus groups them; speakers stay as each article resolved them.
    grouped = {q.id: q.group for q in resolve(articles, annotations).quotes}
    quotes = [replace(q, group=grouped[q.id]) for n in annotations.values() for q in n.quotes]
    export = {"articles": arts, "quotes": _ours(quotes)}
    (out_dir / "seeds.json").write_text(json.dumps(export, indent=1, ensure_ascii=False), encoding="utf-8")
    ids = {a["id"]: a["id"] for a in arts}
    figures = score_seeds.score_quotes(gold, export, ids, {a["id"]: a for a in arts})
    figures.update(score_seeds.score_shared(gold, export, ids))
    print(" ".join(f"{k}={v:.3f}" for k, v in figures.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", default="dev", choices=("dev", "train"))
    ap.add_argument("--limit", type=int)
    ap.add_argument("--seeds", action="store_true")
    ap.add_argument("--no-baseline", action="store_true", help="skip textacy (newsprism's figures only)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    out_dir = args.out or Path(tempfile.mkdtemp(prefix="newsprism-quotes-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.seeds:
        seeds(out_dir)
    else:
        polnear(args.split, args.limit, out_dir, baseline=not args.no_baseline)
    print(f"exports in {out_dir}")


if __name__ == "__main__":
    main()
