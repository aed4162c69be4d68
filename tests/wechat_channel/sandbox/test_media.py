"""Media uploads against the live sandbox (WECHAT.md §2.1, §2.2, §2.4): wechatpy and raw multipart requests."""

import time

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from tests.wechat_channel.sandbox.helpers import JPEG, PNG, named
from tests.wechat_channel.sandbox_access import fetch_token


def upload(sandbox, path, files, token, params=None, data=None):
    query = dict(params or {})
    if token is not None:
        query["access_token"] = token
    return requests.post(f"{sandbox.url}/cgi-bin/{path}", params=query, files=files, data=data, timeout=5).json()


@pytest.fixture
def token(sandbox):
    return fetch_token(sandbox)["access_token"]


def served(sandbox, url):
    """(status, content type, bytes) the sandbox serves over HTTP at `url` (a returned upload URL)."""
    assert url.startswith(sandbox.url + "/mmbiz/sz_mmbiz_")
    response = requests.get(url, timeout=5)
    return response.status_code, response.headers["Content-Type"], response.content


def logged(sandbox, path):
    """The call-log entries for `path`; the server records a call just after answering it, so wait briefly."""
    deadline = time.monotonic() + 2
    while not (calls := sandbox.calls.as_list(path=path)) and time.monotonic() < deadline:
        time.sleep(0.01)
    return calls


def assert_error(body, code, errmsg):
    assert body["errcode"] == code
    assert body["errmsg"].startswith(errmsg + " rid: ")


def test_wechatpy_upload_image_returns_url_serving_the_same_bytes(sandbox, wechat_client):
    url = wechat_client.media.upload_image(named(PNG, "pic.png"))
    assert isinstance(url, str) and url.startswith("http://")
    assert served(sandbox, url) == (200, "image/png", PNG)


def test_wechatpy_add_image_material(sandbox, wechat_client):
    res = wechat_client.material.add("image", named(PNG, "cover.png"))
    assert set(res) == {"media_id", "url"}
    assert len(res["media_id"]) == 64
    assert served(sandbox, res["url"]) == (200, "image/png", PNG)
    stored = sandbox.sandbox.media.get(res["media_id"])
    assert (stored.type, stored.data) == ("image", PNG)


def test_thumb_material_has_media_id_only(sandbox, token):
    res = upload(sandbox, "material/add_material", {"media": ("t.jpg", JPEG)}, token, params={"type": "thumb"})
    assert set(res) == {"media_id"}
    assert sandbox.sandbox.media.get(res["media_id"]).type == "thumb"


def test_raw_uploadimg_shape_and_call_log(sandbox, token):
    res = upload(sandbox, "media/uploadimg", {"media": ("a.jpg", JPEG, "image/jpeg")}, token)
    assert set(res) == {"url"}
    assert served(sandbox, res["url"]) == (200, "image/jpeg", JPEG)
    calls = logged(sandbox, "/cgi-bin/media/uploadimg")
    assert [(c["method"], c["status"], c["errcode"]) for c in calls] == [("POST", 200, 0)]
    assert calls[0]["query"]["access_token"].startswith("tok:")


def test_unknown_url_is_404(sandbox):
    assert requests.get(sandbox.url + "/mmbiz/sz_mmbiz_png/nope/0", timeout=5).status_code == 404


def test_missing_media_part_is_41005(sandbox, token):
    body = upload(sandbox, "media/uploadimg", {"file": ("a.png", PNG)}, token)
    assert_error(body, 41005, "media data missing")
    body = upload(sandbox, "material/add_material", {"other": ("a.png", PNG)}, token, params={"type": "image"})
    assert_error(body, 41005, "media data missing")


def test_rfc2231_filename_is_41005(sandbox, token):
    boundary = "b0undary"
    raw = (
        (
            f"--{boundary}\r\n"
            "Content-Disposition: form-data; name=\"media\"; filename*=utf-8''%E5%9B%BE.png\r\n"
            "Content-Type: image/png\r\n\r\n"
        ).encode()
        + PNG
        + f"\r\n--{boundary}--\r\n".encode()
    )
    res = requests.post(
        f"{sandbox.url}/cgi-bin/media/uploadimg",
        params={"access_token": token},
        data=raw,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=5,
    ).json()
    assert_error(res, 41005, "media data missing")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("notes.png", b"just some text, not an image\n"),  # text renamed .png
        ("media", PNG),  # bytes without a filename: requests sends the field name (§2.4)
        ("pic.gif", b"GIF89a" + b"\x00" * 20),  # gif is not allowed for uploadimg
        ("pic.jpg", PNG),  # extension and content disagree
    ],
)
def test_wrong_file_type_is_40005(sandbox, token, name, data):
    assert_error(upload(sandbox, "media/uploadimg", {"media": (name, data)}, token), 40005, "invalid file type")


def test_wechatpy_sees_40005(wechat_client):
    with pytest.raises(WeChatClientException) as exc:
        wechat_client.media.upload_image(named(b"hello", "x.png"))
    assert exc.value.errcode == 40005


def test_thumb_must_be_jpg(sandbox, token):
    body = upload(sandbox, "material/add_material", {"media": ("t.png", PNG)}, token, params={"type": "thumb"})
    assert_error(body, 40005, "invalid file type")


def test_oversize_uploadimg_is_40009(sandbox, token):
    big = PNG + b"\x00" * (1024 * 1024)
    assert_error(upload(sandbox, "media/uploadimg", {"media": ("big.png", big)}, token), 40009, "invalid image size")
    assert len(sandbox.sandbox.media) == 0


def test_oversize_thumb_is_40012(sandbox, token):
    big = JPEG + b"\x00" * (64 * 1024)
    body = upload(sandbox, "material/add_material", {"media": ("t.jpg", big)}, token, params={"type": "thumb"})
    assert_error(body, 40012, "invalid thumb size")


def test_image_material_accepts_over_one_megabyte(sandbox, token):
    big = PNG + b"\x00" * (1024 * 1024)
    res = upload(sandbox, "material/add_material", {"media": ("big.png", big)}, token, params={"type": "image"})
    assert served(sandbox, res["url"]) == (200, "image/png", big)


@pytest.mark.parametrize("media_type", [None, "news", "Image", "file"])
def test_bad_material_type_is_40004(sandbox, token, media_type):
    params = {} if media_type is None else {"type": media_type}
    body = upload(sandbox, "material/add_material", {"media": ("a.png", PNG)}, token, params=params)
    assert body["errcode"] == 40004 and body["errmsg"].startswith("invalid media type")


@pytest.mark.parametrize("path", ["media/uploadimg", "material/add_material?type=image"])
def test_unauthenticated_upload_is_41001(sandbox, path):
    res = requests.post(f"{sandbox.url}/cgi-bin/{path}", files={"media": ("a.png", PNG)}, timeout=5).json()
    assert_error(res, 41001, "access_token missing")
    assert len(sandbox.sandbox.media) == 0


def test_empty_body_and_get_follow_the_common_rules(sandbox, token):
    res = requests.post(f"{sandbox.url}/cgi-bin/media/uploadimg", params={"access_token": token}, timeout=5).json()
    assert_error(res, 44002, "empty post data")
    res = requests.get(f"{sandbox.url}/cgi-bin/media/uploadimg", params={"access_token": token}, timeout=5).json()
    assert_error(res, 43002, "require POST method")


def test_reset_forgets_uploads(sandbox, wechat_client):
    url = wechat_client.media.upload_image(named(PNG, "pic.png"))
    assert requests.post(sandbox.url + "/sandbox/reset", timeout=5).status_code == 200
    assert requests.get(url, timeout=5).status_code == 404
