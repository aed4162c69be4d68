"""Menu changes (A6.4 and the attachment): numbers, WeChat's limits, the three approvals, applying the menu."""

import pytest
from django.core.cache import cache
from django.utils import translation

from cms.menu_changes import services as menu_changes
from cms.menu_changes.services import MenuChangeError
from cms.models import MenuChangeApplication
from tests.wechat_channel.admin_factories import make_account
from tests.wechat_channel.sandbox_access import APPID, SECRET
from wechat_channel import menu as wechat_menu
from wechat_channel.menu import validate_menu
from wechat_channel.wechat import client as client_module

pytestmark = pytest.mark.django_db

Status = MenuChangeApplication.Status

MENU = {
    "button": [
        {"name": "今日要闻", "type": "click", "key": "NEWS_TODAY"},
        {
            "name": "校园服务",
            "sub_button": [
                {"name": "图书馆", "type": "view", "url": "https://lib.example.edu.cn/"},
                {"name": "扫一扫", "type": "scancode_push", "key": "SCAN"},
            ],
        },
    ]
}


@pytest.fixture
def account(db):
    return make_account(appid=APPID)


def make_application(people, account, menu=MENU, **fields):
    values = {"department": people["dept_a"], "applicant": people["head_a"], "account": account}
    return MenuChangeApplication.objects.create(menu=menu, reason="新增校园服务入口", **{**values, **fields})


def approved(people, account):
    application = menu_changes.submit(make_application(people, account), people["head_a"])
    menu_changes.decide(application, people["head_a"], "approve", "同意")
    menu_changes.decide(application, people["leader_a"], "approve", "同意")
    return menu_changes.decide(application, people["college_leader"], "approve", "批准")


# -- numbers ---------------------------------------------------------------------------------------


def test_numbers_are_assigned_per_year_and_unique(people, account):
    import datetime

    first = make_application(people, account, date=datetime.date(2026, 3, 1))
    second = make_application(people, account, date=datetime.date(2026, 9, 1))
    other_year = make_application(people, account, date=datetime.date(2027, 1, 5))
    assert (first.number, second.number, other_year.number) == ("CD-2026-0001", "CD-2026-0002", "CD-2027-0001")


def test_a_taken_number_is_skipped(people, account):
    """Two saves racing for the same number: the loser of the unique constraint takes the next."""
    first = make_application(people, account)
    MenuChangeApplication.objects.filter(pk=first.pk).update(sequence=1, number=f"CD-{first.year}-0001")
    original = MenuChangeApplication.objects.filter

    calls = []

    def stale_filter(*args, **kwargs):
        # The first look at the year's numbers misses the row already saved, as a concurrent save would.
        if kwargs.get("year") and not calls:
            calls.append(1)
            return original(pk=None)
        return original(*args, **kwargs)

    MenuChangeApplication.objects.filter = stale_filter
    try:
        second = make_application(people, account)
    finally:
        del MenuChangeApplication.objects.filter
    assert second.number == f"CD-{first.year}-0002"


# -- WeChat's limits (WECHAT.md §7) ---------------------------------------------------------------


def test_a_valid_menu_has_no_errors():
    assert validate_menu(MENU) == []


def test_top_level_names_are_measured_in_utf8_bytes():
    five = {"button": [{"name": "校园服务五", "type": "click", "key": "K"}]}  # 15 bytes
    six = {"button": [{"name": "校园服务六个", "type": "click", "key": "K"}]}  # 18 bytes
    assert validate_menu(five) == []
    errors = validate_menu(six)
    assert len(errors) == 1
    assert "校园服务六个" in errors[0] and "18" in errors[0] and "16" in errors[0]


def test_sub_button_names_allow_60_bytes():
    sub = {"name": "长" * 20, "type": "click", "key": "K"}  # 60 bytes
    menu = {"button": [{"name": "服务", "sub_button": [sub, {**sub, "name": "长" * 21}]}]}
    errors = validate_menu(menu)
    assert len(errors) == 1 and "63" in errors[0] and "60" in errors[0]


def test_too_many_buttons_and_sub_buttons():
    leaf = {"name": "a", "type": "click", "key": "K"}
    assert any("4" in e for e in validate_menu({"button": [leaf] * 4}))
    assert validate_menu({"button": []})
    errors = validate_menu({"button": [{"name": "服务", "sub_button": [leaf] * 6}]})
    assert len(errors) == 1 and "服务" in errors[0] and "6" in errors[0]


