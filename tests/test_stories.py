"""Stories and storylines: which articles report one event, which events one matter runs through.

The pure placement rules on small real-looking texts; the corpus level on the seeds (000, 001, 003 are
one story, 004 its prelude, 002 a 2018 report apart) and the bundled examples (one bridge story); stable
story ids as the corpus grows; articles made again; the ``stories`` command and the API.
"""

import dataclasses
import datetime as dt
import json
import math
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import EXAMPLES
from typer.testing import CliRunner

import newsprism
from newsprism.cli import app
from newsprism.corpus.stories import (
    DAY_DECAY,
    JOIN,
    PROFILE_WORDS,
    STORYLINE,
    STORYLINE_HALF_LIFE_DAYS,
    Profile,
    StoryState,
    content_words,
    features,
    headline,
    pair_similarity,
    place,
    profile,
    similarity,
    similarity_without,
    story_similarity,
    storyline_similarity,
    within,
)
from newsprism.corpus.update import _fresh_id, _keep_cluster_ids, rebuild, retract, update
from newsprism.corpus.view import stories_of
from newsprism.records import STORY_FEATURES, Annotations, Article
from newsprism.store import Store, open_store

# -- small texts -------------------------------------------------------------------------------------

BRIDGE = (
    "Barge strikes Kessling Bridge, river closed",
    "A grain barge struck the second pier of the Kessling Bridge in Port Aldery early on Monday, and the "
    "harbour authority closed the bridge to road and river traffic. Divers found cracks in the concrete "
    "casing of the pier. City engineer Imre Voss said the inspection of the span would take at least ten "
    "days, and Helena Brask, head of the harbour authority, said no vessel would pass under the bridge "
    "until the engineers called it safe.",
)
# The same report as another outlet wrote it.
BRIDGE_REWRITE = (
    "Kessling Bridge shut after barge hits pier",
    "The harbour authority of Port Aldery closed the Kessling Bridge to river and road traffic after a "
    "grain barge hit its second pier on Monday. Divers found cracks in the pier's concrete casing, and city "
    "engineer Imre Voss said the inspection would take ten days at least. Helena Brask, who heads the "
    "harbour authority, said no vessel would pass under the bridge until engineers called it safe.",
)
BRIDGE_TALKS = (
    "Boatmen demand night pilots after bridge crash",
    "The boatmen's union met the harbour authority on Tuesday to demand compulsory river pilots for "
    "loaded barges at night after the crash at the Kessling Bridge. Union leader Ruben Castell said crews "
    "had warned of the danger for years; Helena Brask said the authority had eleven licensed pilots and "
    "could not find forty overnight. The bridge stays closed while engineers inspect the cracked pier.",
)
RATES = (
    "Nordmark central bank raises rates again",
    "The central bank of Nordmark raised its main interest rate by a quarter point to 4.5 percent, its "
    "third increase this year, as inflation stayed above target. Governor Anna Lindqvist said food and "
    "energy prices were still climbing and that further increases could not be ruled out. Mortgage "
    "lenders said monthly payments would rise for most households.",
)
RATES_FOLLOW = (
    "Banks pass on Nordmark rate rise to borrowers",
    "Nordmark's largest mortgage lenders raised their variable rates on Friday, a day after the central "
    "bank lifted its main interest rate to 4.5 percent. Governor Anna Lindqvist had warned that inflation "
    "was still above target and that the bank could raise rates further; households face higher monthly "
    "payments from next month.",
)
ENTITIES = {
    "bridge": {"Ekessling": 2, "Ebrask": 1, "Evoss": 1, "Eportaldery": 1},
    "rates": {"Enordmark": 2, "Elindqvist": 1},
}
DAY = dt.date(2025, 3, 3).toordinal()


def profiles(docs: dict[str, tuple[tuple[str, str], dict[str, int], int | None]]) -> dict[str, Profile]:
    """Profiles of texts over their own document frequencies, as the corpus makes them."""
    words = {key: content_words(*text) for key, (text, _, _) in docs.items()}
    df = Counter(f for key, (_, found, _) in docs.items() for f in features(words[key], found))
    return {key: profile(key, day, words[key], found, df, len(docs)) for key, (_, found, day) in docs.items()}


@pytest.fixture(scope="module")
def found() -> dict[str, Profile]:
    return profiles(
        {
            "bridge": (BRIDGE, ENTITIES["bridge"], DAY),
            "rewrite": (BRIDGE_REWRITE, ENTITIES["bridge"], DAY + 1),
            "rewrite-later": (BRIDGE_REWRITE, ENTITIES["bridge"], DAY + 200),
            "undated": (BRIDGE_REWRITE, ENTITIES["bridge"], None),
            "talks": (BRIDGE_TALKS, ENTITIES["bridge"], DAY + 1),
            "rates": (RATES, ENTITIES["rates"], DAY + 1),
            "rates-follow": (RATES_FOLLOW, ENTITIES["rates"], DAY + 2),
        }
    )


