import datetime as dt
import json
import sys

import pytest
from conftest import SHARED

from newsprism.article.clean import clean, clean_html
from newsprism.article.ingest import make_doc, read_file
from newsprism.errors import InputError
from newsprism.options import Options
from newsprism.records import RawDoc

sys.path.insert(0, str(SHARED / "eval"))
from textmatch import contains, norm  # noqa: E402

TODAY = dt.date(2026, 11, 22)


def article_from(text, **given):
    return clean(make_doc("test.txt", text, is_html=False, given=given), TODAY)


def read_one(path):
    (doc,) = read_file(path, Options())
    assert isinstance(doc, RawDoc), doc
    return doc


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    gold = json.loads((SHARED / "corpus" / "seeds.gold.json").read_text(encoding="utf-8"))
    return {
        key: (clean(read_one(seeds_dir / meta["file"]), TODAY), meta)
        for key, meta in gold["articles"].items()
    }


def test_seed_junk_removed_and_body_kept(seeds):
    for key, (article, meta) in seeds.items():
        body = article.body
        for junk in meta["junk"]:
            assert not contains(body, junk), (key, junk)
        for keep in meta["keep"]:
            assert any(contains(p, keep) for p in article.paragraphs), (key, keep)


def test_seed_nothing_lost(seeds, seeds_dir):
    for key, (article, meta) in seeds.items():
        kept = [article.body, article.title or ""] + [r.text for r in article.removed]
        for line in (seeds_dir / meta["file"]).read_text(encoding="utf-8").splitlines():
            if norm(line):
                assert any(contains(k, line) for k in kept), (key, line)


def test_seed_metadata(seeds):
    reuters, _ = seeds["001"]
    assert (reuters.outlet, reuters.dateline) == ("Reuters", "Brussels")
    assert reuters.published == "2016-10-04" and reuters.published_evidence.method == "caption"
    assert reuters.credits == ("John Irish", "Angus MacSwan")
    agency, _ = seeds["002"]
    assert (agency.outlet, agency.dateline, agency.published) == ("TASS", "Moscow", "2018-04-05")
    assert agency.published_evidence.method == "dateline+weekday"
    masthead, _ = seeds["003"]
    assert masthead.outlet == "Asianet Newsable"
    assert masthead.title == "US suspends Syria ceasefire talks with Russia"
    stamped, _ = seeds["004"]
    assert stamped.published == "2016-10-01" and stamped.published_evidence.method == "timestamp"
    assert {r.reason for r in stamped.removed} >= {"repeated title", "metadata: timestamp", "machine dump"}
    undated, _ = seeds["000"]
    assert undated.published is None and undated.title is None and undated.outlet == "RT"


def test_paragraph_broken_mid_sentence_is_repaired(seeds):
    reuters, _ = seeds["001"]
    assert reuters.paragraphs[-1].startswith(
        "“The missile battery is intended to ensure the safety of the naval base"
    )
    assert reuters.paragraphs[-1].endswith("the Defence Ministry said.")


def test_scrape_furniture_is_removed_with_reasons():
    text = "\n".join(
        [
            "Daily LedgerDaily Ledger",
            "Port reopens after two weeks",
            "By Ana Ruiz and Tom Berg",
            "• port reopens",
            "harbour cranes at dawn",
            "The port reopened on Monday, the harbour master said.",
            "Dock workers cheered as the first ship",
            "",
            "entered the basin at noon.",
            "Read more: Storm closes harbour",
            "Share this:",
            "• Facebook",
            'string(40) "[{"id":"1","title":"Old story"}]"',
            "© 2025 Daily Ledger. All rights reserved.",
        ]
    )
    article = article_from(text)
    reasons = {r.text: r.reason for r in article.removed}
    assert article.outlet == "Daily Ledger" and article.title == "Port reopens after two weeks"
    assert article.authors == ("Ana Ruiz", "Tom Berg")
    assert article.paragraphs == (
        "The port reopened on Monday, the harbour master said.",
        "Dock workers cheered as the first ship entered the basin at noon.",
    )
    assert reasons["harbour cranes at dawn"] == "image alt text"
    assert reasons["• port reopens"] == "list item"
    assert reasons["Read more: Storm closes harbour"] == "teaser link"
    assert reasons["• Facebook"].startswith("navigation")
    assert reasons['string(40) "[{"id":"1","title":"Old story"}]"'] == "machine dump"
    assert reasons["© 2025 Daily Ledger. All rights reserved."] == "copyright"


