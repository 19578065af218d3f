"""The timeline stage: dated developments merged across articles, each citing its articles."""

from newsprism.corpus.timeline import build_timeline
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
        "wire": [dated(WIRE, "March 4", "2025-03-04"), dated(WIRE, "on Monday", "2025-03-03"),
                 dated(WIRE, "on Thursday", "2025-03-06")],
        "paper": [dated(PAPER, "on Monday", "2025-03-03")],
        "radio": [dated(RADIO, "1911", "1911", "year"), dated(RADIO, "on Monday", "2025-03-03")],
    }
    story = {"wire": "s1", "paper": "s1", "radio": "s1"}
    entries = build_timeline([WIRE, PAPER, RADIO], times, story)
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
    entries = build_timeline([lone, PAPER], times, {"lone": "s1", "paper": "s2"})
    assert [(e.date, e.story, e.articles) for e in entries] == [
        ("2018-04-05", "s1", ("lone",)),
        ("2018-04-05", "s2", ("paper",)),
    ]
    assert entries[0].text == "Lavrov said on Thursday that Russia would keep talking."
