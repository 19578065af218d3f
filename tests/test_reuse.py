"""Reuse: the same copy in two articles, whole or in passages, and which of them had it first.

Pure functions on article records: small real-looking texts for the edge cases, and the cleaned seeds
(RT carries a Reuters passage and Kerry's quotes, crediting Reuters) for the real thing.
"""

import datetime as dt

import pytest

from newsprism.article.clean import clean
from newsprism.article.ingest import read_file
from newsprism.corpus.reuse import (
    MIN_PASSAGE_WORDS,
    SAMPLE,
    SHINGLE_WORDS,
    compare,
    credited,
    origin_of,
    quote_links,
    sampled,
    shingles,
)
from newsprism.options import Options
from newsprism.records import Article, Quote, Removed, Speaker

KINDS = {"duplicate", "passage", "quote"}

WIRE = (
    "A grain barge struck the third pier of the Kessling Bridge shortly before midnight on Monday, "
    "forcing the harbour authority to close the river to all traffic.",
    "No one was hurt, the authority said, but divers found cracks in the pier's stone casing and "
    "engineers were called in from Tamsel to inspect the span.",
    "Mayor Helena Brask said the bridge would stay closed to cars until the engineers had finished.",
)
# One paragraph of 25 words, carried word for word by two otherwise different reports.
SHARED = (
    "The harbour authority said the Kessling Bridge would stay closed to river traffic until engineers "
    "had inspected every pier for damage from the grain barge."
)


def article(
    article_id: str,
    paragraphs: tuple[str, ...],
    *,
    outlet: str | None = None,
    published: str | None = None,
    removed: tuple[Removed, ...] = (),
) -> Article:
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        paragraphs=paragraphs,
        outlet=outlet,
        published=published,
        removed=removed,
    )


def words(text: str) -> int:
    return len(text.split())


# -- duplicates and passages -------------------------------------------------------------------------


def test_identical_bodies_are_a_duplicate_from_the_earlier_article():
    first = article("a1", WIRE, outlet="Tamsel Courier", published="2025-03-04")
    reprint = article("a2", WIRE, outlet="Harbour Times", published="2025-03-05")
    for a, b in ((first, reprint), (reprint, first)):
        link = compare(a, b)
        assert link is not None
        assert (link.source, link.target, link.kind, link.origin) == ("a1", "a2", "duplicate", "a1")
        assert "2025-03-04" in link.evidence
        # The whole body is one run of shared words.
        (passage,) = link.passages
        assert passage == first.body.rstrip(".")


def test_a_lightly_edited_reprint_is_still_a_duplicate():
    edited = (
        WIRE[0].replace("shortly before midnight", "just before midnight"),
        WIRE[1],
        WIRE[2] + " Ferries will run instead.",
    )
    link = compare(article("a1", WIRE), article("a2", edited))
    assert link is not None and link.kind == "duplicate"
    # The shared text starts after the edit (the ten words before it are too few for a passage).
    (passage,) = link.passages
    assert passage.startswith("before midnight") and passage.endswith("until the engineers had finished")


def test_one_shared_paragraph_in_different_articles_is_a_passage_with_that_paragraphs_text():
    assert words(SHARED) >= 20
    courier = article(
        "c1",
        (
            "Traffic backed up for miles on the ring road on Tuesday as commuters looked for another way "
            "across the river.",
            SHARED,
            "Shop owners on the north bank said they had lost half of their trade in a day.",
        ),
        outlet="Tamsel Courier",
    )
    radio = article(
        "r1",
        (
            "The boatmen's union called for night navigation to be banned on the lower river after the "
            "accident.",
            "Its leader, Imre Voss, said the pilots had warned of the danger for years.",
            SHARED,
        ),
        outlet="Midriver Radio",
    )
    link = compare(courier, radio)
    assert link is not None and link.kind == "passage"
    assert link.passages == (SHARED.rstrip("."),)
    assert {link.source, link.target} == {"c1", "r1"}
    # Passages are quoted from the first article given: the same words, whichever comes first.
    assert compare(radio, courier).passages == link.passages


def shared_run(count: int) -> tuple[Article, Article]:
    run = "the grain barge struck the third pier of the Kessling Bridge shortly before midnight after its"
    text = " ".join(run.split()[:count])
    assert len(text.split()) == count
    a = article("x1", (f"Officials in Tamsel confirmed on Monday that {text}, the port office said.",))
    b = article("x2", (f"Late on Sunday a spokeswoman noted how {text} while divers searched the river.",))
    return a, b


