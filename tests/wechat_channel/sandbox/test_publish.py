"""Publishing through the sandbox (WECHAT.md §4): jobs, statuses, failures, deletion and the article pages."""

import time

import pytest
import requests

from tests.wechat_channel.sandbox.helpers import add_draft, article, content_image, control, errcode, thumb_id
from tests.wechat_channel.sandbox_access import SandboxWeChatClient


@pytest.fixture
def manual(sandbox):
    """Jobs stay in progress until `POST /sandbox/publishing/complete`."""
    control(sandbox, "publishing", {"publish_delay": None, "mass_delay": None})
    return sandbox


def submit_draft(client, *titles):
    thumb = thumb_id(client)
    media_id = add_draft(client, *[article(thumb, title=t) for t in titles or ("Title",)])
    return media_id, client.freepublish.submit(media_id)


def test_submit_answers_ids_and_the_job_finishes_with_article_urls(manual, wechat_client):
    media_id, answer = submit_draft(wechat_client, "One", "Two")
    assert answer["errcode"] == 0 and answer["errmsg"] == "ok"
    assert isinstance(answer["publish_id"], int) and isinstance(answer["msg_data_id"], int)
    assert wechat_client.draft.count() == {"total_count": 0}  # the draft left the draft box
    assert errcode(wechat_client.freepublish.submit, media_id) == 40007
    assert wechat_client.freepublish.get(answer["publish_id"]) == {
        "publish_id": answer["publish_id"],
        "publish_status": 1,
        "fail_idx": [],
    }
    assert control(manual, "publishing/complete") == {"finished": 1}
    status = wechat_client.freepublish.get(str(answer["publish_id"]))  # the docs' string form works too
    assert status["publish_status"] == 0 and status["fail_idx"] == []
    assert status["article_detail"]["count"] == 2
    assert [i["idx"] for i in status["article_detail"]["item"]] == [1, 2]
    first_url = status["article_detail"]["item"][0]["article_url"]
    assert first_url.startswith(manual.url + "/s/")
    page = requests.get(first_url, timeout=5)
    assert page.status_code == 200 and "<h1" in page.text and "One" in page.text


def test_published_page_shows_content_images(manual, wechat_client):
    thumb, image = thumb_id(wechat_client), content_image(wechat_client)
    media_id = add_draft(wechat_client, article(thumb, content=f'<p>Pic:</p><img src="{image}">', author="Ann"))
    publish_id = wechat_client.freepublish.submit(media_id)["publish_id"]
    control(manual, "publishing/complete")
    url = wechat_client.freepublish.get(publish_id)["article_detail"]["item"][0]["article_url"]
    html = requests.get(url, timeout=5).text
    assert f'<img src="{image}">' in html and "Ann" in html
    assert requests.get(image, timeout=5).status_code == 200


def test_default_delay_finishes_on_its_own(sandbox, wechat_client):
    publish_id = submit_draft(wechat_client)[1]["publish_id"]
    deadline = time.monotonic() + 3
    while (status := wechat_client.freepublish.get(publish_id))["publish_status"] == 1:
        assert time.monotonic() < deadline, "publishing never finished"
        time.sleep(0.05)
    assert status["publish_status"] == 0


def test_unknown_publish_id_and_unknown_draft(manual, wechat_client):
    assert errcode(wechat_client.freepublish.get, 12345) == 53502
    assert errcode(wechat_client.freepublish.submit, "no-such-draft") == 40007


@pytest.mark.parametrize(
    ("kind", "verified", "allowed"),
    [("subscription", False, False), ("subscription", True, True), ("service", False, True)],
)
def test_who_may_publish(sandbox, kind, verified, allowed):
    control(sandbox, "accounts", {"appid": "wxkind", "secret": "kind-secret", "kind": kind, "verified": verified})
    client = SandboxWeChatClient(sandbox.url, "wxkind", "kind-secret", timeout=5)
    media_id = add_draft(client, article(thumb_id(client)))  # drafts work for every account
    if allowed:
        assert client.freepublish.submit(media_id)["errcode"] == 0
    else:
        assert errcode(client.freepublish.submit, media_id) == 48001
        assert client.draft.count() == {"total_count": 1}


