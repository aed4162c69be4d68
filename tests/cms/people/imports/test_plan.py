"""The import's plan and its application (cms/people/imports/plan.py, services.py): created, changed (which fields),
left alone; re-imported next term it updates rather than duplicates; all or nothing; accounts only for roles."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from cms.models import Department, Person
from cms.people.imports import plan as plans
from cms.people.imports import services
from cms.people.imports.plan import PlanChanged, PlanRefused
from cms.people.roles import group_for
from tests.cms.people.imports.sheets import HEADER, STAFF, csv_bytes, state, xlsx_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_the_first_import_creates_people_departments_and_accounts_for_roles_only():
    Department.objects.create(name="学生处", code="xsc")
    preview = services.preview(xlsx_bytes(STAFF))
    assert preview.importable and Person.objects.count() == 0  # a preview changes nothing
    assert preview.plan.counts() == {"created": 5, "changed": 0, "unchanged": 0}
    assert [d.name for d in preview.plan.new_departments()] == ["宣传科", "院办"]

    services.import_file(xlsx_bytes(STAFF))

    assert Person.objects.count() == 5
    assert set(User.objects.values_list("username", flat=True)) == {"T1001", "T1002"}  # the head and the leader
    head = Person.objects.get(number="T1001")
    assert head.user.groups.filter(name=group_for("department_head").name).exists()
    assert list(PasswordResetForm().get_users("wang@example.edu.cn")) == [head.user]  # they choose a password
    student_affairs = Department.objects.get(name="学生处")
    assert list(student_affairs.heads.all()) == [head.user]
    assert Department.objects.get(name="院办").supervising_leader.username == "T1002"
    assert Person.objects.get(number="2026000001").user is None


def test_reimported_next_term_it_updates_rather_than_duplicates():
    services.import_file(csv_bytes(STAFF))
    next_term = [list(row) for row in STAFF]
    next_term[2][5] = "zhao.new@example.edu.cn"  # 赵老师's new e-mail
    next_term[3][3] = "宣传科"  # 张同学 moved
    next_term[4][6] = ""  # an empty cell keeps what is stored
    del next_term[1]  # 李书记 is not in this file

    preview = services.preview(csv_bytes(next_term, encoding="gb18030"))
    plan = preview.plan
    assert plan.counts() == {"created": 0, "changed": 2, "unchanged": 2}
    changes = {entry.row.number: entry.changes for entry in plan.of_people("changed")}
    assert changes == {
        "T1003": [("email", "zhao@example.edu.cn", "zhao.new@example.edu.cn")],
        "2026000001": [("department", "学生处", "宣传科")],
    }
    assert plan.absent_count == 1 and plan.absent[0].name == "李书记"

    services.import_file(csv_bytes(next_term, encoding="gb18030"))
    assert Person.objects.count() == 5
    assert Person.objects.get(number="2026000001").department.name == "宣传科"
    assert Person.objects.get(number="T1002").name == "李书记"  # left alone
    assert services.preview(csv_bytes(next_term)).plan.counts() == {"created": 0, "changed": 0, "unchanged": 4}


def test_a_role_added_next_term_gives_the_existing_person_an_account():
    services.import_file(csv_bytes(STAFF))
    promoted = [list(row) for row in STAFF]
    promoted[2][4] = "办公室编辑"
    plan = services.import_file(csv_bytes(promoted))
    entry = next(e for e in plan.people if e.row.number == "T1003")
    assert entry.account == "create" and entry.roles_added == ("office_editor",)
    person = Person.objects.get(number="T1003")
    assert person.user.username == "T1003" and person.user.groups.get().name == group_for("office_editor").name


def test_an_existing_account_of_that_username_is_linked_not_duplicated():
    account = make_user("T1001")
    services.import_file(csv_bytes(STAFF[:1]))
    assert Person.objects.get(number="T1001").user == account
    assert User.objects.filter(username="T1001").count() == 1


def test_an_account_that_is_someone_elses_is_a_row_error_and_nothing_changes():
    other = make_user("T1001")
    Person.objects.create(name="别人", kind="staff", number="X1", user=other)
    before = state()
    with pytest.raises(PlanRefused) as refused:
        services.import_file(csv_bytes(STAFF))
    assert "第 2 行" in str(refused.value.errors[0]) and "别人" in str(refused.value.errors[0])
    assert state() == before


def test_an_inactive_department_is_a_row_error():
    Department.objects.create(name="宣传科", code="xck", active=False)
    preview = services.preview(csv_bytes(STAFF))
    assert not preview.importable
    assert [str(e) for e in preview.errors] == ["第 6 行，“科室”列：该科室已停用。"]


def test_it_is_all_or_nothing(monkeypatch):
    before = state()

    def fail(plan, departments):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(plans, "_save_leadership", fail)
    with pytest.raises(RuntimeError):
        services.import_file(csv_bytes(STAFF))
    assert state() == before


def test_a_plan_that_changed_since_the_preview_imports_nothing():
    preview = services.preview(csv_bytes(STAFF))
    Person.objects.create(name="张同学", kind="student", number="2026000001")  # someone added by hand meanwhile
    before = state()
    with pytest.raises(PlanChanged):
        services.import_file(csv_bytes(STAFF), expected_digest=preview.plan.digest)
    assert state() == before


def test_only_a_superuser_gives_the_channel_administrators_role():
    """A15: the channel's credentials are the channel administrators'; the office head makes none."""
    rows = [["孙老师", "T2001", "教职工", "教务科", "渠道管理员", "sun@example.edu.cn", ""]]
    preview = services.preview(csv_bytes(rows), grantable={"department_head", "office_editor"})
    refused = "第 2 行，“角色”列：只有超级用户可以授予角色 渠道管理员（教务科）（A15）。"
    assert [str(e) for e in preview.errors] == [refused]
    assert services.preview(csv_bytes(rows)).importable


def test_each_person_imported_is_in_the_audit_log():
    importer = make_user("office-head", "policy_admin")
    services.import_file(csv_bytes(STAFF), user=importer)
    entries = ModelLogEntry.objects.filter(action="newsroom.people.import")
    assert entries.count() == 5 and {entry.user_id for entry in entries} == {importer.pk}


def test_the_preview_costs_the_same_queries_for_five_people_or_fifty():
    def queries(count):
        rows = [[f"学生{n}", f"S{n:05d}", "学生", "学生处"] for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            services.preview(csv_bytes(rows, header=HEADER[:4]))
        return len(captured)

    services.import_file(csv_bytes([[f"学生{n}", f"S{n:05d}", "学生", "学生处"] for n in range(50)], header=HEADER[:4]))
    assert queries(5) == queries(50)


def test_a_supervising_leader_supervises_the_departments_named_and_replaces_the_one_before():
    before = make_user("old-leader", "supervising_leader", first_name="钱书记")
    Department.objects.create(name="学生处", code="xsc", supervising_leader=before)
    header = [*HEADER, "分管科室"]
    rows = [["李书记", "T1002", "教职工", "院办", "分管领导", "li@example.edu.cn", "", "学生处、宣传科"]]
    plan = services.preview(csv_bytes(rows, header=header)).plan
    leaders = {entry.name: (entry.leader[0], entry.leader[1].row.name) for entry in plan.departments if entry.leader}
    assert leaders == {"学生处": ("钱书记", "李书记"), "宣传科": ("", "李书记")}

    services.import_file(csv_bytes(rows, header=header))
    leader = User.objects.get(username="T1002")
    assert set(leader.supervised_departments.values_list("name", flat=True)) == {"学生处", "宣传科"}
    assert Person.objects.get(number="T1002").department.name == "院办"  # their own department is not theirs to lead
