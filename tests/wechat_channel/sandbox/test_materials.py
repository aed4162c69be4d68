"""Voice and video materials, the material library and temporary media against the live sandbox
(WECHAT.md §2.2, §2.3), through wechatpy's `client.material` and `client.media`."""

import json
import time

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox.helpers import JPEG, errcode, named
from tests.wechat_channel.sandbox_access import fetch_token
from wechat_channel.sandbox.media import TEMPORARY_LIFETIME

MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 16
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24
AMR = b"#!AMR\n" + b"\x00" * 32
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 40
MB = 1024 * 1024


def add_video(client, data=MP4, title="发布会", introduction="全程回放"):
    return client.material.add("video", named(data, "clip.mp4"), title=title, introduction=introduction)


@pytest.mark.parametrize(("data", "name"), [(MP3, "a.mp3"), (WAV, "a.wav"), (AMR, "a.amr")])
def test_voice_material_downloads_as_the_same_bytes(wechat_client, data, name):
    res = wechat_client.material.add("voice", named(data, name))
    assert set(res) == {"media_id"}
    download = wechat_client.material.get(res["media_id"])
    assert download.content == data
    assert download.headers["Content-Type"].startswith("audio/")


def test_voice_rules(wechat_client):
    assert errcode(lambda: wechat_client.material.add("voice", named(JPEG, "a.mp3"))) == 40005
    assert errcode(lambda: wechat_client.material.add("voice", named(MP3, "a.ogg"))) == 40005
    big = MP3 + b"\x00" * (2 * MB)
    assert errcode(lambda: wechat_client.material.add("voice", named(big, "a.mp3"))) == 40010


def test_video_material_with_description_in_the_query_string(wechat_client):
    media_id = add_video(wechat_client)["media_id"]
    info = wechat_client.material.get(media_id)
    assert (info["title"], info["description"]) == ("发布会", "全程回放")
    assert requests.get(info["down_url"], timeout=5).content == MP4


def test_video_description_may_come_as_a_form_field(sandbox):
    token = fetch_token(sandbox)["access_token"]
    description = json.dumps({"title": "表单", "introduction": "字段"}, ensure_ascii=False)
    res = requests.post(
        sandbox.url + "/cgi-bin/material/add_material",
        params={"access_token": token, "type": "video"},
        files={"media": ("v.mp4", MP4)},
        data={"description": description},
        timeout=5,
    ).json()
    assert sandbox.sandbox.media.get(res["media_id"]).title == "表单"


def test_video_rules(sandbox, wechat_client):
    token = fetch_token(sandbox)["access_token"]
    url = sandbox.url + "/cgi-bin/material/add_material"
    no_description = requests.post(
        url, params={"access_token": token, "type": "video"}, files={"media": ("v.mp4", MP4)}, timeout=5
    ).json()
    assert no_description["errcode"] == 47001
    assert errcode(lambda: add_video(wechat_client, data=MP3)) == 40005
    assert errcode(lambda: add_video(wechat_client, data=MP4 + b"\x00" * (10 * MB))) == 40011


def test_count_list_and_delete(sandbox, wechat_client):
    image = wechat_client.material.add("image", named(JPEG, "photo.jpg"))
    thumb = wechat_client.material.add("thumb", named(JPEG, "cover.jpg"))
    wechat_client.material.add("voice", named(MP3, "a.mp3"))
    add_video(wechat_client)
    counts = wechat_client.material.get_count()
    assert counts == {"voice_count": 1, "video_count": 1, "image_count": 2, "news_count": 0}
    images = wechat_client.material.batchget("image")
    assert (images["total_count"], images["item_count"]) == (2, 2)
    newest, oldest = images["item"]
    assert (newest["media_id"], newest["name"], newest["url"]) == (thumb["media_id"], "cover.jpg", "")
    assert (oldest["media_id"], oldest["url"]) == (image["media_id"], image["url"])
    assert isinstance(oldest["update_time"], int)
    assert wechat_client.material.delete(image["media_id"]) == {"errcode": 0, "errmsg": "ok"}
    assert wechat_client.material.get_count()["image_count"] == 1
    assert requests.get(image["url"], timeout=5).status_code == 404
    assert errcode(lambda: wechat_client.material.delete(image["media_id"])) == 40007


