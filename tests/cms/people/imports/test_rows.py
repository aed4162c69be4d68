"""Each row of a people file checked (cms/people/imports/rows.py): the columns in Chinese or English, and every
error naming its row and column in Chinese."""

import pytest

from cms.people.imports.rows import HeaderRefused, read_header, read_rows
from tests.cms.people.imports.sheets import HEADER, STAFF

ENGLISH = ["Name", "Number", "Kind", "Department", "Roles", "E-mail", "Phone"]


def errors_of(*rows, header=HEADER):
    _rows, errors, _ignored = read_rows([header, *rows])
    return [str(error) for error in errors]


def test_chinese_and_english_headers_read_the_same():
    chinese, _errors, _ignored = read_rows([HEADER, *STAFF])
    english, _errors, _ignored = read_rows([ENGLISH, *STAFF])
    assert chinese == english
    head = chinese[0]
    assert (head.name, head.number, head.kind, head.department) == ("王主任", "T1001", "staff", "学生处")
    assert head.roles == ("department_head",)
    assert chinese[3].kind == "student" and chinese[3].roles == ()


def test_unknown_columns_are_ignored_and_named():
    _rows, errors, ignored = read_rows([[*HEADER, "备注"], [*STAFF[0], "随便"]])
    assert errors == [] and ignored == ["备注"]


def test_a_header_without_a_required_column_is_refused():
    with pytest.raises(HeaderRefused) as refused:
        read_header(["姓名", "科室"])
    assert "工号/学号" in str(refused.value)


def test_two_columns_meaning_the_same_are_refused():
    with pytest.raises(HeaderRefused) as refused:
        read_header(["姓名", "工号", "学号", "类别"])
    assert "“工号”" in str(refused.value) and "“学号”" in str(refused.value)


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (["王五", "T9", "外聘"], "类别（学生/教职工）", "既不是学生也不是教职工"),
        (["王五", "T9", "教职工", "学生处", "校长", "w@example.edu.cn"], "角色", "未知角色"),
        (["王五", "T9", "教职工", "学生处", "投稿人"], "角色", "不需要角色"),
        (["王五", "T9", "教职工", "", "", "not-an-email"], "邮箱", "有效的电子邮件"),
        (["王五", "T" * 33, "教职工"], "工号/学号", "32"),
        (["王五", "2.02601E+19", "学生"], "工号/学号", "设为文本"),
        (["王五", "T9;DROP", "教职工"], "工号/学号", "只能"),
        (["=cmd|' /C calc'!A0", "T9", "教职工"], "姓名", "公式"),
        (["王五", "T9", "教职工", "@SUM(A1)"], "科室", "公式"),
        (["王五", "T9", "教职工", "", "", "", "=1+1"], "电话", "公式"),
        (["", "T9", "教职工"], "姓名", "必填"),
        (["王五", "T9", "教职工", "", "科室负责人", "w@example.edu.cn"], "科室", "科室负责人"),
        (["王五", "T9", "教职工", "学生处", "科室负责人"], "邮箱", "管理账号"),
    ],
)
def test_each_error_names_its_row_and_column_in_chinese(row, column, says):
    errors = errors_of(row)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"第 2 行，“{column}”列：")
    assert says in errors[0]


def test_a_phone_number_with_its_country_code_is_no_formula():
    assert errors_of(["王五", "T9", "教职工", "", "", "", "+86 138 0000 0000"]) == []


def test_a_number_twice_in_the_file_names_the_first_row():
    errors = errors_of(STAFF[0], STAFF[2], [*STAFF[0][:1], *STAFF[0][1:]])
    assert len(errors) == 1 and errors[0].startswith("第 4 行") and "第 2 行" in errors[0]


def test_two_supervising_leaders_of_one_department_are_refused():
    header = [*HEADER, "分管科室"]
    first = ["李书记", "T1002", "教职工", "院办", "分管领导", "li@example.edu.cn", "", "学生处、宣传科"]
    second = ["周书记", "T1004", "教职工", "院办", "分管领导", "zhou@example.edu.cn", "", "宣传科"]
    errors = errors_of(first, second, header=header)
    assert len(errors) == 1 and "宣传科" in errors[0] and errors[0].startswith("第 3 行")


# A file without 类别, as offices keep them (issue 14: 姓名, 工号/学号, 科室, 角色)


def test_without_a_category_column_the_number_header_says_it():
    staff, errors, _ignored = read_rows([["姓名", "工号", "科室"], ["赵老师", "T1003", "学生处"]])
    students, more, _ignored = read_rows([["姓名", "学号", "科室"], ["张同学", "2026000001", "学生处"]])
    assert errors == more == []
    assert (staff[0].kind, students[0].kind) == ("staff", "student")


def test_under_a_shared_number_header_the_role_column_says_it():
    rows, errors, _ignored = read_rows(
        [
            ["姓名", "工号/学号", "科室", "角色", "邮箱"],
            ["王主任", "T1001", "学生处", "科室负责人", "wang@example.edu.cn"],  # an admin role: staff (A6.1)
            ["赵老师", "T1003", "学生处", "教职工", ""],
            ["张同学", "2026000001", "学生处", "学生", ""],
        ]
    )
    assert errors == []
    assert [(row.name, row.kind, row.roles) for row in rows] == [
        ("王主任", "staff", ("department_head",)),
        ("赵老师", "staff", ()),
        ("张同学", "student", ()),
    ]


@pytest.mark.parametrize(
    ("row", "column", "says"),
    [
        (["陈同学", "2026000002", "学生处", ""], "角色", "添加“类别”列"),
        (["陈同学", "2026000002", "学生处", "学生、教职工"], "角色", "既写了学生又写了教职工"),
        (["陈同学", "2026000002", "学生处", "学生、校长"], "角色", "未知角色"),
    ],
)
def test_a_row_that_does_not_say_its_category_is_refused_in_words(row, column, says):
    errors = errors_of(row, header=["姓名", "工号/学号", "科室", "角色"])
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"第 2 行，“{column}”列：") and says in errors[0]
