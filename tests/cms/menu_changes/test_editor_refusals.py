"""The menu-change form (A6.4) as the applicant meets it: 申请时间 starts at today, and every refused save or submit
says why at the top of the page and marks the fields it refused."""

import re

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from cms.models import MenuChangeApplication
from tests.cms.menu_changes.test_menu_changes import editor_data
from tests.wechat_channel.admin_factories import make_account

pytestmark = pytest.mark.django_db
ADD = "/admin/menu-changes/add/"
MENU = {"button": [{"name": "今日要闻", "type": "click", "key": "NEWS_TODAY"}]}


@pytest.fixture
def account(db):
    return make_account()


@pytest.fixture
def applicant(client, people):
    client.force_login(people["head_a"])
    return client


def errors_at_the_top(response):
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


def date_input(html):
    return re.search(r'<input[^>]*name="date"[^>]*>', html).group(0)


def test_a_new_application_is_dated_today_in_a_form_the_date_input_shows(applicant):
    html = applicant.get(ADD).content.decode()

    # zh-hans would render 2026/12/06, which a date input shows as empty; the input needs the ISO date.
    assert f'value="{timezone.localdate().isoformat()}"' in date_input(html)


def test_the_form_is_answered_by_the_server_not_the_browsers_bubbles(applicant):
    html = applicant.get(ADD).content.decode()
    assert re.search(r"<form[^>]*data-menu-change-form[^>]*novalidate", html)


def test_submitting_the_untouched_form_names_every_missing_field_but_the_date(applicant, account):
    response = applicant.post(ADD, {"date": timezone.localdate().isoformat(), "submit": "1"})

    assert response.status_code == 200
    (message,) = errors_at_the_top(response)
    assert message == "未保存：请更正标出的项目：微信公众号、科室、更改理由、申请的菜单。"
    html = response.content.decode()
    assert html.count("w-field--error") == 3  # account, department, reason
    assert 'aria-invalid="true"' in re.search(r'<select[^>]*id="id_account"[^>]*>', html).group(0)
    assert not MenuChangeApplication.objects.exists()


def test_a_cleared_date_is_named_and_marked(applicant, account, people):
    response = applicant.post(ADD, editor_data(account, people["dept_a"], menu=MENU, date="", submit="1"))

    assert errors_at_the_top(response) == ["未保存：请更正标出的项目：申请时间。"]
    assert 'aria-invalid="true"' in date_input(response.content.decode())
    assert not MenuChangeApplication.objects.exists()


def test_a_menu_over_wechats_limits_is_named_at_the_top_and_beside_the_menu(applicant, account, people):
    menu = {"button": [{"name": "校园服务六个", "type": "click", "key": "K"}]}
    response = applicant.post(ADD, editor_data(account, people["dept_a"], menu=menu, submit="1"))

    assert errors_at_the_top(response) == ["未保存：请更正标出的项目：申请的菜单。"]
    assert "data-menu-errors" in response.content.decode()
    assert not MenuChangeApplication.objects.exists()


def test_a_button_field_too_long_is_marked_in_its_cell(applicant, account, people):
    response = applicant.post(ADD, editor_data(account, people["dept_a"], menu=MENU, **{"b0-key": "K" * 201}))

    assert errors_at_the_top(response) == ["未保存：请更正标出的项目：申请的菜单。"]
    assert response.content.decode().count("data-button-error") == 1
    assert not MenuChangeApplication.objects.exists()


@pytest.mark.parametrize(
    "date",
    ["2026-02-30", "2026/13/01", "0000-00-00", "99999-01-01", "<script>alert(1)</script>", "9" * 5000],
)
def test_hostile_dates_are_refused_with_the_reason_and_nothing_is_saved(applicant, account, people, date):
    response = applicant.post(ADD, editor_data(account, people["dept_a"], menu=MENU, date=date, submit="1"))

    assert response.status_code == 200
    assert errors_at_the_top(response) == ["未保存：请更正标出的项目：申请时间。"]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not MenuChangeApplication.objects.exists()


def test_a_hostile_account_or_department_id_is_refused_not_a_500(applicant, account, people):
    data = editor_data(account, people["dept_a"], menu=MENU, submit="1")
    response = applicant.post(ADD, {**data, "account": "99999999999999999999", "department": "²"})

    assert response.status_code == 200
    assert errors_at_the_top(response) == ["未保存：请更正标出的项目：微信公众号、科室。"]
    assert not MenuChangeApplication.objects.exists()


def test_with_todays_date_left_as_it_is_the_application_is_submitted(applicant, account, people):
    response = applicant.post(ADD, editor_data(account, people["dept_a"], menu=MENU, submit="1"))

    application = MenuChangeApplication.objects.get()
    assert response.status_code == 302 and application.status == MenuChangeApplication.Status.SUBMITTED
    assert not errors_at_the_top(response)