def test_batchget_paging_and_limits(wechat_client):
    ids = [wechat_client.material.add("voice", named(MP3, f"v{n}.mp3"))["media_id"] for n in range(3)]
    page = wechat_client.material.batchget("voice", offset=1, count=1)
    assert (page["total_count"], [i["media_id"] for i in page["item"]]) == (3, [ids[1]])
    assert wechat_client.material.batchget("news")["item"] == []
    assert errcode(lambda: wechat_client.material.batchget("thumb")) == 40004
    assert errcode(lambda: wechat_client.material.batchget("voice", count=21)) == 47001
    assert errcode(lambda: wechat_client.material.batchget("voice", count=0)) == 47001


def test_unknown_material_is_40007_as_text_plain(sandbox, wechat_client):
    assert errcode(lambda: wechat_client.material.get("nope")) == 40007
    token = fetch_token(sandbox)["access_token"]
    res = requests.post(
        sandbox.url + "/cgi-bin/material/get_material",
        params={"access_token": token},
        data=json.dumps({"media_id": "nope"}),
        timeout=5,
    )
    assert res.headers["Content-Type"] == "text/plain"
    assert res.json()["errcode"] == 40007


def test_temporary_upload_and_download(sandbox, wechat_client):
    res = wechat_client.media.upload("image", named(JPEG, "tmp.jpg"))
    assert set(res) == {"type", "media_id", "created_at"} and res["type"] == "image"
    assert res["created_at"] == int(sandbox.state.clock.now())
    download = wechat_client.media.download(res["media_id"])
    assert (download.content, download.headers["Content-Type"]) == (JPEG, "image/jpeg")


def test_temporary_media_expire_after_three_days(sandbox, wechat_client):
    media_id = wechat_client.media.upload("voice", named(AMR, "tmp.amr"))["media_id"]
    sandbox.state.clock.advance(TEMPORARY_LIFETIME - 1)
    assert wechat_client.media.download(media_id).content == AMR
    sandbox.state.clock.advance(1)
    token = fetch_token(sandbox)["access_token"]
    res = requests.get(
        sandbox.url + "/cgi-bin/media/get", params={"access_token": token, "media_id": media_id}, timeout=5
    )
    assert res.headers["Content-Type"] == "text/plain" and res.json()["errcode"] == 40007


def test_temporary_video_download_is_a_url(wechat_client):
    media_id = wechat_client.media.upload("video", named(MP4, "tmp.mp4"))["media_id"]
    assert requests.get(wechat_client.media.download(media_id)["video_url"], timeout=5).content == MP4


def test_temporary_and_permanent_ids_do_not_mix(sandbox, wechat_client):
    temporary = wechat_client.media.upload("thumb", named(JPEG, "t.jpg"))["media_id"]
    permanent = wechat_client.material.add("thumb", named(JPEG, "t.jpg"))["media_id"]
    store = sandbox.sandbox.media
    now = sandbox.state.clock.now()
    assert (store.kind_of(temporary, now), store.kind_of(permanent, now)) == ("temporary", "permanent")
    assert store.get(temporary) is None
    assert errcode(lambda: wechat_client.material.get(temporary)) == 40007
    assert errcode(lambda: wechat_client.media.download(permanent)) == 40007


def test_temporary_upload_rules(wechat_client):
    assert errcode(lambda: wechat_client.media.upload("file", named(JPEG, "a.jpg"))) == 40004
    assert errcode(lambda: wechat_client.media.upload("voice", named(WAV, "a.wav"))) == 40005  # amr/mp3 only
    big = JPEG + b"\x00" * (64 * 1024)
    assert errcode(lambda: wechat_client.media.upload("thumb", named(big, "a.jpg"))) == 40012


def test_downloads_are_logged(sandbox, wechat_client):
    media_id = wechat_client.media.upload("image", named(JPEG, "tmp.jpg"))["media_id"]
    wechat_client.media.download(media_id)
    with pytest.raises(WeChatClientException):
        wechat_client.media.download("missing")
    deadline = time.monotonic() + 2  # the server logs a call just after answering it
    while len(calls := sandbox.calls.as_list(path="/cgi-bin/media/get")) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert [(c["status"], c["errcode"]) for c in calls] == [(200, 0), (200, 40007)]
