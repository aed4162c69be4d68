"""The policy's contributions section (A6.2.5): how long a private status link works after the final decision."""

import pydantic
import pytest

from policy_rules.document import PolicyDocument
from tests.policy_rules.editor_form import editor_post, url


def test_the_default_applies_to_documents_stored_before_the_section():
    data = PolicyDocument().as_data()
    assert data["contributions"] == {"status_link_days": 180}
    del data["contributions"]
    assert PolicyDocument.model_validate(data).contributions.status_link_days == 180


@pytest.mark.parametrize("days", [0, -1, 3651, "soon"])
def test_out_of_bounds_values_are_rejected(days):
    with pytest.raises(pydantic.ValidationError) as error:
        PolicyDocument.model_validate({"contributions": {"status_link_days": days}})
    assert error.value.errors()[0]["loc"][:2] == ("contributions", "status_link_days")


@pytest.mark.django_db
def test_the_link_lifetime_is_edited_on_the_form_and_shown(policy_client, draft):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, contributions__status_link_days="30"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["contributions"] == {"status_link_days": 30}
    shown = policy_client.get(url("version", draft.pk)).content.decode()
    assert "A6.2.5" in shown and ">30<" in shown.replace(" ", "")


@pytest.mark.django_db
def test_a_bad_value_is_shown_at_its_field(policy_client, draft):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, contributions__status_link_days="0"))
    assert response.status_code == 200
    assert "status_link_days" in response.context["editor"].contributions.errors