def story_of(story_id: str, created: int, *members: Profile) -> StoryState:
    story = StoryState(story_id, "l" + story_id, created)
    for p in members:
        story.add(p)
    return story


def norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values()))


# -- pure rules --------------------------------------------------------------------------------------


def test_content_words_are_lemmas_of_content_words_with_the_title_counted_twice():
    body = "The US suspended talks with Russia on Tuesday, October 4."
    counts = content_words("Talks on Syria suspended", body)
    assert counts["talk"] == 3 and counts["syria"] == 2 and counts["russia"] == 1
    # Stop words, words under three letters and calendar words say nothing about which event it is.
    assert not {"the", "on", "with", "us", "tuesday", "october", "4"} & set(counts)


def test_profiles_are_unit_vectors_of_at_most_profile_words(found, seeds_dir):
    for p in found.values():
        assert math.isclose(norm(p.words), 1.0) and math.isclose(norm(p.entities), 1.0)
        assert all(w > 0 for w in (*p.words.values(), *p.entities.values()))
    long = content_words(None, (seeds_dir / "001_3224d0437822392f.txt").read_text(encoding="utf-8"))
    assert len(long) > PROFILE_WORDS
    p = profile("long", None, long, {}, {}, 1)
    assert len(p.words) == PROFILE_WORDS and math.isclose(norm(p.words), 1.0)
    assert p.entities == {}
    # The heaviest are kept: the most frequent words of the article are in.
    assert {w for w, _ in long.most_common(5)} <= set(p.words)


def test_a_near_identical_report_the_next_day_joins_the_story(found):
    story = story_of("s1", 1, found["bridge"])
    assert place(found["rewrite"], [story], {}) == ("s1", pytest.approx(similarity(found["rewrite"], story)))
    assert similarity(found["rewrite"], story) > 2 * JOIN
    # A follow-up on the same matter the next day joins it too.
    assert place(found["talks"], [story], {})[0] == "s1"


def test_the_same_report_200_days_later_starts_its_own_story(found):
    story = story_of("s1", 1, found["bridge"])
    near, far = similarity(found["rewrite"], story), similarity(found["rewrite-later"], story)
    assert far == pytest.approx(near * DAY_DECAY**199)
    story_id, score = place(found["rewrite-later"], [story], {})
    assert story_id is None and score == pytest.approx(far) and score < JOIN
    # An undated article is no distance from any story: its content decides.
    undated, next_day = similarity(found["undated"], story), similarity(found["rewrite"], story)
    assert undated == pytest.approx(next_day / DAY_DECAY)


def test_an_unrelated_report_does_not_join_and_picks_its_own_story_among_two(found):
    bridge, rates = story_of("s1", 1, found["bridge"]), story_of("s2", 2, found["rates"])
    assert place(found["rates-follow"], [bridge], {})[0] is None
    assert similarity(found["rates-follow"], bridge) < JOIN / 2
    assert place(found["rates-follow"], [bridge, rates], {})[0] == "s2"
    assert place(found["talks"], [rates, bridge], {})[0] == "s1"
    assert place(found["talks"], [], {}) == (None, 0.0)


def test_the_same_copy_joins_its_story_whatever_the_words_and_days(found):
    bridge = story_of("s1", 1, found["bridge"])
    # A duplicate of a member's text counts 1.0: the same story outright, even 200 days on or off topic.
    assert place(found["rewrite-later"], [bridge], {"s1": 1.0})[0] == "s1"
    assert place(found["rates"], [bridge], {"s1": 1.0})[0] == "s1"
    # The bonus goes to the story it names, not to every candidate.
    rates = story_of("s2", 2, found["rates"])
    assert place(found["rates-follow"], [bridge, rates], {"s2": 1.0})[0] == "s2"


def test_ties_go_to_the_older_story_whatever_the_order_of_the_candidates(found):
    # The younger story's id sorts last, so only its creation tells them apart.
    older, younger = story_of("sb", 1, found["bridge"]), story_of("sz", 2, found["bridge"])
    assert similarity(found["rewrite"], older) == similarity(found["rewrite"], younger)
    assert place(found["rewrite"], [older, younger], {})[0] == "sb"
    assert place(found["rewrite"], [younger, older], {})[0] == "sb"
    older, younger = story_of("sz", 1, found["bridge"]), story_of("sb", 2, found["bridge"])
    assert place(found["rewrite"], [younger, older], {})[0] == "sz"


def test_a_story_sums_its_members_and_spans_their_days(found):
    story = story_of("s1", 1, found["bridge"], found["talks"], found["undated"])
    assert (story.first, story.last, story.size) == (DAY, DAY + 1, 3)
    pier = sum(found[k].words.get("pier", 0) for k in ("bridge", "talks", "undated"))
    assert pier > 0 and story.words["pier"] == pytest.approx(pier)
    other = story_of("s2", 2, found["rewrite-later"])
    story.absorb(other)
    assert (story.first, story.last, story.size) == (DAY, DAY + 200, 4)
    big = StoryState("s3", "l3", 3, {f"w{i}": float(i) for i in range(STORY_FEATURES + 50)})
    trimmed = big.trimmed()
    assert len(trimmed.words) == STORY_FEATURES and f"w{STORY_FEATURES + 49}" in trimmed.words
    assert "w0" not in trimmed.words and (trimmed.id, trimmed.size) == ("s3", 0)