def test_a_passage_needs_a_run_of_min_passage_words():
    assert MIN_PASSAGE_WORDS == 14
    assert compare(*shared_run(MIN_PASSAGE_WORDS - 1)) is None
    link = compare(*shared_run(MIN_PASSAGE_WORDS))
    assert link is not None and link.kind == "passage"
    (passage,) = link.passages
    assert words(passage) == MIN_PASSAGE_WORDS
    assert passage.startswith("the grain barge") and passage.endswith("midnight")


def test_unrelated_reports_and_bodies_shorter_than_a_shingle_share_nothing():
    rates = article(
        "n1",
        (
            "The central bank of Nordmark raised its main interest rate by a quarter point to 4.5 percent "
            "on Thursday, its third increase this year.",
        ),
    )
    assert compare(article("a1", WIRE), rates) is None
    assert compare(article("s1", ("Bridge closed.",)), article("s2", ("Bridge closed.",))) is None


# -- who had it first --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ("body", "MOSCOW (Reuters) - Russia said on Tuesday it would keep looking for a settlement."),
        ("body", "A senior State Department official told Reuters the talks were over for now."),
        ("removed", "Reuters contributed to this report"),
    ],
)
def test_an_article_crediting_an_outlet_makes_that_outlets_article_the_origin(where, text):
    body = (*WIRE, text) if where == "body" else WIRE
    removed = (Removed(text, "credit"),) if where == "removed" else ()
    # The reprint is dated a day earlier: the credit still decides.
    reprint = article("rt", body, outlet="RT", published="2016-10-03", removed=removed)
    wire = article("reuters", WIRE, outlet="Reuters", published="2016-10-04")
    assert credited(reprint, "Reuters") is not None
    assert credited(reprint, "Reuters") in text
    for a, b in ((reprint, wire), (wire, reprint)):
        origin, evidence = origin_of(a, b)
        assert origin == "reuters"
        assert "RT credits Reuters" in evidence and credited(reprint, "Reuters") in evidence
        link = compare(a, b)
        assert link is not None
        assert (link.source, link.target, link.origin) == ("reuters", "rt", "reuters")


def test_a_mere_mention_or_the_articles_own_outlet_is_no_credit():
    mention = article(
        "m1", ("A Reuters photographer was among those turned back at the bridge.",), outlet="RT"
    )
    assert credited(mention, "Reuters") is None
    own = article("m2", ("MOSCOW (Reuters) - Russia said it would keep talking.",), outlet="Reuters")
    assert credited(own, "Reuters") is None
    assert credited(own, None) is None


def test_without_a_credit_the_earlier_publication_is_the_origin():
    later = article("b", WIRE, outlet="Harbour Times", published="2025-03-05")
    earlier = article("a", WIRE, outlet="Tamsel Courier", published="2025-03-04")
    origin, evidence = origin_of(later, earlier)
    assert origin == "a"
    assert "2025-03-04" in evidence and "2025-03-05" in evidence


@pytest.mark.parametrize(
    ("first", "second"),
    [("2025-03-04", "2025-03-04"), ("2025-03-04", None), (None, None), ("2025-03", "2025-03-04")],
)
def test_same_day_or_unknown_dates_and_no_credit_give_no_origin(first, second):
    a = article("a", WIRE, outlet="Tamsel Courier", published=first)
    b = article("b", WIRE, outlet="Harbour Times", published=second)
    origin, evidence = origin_of(a, b)
    assert origin is None and evidence
    link = compare(a, b)
    assert link is not None and link.origin is None
    # With nothing to tell them apart, the link keeps the order it was asked in.
    assert (link.source, link.target) == ("a", "b")


# -- shingles and the sample the store indexes ------------------------------------------------------


def test_shingles_are_word_runs_of_the_body_and_the_sample_is_a_deterministic_subset():
    body = article("a1", WIRE).body
    found = shingles(body)
    assert len(found) == len(body.replace("'", "").split()) - SHINGLE_WORDS + 1
    for s in found[:5]:
        assert len(body[s.start : s.end].split()) == SHINGLE_WORDS
    everything = {s.hash for s in found}
    sample = sampled(found)
    assert sample <= everything
    assert all(h % SAMPLE == 0 for h in sample)
    assert sample == {h for h in everything if h % SAMPLE == 0}
    assert sampled(shingles(body)) == sample  # the same choice every time
    assert 0 < len(sample) < len(everything)


