"""`policy import` keeps what it does not mention (policy_rules/imports.py, issue 14 item 6): a partial document is
merged onto the active version, never reset to the regulation's defaults, and the import says so."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from policy_rules import imports, versions
from policy_rules.document import default_document
from policy_rules.models import PolicyVersion
from tests.policy_rules.editor_form import url
from tests.policy_rules.governance import facts_provider, ready  # noqa: F401  (a fixture)

PRIZES_ONLY = "rewards:\n  prizes:\n  - {name: first, points: 80, winners: 1}\n"


def test_mappings_merge_and_everything_else_replaces():
    base = {"schedule": {"windows": {"working": [1], "rest": None}, "lead_hours": 12}, "conditions": [1, 2]}
    merged = imports.overlay(base, {"schedule": {"windows": {"rest": [3]}}, "conditions": []})
    assert merged == {"schedule": {"windows": {"working": [1], "rest": [3]}, "lead_hours": 12}, "conditions": []}
    assert imports.unmentioned(base, {"schedule": {"windows": {"rest": [3]}}}) == {
        "sections": ["conditions"],
        "partly": ["schedule"],
    }


@pytest.mark.usefixtures("facts_provider")
def test_a_partial_import_keeps_the_active_versions_other_sections(db):
    active = ready(records__retention_days=100, discipline__warning_at=3)
    versions.activate(active, None)
    imported = versions.import_document(PRIZES_ONLY, "yaml", "default", None)
    document = imported.document
    assert document["rewards"]["prizes"] == [{"name": "first", "points": 80, "winners": 1}]
    assert document["records"]["retention_days"] == 100 and document["discipline"]["warning_at"] == 3
    assert document["rewards"]["points_cap"] == active.document["rewards"]["points_cap"]
    assert {k: v for k, v in document.items() if k != "rewards"} == {
        k: v for k, v in active.document.items() if k != "rewards"
    }
    event = imported.events.get(action="imported")
    assert event.data["merged_onto"] == active.number
    assert "records" in event.data["kept"]["sections"] and event.data["kept"]["partly"] == ["rewards"]


def test_a_whole_document_is_imported_as_it_is(db):
    whole = default_document().as_data()
    whole["quotas"]["min_per_week"] = 2
    imported = versions.import_document(json.dumps(whole), "json", "default", None)
    assert imported.document == whole
    assert imported.events.get(action="imported").data["kept"] == {"sections": [], "partly": []}


def test_with_no_active_version_the_regulation_fills_in(db):
    imported = versions.import_document("quotas: {min_per_week: 2}\n", "yaml", "college-b", None)
    expected = default_document("college-b").as_data()
    expected["quotas"]["min_per_week"] = 2
    assert imported.document == expected
    assert imported.events.get(action="imported").data["merged_onto"] is None


def test_the_command_line_says_what_it_kept(db, tmp_path):
    partial = tmp_path / "prizes.yaml"
    partial.write_text(PRIZES_ONLY)
    out = io.StringIO()
    with translation.override("zh-hans"):
        call_command("policy", "import", str(partial), stdout=out)
    said = out.getvalue()
    assert "合并到当前生效的第 1 版" in said and "未提及的内容保留" in said and "差错处理（A20）" in said
    assert "奖励（A17、A18）" in said  # kept in part: the prizes came from the file, the points from v1


def test_the_version_page_says_what_an_import_kept(policy_client):
    versions.import_document(PRIZES_ONLY, "yaml", "default", None)
    imported = PolicyVersion.objects.get(number=2)
    page = policy_client.get(url("version", imported.pk)).content.decode()
    assert "合并到当前生效的第 1 版" in page