def test_an_undated_member_weighed_against_its_story_without_it_needs_no_copy_of_the_story(found):
    members = [found[k] for k in ("bridge", "talks", "rates", "undated")]
    story = story_of("s1", 1, *members)
    left = story_of("s1", 1, *members)
    left.remove(found["undated"])
    for bonus in (0.0, 0.2):
        assert similarity_without(found["undated"], story, bonus) == pytest.approx(
            similarity(found["undated"], left, bonus)
        )
    # Alone in its story, a member leaves nothing to be like.
    assert similarity_without(found["undated"], story_of("s2", 2, found["undated"])) == 0.0


def test_stories_decay_by_the_day_and_storylines_by_the_half_year(found):
    a = story_of("s1", 1, found["bridge"])
    b = story_of("s2", 2, found["rewrite-later"])
    same_day = story_of("s3", 3, found["rewrite"])
    content = story_similarity(a, same_day)
    assert content > 2 * JOIN
    # Two hundred days apart: nearly nothing as one story, still alike as one matter.
    assert story_similarity(a, b) == pytest.approx(content * DAY_DECAY**200, rel=0.2)
    assert story_similarity(a, b) == pytest.approx(story_similarity(b, a))
    moved = story_of("s4", 4, dataclasses.replace(found["bridge"], day=found["rewrite-later"].day))
    assert storyline_similarity(b, a) == pytest.approx(
        storyline_similarity(b, moved) * 0.5 ** (200 / STORYLINE_HALF_LIFE_DAYS)
    )
    assert storyline_similarity(b, a) > STORYLINE > story_similarity(a, b)


def test_pair_similarity_is_one_for_the_same_profile_and_symmetric(found):
    assert pair_similarity(found["bridge"], found["bridge"]) == pytest.approx(1.0)
    for a, b in (("bridge", "rewrite"), ("bridge", "rates"), ("talks", "rewrite-later")):
        assert pair_similarity(found[a], found[b]) == pytest.approx(pair_similarity(found[b], found[a]))
    same = pair_similarity(found["bridge"], found["rewrite"])
    assert same > 4 * pair_similarity(found["bridge"], found["rates"])


def test_within_counts_the_days_outside_a_span_and_lets_undated_sides_through():
    assert within(10, 5, 12, 0) and within(15, 5, 12, 3) and not within(16, 5, 12, 3)
    assert within(2, 5, 12, 3) and not within(1, 5, 12, 3)
    assert within(None, 5, 12, 0) and within(100, None, None, 0)


# -- the title a story shows -------------------------------------------------------------------------


def untitled(*paragraphs: str, title: str | None = None) -> Article:
    return Article(id="t", source="t.txt", paragraphs=paragraphs, title=title)


def test_an_untitled_headline_is_the_lede_without_dateline_cut_at_a_clause():
    lede = untitled(
        "HOUSTON (Reuters) - BP Plc said on Tuesday it had spent $300 million on the Gulf of Mexico oil "
        "spill, as engineers prepared a new attempt to cap the leaking well that has fouled four states."
    )
    cut = "BP Plc said on Tuesday it had spent $300 million on the Gulf of Mexico oil spill …"
    assert headline(lede) == cut
    short = untitled("WASHINGTON -- Overwhelmed by the size of the spill? Here is what to do.")
    assert headline(short) == "Overwhelmed by the size of the spill?"


def test_a_headline_is_never_a_stamp_a_byline_or_a_caption():
    # A caption dated "June 2 :" and a credit open the page; the lede comes after them.
    page = untitled(
        "June 2 : Underwater robots swarm the blowout preventer.",
        "Credit : Reuters/Jane Doe",
        "Engineers cut the riser pipe on Wednesday.",
    )
    assert headline(page) == "Engineers cut the riser pipe on Wednesday."
    for furniture in ("By the CNN Wire Staff", "Thursday, December 18, 2008; 11:33 AM", "stanilic wrote:"):
        titled = untitled("Engineers cut the riser pipe on Wednesday.", title=furniture)
        assert headline(titled) == "Engineers cut the riser pipe on Wednesday."
    glued = untitled("The lede.", title="BP cuts the riser LONDON | Tue Jun 1, 2010 7:37 am EDT")
    assert headline(glued) == "BP cuts the riser"


# -- a store of hand-made articles: placing, and articles made again ----------------------------------


def make(article_id: str, text: tuple[str, str], published: str, outlet: str) -> Article:
    title, body = text
    return Article(
        id=article_id,
        source=f"{article_id}.txt",
        paragraphs=(body,),
        outlet=outlet,
        published=published,
        title=title,
    )


