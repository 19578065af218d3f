"""The timeline stage: dated developments merged across articles, each citing its articles."""

import datetime as dt

from newsprism.corpus.timeline import MAX_SHOWN, MIN_SHOWN, gather, storyline_timelines, timeline_of
from newsprism.records import Article, TimeRef


def article(article_id: str, *paragraphs: str) -> Article:
    return Article(id=article_id, source=f"{article_id}.txt", paragraphs=paragraphs)


def dated(a: Article, text: str, value: str, granularity: str = "day") -> TimeRef:
    start = a.body.index(text)
    return TimeRef(a.id, start, start + len(text), text, value, granularity)


WIRE = article(
    "wire",
    "PORT ALDERY, March 4.",
    "The harbour authority closed the Kessling Bridge on Monday after a grain barge struck its second "
    "pier. Divers found cracks in the casing. Talks with the boatmen's union resume on Thursday.",
)
PAPER = article(
    "paper",
    "A grain barge hit the Kessling Bridge on Monday, and the harbour authority closed it to traffic. "
    "The mayor promised ferries.",
)
RADIO = article("radio", "The bridge was built in 1911. It was shut on Monday after the barge struck it.")


def test_one_development_reported_by_several_outlets_is_one_entry_citing_them_all():
    times = {
        "wire": [
            dated(WIRE, "March 4", "2025-03-04"),
            dated(WIRE, "on Monday", "2025-03-03"),
            dated(WIRE, "on Thursday", "2025-03-06"),
        ],
        "paper": [dated(PAPER, "on Monday", "2025-03-03")],
        "radio": [dated(RADIO, "1911", "1911", "year"), dated(RADIO, "on Monday", "2025-03-03")],
    }
    story = {"wire": "s1", "paper": "s1", "radio": "s1"}
    entries = timeline_of(gather([WIRE, PAPER, RADIO], times, story))
    # A dateline and a year date no development.
    assert [e.date for e in entries] == ["2025-03-03", "2025-03-06"]
    closed = entries[0]
    assert closed.articles == ("paper", "radio", "wire") and closed.story == "s1"
    # The sentence the others agree with most, word for word from its article, with its span.
    source, start, end = closed.source
    body = {"wire": WIRE, "paper": PAPER, "radio": RADIO}[source].body
    assert body[start:end] == closed.text and "Kessling Bridge on Monday" in closed.text
    assert entries[1].articles == ("wire",) and entries[1].text.startswith("Talks with the boatmen")


def test_a_dateline_alone_still_dates_its_day_and_stories_keep_their_own_entries():
    lone = article("lone", "MOSCOW, April 5.", "Lavrov said on Thursday that Russia would keep talking.")
    times = {
        "lone": [dated(lone, "April 5", "2018-04-05"), dated(lone, "on Thursday", "2018-04-05")],
        "paper": [dated(PAPER, "on Monday", "2018-04-05")],
    }
    entries = timeline_of(gather([lone, PAPER], times, {"lone": "s1", "paper": "s2"}))
    assert [(e.date, e.story, e.articles) for e in entries] == [
        ("2018-04-05", "s1", ("lone",)),
        ("2018-04-05", "s2", ("paper",)),
    ]
    assert entries[0].text == "Lavrov said on Thursday that Russia would keep talking."


def ranked(articles, times, story_of, storyline_of, published, outlets):
    members: dict[str, list[str]] = {}
    for article, story in story_of.items():
        members.setdefault(storyline_of[story], []).append(article)
    found = gather(articles, times, story_of)
    return storyline_timelines(found, storyline_of, members, published, outlets)


