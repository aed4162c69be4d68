"""The public report form (A6.5.2): a valid report is a numbered case; a bad one keeps what was typed."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from cms.models import Case
from cms.public_forms import ratelimit

VALID = {
    "category": "harmful",
    "text": "学院公众号某篇文章下有人发布赌博网站链接。",
    "link": "https://mp.weixin.qq.com/s/abc",
    "name": "王同学",
    "contact": "13800000000",
    "website": "",
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, **changes):
    return client.post(reverse("report"), {**VALID, **changes})


def test_the_form_is_public(client, db):
    response = client.get(reverse("report"))
    assert response.status_code == 200
    assert 'name="text"' in response.content.decode() and 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_valid_report_opens_a_case_and_thanks_with_its_number(client, db):
    response = post(client)
    assert response.status_code == 302 and response.url == reverse("report_thanks")

    case = Case.objects.get()
    assert (case.kind, case.source, case.category, case.status) == (
        Case.Kind.REPORT,
        Case.Source.SITE,
        "harmful",
        Case.Status.NEW,
    )
    assert (case.text, case.link, case.reporter_name, case.reporter_contact) == (
        VALID["text"],
        VALID["link"],
        "王同学",
        "13800000000",
    )
    thanks = client.get(response.url).content.decode()
    assert case.number in thanks and case.number.startswith("JB-")


def test_name_and_contact_are_optional(client, db):
    assert post(client, name="", contact="", link="").status_code == 302
    assert Case.objects.get().reporter_contact == ""


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"text": ""}, "text", "required"),
        ({"text": "字" * 5001}, "text", "max_length"),
        ({"link": "not a link at all"}, "link", "invalid"),
        ({"link": "javascript:alert(1)"}, "link", "invalid"),
        ({"category": "gossip"}, "category", "invalid_choice"),
        ({"website": "http://spam.example"}, "website", "honeypot"),
    ],
)
def test_a_bad_report_is_refused_at_its_field_and_keeps_what_was_typed(client, db, changes, field, code):
    response = post(client, **changes)

    assert response.status_code == 400
    assert [error.code for error in response.context["form"].errors.as_data()[field]] == [code]
    html = response.content.decode()
    assert "王同学" in html and "13800000000" in html
    if field != "text":
        assert VALID["text"] in html
    assert not Case.objects.exists()


def test_too_many_reports_from_one_network_are_refused_and_keep_the_text(client, db, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_RATE_LIMIT": 2}
    assert post(client, contact="").status_code == 302
    assert post(client, contact="").status_code == 302
    response = post(client, contact="", text="第三次举报的内容")

    assert response.status_code == 429
    assert "第三次举报的内容" in response.content.decode()
    assert response.context["form"].non_field_errors()
    assert Case.objects.count() == 2


def test_report_limits_are_counted_apart_from_contributions(client, db, settings):

    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_RATE_LIMIT": 1}
    with ratelimit.reserved(*ratelimit.submission("", "127.0.0.1")):  # a contribution from the same network
        pass
    assert post(client).status_code == 302


def test_a_post_without_the_csrf_token_is_refused(db):
    response = Client(enforce_csrf_checks=True).post(reverse("report"), VALID)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_the_thanks_page_without_a_report_names_no_number(client, db):
    response = client.get(reverse("report_thanks"))
    assert response.status_code == 200 and "data-case-number" not in response.content.decode()