def test_a_thread_of_readers_comments_is_removed_and_the_post_above_it_kept():
    day = SHARED / "data" / "timelines" / "timeline17" / "H1N1_bbc" / "InputDocs" / "2009-05-28"
    article = clean(read_one(day / "726.htm.txt"), TODAY)
    assert article.paragraphs[-1] == (
        "For something of such potential importance as a pandemic flu vaccine , it 's good to know there are "
        "several teams working on it ."
    )
    comments = [r for r in article.removed if r.reason == "reader comment"]
    assert comments[0].text.startswith("At 9:08 pm on 28 May 2009 , avian_flu_messenger wrote :")
    assert len(comments) > 30 and not any("wrote :" in p for p in article.paragraphs)


def test_one_letter_an_article_quotes_is_not_a_comment_thread():
    article = article_from(
        "Residents wrote to the council about the harbour on Monday.\n"
        "Napier wrote: the harbour has been neglected for years.\n"
        "The council said it would answer the letter within a month."
    )
    assert len(article.paragraphs) == 3 and not article.removed


def test_given_fields_win_over_inferred_ones():
    article = article_from(
        "Port reopens\n\nBERLIN (Wire) - The port reopened.",
        title="Given title",
        outlet="Given Outlet",
        published="2025-03-04T09:00:00Z",
    )
    assert (article.title, article.outlet, article.published) == ("Given title", "Given Outlet", "2025-03-04")
    assert article.dateline == "Berlin"


def test_no_date_evidence_means_no_date():
    article = article_from("PARIS, May 3 (Wire) - Ministers met on Friday and said talks would go on.")
    assert article.published is None and article.dateline == "Paris"


def test_html_page_extracted_with_metadata():
    html = """<html><head><title>Bridge shut - Ledger</title>
    <meta property="og:site_name" content="The Ledger">
    <meta property="article:published_time" content="2025-03-05T08:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
    <article><h1>Bridge shut</h1>
    <p>The Kessling Bridge stays shut after a barge hit one of its piers on Monday, engineers said.</p>
    <p>Divers inspected the damaged pier yesterday and found cracks in its base, the city said.</p>
    <p>Repairs could take weeks, according to the harbour authority, which manages the river.</p>
    </article><footer>Contact us | Privacy</footer></body></html>"""
    article = clean_html(html, "page.html", TODAY)
    assert article.outlet == "The Ledger" and article.published == "2025-03-05"
    assert any("Divers inspected the damaged pier" in p for p in article.paragraphs)
    assert not any("Privacy" in p for p in article.paragraphs)


def test_html_without_article_is_an_input_error():
    with pytest.raises(InputError, match="no article text"):
        clean_html("<html><body><nav><a href='/'>Home</a></nav></body></html>", "empty.html", TODAY)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "navigation: app or share prompt"),
        ("Comments (12)", "navigation: app or share prompt"),
        ("Topics: Harbour, Shipping", "navigation: app or share prompt"),
        ("This article was originally published on The Conversation.", "navigation: app or share prompt"),
        ("(Photo by Jane Doe/AFP via Getty Images)", "photo caption"),
        ("Image copyright Fictional Wire", "photo caption"),
        ("Divers at work. Photo credit: Mara Linden/Fictional Wire", "photo caption"),
        ("Last modified on Tue 4 Mar 2025 12.00 GMT", "metadata: timestamp"),
        ("Última actualización: jueves, 11 de junio de 2009 - 17:02 GMT", "metadata: timestamp"),
        ("Mis à jour le 12/05/2011 à 14:32", "metadata: timestamp"),
        ("Posted by Jane Doe", "byline"),
        ("Associated Press writer Jane Doe in Paris contributed to this report.", "credits"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "credits"),
        ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
        ("Continue reading the main story", "navigation"),
        ("2 min read", "navigation"),
        ("___", "separator"),
    ],
)
def test_page_furniture_lines(line, reason):
    article = article_from(f"The harbour reopened on Monday, officials said.\n\n{line}")
    assert [(r.text, r.reason) for r in article.removed] == [(line, reason)]