def test_bad_type_missing_url_and_key_name_the_button():
    menu = {
        "button": [
            {"name": "一", "type": "unknown"},
            {"name": "二", "type": "view"},
            {"name": "三", "sub_button": [{"name": "子", "type": "click"}]},
        ]
    }
    errors = validate_menu(menu)
    assert len(errors) == 3
    assert "一" in errors[0] and "unknown" in errors[0]
    assert "二" in errors[1] and "url" in errors[1]
    assert "子" in errors[2] and "key" in errors[2]


def test_url_key_and_parent_type_limits():
    menu = {
        "button": [
            {"name": "一", "type": "view", "url": "ftp://example.com/"},
            {"name": "二", "type": "click", "key": "k" * 129},
            {
                "name": "三",
                "type": "click",
                "sub_button": [{"name": "子", "type": "view", "url": "https://a.cn/" + "x" * 1012}],
            },
        ]
    }
    errors = validate_menu(menu)
    assert len(errors) == 4
    assert "http" in errors[0]
    assert "129" in errors[1]
    assert "三" in errors[2]  # a parent with sub-buttons has no type
    assert "1025" in errors[3]


def test_required_fields_of_other_types():
    menu = {
        "button": [
            {"name": "一", "type": "miniprogram", "url": "https://a.cn/", "appid": "wxabc"},
            {"name": "二", "type": "media_id"},
            {"name": "三", "type": "article_id"},
        ]
    }
    errors = validate_menu(menu)
    assert [("pagepath" in errors[0]), ("media_id" in errors[1]), ("article_id" in errors[2])] == [True] * 3


def test_messages_are_chinese_by_default():
    with translation.override("zh-hans"):
        errors = validate_menu({"button": [{"name": "校园服务六个", "type": "click", "key": "K"}]})
    assert errors == ["第 1 个菜单「校园服务六个」的名称 18 字节，微信最多 16 字节。"]


# -- the approval path (A6.4) ---------------------------------------------------------------------


def test_the_full_approval_path_records_who_and_when(people, account):
    application = approved(people, account)
    assert application.status == Status.APPROVED
    opinions = list(application.opinions.values_list("stage", "decision", "by__username", "opinion"))
    assert opinions == [
        ("head", "approve", "head_a", "同意"),
        ("leader", "approve", "leader_a", "同意"),
        ("college", "approve", "college_leader", "批准"),
    ]
    assert all(opinion.at for opinion in application.opinions.all())


def test_an_invalid_menu_cannot_be_submitted(people, account):
    application = make_application(people, account, menu={"button": [{"name": "校园服务六个", "type": "click"}]})
    with pytest.raises(MenuChangeError, match="校园服务六个"):
        menu_changes.submit(application, people["head_a"])
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_decisions_out_of_order_are_refused(people, account):
    draft = make_application(people, account)
    with pytest.raises(MenuChangeError):
        menu_changes.decide(draft, people["head_a"], "approve")  # not submitted yet
    application = menu_changes.submit(draft, people["head_a"])
    for early in ("leader_a", "college_leader"):
        with pytest.raises(MenuChangeError):
            menu_changes.decide(application, people[early], "approve")
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED and not application.opinions.exists()


def test_wrong_department_and_wrong_role_are_refused(people, account):
    application = menu_changes.submit(make_application(people, account), people["head_a"])
    for outsider in ("head_b", "office", "channel", "college_leader"):
        with pytest.raises(MenuChangeError):
            menu_changes.decide(application, people[outsider], "approve")
    menu_changes.decide(application, people["head_a"], "approve")
    for outsider in ("leader_b", "head_a"):
        with pytest.raises(MenuChangeError):
            menu_changes.decide(application, people[outsider], "approve")
    menu_changes.decide(application, people["leader_a"], "approve")
    for outsider in ("leader_a", "head_a", "channel"):
        with pytest.raises(MenuChangeError):
            menu_changes.decide(application, people[outsider], "approve")


def test_a_rejection_ends_it(people, account):
    application = menu_changes.submit(make_application(people, account), people["head_a"])
    menu_changes.decide(application, people["head_a"], "approve")
    with pytest.raises(MenuChangeError):
        menu_changes.decide(application, people["leader_a"], "reject", "")  # a rejection says why
    application = menu_changes.decide(application, people["leader_a"], "reject", "入口太多")
    assert application.status == Status.REJECTED
    with pytest.raises(MenuChangeError):
        menu_changes.decide(application, people["college_leader"], "approve")
    with pytest.raises(MenuChangeError):
        menu_changes.apply(application, people["channel"])


