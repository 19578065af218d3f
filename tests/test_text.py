"""The shared text helpers: word shapes, shingles, ids and union-find.

Each word shape is pinned on a sentence where it parts from the others, so a stage that changes
shape shows up here, not as a shifted threshold somewhere downstream.
"""

from newsprism.records import mint_id
from newsprism.text import (
    ascii_words,
    contracted_words,
    letter_words,
    letters,
    sentence_spans,
    shingles,
    words,
)
from newsprism.unionfind import UnionFind

SENTENCE = "Russia’s envoy didn't sign the 2015 pact_draft in Zürich, a well-known U.N. site."


def test_words_split_at_apostrophes_and_hyphens():
    assert words(SENTENCE) == [
        "Russia", "s", "envoy", "didn", "t", "sign", "the", "2015", "pact_draft", "in", "Zürich",
        "a", "well", "known", "U", "N", "site",
    ]  # fmt: skip


def test_contracted_words_keep_apostrophes_inside_words():
    found = contracted_words(SENTENCE)
    assert found[:4] == ["Russia’s", "envoy", "didn't", "sign"]
    assert "Zürich" in found and "pact_draft" in found
    assert contracted_words("Russia's 'quoted' words'") == ["Russia's", "quoted", "words"]


def test_letter_words_are_english_letters_with_hyphens_and_apostrophes():
    assert letter_words(SENTENCE) == [
        "Russia", "envoy", "didn't", "sign", "the", "pact", "draft", "in", "rich", "well-known", "site",
    ]  # fmt: skip
    # "ü" is no letter here, and the "Z" before it is too short to be a story's feature.
    assert letter_words("Zürich") == ["rich"]


def test_ascii_words_split_at_accents_and_underscores():
    assert ascii_words(SENTENCE.lower()) == [
        "russia", "s", "envoy", "didn", "t", "sign", "the", "2015", "pact", "draft", "in", "z", "rich",
        "a", "well", "known", "u", "n", "site",
    ]  # fmt: skip


def test_letters_drop_digits_and_marks():
    assert letters("in the 2015 U.N.-backed") == ["in", "the", "U", "N", "backed"]


def test_shingles_are_every_run_in_order():
    assert shingles(["a", "b", "c", "d"], 3) == [["a", "b", "c"], ["b", "c", "d"]]
    assert shingles(("a", "b", "c"), 3) == [("a", "b", "c")]
    assert shingles(["a", "b"], 3) == []
    assert shingles([], 1) == []


def test_sentence_spans_still_split_as_before():
    text = "He spoke on Oct. 17 in Paris. “We agree,” he said.\n\nNext paragraph"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "He spoke on Oct. 17 in Paris.", "“We agree,” he said.", "Next paragraph",
    ]


def test_mint_id_is_the_prefix_and_twelve_hex_digits_of_sha1():
    # The value is pinned: stored ids and exported files carry it, so a change would orphan them.
    assert mint_id("E", "PERSON|John Kerry") == "Ec004a558cc9d"
    assert mint_id("q", "abc") == "qa9993e364706"
    assert mint_id("f", "s1:a1:0") == mint_id("f", "s1:a1:0")
    assert mint_id("f", "s1:a1:0") != mint_id("f", "s1:a1:1")


def test_union_find_roots_are_the_least_member():
    uf: UnionFind[str] = UnionFind()
    assert uf.union("b", "c") == "b"
    assert uf.union("d", "a") == "a"
    assert uf.union("c", "d") == "a"
    assert {x: uf.find(x) for x in "abcd"} == dict.fromkeys("abcd", "a")
    assert uf.find("e") == "e"
    # Items come back in the order they were first seen: callers group by root in that order.
    assert list(uf) == ["b", "c", "d", "a", "e"]


def test_union_find_keeps_separate_components_apart():
    uf: UnionFind[int] = UnionFind()
    for a, b in [(5, 3), (1, 2), (3, 4)]:
        uf.union(a, b)
    assert uf.union(4, 5) == 3  # already one set
    assert {i: uf.find(i) for i in range(1, 6)} == {1: 1, 2: 1, 3: 3, 4: 3, 5: 3}