@pytest.mark.parametrize(
    "line",
    [
        "Comments by the minister angered the union.",
        "The photo: it was taken in 2010 by a soldier.",
        "By sea and by air, supplies kept coming.",
        "Printing costs rose.",
        "The flight landed at 17:02 GMT on June 11, 2009.",
        "Talks resume at 9:00 on the 2010 budget",
        "More from the ministry came later, officials said.",
        "Jane Doe contributed to the report's findings, the panel said in a statement on Monday.",
    ],
)
def test_prose_that_looks_like_furniture_is_kept(line):
    article = article_from(f"The harbour reopened on Monday, officials said.\n\n{line}")
    assert article.paragraphs[-1] == line and not article.removed


def test_a_headline_and_snippet_on_one_line_is_the_body_not_a_title():
    # A feed or search page gives a headline and the first words of the report as one line.
    snippet = "Apes, monkeys among 30 animals killed in German zoo fire Officials said the blaze began"
    article = article_from(snippet)
    assert article.title is None and article.paragraphs == (snippet,)
    headed = article_from("Port reopens after two weeks\n" + "The port reopened on Monday, officials said.")
    assert headed.title == "Port reopens after two weeks"
    assert headed.paragraphs == ("The port reopened on Monday, officials said.",)


def test_a_snippet_on_one_line_stays_whatever_furniture_shape_it_ends_or_starts_with():
    # Cut to their first 40 words, real reports end in a link prompt, repeat their headline or hold
    # a page stamp: on one line that is no furniture around a body, and the article is kept whole.
    for snippet in (
        "Think Well, Think Different: 4 Things To Think About When Creating A Company Culture Think "
        "Well, Think Different is a series of columns devoted to discussing trends in fintech. Click here",
        "Holiday donations nearly double in 2019 Holiday donations nearly double in 2019 FCA Manager "
        "of Community Engagement, Lisa Havasinski Photo: Erik Trautmann /",
        "Fall Protection Equipment Market 2020: Report Highlights Competitive Scenario Posted on Jan 2 "
        '2020 7:02 AM "Fall',
    ):
        article = article_from(snippet)
        assert article.paragraphs == (snippet,) and article.title is None


def test_a_wire_header_glued_to_the_lede_is_split_off_at_the_dateline():
    # Reuters pages flattened to a line: headline, "PLACE | stamp", then the dateline and the lede.
    article = article_from(
        "Oil spill to cost U.S. taxpayer almost $10 billion LONDON | Tue Jul 27, 2010 7:37 am EDT "
        "LONDON (Reuters) - Oil giant BP said on Tuesday it would sell assets.\n"
        "The company said the cost would be met from its cash flow."
    )
    assert article.title == "Oil spill to cost U.S. taxpayer almost $10 billion"
    assert article.paragraphs[0] == "LONDON (Reuters) - Oil giant BP said on Tuesday it would sell assets."
    assert ("LONDON | Tue Jul 27, 2010 7:37 am EDT", "header: timestamp") in [
        (r.text, r.reason) for r in article.removed
    ]
    assert article.dateline == "London" and article.published == "2010-07-27"
    assert article.published_evidence.method == "timestamp"
    # A date and a clock inside a sentence are not a header.
    line = "The company said on Friday, July 23, 2010 at 10:00 that it would sell the rig."
    assert article_from(line).paragraphs == (line,)


