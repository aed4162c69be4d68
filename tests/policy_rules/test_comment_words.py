"""The policy's comment word list (A13): typed, bounded, edited one word a line."""

import pydantic
import pytest

from policy_rules.document import DEFAULT_FLAG_WORDS, PolicyDocument
from tests.policy_rules.editor_form import editor_post, url


def test_the_default_document_flags_a_short_list_and_old_documents_get_it():
    assert PolicyDocument().comments.flag_words == list(DEFAULT_FLAG_WORDS)
    data = PolicyDocument().as_data()
    del data["comments"]
    assert PolicyDocument.model_validate(data).comments.flag_words == list(DEFAULT_FLAG_WORDS)


@pytest.mark.parametrize("words", [["赌博", "  "], ["x" * 51], ["词"] * 501])
def test_blank_long_or_too_many_words_are_rejected(words):
    with pytest.raises(pydantic.ValidationError) as error:
        PolicyDocument.model_validate({"comments": {"flag_words": words}})
    assert error.value.errors()[0]["loc"][:2] == ("comments", "flag_words")


@pytest.mark.django_db
def test_the_word_list_is_edited_one_word_a_line(policy_client, draft):
    data = editor_post(draft, **{"comments-flag_words": "赌博\n\n  代写论文  \n赌博\n"})
    response = policy_client.post(url("edit", draft.pk), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.document["comments"]["flag_words"] == ["赌博", "代写论文"]
    page = policy_client.get(url("edit", draft.pk)).content.decode()
    assert "赌博\n代写论文" in page


@pytest.mark.django_db
def test_a_word_too_long_is_shown_at_the_field(policy_client, draft):
    response = policy_client.post(url("edit", draft.pk), editor_post(draft, **{"comments-flag_words": "x" * 51}))
    assert response.status_code == 200
    assert response.context["editor"].comments.errors["flag_words"]
