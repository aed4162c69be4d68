"""The public contribution form (A6.1), its status page and revision when sent back (A6.2.5)."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import PageLogEntry, WorkflowState

from cms.contributions.services import PENDING_COLLECTION_NAME, paragraph_blocks
from cms.models import ArticlePage, Contribution, DepartmentHeadTask, Person, PlatformSettings
from tests.cms.contributions.public_form import URL, form_data, not_a_picture, picture, post, send_back, status_url
from tests.factories import COMPLETE_CREDITS
from tests.publishing import publish_approved

STATUS_LINK = re.compile(r"http://testserver(/contribute/status/[^/\s]+/)")
KEPT_TOKEN = re.compile(r'name="kept_images" value="([^"]*)"')


@pytest.fixture
def client():
    """A browser that asks for English: the assertions read the source strings, not their translations."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture(autouse=True)
def fresh_state(settings, tmp_path):
    """Rate-limit counters live in the cache; uploaded files go to a throw-away media folder."""
    settings.MEDIA_ROOT = str(tmp_path)
    cache.clear()
    yield
    cache.clear()


def nothing_created():
    return not ArticlePage.objects.exists() and not Contribution.objects.exists()


def pending_images():
    return get_image_model().objects.filter(collection__name=PENDING_COLLECTION_NAME)


def image_ids(page):
    return [block.value["image"].pk for block in page.body if block.block_type == "image"]


# -- the form ------------------------------------------------------------------


def test_form_shows_every_field_and_only_active_departments(client, site_tree, people):
    people["dept_b"].active = False
    people["dept_b"].save()
    html = client.get(URL).content.decode()
    assert '<form class="contribution" method="post" enctype="multipart/form-data">' in html
    for name in ["title", "number", "name", "email", "kept_images"]:
        assert f'name="{name}"' in html
    assert re.search(r'<textarea name="text"', html)
    assert re.search(r'<input type="file" name="images"[^>]*accept="image/\*"[^>]*multiple', html)
    assert re.search(r'<select name="kind"[^>]*>\s*<option value="student"', html)
    assert f'<option value="{people["dept_a"].pk}">{people["dept_a"].name}</option>' in html
    assert f'<option value="{people["dept_b"].pk}">{people["dept_b"].name}</option>' not in html
    assert 'type="radio" name="on_behalf_of" value="department"' in html
    assert '<button type="submit" class="button">' in html
    assert PlatformSettings.load().contribution_notice in html


def test_valid_submission_files_a_draft_starts_review_and_mails_the_link(
    client, site_tree, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form_data(people), [picture("a.png"), picture("b.jpg", "JPEG")])
    assert response.status_code == 302 and response.url == "/contribute/thanks/"
    assert client.get(response.url).status_code == 200

    page = ArticlePage.objects.get()
    assert not page.live and page.get_parent().specific == site_tree[1]
    assert [block.block_type for block in page.body] == ["paragraph", "paragraph", "image", "image"]
    assert page.body[0].value.source == "<p>第一段 &amp; 更多。<br>第一段第二行</p>"
    images = [get_image_model().objects.get(pk=pk) for pk in image_ids(page)]
    # Neither title nor file name comes from the client: numbered titles, random names, decoded extensions.
    assert [image.title for image in images] == ["Contributed image 1", "Contributed image 2"]
    assert [re.fullmatch(r"original_images/[0-9a-f]{32}\.(\w+)", image.file.name)[1] for image in images] == [
        "png",
        "jpg",
    ]
    assert (page.provider_kind, page.department, page.text_author) == ("student", people["dept_a"], "李同学")

    contribution = Contribution.objects.get()
    assert contribution.person == page.contributor == Person.objects.get(kind="student", number="2026123456")
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert isinstance(state.current_task_state.task.specific, DepartmentHeadTask)
    assert PageLogEntry.objects.filter(page=page, action="newsroom.contribution.submit").exists()

    receipts = [message for message in mail.outbox if message.to == ["li@example.edu.cn"]]
    assert len(receipts) == 1
    status = client.get(STATUS_LINK.search(receipts[0].body).group(1))
    assert status.status_code == 200
    assert "运动会开幕" in status.content.decode() and "In review" in status.content.decode()


