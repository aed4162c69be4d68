"""The demo is always in the semester around the day it is seeded (cms/demo/site.py `semester_around`)."""

import datetime

import pytest

from cms.demo.site import semester_around


@pytest.mark.parametrize(
    ("today", "name", "start", "end"),
    [
        ("2026-12-06", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),
        ("2027-01-10", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),
        ("2027-02-15", "2026–2027 学年第一学期", "2026-09-01", "2027-01-22"),  # winter vacation: the one just over
        ("2027-03-01", "2026–2027 学年第二学期", "2027-03-01", "2027-07-10"),
        ("2027-08-20", "2026–2027 学年第二学期", "2027-03-01", "2027-07-10"),
        ("2027-09-01", "2027–2028 学年第一学期", "2027-09-01", "2028-01-22"),
    ],
)
def test_the_demo_is_always_in_the_semester_around_today(today, name, start, end):
    found = semester_around(datetime.date.fromisoformat(today))
    assert (found[0], found[1].isoformat(), found[2].isoformat()) == (name, start, end)
    assert found[4] == found[2] + datetime.timedelta(days=1)  # its vacation follows it