def store_add(store: Store, articles: list[Article]) -> None:
    """What the pipeline does with a batch: take out articles made again, store, update the corpus."""
    annotations = {a.id: Annotations(a.id) for a in articles}
    with store.transaction():
        lowered = retract(store, sorted(store.known(a.id for a in articles)))
        store.put_articles([(a, annotations[a.id]) for a in articles], {}, "c", "a", dt.date(2025, 3, 10))
        update(store, articles, annotations, lowered)


def memberships(store: Store) -> dict[str, list[str]]:
    """Each story's members as the store lists them, with the size it keeps checked against them."""
    stories, lines = stories_of(store, store.select())
    sizes = dict(store.db.execute("SELECT id, size FROM clusters").fetchall())
    for story in stories:
        assert sizes[story.id] == len(story.articles), story
    for line in lines:
        assert sizes[line.id] == sum(len(s.articles) for s in stories if s.storyline == line.id), line
    assert set(sizes) == {s.id for s in stories} | {line.id for line in lines}
    return {s.id: sorted(s.articles) for s in stories}


@pytest.fixture
def hand_made():
    with open_store(":memory:") as store:
        store_add(
            store,
            [
                make("b1", BRIDGE, "2025-03-03", "Tamsel Courier"),
                make("b2", BRIDGE_REWRITE, "2025-03-03", "Harbour Times"),
                make("b3", BRIDGE_TALKS, "2025-03-04", "Midriver Radio"),
                make("r1", RATES, "2025-03-04", "Nordmark Wire"),
            ],
        )
        store_add(store, [make("r2", RATES_FOLLOW, "2025-03-05", "Aldery Ledger")])
        yield store


def test_hand_made_reports_fall_into_their_two_stories(hand_made):
    stories = memberships(hand_made)
    assert sorted(stories.values()) == [["b1", "b2", "b3"], ["r1", "r2"]]
    found, lines = stories_of(hand_made, hand_made.select())
    titles = {a.id: a.title for a in hand_made.articles(hand_made.select())}
    for story in found:
        assert story.title in {titles[a] for a in story.articles}
    bridge = next(s for s in found if "b1" in s.articles)
    assert (bridge.first, bridge.last) == ("2025-03-03", "2025-03-04")
    assert bridge.outlets == ("Harbour Times", "Midriver Radio", "Tamsel Courier")
    assert len(lines) == 2


def test_an_article_made_again_with_other_content_leaves_its_old_story(hand_made):
    before = memberships(hand_made)
    bridge = next(s for s, members in before.items() if "b3" in members)
    rates = next(s for s, members in before.items() if "r1" in members)
    # b3 comes back as a report on the rate rise (its cleaning changed, say): same id, other text.
    store_add(hand_made, [make("b3", RATES_FOLLOW, "2025-03-05", "Midriver Radio")])
    after = memberships(hand_made)
    assert after == {bridge: ["b1", "b2"], rates: ["b3", "r1", "r2"]}
    assert hand_made.story_of(["b3"]) == {"b3": rates}


def test_a_story_whose_title_article_leaves_is_titled_after_one_it_still_holds(hand_made):
    (bridge,) = [s for s in stories_of(hand_made, hand_made.select())[0] if "b1" in s.articles]
    (leaving,) = [a for a in hand_made.articles(list(bridge.articles)) if a.title == bridge.title]
    store_add(hand_made, [make(leaving.id, RATES_FOLLOW, "2025-03-05", leaving.outlet)])
    titles = {a.id: a.title for a in hand_made.articles(hand_made.select())}
    for story in stories_of(hand_made, hand_made.select())[0]:
        assert leaving.id not in story.articles or story.id != bridge.id
        assert story.title in {titles[a] for a in story.articles}, story


def test_a_retracted_article_is_out_of_its_story_and_the_story_is_smaller(hand_made):
    bridge = hand_made.story_of(["b3"])["b3"]
    size = dict(hand_made.db.execute("SELECT id, size FROM clusters").fetchall())
    with hand_made.transaction():
        hand_made.retract(["b3"])
    assert hand_made.story_of(["b3", "b1"]) == {"b1": bridge}
    assert hand_made.story_members([bridge])[bridge] == ["b1", "b2"]
    now = dict(hand_made.db.execute("SELECT id, size FROM clusters").fetchall())
    line = stories_of(hand_made, ["b1"])[0][0].storyline
    assert now[bridge] == size[bridge] - 1 and now[line] == size[line] - 1
    # The story no longer holds what only b3 said.
    ((state, _),) = hand_made.clusters([bridge]).values()
    assert "pilot" not in state.words and "pier" in state.words


def test_a_story_spans_the_days_of_the_articles_it_still_holds(hand_made):
    store_add(hand_made, [make("b3", RATES_FOLLOW, "2025-03-05", "Midriver Radio")])
    (bridge,) = [s for s in stories_of(hand_made, hand_made.select())[0] if "b1" in s.articles]
    assert (bridge.first, bridge.last) == ("2025-03-03", "2025-03-03")