@pytest.mark.parametrize(
    "text, title, body",
    [
        (  # a Washington Post page: headline, "Weekday, Month D, YYYY; H:MM AM", lede
            "Gulf oil spill was abated by bacteria, report says Tuesday, January 11, 2011; 12:31 AM "
            "The Deepwater Horizon oil spill was abated by bacteria.",
            "Gulf oil spill was abated by bacteria, report says",
            "The Deepwater Horizon oil spill was abated by bacteria.",
        ),
        (  # a Guardian page: a stamp with a clock and a time zone, no headline line
            "Friday 1 May 2009 22.47 BST It was a night out to celebrate a marriage.",
            None,
            "It was a night out to celebrate a marriage.",
        ),
        (  # a blog: "Name | clock, date" before the post
            "Claudia Bradshaw | 10:39 UK time, Friday, 6 August 2010 Despite the headlines, it turns out "
            "the spill was smaller.",
            None,
            "Despite the headlines, it turns out the spill was smaller.",
        ),
        (  # a broadcaster: headline run into the dateline
            "Jewish summer camp vandalized with racist graffiti VANCOUVER -- Police are investigating "
            "after a camp was vandalized.",
            "Jewish summer camp vandalized with racist graffiti",
            "VANCOUVER -- Police are investigating after a camp was vandalized.",
        ),
        (  # wire highlights run together before the dateline are not the title
            "* Transocean also named as defendant * Lawsuit is first for losses "
            "HOUSTON, April 29 (Reuters) - Louisiana shrimpers have filed a lawsuit against BP.",
            None,
            "HOUSTON, April 29 (Reuters) - Louisiana shrimpers have filed a lawsuit against BP.",
        ),
    ],
)
def test_glued_headers_are_cut_where_the_body_starts(text, title, body):
    article = article_from(text + "\nThe company did not comment on Friday.")
    assert article.title == title
    assert article.paragraphs[0] == body
    kept = " ".join([article.title or "", *article.paragraphs, *(r.text for r in article.removed)])
    assert sorted(kept.split()) == sorted(f"{text} The company did not comment on Friday.".split())


def test_a_stamped_dateline_below_related_headlines_and_a_caption_starts_the_body():
    # A Reuters page: a related headline, "Full Article" with the kicker and a photo caption run
    # together, then "PLACE | stamp PLACE (Reuters) -": the body starts at the dateline.
    above = [
        "Helicopter crashes into crane on London tower, kills two.",
        "Full Article ANALYSIS - Egypt's pig cull fans sectarian tension Egyptian workers struggle to move "
        "a household pig into a truck in Cairo, May 4, 2009.",
    ]
    lede = "CAIRO (Reuters) - Egypt's decision to cull its pigs has fanned sectarian tensions."
    article = article_from("\n".join([*above, f"CAIRO | Tue May 12, 2009 3:16 pm IST {lede}", TAIL]))
    assert article.paragraphs == (lede, TAIL)
    assert [r.reason for r in article.removed] == ["header: above the dateline"] * 2 + ["header: timestamp"]
    assert article.dateline == "Cairo" and article.published == "2009-05-12"
    # The headline nearest the header stays the title.
    headed = article_from("\n".join(["Egypt's pig cull fans sectarian tension", above[1],
                                     f"CAIRO | Tue May 12, 2009 3:16 pm IST {lede}", TAIL]))
    assert headed.title == "Egypt's pig cull fans sectarian tension"
    assert headed.paragraphs == (lede, TAIL)


def test_a_timestamp_opening_a_later_post_is_cut_off_and_does_not_date_the_page():
    # A page of blog posts flattened: each post opens with its stamp, or its author and stamp.
    posts = [
        "May 12, 2009 12:28 UTC The National Weather Service has issued flood warnings.",
        "By Garance Franke-Ruta | June 4, 2010; 11:06 AM ET Where is the outrage?",
    ]
    article = article_from("\n".join([LEAD, TAIL, *posts]))
    assert article.paragraphs == (LEAD, TAIL, "The National Weather Service has issued flood warnings.",
                                  "Where is the outrage?")
    assert {r.text: r.reason for r in article.removed} == {
        "May 12, 2009 12:28 UTC": "header: timestamp",
        "By Garance Franke-Ruta | June 4, 2010; 11:06 AM ET": "header: timestamp",
    }
    assert article.published is None


def test_a_photo_credit_and_stamp_glued_before_a_later_paragraph_are_cut_off():
    line = ("(AP Photo/Alastair Grant, File) (Alastair Grant - AP) Saturday, May 15, 2010; 11:47 PM "
            "The company most closely linked to the spill faces questions. It declined to comment.")
    article = article_from("\n".join([LEAD, TAIL, line]))
    assert article.paragraphs == (
        LEAD, TAIL, "The company most closely linked to the spill faces questions. It declined to comment."
    )
    assert removed_by_reason(article)["Saturday, May 15, 2010; 11:47 PM"].reason == "header: timestamp"


def test_a_dateline_or_byline_line_is_never_the_title():
    article = article_from(
        "WASHINGTON (Reuters) - What's in a name?\nThe virus has been called swine flu since April."
    )
    assert article.title is None
    assert article.paragraphs[0].startswith("WASHINGTON (Reuters) - What's in a name?")
    bylined = article_from("By the CNN Wire Staff\nLibyan leader Moammar Gadhafi appeared on television.")
    assert bylined.title is None


