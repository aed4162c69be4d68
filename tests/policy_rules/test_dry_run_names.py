"""A dry run names whom each change is about as the site names them, never by id (issue 14 item 3)."""

from django.utils import translation

from policy_rules.dry_run_sections import describe, sections


def points(subject, **extra):
    return {"kind": "points", "subject": str(subject), "contributor_kind": "student", "old": 3, "new": 6, **extra}


def zh(change):
    with translation.override("zh-hans"):
        return describe(change)


def test_a_contributor_is_named_with_their_department(people):
    change = points(people["student"].pk, department=str(people["dept_a"].pk), department_name="学生处")
    assert zh(change) == "张同学（学生处，学生）：积分 3 → 6"


def test_someone_the_site_no_longer_knows_reads_as_deleted_never_as_an_id(people):
    assert zh(points(987654, department=str(people["dept_a"].pk), department_name="学生处")) == (
        "已删除的投稿人（学生处，学生）：积分 3 → 6"
    )
    gone = {"kind": "semester", "subject": "987654", "name": "", "count": 1, "old": True, "new": False}
    assert zh(gone) == "已删除的科室（本期供稿 1 篇）：每学期供稿任务 达到 → 未达到"


def test_a_department_the_facts_leave_unnamed_is_named_by_the_site(people):
    semester = {"kind": "semester", "subject": str(people["dept_b"].pk), "name": "", "count": 1, "old": True}
    assert zh({**semester, "new": False}).startswith("教务科（本期供稿 1 篇）")
    staff = {**points(people["student"].pk, department=str(people["dept_b"].pk)), "contributor_kind": "staff"}
    assert (
        zh({**staff, "kind": "certificate", "old": False, "new": True}) == "张同学（教务科，教职工）：荣誉证书 否 → 是"
    )


def test_a_prize_reads_as_the_regulation_names_it(people):
    prize = {**points(people["student"].pk), "kind": "prize", "old": None, "new": "first"}
    assert zh(prize) == "张同学（学生）：奖项 — → 一等奖"  # A17.2


def test_without_the_sites_names_a_label_says_what_the_id_is(db, settings):
    settings.POLICY_RULES = {**settings.POLICY_RULES, "DISPLAY_NAMES": None}
    assert zh(points("s1")) == "编号为 s1 的投稿人（学生）：积分 3 → 6"


def test_names_are_asked_once_per_kind_however_many_changes(people, django_assert_num_queries):
    def report(count):
        unnamed = {"kind": "semester", "subject": str(people["dept_b"].pk), "name": "", "count": 1}
        return {
            "changes": [points(people["student"].pk + n) for n in range(count)]
            + [{**unnamed, "old": True, "new": False}]
        }

    for count in (1, 30):
        with django_assert_num_queries(2):  # the contributors, the departments the facts leave unnamed
            shown = sections(report(count))
        assert [section["count"] for section in shown] == [1, count]