# -- applying it (menu/create) against the sandbox ------------------------------------------------


@pytest.fixture
def live_account(sandbox, monkeypatch):
    cache.clear()
    monkeypatch.setattr(client_module, "RETRY_BACKOFF_SECONDS", 0)
    monkeypatch.setenv("WECHAT_CAMPUS_SECRET", SECRET)
    yield make_account(appid=APPID, api_base_url=sandbox.url)
    cache.clear()


def test_apply_creates_the_menu_and_records_success(people, live_account):
    assert wechat_menu.current_menu(live_account) == {"button": []}  # 46003: no menu yet
    application = menu_changes.apply(approved(people, live_account), people["channel"])
    assert (application.status, application.apply_errcode, application.applied_by) == (
        Status.APPLIED,
        0,
        people["channel"],
    )
    menu = wechat_menu.current_menu(live_account)
    assert [button["name"] for button in menu["button"]] == ["今日要闻", "校园服务"]
    assert menu["button"][1]["sub_button"][0]["url"] == "https://lib.example.edu.cn/"


def test_a_wechat_error_is_recorded(people, live_account):
    application = approved(people, live_account)
    # A menu changed by hand after approval, so WeChat itself refuses it (40017 invalid button type).
    MenuChangeApplication.objects.filter(pk=application.pk).update(
        menu={"button": [{"name": "一", "type": "nonsense", "key": "K"}]}
    )
    application = menu_changes.apply(application, people["channel"])
    assert application.status == Status.APPLY_FAILED
    assert application.apply_errcode == 40017
    assert "40017" in application.apply_message


def test_only_channel_administrators_apply(people, account):
    application = approved(people, account)
    for user in ("college_leader", "office", "head_a"):
        with pytest.raises(MenuChangeError):
            menu_changes.apply(application, people[user])
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_an_unapproved_change_cannot_be_applied(people, account):
    application = menu_changes.submit(make_application(people, account), people["head_a"])
    with pytest.raises(MenuChangeError):
        menu_changes.apply(application, people["channel"])


# -- the admin pages -------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


def editor_data(account, department, menu=MENU, **extra):
    data = {
        "account": account.pk,
        "department": department.pk,
        "date": "2026-11-24",
        "reason": "新增入口",
        "remarks": "",
    }
    for i, button in enumerate(menu["button"]):
        for field, value in button.items():
            if field != "sub_button":
                data[f"b{i}-{field}"] = value
        for j, sub in enumerate(button.get("sub_button", [])):
            for field, value in sub.items():
                data[f"b{i}s{j}-{field}"] = value
    return {**data, **extra}


def test_the_editor_creates_a_numbered_draft_and_submits_it(people, account, client):
    login(client, people["head_a"])
    response = client.post("/admin/menu-changes/add/", editor_data(account, people["dept_a"], submit="1"))
    application = MenuChangeApplication.objects.get()
    assert response.status_code == 302
    assert application.number.startswith("CD-") and application.applicant == people["head_a"]
    assert application.menu == MENU
    assert application.status == Status.SUBMITTED


def test_the_editor_refuses_a_menu_over_the_limits(people, account, client):
    login(client, people["head_a"])
    menu = {"button": [{"name": "校园服务六个", "type": "click", "key": "K"}, {"name": "网页", "type": "view"}]}
    response = client.post("/admin/menu-changes/add/", editor_data(account, people["dept_a"], menu=menu))
    assert response.status_code == 200
    assert not MenuChangeApplication.objects.exists()
    errors = response.context["editor"].errors
    assert len(errors) == 2 and "校园服务六个" in errors[0] and "网页" in errors[1]


def test_the_detail_page_shows_the_current_menu_beside_the_proposal(people, live_account, client):
    application = menu_changes.apply(approved(people, live_account), people["channel"])
    other = make_application(people, live_account, menu={"button": [{"name": "新菜单", "type": "click", "key": "N"}]})
    response = login(client, people["college_leader"]).get(f"/admin/menu-changes/{other.pk}/")
    assert response.status_code == 200
    assert response.context["current"]["button"][0]["name"] == "今日要闻"
    assert "新菜单" in response.content.decode()
    assert application.number