# -- the seeds -------------------------------------------------------------------------------------


def seed_files(seeds_dir: Path, *keys: str) -> list[Path]:
    return [p for p in sorted(seeds_dir.iterdir()) if p.name[:3] in keys]


def seed_ids(corpus) -> dict[str, str]:
    return {Path(a.source).name[:3]: a.id for a in corpus.articles()}


@pytest.fixture(scope="module")
def seeds(tmp_path_factory, seeds_dir):
    """All five seeds in one corpus (read only by the tests using it), with ids by file prefix."""
    path = tmp_path_factory.mktemp("seeds") / "c.duckdb"
    with newsprism.open(path) as corpus:
        report = corpus.add(seed_files(seeds_dir, "000", "001", "002", "003", "004"))
        assert (report.new, report.failed) == (5, [])
        yield corpus, seed_ids(corpus)


@pytest.fixture(scope="module")
def exported(seeds):
    return seeds[0].export()


def story_map(doc: dict) -> dict[str, str]:
    return {a: s["id"] for s in doc["stories"] for a in s["articles"]}


def test_the_syria_reports_are_one_story_and_the_2018_report_another(seeds, exported):
    _, ids = seeds
    story = story_map(exported)
    assert story[ids["000"]] == story[ids["001"]] == story[ids["003"]]
    assert story[ids["002"]] != story[ids["000"]]
    line = {s["id"]: s["storyline"] for s in exported["stories"]}
    assert line[story[ids["002"]]] != line[story[ids["000"]]]
    # The prelude of 1 October belongs to the matter of 000, in its story or beside it.
    assert line[story[ids["004"]]] == line[story[ids["000"]]]


def test_every_article_is_in_exactly_one_story_titled_after_one_of_its_members(exported):
    articles = {a["id"]: a for a in exported["articles"]}
    counted = Counter(a for s in exported["stories"] for a in s["articles"])
    assert counted == Counter(list(articles))
    for s in exported["stories"]:
        members = [articles[a] for a in s["articles"]]
        assert s["title"] in {a["title"] for a in members if a["title"]}
        assert s["outlets"] == sorted({a["outlet"] for a in members if a["outlet"]})
        assert s["first"] <= s["last"] and s["facts"] and s["summary"]
        assert {a for f in s["facts"] for a in f["articles"]} == set(s["articles"])
        assert {a for t in s["summary"] for a in t["articles"]} <= set(s["articles"])
    lines = {line["id"]: line for line in exported["storylines"]}
    assert Counter(s for line in lines.values() for s in line["stories"]) == Counter(
        s["id"] for s in exported["stories"]
    )
    for s in exported["stories"]:
        assert s["id"] in lines[s["storyline"]]["stories"]
    for line in lines.values():
        members = [a for s in exported["stories"] if s["id"] in line["stories"] for a in s["articles"]]
        assert line["title"] in {articles[a]["title"] for a in members}


def test_the_export_links_rt_to_the_reuters_report_it_credits(seeds, exported):
    _, ids = seeds
    rt, reuters = ids["000"], ids["001"]
    assert {r["kind"] for r in exported["reuse"]} <= {"duplicate", "passage", "quote"}
    article_ids = set(ids.values())
    for r in exported["reuse"]:
        assert {r["from"], r["to"]} <= article_ids and r["from"] != r["to"]
        assert r["origin"] in (None, r["from"]) and r["evidence"] and r["passages"]
    between = [r for r in exported["reuse"] if {r["from"], r["to"]} == {rt, reuters}]
    assert {r["kind"] for r in between} == {"passage", "quote"}
    for r in between:
        assert (r["from"], r["to"], r["origin"]) == (reuters, rt, reuters)
        assert "Reuters" in r["evidence"] and ("credits" in r["evidence"] or "via" in r["evidence"])
    (passage,) = [r for r in between if r["kind"] == "passage"]
    rt_body = "\n\n".join(next(a for a in exported["articles"] if a["id"] == rt)["paragraphs"])
    assert all(p in rt_body for p in passage["passages"])
    assert any("not giving up on the Syrian people" in p for p in passage["passages"])
    # The 2018 report carries nobody's copy.
    assert not [r for r in exported["reuse"] if ids["002"] in (r["from"], r["to"])]


def test_stories_by_outlet_list_only_that_outlets_articles(seeds):
    corpus, ids = seeds
    (rt,) = corpus.stories(outlet="RT")
    assert rt.articles == (ids["000"],) and rt.outlets == ("RT",)
    assert rt.id == next(s.id for s in corpus.stories() if ids["001"] in s.articles)
    (tass,) = corpus.stories(outlet="TASS")
    assert tass.articles == (ids["002"],)
    (line,) = corpus.storylines(outlet="TASS")
    assert line.stories == (tass.id,) and line.id == tass.storyline
    assert [s.articles for s in corpus.stories(since="2018-01-01")] == [(ids["002"],)]
    assert corpus.stories(outlet="No Such Outlet") == [] == corpus.storylines(outlet="No Such Outlet")
    assert {s.id for s in corpus.stories()} == {s.id for s in corpus.view().stories}


