import pytest

from newsprism.article.dates import ABSOLUTE_KINDS, absolute_values, find_expressions, full_date


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("Updated: 4 October 2016, 09:12 GMT", "4 October 2016", "2016-10-04"),
        ("Sat Oct 1, 2016 14:27:12", "Sat Oct 1, 2016", "2016-10-01"),
        ("posted 2025-03-04 10:00", "2025-03-04", "2025-03-04"),
        ("In October 2016, then on Oct. 17, 2016.", "on Oct. 17, 2016", "2016-10-17"),
    ],
)
def test_full_date_is_the_first_with_day_month_and_year(text, written, value):
    found = full_date(text)
    assert found is not None and (found.text, found.value) == (written, value)


def test_no_full_date_without_a_year_or_a_real_day():
    assert full_date("on Tuesday, Oct. 4") is None
    assert full_date("on February 30, 2016") is None


def test_expressions_keep_the_longest_and_drop_look_alikes():
    kinds = [e.kind for e in find_expressions("In May 2000 people may march, said the mayor on May 3, 2016.")]
    assert kinds == ["my", "mdy"]
    years = [absolute_values(e) for e in find_expressions("the 1998-2003 war") if e.kind in ABSOLUTE_KINDS]
    assert [[str(v) for v in values] for values in years] == [["1998", "2003"]]
