"""The policy's cases section (A6.5): deadlines in hours and report keywords, typed, bounded, edited in the admin."""

import pydantic
import pytest

from policy_rules.document import PolicyDocument
from tests.policy_rules.editor_form import editor_post, url


def test_the_defaults_and_old_documents_get_them():
    cases = PolicyDocument().cases
    assert (cases.report_deadline_hours, cases.error_deadline_hours, cases.report_keywords) == (48, 24, ["举报"])
    data = PolicyDocument().as_data()
    del data["cases"]
    assert PolicyDocument.model_validate(data).cases.report_keywords == ["举报"]


@pytest.mark.parametrize(
    ("cases", "field"),
    [
        ({"report_deadline_hours": 0}, "report_deadline_hours"),
        ({"error_deadline_hours": 721}, "error_deadline_hours"),
        ({"report_keywords": []}, "report_keywords"),
        ({"report_keywords": ["举报", " "]}, "report_keywords"),
        ({"report_keywords": ["字" * 21]}, "report_keywords"),
        ({"report_keywords": [f"词{n}" for n in range(21)]}, "report_keywords"),
    ],
)
def test_out_of_bounds_values_are_rejected(cases, field):
    with pytest.raises(pydantic.ValidationError) as error:
        PolicyDocument.model_validate({"cases": cases})
    assert error.value.errors()[0]["loc"][:2] == ("cases", field)


@pytest.mark.django_db
def test_keywords_and_deadlines_are_edited_on_the_form(policy_client, draft):
    data = editor_post(draft, cases__report_keywords="举报， 投诉 举报、report", cases__report_deadline_hours="12")
    response = policy_client.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["cases"] == {
        "report_deadline_hours": 12,
        "error_deadline_hours": 24,
        "report_keywords": ["举报", "投诉", "report"],
    }
    assert 'value="举报 投诉 report"' in policy_client.get(url("edit", draft.pk)).content.decode()
    assert "举报、投诉、report" in policy_client.get(url("version", draft.pk)).content.decode()


@pytest.mark.django_db
def test_a_bad_value_is_shown_at_its_field(policy_client, draft):
    response = policy_client.post(
        url("edit", draft.pk), editor_post(draft, cases__report_keywords="", cases__error_deadline_hours="0")
    )
    assert response.status_code == 200
    errors = response.context["editor"].cases.errors
    assert "report_keywords" in errors and "error_deadline_hours" in errors
