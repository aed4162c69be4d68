"""Article rules enforced while editing (A6.1, A6.3.3, A10.1)."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from cms.models import ArticlePage, ProviderKind


def editor_form(user, instance, **fields):
    form_class = ArticlePage.get_edit_handler().get_form_class()
    data = nested_form_data(
        {
            "title": "运动会",
            "slug": "sports",
            "digest": "",
            "body": streamfield([]),
            "category": "news",
            "provider_kind": "department",
            "comments": inline_formset([]),
            **fields,
        }
    )
    return form_class(data, instance=instance, for_user=user)


@pytest.mark.parametrize(("username", "allowed"), [("office", True), ("contributor", False), ("head_a", False)])
def test_only_the_office_declares_office_material(people, username, allowed):
    form = editor_form(people[username], ArticlePage(), provider_kind="office")
    form.is_valid()
    assert ("provider_kind" not in form.errors) is allowed


def test_new_article_of_a_contributor_defaults_to_their_department(people):
    form = editor_form(people["contributor"], ArticlePage())
    assert form.initial["provider_kind"] == "department"
    assert form.initial["department"] == people["dept_a"].pk


def test_model_rules(people):
    article = ArticlePage(title="标" * 33, provider_kind=ProviderKind.DEPARTMENT, is_repost=True, slug="x")
    with pytest.raises(ValidationError) as raised:
        article.clean()
    assert {"title", "department", "repost_source"} <= set(raised.value.message_dict)


def test_personal_submission_names_its_contributor(people):
    article = ArticlePage(title="t", slug="t", provider_kind=ProviderKind.STUDENT, department=people["dept_a"])
    with pytest.raises(ValidationError) as raised:
        article.clean()
    assert "contributor" in raised.value.message_dict


def test_missing_publication_details_names_each_gap(people):
    article = ArticlePage(provider_kind=ProviderKind.STUDENT, is_repost=True, responsible_editor="王")
    assert [str(item) for item in article.missing_publication_details()] == [
        str(ArticlePage._meta.get_field(name).verbose_name)
        for name in ("photographer", "layout_editor", "text_author", "repost_source")
    ]


def _policy_with_content(**content):
    from policy_rules.document import PolicyDocument
    from policy_rules.models import PolicyVersion

    active = PolicyVersion.active_for("default")
    data = active.document | {"content": active.document["content"] | content}
    PolicyVersion.objects.filter(pk=active.pk).update(document=PolicyDocument.model_validate(data).as_data())


def test_credits_and_source_follow_the_policy_content_rules(people):
    article = ArticlePage(provider_kind=ProviderKind.STUDENT, is_repost=True)
    assert len(article.missing_publication_details()) == 5
    _policy_with_content(credits_required=False, repost_requires_source=False)
    assert article.missing_publication_details() == []


def test_long_titles_warn_by_the_policy_length(people):
    from cms.policy.content import title_warning

    assert title_warning(ArticlePage(title="短标题")) is None
    warning = title_warning(ArticlePage(title="很" * 31))
    assert "31" in warning and "30" in warning
    _policy_with_content(title_recommended_max=40)
    assert title_warning(ArticlePage(title="很" * 31)) is None