def test_approvals_through_the_pages(people, account, client):
    application = menu_changes.submit(make_application(people, account), people["head_a"])
    url = f"/admin/menu-changes/{application.pk}/"
    decision = {"action": "decide", "decision": "approve", "opinion": "同意"}
    assert login(client, people["leader_a"]).post(url, decision).status_code == 403  # not yet their turn
    assert login(client, people["head_b"]).post(url, decision).status_code == 403  # another department
    for approver in ("head_a", "leader_a", "college_leader"):
        assert login(client, people[approver]).post(url, decision).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_apply_is_refused_to_everyone_but_channel_administrators(people, account, client):
    application = approved(people, account)
    url = f"/admin/menu-changes/{application.pk}/"
    for user in ("college_leader", "office", "head_a", "leader_a"):
        assert login(client, people[user]).post(url, {"action": "apply"}).status_code == 403
    application.refresh_from_db()
    assert application.status == Status.APPROVED


def test_who_sees_and_who_creates(people, account, client):
    application = make_application(people, account)
    for user in ("contributor", "policy"):
        login(client, people[user])
        for url in ("/admin/menu-changes/", f"/admin/menu-changes/{application.pk}/", "/admin/menu-changes/add/"):
            assert client.get(url).status_code == 403, (user, url)
    for user in ("leader_a", "college_leader"):
        assert login(client, people[user]).get("/admin/menu-changes/add/").status_code == 403
    # Only the applicant edits their own draft.
    assert login(client, people["office"]).get(f"/admin/menu-changes/{application.pk}/edit/").status_code == 403
    assert login(client, people["head_a"]).get(f"/admin/menu-changes/{application.pk}/edit/").status_code == 200


def test_the_print_view_renders_every_field_of_the_attachment(people, account, client):
    application = approved(people, account)
    MenuChangeApplication.objects.filter(pk=application.pk).update(remarks="请于周一前更新")
    response = login(client, people["head_a"]).get(f"/admin/menu-changes/{application.pk}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "微信公众号板块设计更改申请表",
        "申请编号",
        application.number,
        "申请时间",
        "申请部门",
        "学生处",
        "申请人",
        "head_a",
        "更改内容",
        "校园服务",
        "图书馆",
        "更改理由",
        "新增校园服务入口",
        "部门负责人意见",
        "分管领导",
        "leader_a",
        "院领导审批",
        "college_leader",
        "批准",
        "备注",
        "请于周一前更新",
        "@media print",
    ):
        assert text in html, text


def test_a_new_application_starts_from_the_current_menu(people, live_account, client):
    menu_changes.apply(approved(people, live_account), people["channel"])
    response = login(client, people["head_a"]).get(f"/admin/menu-changes/add/?account={live_account.pk}")
    assert response.status_code == 200
    rows = response.context["editor"].rows
    assert rows[0][1]["name"].value() == "今日要闻"
    assert rows[1][2][0]["url"].value() == "https://lib.example.edu.cn/"
    assert response.context["form"]["account"].value() == live_account.pk


def test_the_dashboard_lists_what_waits_for_each_person(people, account, client):
    application = menu_changes.submit(make_application(people, account), people["head_a"])

    def listed(user):
        html = login(client, people[user]).get("/admin/").content.decode()
        return f'data-menu-change="{application.pk}"' in html

    assert [listed(u) for u in ("head_a", "head_b", "leader_a", "channel")] == [True, False, False, False]
    menu_changes.decide(application, people["head_a"], "approve")
    assert [listed(u) for u in ("head_a", "leader_a", "leader_b", "college_leader")] == [False, True, False, False]
    menu_changes.decide(application, people["leader_a"], "approve")
    assert [listed(u) for u in ("leader_a", "college_leader", "channel")] == [False, True, False]
    menu_changes.decide(application, people["college_leader"], "approve")
    assert [listed(u) for u in ("college_leader", "channel", "office")] == [False, True, False]


def test_the_decision_form_is_shown_only_to_whoever_decides_next(people, live_account, client):
    application = menu_changes.submit(make_application(people, live_account), people["head_a"])
    url = f"/admin/menu-changes/{application.pk}/"
    assert "data-decision-form" in login(client, people["head_a"]).get(url).content.decode()
    for user in ("leader_a", "college_leader", "channel"):
        page = login(client, people[user]).get(url).content.decode()
        assert "data-decision-form" not in page and "data-apply-form" not in page
