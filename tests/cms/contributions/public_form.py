"""The public contribution form as a contributor fills it in (A6.1), and the step that sends material back to
them (A6.2.5): shared by the contribution, cover and e-mail language tests."""

import io
import os

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage

from cms.review.actions import perform

URL = "/contribute/"


def picture(name="photo.png", fmt="PNG", size=(8, 6)):
    """A real image; noise, so that its file size grows with its pixel size."""
    buffer = io.BytesIO()
    PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def not_a_picture(name="notes.png"):
    return SimpleUploadedFile(name, b"just some notes, not an image\n", content_type="image/png")


def form_data(people, **overrides):
    data = {
        "title": "运动会开幕",
        "text": "第一段 & 更多。\n第一段第二行\n\n第二段",
        "name": "李同学",
        "number": "2026123456",
        "kind": "student",
        "department": people["dept_a"].pk,
        "email": "li@example.edu.cn",
        "on_behalf_of": "self",
    }
    data.update(overrides)
    return data


def post(client, data, images=(), ip="10.0.0.1", url=URL):
    payload = dict(data)
    if images:
        payload["images"] = list(images)
    return client.post(url, payload, REMOTE_ADDR=ip)


def status_url(contribution):
    return f"/contribute/status/{contribution.status_token}/"


def send_back(page, people):
    page.refresh_from_db()
    task_state = page.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, people["head_a"], "reject", reason="typo", comment="第二段有错字")
