"""Spreadsheets as the office keeps them, built in memory for the people import's tests, and what an import may
change, to compare before and after."""

import csv
import io

from django.contrib.auth import get_user_model
from openpyxl import Workbook

from cms.models import Department, Person

HEADER = ["姓名", "工号/学号", "类别（学生/教职工）", "科室", "角色", "邮箱", "电话"]
# A small college: two staff with roles, one plain staff member, two students.
STAFF = [
    ["王主任", "T1001", "教职工", "学生处", "科室负责人", "wang@example.edu.cn", "0577-1234567"],
    ["李书记", "T1002", "教职工", "院办", "分管领导", "li@example.edu.cn", ""],
    ["赵老师", "T1003", "教职工", "学生处", "", "zhao@example.edu.cn", "13800000000"],
    ["张同学", "2026000001", "学生", "学生处", "", "", ""],
    ["陈同学", "2026000002", "学生", "宣传科", "", "", ""],
]


def csv_bytes(rows, header=HEADER, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def state():
    """What an import may change: people, departments, accounts, their roles and who leads which department."""
    return (
        sorted(Person.objects.values_list("kind", "number", "name", "department__name", "email", "phone", "user_id")),
        sorted(Department.objects.values_list("name", "code", "supervising_leader_id", "active")),
        sorted(get_user_model().objects.values_list("username", "email")),
        sorted(get_user_model().groups.through.objects.values_list("user_id", "group_id")),
        sorted(Department.heads.through.objects.values_list("department_id", "user_id")),
    )