def test_a_whole_article_on_one_line_ending_in_a_photo_credit_is_kept():
    # A SemEval-2022 page scraped onto one line closes with its last photo's caption and credit.
    pairs = SHARED / "data" / "stories" / "semeval2022-en-pairs.jsonl"
    rows = pairs.read_text(encoding="utf-8").splitlines()
    text = next(
        row[key]
        for row in map(json.loads, rows)
        for key in ("text1", "text2")
        if row[key].lstrip().startswith("Lawsuit alleges famed Jesuit McGuire")
    )
    assert "\n" not in text.strip() and text.rstrip().endswith("(AP/Nam Y. Huh")
    article = article_from(text)
    assert article.body.startswith("Lawsuit alleges famed Jesuit McGuire") and len(article.body.split()) > 150
    for caption in (
        "Secretary of State John Kerry speaks in Washington, October 3, 2016. REUTERS/Yuri Gripas",
        "Bobby Goldberg and his sister arrive at his lawyer's office in Illinois. (AP/Nam Y. Huh)",
    ):
        article = article_from("Port reopens after two weeks\nThe port reopened on Monday.\n" + caption)
        assert {r.text: r.reason for r in article.removed}[caption] == "photo caption"


LEAD = "The harbour reopened on Monday after two weeks of repairs, officials said."
TAIL = "The port authority expects traffic to recover by the end of the month."


def removed_by_reason(article):
    return {r.text: r for r in article.removed}


@pytest.mark.parametrize(
    ("thread", "author", "time"),
    [
        (  # a newspaper blog: the signature follows the comment, with a report button
            ["Good to see the cranes back Posted by: dakotahgeo | June 16, 2010 5:17 PM | Report abuse",
             "They took their time. Posted by: bregenz | June 16, 2010 5:19 PM | Report abuse"],
            "dakotahgeo", "June 16, 2010 5:17 PM",
        ),
        (  # a blog: "Posted by name on date time.", twice
            ["Posted by David T on April 2, 2005 11:01 PM.", "What a mess the harbour was.",
             "Posted by jenny on April 3, 2005 09:12 AM."],
            "David T", "April 2, 2005 11:01 PM",
        ),
        (  # a broadcaster's site: one timestamp with a reply button is a comment
            ["March 30, 2011 at 5:19 pm | Reply The cranes were never the problem."],
            None, "March 30, 2011 at 5:19 pm",
        ),
        (  # one stamped "wrote:" header
            ["At 18:40 23rd Mar 2010, jenny wrote:", "The cranes were never the problem."],
            "jenny", "18:40 23rd Mar 2010",
        ),
        (  # a newspaper's report button without a time
            ["Posted by kiwidave | Report as abusive Here is how to fix the harbour."],
            "kiwidave", None,
        ),
        (  # a newspaper's thread whose names the scrape lost: "-- date time" opens each comment
            ["-- June 02, 2010 2:41 PM Nice.", "-- June 02, 2010 2:43 PM The leak footage is like Mordor."],
            None, "June 02, 2010 2:41 PM",
        ),
    ],
)
def test_readers_comments_in_their_common_forms_are_removed_with_author_and_time(thread, author, time):
    article = article_from("\n".join(["Port reopens after two weeks", LEAD, TAIL, *thread]))
    assert article.paragraphs == (LEAD, TAIL)
    comments = [r for r in article.removed if r.reason == "reader comment"]
    assert [r.text for r in comments] == thread
    assert (comments[0].author, comments[0].time) == (author, time)


def test_a_comment_thread_starts_at_the_invitation_to_comment_above_it():
    article = article_from("\n".join([
        "Port reopens after two weeks", LEAD, "Leave your thoughts in the comments section below.",
        "I never liked that harbour.",
        "Good riddance Posted by: jo | June 16, 2010 5:17 PM | Report abuse",
    ]))
    assert article.paragraphs == (LEAD,)
    assert [r.reason for r in article.removed] == ["reader comment"] * 3