def test_similarity_of_two_reports_of_one_event_beats_a_report_two_years_on(seeds):
    corpus, ids = seeds
    assert corpus.similarity(ids["001"], ids["003"]) > corpus.similarity(ids["001"], ids["002"])
    assert corpus.similarity(ids["001"], ids["001"]) == pytest.approx(1.0)
    assert corpus.similarity(ids["001"], "no-such-article") == 0.0


def test_similarity_of_rt_and_reuters_beats_rt_and_the_2018_report(seeds):
    corpus, ids = seeds
    assert corpus.similarity(ids["000"], ids["001"]) > corpus.similarity(ids["000"], ids["002"])


def test_the_eight_bridge_reports_are_one_story(tmp_path):
    with newsprism.open(tmp_path / "e.duckdb") as corpus:
        report = corpus.add([EXAMPLES])
        assert (report.new, report.failed) == (8, [])
        (story,) = corpus.stories()
        (line,) = corpus.storylines()
        articles = corpus.articles()
    assert sorted(story.articles) == sorted(a.id for a in articles)
    assert line.stories == (story.id,) and story.storyline == line.id
    assert story.title in {a.title for a in articles}
    assert (story.first, story.last) == ("2025-03-03", "2025-03-05")
    assert story.outlets == tuple(sorted({a.outlet for a in articles if a.outlet})) and len(story.outlets) > 5


# -- stable ids as the corpus grows ---------------------------------------------------------------


def test_two_stories_that_grow_together_merge_into_the_older_id():
    """Two stories of one day, each of one report carried by two outlets (a bridge closed, rates
    raised), stay apart; reports that tell both pull the first towards the second until they are
    one, under the older id."""
    mixed = [
        (f"{BRIDGE[0]}; {RATES[0]}", f"{BRIDGE[1]} {RATES[1]}"),
        (f"{RATES[0]}; {BRIDGE[0]}", f"{RATES[1]} {BRIDGE[1]}"),
    ]
    everyone = ["a1", "a2", "m1", "m2", "m3", "m4", "m5", "r1", "r2"]
    with open_store(":memory:") as store:

        def add(article: Article) -> dict[str, str]:
            store_add(store, [article])
            return store.story_of(everyone)

        first = add(make("a1", BRIDGE, "2025-03-03", "Tamsel Courier"))["a1"]
        add(make("a2", BRIDGE, "2025-03-03", "Harbour Times"))
        other = add(make("r1", RATES, "2025-03-03", "Nordmark Press Agency"))["r1"]
        assert add(make("r2", RATES, "2025-03-03", "Fictional Wire"))["r2"] == other != first
        # One report of both joins the first story; the two stories are still apart.
        joined = add(make("m1", mixed[0], "2025-03-03", "Fictional Wire"))
        assert joined == {"a1": first, "a2": first, "r1": other, "r2": other, "m1": first}
        # More of them make the first story as much about rates as the second: they merge.
        for n in range(2, 6):
            placed = add(make(f"m{n}", mixed[n % 2], f"2025-03-0{3 + n // 2}", f"Outlet {n}"))
        assert set(placed.values()) == {first}
        assert store.cluster_merges([other, first]) == {other: first}
        (story,), (line,) = stories_of(store, store.select())
        assert story.id == first and sorted(story.articles) == everyone
        assert (story.first, story.last) == ("2025-03-03", "2025-03-05")
        assert line.stories == (first,) and memberships(store) == {first: everyone}


def test_a_story_of_one_report_joins_a_story_that_grew_to_match_it():
    """A report that came first and stands alone is in the story it would have joined had it come
    last: which came first must not keep apart what the other order puts together."""
    mixed = (f"{BRIDGE[0]}; {RATES[0]}", f"{BRIDGE[1]} {RATES[1]}")
    with open_store(":memory:") as store:
        store_add(store, [make("a1", BRIDGE, "2025-03-03", "Tamsel Courier")])
        store_add(store, [make("r1", RATES, "2025-03-03", "Nordmark Press Agency")])
        assert len(set(store.story_of(["a1", "r1"]).values())) == 2
        store_add(store, [make("m1", mixed, "2025-03-03", "Fictional Wire")])
        together = store.story_of(["a1", "r1", "m1"])
    with open_store(":memory:") as store:
        store_add(store, [make("a1", BRIDGE, "2025-03-03", "Tamsel Courier")])
        store_add(store, [make("m1", mixed, "2025-03-03", "Fictional Wire")])
        store_add(store, [make("r1", RATES, "2025-03-03", "Nordmark Press Agency")])
        last = store.story_of(["a1", "r1", "m1"])
    assert len(set(together.values())) == len(set(last.values())) == 1


