"""The people import in the admin (cms/people/imports/views.py): upload, preview, confirm; hostile files and tickets
answered with a clear message and no change, never a 500."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cms.models import Person
from cms.people.imports import pending
from tests.cms.people.imports.sheets import STAFF, csv_bytes, state, xlsx_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/admin/people-import/"


@pytest.fixture(autouse=True)
def kept_files(settings, tmp_path):
    settings.PEOPLE_IMPORT_DIR = str(tmp_path / "pending")
    return tmp_path / "pending"


@pytest.fixture
def office_head():
    return make_user("policy", "policy_admin")


def client_for(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def upload(client, data, name="people.xlsx"):
    return client.post(URL, {"action": "preview", "file": SimpleUploadedFile(name, data)})


def ticket_of(response):
    return response.context["ticket"]


def test_the_office_head_previews_then_imports(office_head, kept_files):
    client = client_for(office_head)
    assert client.get(URL).status_code == 200

    preview = upload(client, xlsx_bytes(STAFF))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "预览：尚未作任何更改" in page and "5 人将新建" in page and "宣传科" in page
    assert Person.objects.count() == 0

    done = client.post(URL, {"action": "confirm", "ticket": ticket_of(preview)}, follow=True)
    assert "已导入：新建 5 人" in done.content.decode()
    assert Person.objects.count() == 5
    assert list(kept_files.iterdir()) == []  # the file is gone once imported


def test_a_second_confirmation_of_one_preview_imports_nothing_more(office_head):
    client = client_for(office_head)
    ticket = ticket_of(upload(client, csv_bytes(STAFF)))
    client.post(URL, {"action": "confirm", "ticket": ticket})
    before = state()
    again = client.post(URL, {"action": "confirm", "ticket": ticket})
    assert again.status_code == 409 and "已经导入" in again.content.decode()
    assert state() == before


def test_parallel_confirmations_let_exactly_one_claim_the_file(office_head):
    ticket = pending.keep(csv_bytes(STAFF), office_head, "digest")
    outcomes, start = [], threading.Barrier(8)

    def confirm():
        start.wait()
        try:
            pending.claim(ticket, office_head)
            outcomes.append("claimed")
        except pending.TicketRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=confirm) for _n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["claimed"] + ["refused"] * 7


@pytest.mark.parametrize(
    "ticket",
    ["", "forged", "x" * 5000, pending.SALT],
)
def test_a_forged_ticket_is_refused_and_changes_nothing(office_head, ticket):
    before = state()
    response = client_for(office_head).post(URL, {"action": "confirm", "ticket": ticket})
    assert response.status_code == 409 and "请重新上传" in response.content.decode()
    assert state() == before


def test_someone_elses_ticket_is_refused(office_head):
    ticket = ticket_of(upload(client_for(office_head), csv_bytes(STAFF)))
    other = make_user("root", is_superuser=True)
    response = client_for(other).post(URL, {"action": "confirm", "ticket": ticket})
    assert response.status_code == 409 and Person.objects.count() == 0


def test_a_change_since_the_preview_imports_nothing(office_head):
    client = client_for(office_head)
    ticket = ticket_of(upload(client, csv_bytes(STAFF)))
    Person.objects.create(name="陈同学", kind="student", number="2026000002")
    before = state()
    response = client.post(URL, {"action": "confirm", "ticket": ticket})
    assert response.status_code == 409 and "自预览以来" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "空文件"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是电子表格"),
        (b"PK\x03\x04" + b"\x00" * 64, "无法读取"),
        ("备注\n随便\n".encode(), "缺少"),
        (csv_bytes([["王五", "T9", "外聘"]]), "既不是学生也不是教职工"),
    ],
)
def test_hostile_or_broken_files_are_answered_in_chinese_with_no_change(office_head, kept_files, data, says):
    before = state()
    response = upload(client_for(office_head), data, name="people.csv")
    assert response.status_code in (200, 400)
    assert says in response.content.decode()
    assert "data-confirm-import" not in response.content.decode()
    assert state() == before
    assert not kept_files.exists() or list(kept_files.iterdir()) == []


def test_the_office_editor_may_not_import():
    response = client_for(make_user("office", "office_editor")).get(URL)
    assert response.status_code == 403


def test_an_upload_over_the_size_cap_is_refused_before_it_is_read(office_head, kept_files, monkeypatch):
    monkeypatch.setattr("cms.people.imports.forms.MAX_BYTES", 100)
    response = upload(client_for(office_head), csv_bytes(STAFF))
    assert response.status_code == 400 and "文件超过" in response.content.decode()
    assert Person.objects.count() == 0 and (not kept_files.exists() or list(kept_files.iterdir()) == [])