def test_a_signed_post_keeps_its_body_when_its_byline_comes_first():
    article = article_from("\n".join([
        "Port reopens after two weeks", "Posted by David T on April 2, 2005 11:01 PM", LEAD, TAIL,
        "Posted by jenny on April 3, 2005 09:12 AM", "Nice one.", "Posted by sam on April 3, 2005 10:12 AM",
    ]))
    assert article.paragraphs == (LEAD, TAIL)
    assert removed_by_reason(article)["Nice one."].reason == "reader comment"
    assert removed_by_reason(article)["Posted by David T on April 2, 2005 11:01 PM"].reason == "byline"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("These links are our pick of the best threads on the site, to see them all click here.",
         "navigation: link prompt"),
        ("For more coverage of the harbour, please click here", "navigation: link prompt"),
        ("This post was last changed at 03:02 AM, May 1 2005, when the top headline was Port reopens.",
         "navigation: page stamp"),
        ("Retweet this story bit.ly/3xYz12", "navigation: share widget"),
        ("Via @harbourdesk #harbour www.ledger.com/harbour", "navigation: share widget"),
        ("Home | World | Business | Sport | Weather", "navigation: link list"),
        ("Tell us your experiences by filling in the form below .", "navigation: call for comments"),
        ("Your comments may be published on any BBC media worldwide .", "navigation: call for comments"),
        ("Follow The Ledger on Twitter and Instagram @ledger", "advert: subscription prompt"),
        ("Harbour Ledger Newsletter", "advert: subscription prompt"),
        ("A version appeared on p25 of the Main section section of the Guardian on 16.29 BST on Friday 1 "
         "October 2010", "navigation: page stamp"),
        ("A version appeared on p30 of the Main section section of the Guardian on 10.02 BST on Thursday 3 "
         "June 2010 Comment is free on Twitter Latest news, views and links from Comment is free journalists "
         "and editors philipoltermann: Recognise the young man walking in front of Norman Lamont on Black "
         "Wednesday in 1992 in the first few seconds of this clip? The clip was shown on the evening news "
         "of the day and again the next week.", "navigation: page stamp"),
        ("Posted by Sally Quinn and Jon Meacham on June 1, 2010 10:20 AM Posted by Arthur Waskow, on July "
         "21, 2010 4:21 PM Posted by Phil Davis, on June 4, 2010 4:36 PM Posted by Ramdas Lamb,",
         "navigation: list of posts"),
        ("Picture credit : A dead crab sits among the oil on a beach in Grand Terre Island, Louisiana, "
         "June 9, 2010.", "photo caption"),
        ("A timeline of BP's attempts to stop the flow of oil SOURCES : BP, U.S. Coast Guard | The "
         "Washington Post - May 30, 2010", "credits"),
    ],
)
def test_furniture_lines_are_removed(line, reason):
    article = article_from(f"{LEAD}\n{line}\n{TAIL}")
    assert article.paragraphs == (LEAD, TAIL)
    assert removed_by_reason(article)[line].reason == reason


def test_a_slogan_the_page_repeats_is_furniture():
    slogan = "Voted One of the Nation's Best Blogs"
    article = article_from("\n".join([LEAD, slogan, TAIL, slogan]))
    assert article.paragraphs == (LEAD, TAIL)
    assert [r.reason for r in article.removed] == ["repeated furniture"] * 2


@pytest.mark.parametrize(
    "line",
    [
        "He posted on Twitter at 5 pm on March 30, 2011 that the port would reopen.",
        '"We will not reply to threats," the minister said on March 30, 2011 at 5:19 pm.',
        "A video posted by the coast guard on May 3, 2010 showed the slick.",
        '"Just click here and the money is yours," the fraudsters wrote in their emails.',
        "Napier wrote: the harbour has been neglected for years.",
        "Shares of the port operator rose 3 percent on the news.",
    ],
)
def test_news_that_looks_like_comments_or_furniture_is_kept(line):
    article = article_from(f"{LEAD}\n{line}\n{TAIL}")
    assert article.paragraphs == (LEAD, line, TAIL) and not article.removed