@pytest.fixture(scope="module")
def grown(tmp_path_factory, seeds_dir):
    """RT (000) and Reuters (001) first, then the 2018 report, then the other two."""
    path = tmp_path_factory.mktemp("grown") / "g.duckdb"
    with newsprism.open(path) as corpus:
        corpus.add(seed_files(seeds_dir, "000", "001"))
        first = {a: s.id for s in corpus.stories() for a in s.articles}
        corpus.add(seed_files(seeds_dir, "002"))
        corpus.add(seed_files(seeds_dir, "003", "004"))
        yield corpus, first, seed_ids(corpus)


def test_a_story_keeps_its_id_as_the_corpus_grows(grown, exported):
    corpus, first, ids = grown
    assert first[ids["000"]] == first[ids["001"]]
    now = {a: s.id for s in corpus.stories() for a in s.articles}
    assert set(now) == set(ids.values())
    merged = corpus.store.cluster_merges(first.values())
    # The story of 000 and 001 is still theirs, under the id the first run gave it (or the id it merged into).
    assert now[ids["000"]] == now[ids["001"]] == merged.get(first[ids["000"]], first[ids["000"]])
    assert now[ids["003"]] == now[ids["000"]] and now[ids["002"]] != now[ids["000"]]
    # Whatever the order the articles came in, they are grouped as one run over all of them groups them.
    assert partition(corpus.stories()) == partition_of(exported)


def partition(stories) -> list[list[str]]:
    return sorted(sorted(s.articles) for s in stories)


def partition_of(doc: dict) -> list[list[str]]:
    return sorted(sorted(s["articles"]) for s in doc["stories"])


