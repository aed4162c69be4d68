"""The policy's review section (A6.2): how many working days a review stage may wait before it is flagged."""

import pydantic
import pytest

from policy_rules import versions
from policy_rules.document import PolicyDocument
from policy_rules.models import PolicyEvent
from tests.policy_rules.editor_form import editor_post, url
from tests.policy_rules.governance import facts_provider, period, validated  # noqa: F401 - a fixture


def test_the_default_is_two_working_days_and_applies_to_documents_stored_before_the_section():
    data = PolicyDocument().as_data()
    assert data["review"] == {"stalled_after_working_days": 2}
    del data["review"]
    assert PolicyDocument.model_validate(data).review.stalled_after_working_days == 2


@pytest.mark.parametrize("days", [0, -1, 31, 10**30, "soon", 1.5, None])
def test_out_of_bounds_values_are_rejected(days):
    with pytest.raises(pydantic.ValidationError) as error:
        PolicyDocument.model_validate({"review": {"stalled_after_working_days": days}})
    assert error.value.errors()[0]["loc"][:2] == ("review", "stalled_after_working_days")


@pytest.mark.django_db
def test_the_time_is_edited_on_the_form_shown_and_audited(policy_client, draft):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, review__stalled_after_working_days="3"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["review"] == {"stalled_after_working_days": 3}
    shown = policy_client.get(url("version", draft.pk)).content.decode()
    assert "信息材料在一个审核环节等待超过多少个工作日即标出提醒（A6.2）" in shown and ">3<" in shown.replace(" ", "")
    edited = PolicyEvent.objects.filter(version=draft, action=PolicyEvent.Action.EDITED).latest("pk")
    assert {"path": "review.stalled_after_working_days", "old": 2, "new": 3, "change": "changed"} in edited.data[
        "changes"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "31", "9" * 40, "二"])
def test_a_bad_value_is_shown_at_its_field_and_changes_nothing(policy_client, draft, value):
    before = dict(draft.document)
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, review__stalled_after_working_days=value))
    assert response.status_code == 200
    assert "stalled_after_working_days" in response.context["editor"].review.errors
    draft.refresh_from_db()
    assert draft.document == before


@pytest.mark.usefixtures("facts_provider")
def test_the_dry_run_lists_the_change(db):
    version = validated(review__stalled_after_working_days=5)
    report = versions.dry_run(version, *period(), None)
    assert report["document_diff"] == [
        {"path": "review.stalled_after_working_days", "old": 2, "new": 5, "change": "changed"}
    ]