def test_a_trailing_signature_thread_starts_at_the_invitation_to_comment_well_above_it():
    comments = ["I never liked that harbour.", "They should have dredged it years ago.",
                "Good riddance Posted by: jo | June 16, 2010 5:17 PM | Report abuse",
                "Agreed. Posted by: al | June 16, 2010 5:19 PM | Report abuse"]
    article = article_from("\n".join([
        "Port reopens after two weeks", LEAD, TAIL,
        "Leave your thoughts in the comments section below Are the cranes safe now?", *comments,
    ]))
    assert article.paragraphs == (LEAD, TAIL)
    assert [r.author for r in article.removed if r.reason == "reader comment"][-2:] == ["jo", "al"]


LEDE = (
    "The oil company said on Monday it would pay for the clean-up of the spill, whatever it costs.\n"
    "Its chief executive told reporters the leak had slowed but not stopped.\n"
)


@pytest.mark.parametrize(
    "trailer",
    [
        "(Reporting by Jane Doe; Editing by John Roe)",
        "-LRB- Reporting by Jane Doe ; Editing by John Roe -RRB- An ultra-low latency infrastructure for "
        "electronic trading and data distribution",
        "-LRB- $ 1 = 1.460 Singapore dollar -RRB- -LRB- Reporting by Jane Doe ; Editing by John Roe -RRB-",
        "The Associated Press contributed to this report .",
    ],
)
def test_an_agency_credit_and_what_runs_on_after_it_are_credits(trailer):
    article = article_from(LEDE + trailer + "\n")
    assert [r.reason for r in article.removed] == ["credits"]
    assert "contributed" in trailer or article.credits == ("Jane Doe", "John Roe")


def test_a_photo_credit_opening_a_line_makes_the_line_above_its_caption():
    article = article_from(
        "BP using robots to plug the leak\n"
        "A robot submarine at work near the wellhead.\n"
        "Photograph : Jane Doe\\/AP BP is now using undersea robots to try to stem the leak, it said.\n"
        "The company said the work would take days.\n"
    )
    reasons = {r.text: r.reason for r in article.removed}
    assert reasons == {"A robot submarine at work near the wellhead.": "photo caption",
                       "Photograph : Jane Doe\\/AP": "photo credit"}
    assert article.paragraphs[0].startswith("BP is now using undersea robots")


@pytest.mark.parametrize(
    "line",
    [
        "We noticed you’re blocking ads!",
        "Keep supporting great journalism by turning off your ad blocker. Or purchase a subscription.",
        "Never miss the latest news by signing up to our newsletter today!",
    ],
)
def test_prompts_to_subscribe_are_adverts(line):
    article = article_from(LEDE + line + "\n")
    assert [r.reason for r in article.removed] == ["advert: subscription prompt"]


def test_a_comment_section_notice_opens_the_thread_even_without_signatures():
    article = article_from(
        LEDE
        + "Views expressed in the comments do not represent those of Reuters .\n"
        + "That 's what I call a big profit speeding ticket .\n"
        + "This discussion is now closed .\n"
    )
    assert article.body.count("\n") <= 2 and "speeding ticket" not in article.body
    assert {r.reason for r in article.removed} == {"reader comment"}


def test_an_html_page_printing_its_headline_above_its_text_keeps_it_as_the_title_only():
    paragraphs = "".join(f"<p>{s}</p>" for s in LEDE.splitlines() * 3)
    html = (f"<html><head><title>Oil company to pay for spill</title></head><body><article>"
            f"<h1>Oil company to pay for spill</h1>{paragraphs}</article></body></html>")
    article = clean_html(html, "page.html", TODAY)
    assert article.title == "Oil company to pay for spill"
    assert "Oil company to pay for spill" not in article.body


def test_a_text_that_shows_or_says_nothing_is_no_article():
    """Found by tests/test_properties.py: "×" or an escape character alone was an article's body,
    and a line of a stray accent or byte-order mark a paragraph."""
    for text in ("×", "\x1b", "\ufeff", "* * *\n— —"):
        with pytest.raises(InputError, match="no text in document|no article body left"):
            article_from(text)
    lede = "The ferry ran all night, the captain said on Monday, and the bridge stayed shut."
    assert article_from(f"\u0300\n{lede}\n\ufeff\u200f\n{lede.upper()}").paragraphs == (lede, lede.upper())
    html = f"<html><body><article><p>\u0300</p><p>{lede}</p><p>{lede.upper()}</p></article></body></html>"
    assert clean_html(html, "test.html", TODAY).paragraphs == (lede, lede.upper())