def test_adding_the_same_inputs_again_changes_no_story(grown, seeds_dir):
    corpus, _, _ = grown
    tables = ("clusters", "cluster_features", "story_articles", "cluster_merges", "reuse")

    def state() -> dict[str, list[tuple]]:
        return {t: sorted(corpus.store.db.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}

    before, stories = state(), corpus.stories()
    report = corpus.add(seed_files(seeds_dir, "000", "001", "002", "003", "004"))
    assert (report.new, report.unchanged) == (0, 5)
    assert state() == before and corpus.stories() == stories


@pytest.fixture(scope="module")
def grown_apart(tmp_path_factory, seeds_dir):
    """RT (000, no date of its own) and the 2018 report first, then the 2016 reports."""
    path = tmp_path_factory.mktemp("apart") / "g.duckdb"
    with newsprism.open(path) as corpus:
        corpus.add(seed_files(seeds_dir, "000", "002"))
        first = {a: s.id for s in corpus.stories() for a in s.articles}
        corpus.add(seed_files(seeds_dir, "001", "003", "004"))
        yield corpus, first, seed_ids(corpus)


def test_story_ids_of_a_first_run_still_name_stories_after_growth(grown_apart):
    corpus, first, ids = grown_apart
    now = {a: s.id for s in corpus.stories() for a in s.articles}
    live = {s.id for s in corpus.stories()}
    merged = corpus.store.cluster_merges(first.values())
    for story in first.values():
        assert merged.get(story, story) in live
    # The 2018 report started its story: whatever else moved, it is still in it.
    assert now[ids["002"]] == merged.get(first[ids["002"]], first[ids["002"]])


def test_a_corpus_grown_from_000_and_002_groups_the_seeds_as_one_run_does(grown_apart, exported):
    corpus, _, _ = grown_apart
    assert partition(corpus.stories()) == partition_of(exported)


def test_stories_of_a_grown_corpus_are_titled_after_a_member(grown_apart):
    corpus, _, _ = grown_apart
    titles = {a.id: a.title for a in corpus.articles()}
    for story in corpus.stories():
        assert story.title in {titles[a] for a in story.articles if titles[a]}, story


def test_re_analysing_an_article_leaves_it_once_in_its_story_and_the_counts_as_they_were(
    seeds, tmp_path, seeds_dir
):
    corpus, ids = seeds
    corpus.store.db.execute("CHECKPOINT")
    copy = tmp_path / "copy.duckdb"
    shutil.copy(corpus.store.path, copy)
    with newsprism.open(copy) as again:
        # The store lets go of its file between batches: take its connection afresh each time.
        def rows(sql: str, *params: object) -> list[tuple]:
            return again.store.db.execute(sql, list(params)).fetchall()

        def state() -> tuple:
            stories = {s.id: sorted(s.articles) for s in again.stories()}
            sizes = dict(rows("SELECT id, size FROM clusters"))
            frequencies = rows("SELECT feature, n FROM feature_counts ORDER BY feature")
            weights = rows("SELECT cluster, feature, weight FROM cluster_features")
            features = {(c, f): w for c, f, w in weights}
            return stories, sizes, frequencies, features

        before = state()
        # As if the code that made 003 had changed: the next run makes it again.
        rows("UPDATE articles SET annotate_key = 'stale' WHERE id = ?", ids["003"])
        report = again.add(seed_files(seeds_dir, "003"))
        assert (report.new, report.unchanged) == (1, 0)
        after = state()
        assert rows("SELECT count(*) FROM story_articles WHERE article = ?", ids["003"]) == [(1,)]
    stories, sizes, frequencies, features = after
    assert stories == before[0]
    assert sizes == before[1] and all(sizes[s] == len(members) for s, members in stories.items())
    # Its words are counted once in the document frequencies, as before, not once per analysis.
    assert frequencies == before[2] and max(n for _, n in frequencies) <= 5
    assert features.keys() == before[3].keys()
    assert all(w == pytest.approx(before[3][key]) for key, w in features.items())


# -- the stories command -------------------------------------------------------------------------


def stories_command(*args: str):
    return CliRunner().invoke(app, ["stories", *args], env={"COLUMNS": "250"})


def test_stories_command_prints_a_table_of_the_stories(seeds):
    corpus, _ = seeds
    result = stories_command("--db", str(corpus.store.path))
    assert result.exit_code == 0, result.output
    stories = corpus.stories()
    assert f"{len(stories)} stories in {len(corpus.storylines())} storylines" in result.output
    for s in stories:
        assert s.title in result.output
    result = stories_command("--db", str(corpus.store.path), "--outlet", "TASS")
    assert result.exit_code == 0, result.output
    (tass,) = corpus.stories(outlet="TASS")
    others = [s.title for s in stories if s.id != tass.id]
    assert tass.title in result.output and not [t for t in others if t in result.output]


def test_stories_command_writes_stories_and_storylines_as_json(seeds, tmp_path):
    corpus, _ = seeds
    out = tmp_path / "stories.json"
    result = stories_command("--db", str(corpus.store.path), "--json", str(out), "--until", "2017-01-01")
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    expected = corpus.stories(until="2017-01-01")
    assert [s["id"] for s in doc["stories"]] == [s.id for s in expected] and len(expected) >= 1
    assert [s["articles"] for s in doc["stories"]] == [list(s.articles) for s in expected]
    assert [s["title"] for s in doc["stories"]] == [s.title for s in expected]
    lines = corpus.storylines(until="2017-01-01")
    assert [line["id"] for line in doc["storylines"]] == [line.id for line in lines]
    assert all(s["first"] < "2017" for s in doc["stories"])


def test_stories_command_refuses_a_missing_database_and_bad_dates(seeds, tmp_path):
    missing = tmp_path / "nowhere.duckdb"
    result = stories_command("--db", str(missing))
    assert result.exit_code == 2
    assert str(missing) in result.output and "no such database" in result.output
    assert "Traceback" not in result.output and not missing.exists()
    corpus, _ = seeds
    result = stories_command("--db", str(corpus.store.path), "--since", "2016-13-01")
    assert result.exit_code == 2 and "--since 2016-13-01" in result.output


def test_a_rebuild_gives_stories_their_old_ids(grown):
    """The corpus level is rebuilt when its code changes; the stories it places again keep the ids
    their articles had."""
    corpus, _, _ = grown
    before = corpus.store.story_assignments()
    merges_before = corpus.store.all_cluster_merges()
    with corpus.store.transaction():
        corpus.store.set_meta("corpus_key", "stale")
    rebuild(corpus.store)
    assert corpus.store.story_assignments() == before
    merges_after = corpus.store.all_cluster_merges()
    assert set(merges_before) <= set(merges_after)
    live = {c for pair in before.values() for c in pair}
    assert all(new in live for new in merges_after.values())


class RebuiltStore:
    """What ``_keep_cluster_ids`` reads and writes of a store: the placements a rebuild made."""

    def __init__(self, after: dict[str, tuple[str, str]]):
        self.after, self.renames, self.merges = after, {}, {}

    def story_assignments(self) -> dict[str, tuple[str, str]]:
        return self.after

    def rename_clusters(self, renames: dict[str, str]) -> None:
        self.renames = renames

    def record_cluster_merges(self, merges: dict[str, str]) -> None:
        self.merges = merges


def test_a_rebuild_never_gives_two_stories_one_id_nor_records_a_merge_loop():
    # An earlier rebuild handed story "sN" a fresh id, "sF", that a story now takes back, while a
    # story is minted as "sN" again; and an earlier history left two ids merged into each other.
    fresh = _fresh_id("sN", set())
    before = {"a1": ("sN", "l1"), "a2": (fresh, "l1")}
    store = RebuiltStore({"a1": ("sK", "l1"), "a2": ("sM", "l1"), "a3": ("sN", "l1")})
    _keep_cluster_ids(store, before, {"sP": "sQ", "sQ": "sP", "sGone": "sN"})
    final = {c: store.renames.get(c, c) for c in ("sK", "sM", "sN")}
    assert final["sK"] == "sN" and final["sM"] == fresh
    assert len(set(final.values())) == 3  # the story minted "sN" again keeps apart under a free id
    assert store.merges == {"sGone": "sN"}  # the loop resolves to nothing; a live id is no merge