def test_the_same_words_hash_alike_in_any_article_whatever_their_case_and_punctuation():
    (one,) = shingles("The grain barge struck the third pier today")
    (two,) = shingles("THE GRAIN BARGE, struck the third pier - today!")
    assert one.hash == two.hash
    (other,) = shingles("The grain barge struck the fourth pier today")
    assert other.hash != one.hash


# -- quotes carried by two articles ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reprint_id", "wire_id"),
    [
        ("a-rt", "b-reuters"),
        ("b-rt", "a-reuters"),
    ],
)
def test_a_quote_carried_by_two_articles_links_them_from_the_outlet_it_came_via(reprint_id, wire_id):
    said = "We are not giving up on the Syrian people"
    # Same day, and no credit in the text: only the quote's ``via`` tells who had it first.
    wire = article(wire_id, (f"“{said},” Kerry told reporters in Brussels.",), outlet="Reuters",
                   published="2016-10-04")
    reprint = article(reprint_id, (f"“{said},” Kerry said.",), outlet="RT", published="2016-10-04")
    assert origin_of(wire, reprint)[0] is None

    def quote(a: Article, via: str | None, group: str | None) -> Quote:
        start = a.body.index(said)
        kerry = Speaker("Kerry", "John Kerry")
        return Quote(f"{a.id}-q", a.id, start, start + len(said), said, "direct", kerry, via=via, group=group)

    articles = {a.id: a for a in (wire, reprint)}
    (link,) = quote_links(articles, [quote(wire, None, "g1"), quote(reprint, "Reuters", "g1")])
    assert (link.source, link.target, link.kind, link.origin) == (wire_id, reprint_id, "quote", wire_id)
    assert link.passages == (said,)
    assert "via Reuters" in link.evidence


def test_quotes_of_no_shared_group_or_of_one_article_link_nothing():
    said = "We are not giving up on the Syrian people"
    a = article("a", (f"“{said},” Kerry said.",), outlet="RT")
    b = article("b", (f"Kerry said: “{said}.”",), outlet="Reuters")

    def quote(x: Article, n: int, group: str | None) -> Quote:
        start = x.body.index(said)
        kerry = Speaker("Kerry")
        return Quote(f"{x.id}-{n}", x.id, start, start + len(said), said, "direct", kerry, group=group)

    assert quote_links({"a": a, "b": b}, [quote(a, 1, None), quote(b, 1, None)]) == ()
    assert quote_links({"a": a, "b": b}, [quote(a, 1, "g1"), quote(a, 2, "g1")]) == ()
    # A quote of an article outside the selection links nothing either.
    assert quote_links({"a": a}, [quote(a, 1, "g1"), quote(b, 1, "g1")]) == ()
    (link,) = quote_links({"a": a, "b": b}, [quote(a, 1, "g1"), quote(b, 1, "g1")])
    assert link.kind == "quote" and link.origin is None


# -- the seeds -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> dict[str, Article]:
    """The seeds as cleaning makes them (no parsing), by the first three characters of their file."""
    found = {}
    for path in sorted(seeds_dir.iterdir()):
        (doc,) = read_file(path, Options())
        found[path.name[:3]] = clean(doc, dt.date(2020, 1, 1))
    return found


def test_rt_carries_a_reuters_passage_and_credits_reuters(seeds):
    rt, reuters = seeds["000"], seeds["001"]
    assert (rt.outlet, reuters.outlet) == ("RT", "Reuters")
    link = compare(rt, reuters)
    assert link is not None
    assert link.kind == "passage"
    assert (link.source, link.target, link.origin) == (reuters.id, rt.id, reuters.id)
    assert "RT credits Reuters" in link.evidence
    assert any("not giving up on the Syrian people" in p for p in link.passages)
    assert all(words(p) >= MIN_PASSAGE_WORDS and p in rt.body for p in link.passages)
    assert compare(reuters, rt).origin == reuters.id


def test_the_other_seeds_share_no_copy(seeds):
    for a in seeds:
        for b in seeds:
            if a < b and {a, b} != {"000", "001"}:
                assert compare(seeds[a], seeds[b]) is None, (a, b)


def test_shingles_held_in_another_article_match_a_plain_membership_test(seeds):
    rt, reuters = seeds["000"].body, seeds["001"].body
    mine, theirs = shingles(rt + " " + reuters[:2000]), shingles(reuters)
    held = mine.held_in(theirs)
    assert held.tolist() == [h in set(theirs.hashes.tolist()) for h in mine.hashes.tolist()]
    assert held.any() and not held.all()
    assert not mine.held_in(shingles("")).any()