def test_job_faults_fail_publishing(sandbox, wechat_client):
    control(sandbox, "publishing", {"publish_delay": 0})
    control(sandbox, "faults", {"jobs": {"publish_failure": 1.0}})
    failed = wechat_client.freepublish.get(submit_draft(wechat_client)[1]["publish_id"])
    assert failed == {"publish_id": failed["publish_id"], "publish_status": 3, "fail_idx": [1]}
    control(sandbox, "faults", {"jobs": {"originality_failure": 1.0, "fail_idx": [2]}})
    failed = wechat_client.freepublish.get(submit_draft(wechat_client, "A", "B")[1]["publish_id"])
    assert (failed["publish_status"], failed["fail_idx"]) == (2, [2])
    assert "article_id" not in failed
    assert wechat_client.freepublish.batchget(0, 20)["total_count"] == 0


def test_a_failure_of_the_platform_leaves_a_backup_draft_and_the_others_do_not(sandbox, wechat_client):
    """草稿箱功能说明 (official), section 五: "若在发表过程中出现系统失败，草稿箱中会保留这份草稿的备份" — status 3
    keeps a backup (under a new media_id: the doc does not say it keeps the old one); 2 and 4 are not said to."""
    control(sandbox, "publishing", {"publish_delay": 0})
    control(sandbox, "faults", {"jobs": {"publish_failure": 1.0}})
    media_id, answer = submit_draft(wechat_client, "备份一", "备份二")
    assert wechat_client.freepublish.get(answer["publish_id"])["publish_status"] == 3

    box = wechat_client.draft.batchget(0, 20)
    assert box["total_count"] == 1
    backup = box["item"][0]
    assert backup["media_id"] != media_id and errcode(wechat_client.freepublish.submit, media_id) == 40007
    assert [a["title"] for a in backup["content"]["news_item"]] == ["备份一", "备份二"]
    wechat_client.draft.delete(backup["media_id"])

    for fault in ("originality_failure", "review_rejected"):
        control(sandbox, "faults", {"jobs": {fault: 1.0}})
        submit_draft(wechat_client, fault)
        assert wechat_client.draft.count() == {"total_count": 0}


def test_getarticle_delete_and_batchget(sandbox, wechat_client):
    control(sandbox, "publishing", {"publish_delay": 0})
    publish_id = submit_draft(wechat_client, "One", "Two")[1]["publish_id"]
    status = wechat_client.freepublish.get(publish_id)
    article_id = status["article_id"]
    items = wechat_client.freepublish.getarticle(article_id)["news_item"]
    assert [(i["title"], i["is_deleted"]) for i in items] == [("One", False), ("Two", False)]
    listed = wechat_client.freepublish.batchget(0, 20)
    assert (listed["total_count"], listed["item"][0]["article_id"]) == (1, article_id)
    assert errcode(wechat_client.freepublish.delete, article_id, 3) == 40114
    assert wechat_client.freepublish.delete(article_id, 2) == {"errcode": 0, "errmsg": "ok"}  # 1-based: "Two"
    items = wechat_client.freepublish.getarticle(article_id)["news_item"]
    assert [i["is_deleted"] for i in items] == [False, True]
    assert wechat_client.freepublish.get(publish_id)["publish_status"] == 5
    urls = [i["article_url"] for i in status["article_detail"]["item"]]
    assert [requests.get(u, timeout=5).status_code for u in urls] == [200, 404]
    assert errcode(wechat_client.freepublish.getarticle, "unknown-article") == 53600


def test_article_count_hook_for_comments(sandbox, wechat_client):
    control(sandbox, "publishing", {"publish_delay": 0})
    answer = submit_draft(wechat_client, "One", "Two", "Three")[1]
    assert sandbox.sandbox.article_count(answer["msg_data_id"]) == 3
    assert sandbox.sandbox.article_count(str(answer["msg_data_id"])) == 3
    assert sandbox.sandbox.article_count(1) is None


def test_submit_is_fingerprinted_in_the_call_log(sandbox, wechat_client):
    media_id = submit_draft(wechat_client)[0]
    deadline = time.monotonic() + 2
    while not (calls := sandbox.calls.as_list(path="/cgi-bin/freepublish/submit")) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert calls[0]["fingerprint"] == f"media_id={media_id}"