def test_a_storyline_timeline_has_a_day_once_across_its_stories_and_ranks_the_days_many_report():
    """The bridge closed on Monday 3 March: three outlets of two stories date it there, one a day
    later, one four days on. Talks on Thursday are dated by the wire alone; 1911 has no day."""
    times = {
        "wire": [dated(WIRE, "on Monday", "2025-03-03"), dated(WIRE, "on Thursday", "2025-03-06")],
        "paper": [dated(PAPER, "on Monday", "2025-03-03")],
        "radio": [dated(RADIO, "1911", "1911", "year"), dated(RADIO, "on Monday", "2025-03-03")],
    }
    story_of = {"wire": "s1", "paper": "s1", "radio": "s2"}
    published = {"wire": "2025-03-03", "paper": "2025-03-04", "radio": "2025-03-07"}
    outlets = {"wire": "Nordmark Wire", "paper": "Harbour Times", "radio": "Radio Aldery"}
    (line,) = ranked([WIRE, PAPER, RADIO], times, story_of, {"s1": "l1", "s2": "l1"}, published, outlets)
    assert line.storyline == "l1"
    assert [(e.date, e.rank) for e in line.entries] == [("2025-03-03", 1), ("2025-03-06", 2)]
    closed, talks = line.entries
    # Told by the sentence the others agree with most, citing every article and outlet of the day.
    assert "Kessling Bridge on Monday" in closed.text and closed.articles == ("paper", "radio", "wire")
    assert closed.outlets == ("Harbour Times", "Nordmark Wire", "Radio Aldery")
    source, start, end = closed.source
    assert {"wire": WIRE, "paper": PAPER}[source].body[start:end] == closed.text
    assert talks.text.startswith("Talks with the boatmen") and closed.score > talks.score > 0
    # Two days to show, fewer than the least a storyline shows: all of them.
    assert line.shown == 2 and line.top() == line.entries and line.top(1) == (closed,)


def test_a_day_a_later_report_refers_back_to_outranks_one_named_only_on_its_own_days():
    """Two days, each dated by two articles of two outlets: 3 March by a report of the day and one
    five days on, 5 March by two reports of the day. Named again later, 3 March ranks first."""
    texts = {
        "x": (
            "The harbour authority closed the Kessling Bridge on March 3 after a barge hit it.",
            "2025-03-03",
        ),
        "y": (
            "Traffic has crawled since the bridge was closed on March 3 after a barge struck.",
            "2025-03-03",
        ),
        "z": (
            "The mayor promised ferries for the harbour on March 5 while divers inspect the piers.",
            "2025-03-05",
        ),
        "w": (
            "Ferries will sail across the harbour from March 5 under the mayor's emergency plan.",
            "2025-03-05",
        ),
    }
    articles = [article(a, text) for a, (text, _) in texts.items()]
    times = {a.id: [dated(a, "March " + texts[a.id][1][-1], texts[a.id][1])] for a in articles}
    published = {"x": "2025-03-03", "y": "2025-03-08", "z": "2025-03-05", "w": "2025-03-05"}
    outlets = {"x": "X", "y": "Y", "z": "Z", "w": "W"}
    (line,) = ranked(articles, times, dict.fromkeys(texts, "s1"), {"s1": "l1"}, published, outlets)
    assert [(e.date, e.rank) for e in line.entries] == [("2025-03-03", 1), ("2025-03-05", 2)]


def test_a_long_storyline_shows_more_days_than_a_short_one_within_bounds():
    days = [dt.date(2010, 4, 20) + dt.timedelta(days=n) for n in range(0, 400, 2)]
    sentence = "Engineers reported on {} that the leaking well had been capped for another day."
    articles = [article(f"a{n}", sentence.format(d.isoformat())) for n, d in enumerate(days)]
    times = {a.id: [dated(a, d.isoformat(), d.isoformat())] for a, d in zip(articles, days, strict=True)}
    published = {a.id: d.isoformat() for a, d in zip(articles, days, strict=True)}

    def shown(span: int) -> int:
        kept = [a for a, d in zip(articles, days, strict=True) if d < days[0] + dt.timedelta(days=span)]
        (line,) = ranked(kept, times, {a.id: "s1" for a in kept}, {"s1": "l1"}, published, {})
        return line.shown

    assert MIN_SHOWN <= shown(30) < shown(120) < shown(400) <= MAX_SHOWN
