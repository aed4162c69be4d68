"""Synthetic articles for the fault soak, the call-count test and bench/wechat_push.py.

Each article has three images in its body, two shared by every article and one of its own, and its own
image as cover: pushing N articles needs 2 + N content uploads and N cover uploads, no more. A page whose
title ends with `NO_COVER` has no cover, which WeChat refuses: the channel parks it before any upload.
"""

import functools
import hashlib
import io

from PIL import Image

from wechat_channel.adapters import ImageFile, PageAdapter

NO_COVER = "（无封面）"
SHARED = ("/media/shared-1.png", "/media/shared-2.png")


def own_src(page_pk):
    return f"/media/own-{page_pk}.png"


@functools.lru_cache(maxsize=4096)
def picture(src):
    """Small PNG bytes of `src` alone: its pixels are the SHA-256 of the name, repeated, so two names never share
    a picture (a colour from a sum of the characters did past ~200 pages, and the channel rightly uploaded once)."""
    digest = hashlib.sha256(src.encode()).digest()
    size = 48 * 32 * 3
    buffer = io.BytesIO()
    Image.frombytes("RGB", (48, 32), (digest * (size // len(digest) + 1))[:size]).save(buffer, "PNG")
    return buffer.getvalue()


class SyntheticAdapter(PageAdapter):
    """Any page as an article with three body images (two shared) and a cover of its own."""

    def author(self):
        return "记者团"

    def digest(self):
        return f"{self.page.title}的摘要。"

    def body_html(self):
        images = "".join(f'<p><img src="{src}" alt=""></p>' for src in (*SHARED, own_src(self.page.pk)))
        return f"<p>{self.page.title}：正文。</p>{images}"

    def source_url(self):
        return f"https://news.example.edu.cn/articles/{self.page.pk}/"

    def credits(self):
        return ["文字：张三", "责任编辑：王编辑"]

    def cover(self):
        if self.page.title.endswith(NO_COVER):
            return None
        return self.open_image(own_src(self.page.pk))

    def open_image(self, src):
        if src in SHARED or src == own_src(self.page.pk):
            return ImageFile(src.rsplit("/", 1)[-1], picture(src))
        return None