def test_known_person_is_not_rewritten_by_the_public_form(client, site_tree, people):
    student = people["student"]
    data = form_data(
        people, number=student.number, name="冒名者", email="other@example.edu.cn", department=people["dept_b"].pk
    )
    assert post(client, data).status_code == 302
    student.refresh_from_db()
    assert (student.name, student.email, student.department) == ("张同学", "student@example.edu.cn", people["dept_a"])
    page = ArticlePage.objects.get()
    assert page.contributor == student and page.text_author == "张同学"
    assert page.department == people["dept_b"]


def test_submission_on_behalf_of_the_department_is_department_material(client, site_tree, people):
    assert post(client, form_data(people, on_behalf_of="department", kind="staff")).status_code == 302
    page = ArticlePage.objects.get()
    assert (page.provider_kind, page.text_author) == ("department", "")


def test_text_becomes_escaped_paragraphs():
    blocks = paragraph_blocks("一 <3\r\n二\r\n\r\n\r\n  三  \n \n")
    assert [block["value"] for block in blocks] == ["<p>一 &lt;3<br>二</p>", "<p>三</p>"]


# -- bad input: a clear message, nothing lost, nothing created --------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title."),
        ({"text": ""}, "Enter the text of your material."),
        ({"name": ""}, "Enter your name."),
        ({"number": ""}, "Enter your student or staff number."),
        ({"email": ""}, "Enter your e-mail address."),
        ({"title": "长" * 33}, "at most 32 characters"),  # WeChat's draft/add limit
        ({"email": "not-an-address"}, "Enter a valid e-mail address."),
        ({"department": 999999}, "Choose one of the listed departments."),
    ],
    ids=[
        "no-title",
        "no-text",
        "no-name",
        "no-number",
        "no-email",
        "long-title",
        "bad-email",
        "unknown-department",
    ],
)
def test_bad_input_is_explained_and_what_was_typed_is_kept(client, site_tree, people, overrides, message):
    data = form_data(people, **overrides)
    response = post(client, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    for field in ["title", "name", "number", "email"]:
        if data[field]:
            assert f'value="{data[field]}"' in html
    assert escape(data["text"]) in html  # the textarea keeps the text
    assert nothing_created()


def test_inactive_department_is_refused(client, site_tree, people):
    people["dept_b"].active = False
    people["dept_b"].save()
    response = post(client, form_data(people, department=people["dept_b"].pk))
    assert "Choose one of the listed departments." in response.content.decode()
    assert nothing_created()


def test_a_renamed_text_file_is_named_and_the_good_images_are_kept(client, site_tree, people):
    images = [picture(f"p{n}.png") for n in range(5)] + [not_a_picture("notes.png")]
    response = post(client, form_data(people), images)
    html = response.content.decode()
    assert response.status_code == 200
    assert "“notes.png” is not a JPEG, PNG, GIF or WebP image." in html
    assert "5 images kept" in html
    assert pending_images().count() == 5
    assert nothing_created()


def test_more_than_twenty_images_are_refused(client, site_tree, people):
    response = post(client, form_data(people), [picture(f"p{n}.png") for n in range(21)])
    html = response.content.decode()
    assert "An article may have at most 20 images; this would make 21." in html
    assert 'value="运动会开幕"' in html
    assert nothing_created() and not pending_images().exists()


def test_an_oversized_image_is_refused(client, site_tree, people, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_MAX_IMAGE_BYTES": 2000}
    big = picture("big.png", size=(300, 300))
    response = post(client, form_data(people), [big, picture("small.png")])
    html = response.content.decode()
    assert "“big.png” is" in html and "each image may be at most" in html
    assert "1 image kept" in html
    assert nothing_created()


def test_kept_images_are_attached_when_the_form_is_completed(client, site_tree, people):
    first = post(client, form_data(people, name=""), [picture("one.png"), picture("two.png")])
    html = first.content.decode()
    assert "Enter your name." in html and "2 images kept" in html
    token = KEPT_TOKEN.search(html).group(1)
    kept = list(pending_images().order_by("pk").values_list("pk", flat=True))

    second = post(client, form_data(people, kept_images=token), [picture("three.png")])
    assert second.status_code == 302
    page = ArticlePage.objects.get()
    assert image_ids(page)[:2] == kept and len(image_ids(page)) == 3
    assert not pending_images().exists()


def test_discarding_kept_images_leaves_them_out(client, site_tree, people):
    token = KEPT_TOKEN.search(post(client, form_data(people, name=""), [picture()]).content.decode()).group(1)
    assert post(client, form_data(people, kept_images=token, discard_kept="1")).status_code == 302
    assert image_ids(ArticlePage.objects.get()) == []


def test_a_tampered_kept_images_token_is_ignored(client, site_tree, people):
    token = KEPT_TOKEN.search(post(client, form_data(people, name=""), [picture()]).content.decode()).group(1)
    assert post(client, form_data(people, kept_images=token[:-2] + "xx")).status_code == 302
    assert image_ids(ArticlePage.objects.get()) == []


def test_expired_kept_images_are_swept_by_the_hourly_task(client, site_tree, people):
    from cms.tasks import purge_held_uploads

    post(client, form_data(people, name=""), [picture("old.png")])
    old = pending_images().get()
    pending_images().update(created_at=timezone.now() - datetime.timedelta(days=2))
    post(client, form_data(people, name=""), [picture("new.png")])
    assert purge_held_uploads()["images"] == 1
    assert pending_images().count() == 1 and pending_images().get().pk != old.pk


# -- closing and rate limits -------------------------------------------------------


def test_closed_form_shows_a_notice_and_accepts_nothing(client, site_tree, people):
    platform = PlatformSettings.load()
    platform.contributions_open = False
    platform.save()
    assert "closed at the moment" in client.get(URL).content.decode()
    response = post(client, form_data(people))
    assert 'class="contribution"' not in response.content.decode()
    assert nothing_created()


def test_one_address_is_limited_whatever_its_case(client, site_tree, people):
    for n in range(5):
        assert post(client, form_data(people, title=f"稿件{n}"), ip=f"10.0.1.{n}").status_code == 302
    response = post(client, form_data(people, title="第六篇", email="LI@Example.edu.cn"), ip="10.0.2.1")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many submissions" in html and 'value="第六篇"' in html
    assert ArticlePage.objects.count() == 5


def test_one_client_address_is_limited(client, site_tree, people):
    for n in range(5):
        assert post(client, form_data(people, email=f"p{n}@example.edu.cn")).status_code == 302
    response = post(client, form_data(people, email="p9@example.edu.cn"))
    assert response.status_code == 429
    assert ArticlePage.objects.count() == 5


def test_a_submission_past_the_upload_budget_is_refused_and_costs_no_slot(client, site_tree, people, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_UPLOAD_BYTES_PER_HOUR": 100}
    response = post(client, form_data(people), [picture("big.png", size=(20, 20))])
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many images from this network" in html and 'value="运动会开幕"' in html
    assert nothing_created()
    for n in range(5):  # the refused submission took none of the five
        assert post(client, form_data(people, title=f"稿件{n}")).status_code == 302


def test_held_uploads_past_the_upload_budget_are_not_stored(client, site_tree, people, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_UPLOAD_BYTES_PER_HOUR": 100}
    response = post(client, form_data(people, name=""), [picture("big.png", size=(20, 20))])
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many images from this network" in html and "big.png" in html
    assert not pending_images().exists()


def test_a_submission_that_fails_gives_its_slot_back(client, site_tree, people, settings, monkeypatch):
    from cms.contributions import services

    settings.NEWSROOM = {**settings.NEWSROOM, "CONTRIBUTION_RATE_LIMIT": 1}
    create = services._create_contribution

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_create_contribution", fail)
    with pytest.raises(RuntimeError):
        post(client, form_data(people))
    monkeypatch.setattr(services, "_create_contribution", create)
    assert post(client, form_data(people)).status_code == 302


# -- status and revision (A6.2.5) --------------------------------------------------


@pytest.fixture
def contribution(client, site_tree, people):
    assert post(client, form_data(people), [picture("a.png")]).status_code == 302
    return Contribution.objects.get()


@pytest.mark.parametrize("token", ["nonsense", "eyJhIjoxfQ:1abc:def"])
def test_bad_status_token_is_not_found(client, site_tree, token):
    assert client.get(f"/contribute/status/{token}/").status_code == 404


def test_status_of_material_in_review_offers_no_revision(client, contribution):
    html = client.get(status_url(contribution)).content.decode()
    assert "In review" in html and "Revise your material" not in html
    response = post(client, {"title": "改", "text": "改"}, url=status_url(contribution))
    assert response.status_code == 409
    assert "not waiting for revision" in response.content.decode()
    assert contribution.page.revisions.count() == 1


def test_published_material_links_to_each_wechat_article_once_wechat_said_where(client, contribution):
    from wechat_channel.models import Push, PushItem, WeChatAccount

    page = ArticlePage.objects.get(pk=contribution.page_id)
    for field, value in COMPLETE_CREDITS.items():
        setattr(page, field, value)
    page.save_revision()
    page = publish_approved(page)
    accounts = [
        WeChatAccount.objects.create(name=name, slug=slug, appid=f"wx{n:016d}")
        for n, (name, slug) in enumerate([("校园", "campus"), ("招生", "admissions")], start=1)
    ]
    url = "https://mp.weixin.qq.com/s/abc?x=1&y=<2>"
    for account, wechat_url in zip(accounts, [url, ""], strict=True):
        push = Push.objects.create(account=account, slot=timezone.now())
        PushItem.objects.create(push=push, account=account, page=page, title=page.title, wechat_url=wechat_url)

    html = client.get(status_url(contribution), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "已发布" in html
    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', html.split("data-wechat-links", 1)[1].split("</ul>")[0])
    assert links == [(escape(url), "在微信公众号“校园”上阅读")]  # the account still waiting for WeChat: no link


def test_sent_back_material_is_revised_and_goes_back_to_review(client, contribution, people):
    page = contribution.page
    send_back(page, people)
    html = client.get(status_url(contribution)).content.decode()
    assert "Sent back for revision" in html
    assert "Wrong characters (typos)" in html and "第二段有错字" in html
    assert "Revise your material" in html
    assert escape(form_data(people)["text"]) in html  # the form starts from the current text

    response = post(
        client,
        {"title": "运动会开幕（修改）", "text": "改正后的正文"},
        [picture("new.png")],
        url=status_url(contribution),
    )
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "In review" in html and "Revise your material" not in html

    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    assert draft.title == "运动会开幕（修改）"
    assert [block.block_type for block in draft.body] == ["paragraph", "image", "image"]
    assert draft.body[0].value.source == "<p>改正后的正文</p>"
    assert page.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    assert PageLogEntry.objects.filter(page=page, action="newsroom.contribution.revise").exists()
    contribution.refresh_from_db()
    assert contribution.revised_at is not None


def test_a_bad_revision_is_explained_and_changes_nothing(client, contribution, people):
    send_back(contribution.page, people)
    revisions = contribution.page.revisions.count()
    response = post(client, {"title": "长" * 33, "text": "新的正文"}, url=status_url(contribution))  # WeChat: 32
    html = response.content.decode()
    assert response.status_code == 200
    assert "at most 32 characters" in html and "新的正文" in html
    assert contribution.page.revisions.count() == revisions
    assert contribution.page.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
