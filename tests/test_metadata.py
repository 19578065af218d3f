import datetime as dt

from newsprism.article.metadata import (
    date_from_caption,
    date_from_dateline_weekday,
    date_from_timestamp,
    date_from_url,
    date_from_weekday_date,
    normalize_date,
    outlet_from_url,
)

TODAY = dt.date(2026, 11, 22)


def test_outlet_from_known_domain_and_from_the_site_label():
    assert outlet_from_url("https://www.reuters.com/world/x") == "Reuters"
    assert outlet_from_url("https://edition.cnn.com/2016/10/04/x") == "CNN"
    assert outlet_from_url("https://news.bbc.co.uk/2/hi/x.stm") == "BBC"
    assert outlet_from_url("https://www.tamselcourier.example/a") == "Tamselcourier"
    assert outlet_from_url("https://abc.example/a") == "ABC"
    assert outlet_from_url(None) is None


def test_timestamp_lines_and_only_them():
    assert date_from_timestamp("Sat Oct 1, 2016 14:27:12").value == "2016-10-01"
    assert date_from_timestamp("Updated: 4 October 2016, 09:12 GMT").value == "2016-10-04"
    assert date_from_timestamp("Ministers met on October 4, 2016 to discuss the truce.") is None


def test_caption_and_url_dates():
    caption = "Soldiers drive a vehicle near Azaz, Syria October 4, 2016. AGENCY/Jane Doe"
    assert date_from_caption(caption).value == "2016-10-04"
    assert date_from_url("https://site.example/news/2025/03/04/bridge-shut/").value == "2025-03-04"
    assert date_from_url("https://site.example/news/2025/13/44/x") is None


def test_dateline_weekday_fixes_the_year_above_the_years_the_text_names():
    lead = "MOSCOW, April 5. Russia can do more, the minister said on Thursday."
    body = lead + "\n\nA deal was reached in September 2016."
    evidence = date_from_dateline_weekday("April 5", lead, body, TODAY)
    assert evidence.value == "2018-04-05" and evidence.method == "dateline+weekday"


def test_dateline_weekday_never_invents_a_year():
    lead = "PARIS, May 3. Talks go on, the minister said on Friday."
    assert date_from_dateline_weekday("May 3", lead, lead, TODAY) is None  # no year anywhere
    future = "PARIS, May 3. Ferries will run from Friday, the mayor announced. Built in 1990."
    assert date_from_dateline_weekday("May 3", future, future, TODAY) is None  # not the report's day


def test_weekday_next_to_a_date():
    body = "The council voted on Tuesday, March 4, and the mayor said work began in 2024."
    assert date_from_weekday_date(body, TODAY).value == "2025-03-04"
    assert date_from_weekday_date("It happened on Tuesday, March 5, 2025.", TODAY) is None  # not a Tuesday


def test_given_dates_are_normalized():
    assert normalize_date("2016-10-04T14:00:00Z", TODAY) == "2016-10-04"
    assert normalize_date("Oct 4, 2016", TODAY) == "2016-10-04"
    assert normalize_date("no date here", TODAY) is None


def test_a_weekday_that_fits_several_years_gives_no_date():
    body = "The well was capped on Friday, July 2, engineers said, after the spill began in 2010."
    assert date_from_weekday_date(body, TODAY) is None  # July 2 was a Friday in 2010 and in 2021


def test_given_dates_that_are_not_whole_real_dates_are_refused():
    for text in ("2016-99-99", "0000-00-00", "October 2016", "2016", "yesterday", "3 days ago", "2999-01-01"):
        assert normalize_date(text, TODAY) is None, text
    assert normalize_date("Tue, 04 Mar 2025 10:00:00 GMT", TODAY) == "2025-03-04"


def test_malformed_url_names_no_outlet():
    assert outlet_from_url("http://[::1") is None
    # Found by tests/test_properties.py: a blank or spaced "URL" named an outlet " " or "A B".
    for url in (" ", "a b", "http://-.com", "x..", "http://%20"):
        assert outlet_from_url(url) is None, url
