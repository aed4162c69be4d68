"""The soak's and the push bench's synthetic articles (soak_adapter.py): each page's own image is its own, so
pushing N articles is 2 + N content uploads however large N is (issue 15: 500 pages made 282 uploads)."""

from tests.wechat_channel.delivery.soak_adapter import SHARED, own_src, picture


def test_every_page_has_a_picture_no_other_page_has():
    pictures = {picture(own_src(pk)) for pk in range(1, 2001)} | {picture(src) for src in SHARED}

    assert len(pictures) == 2002
    assert picture(own_src(7)) == picture(own_src(7))  # the same page, the same picture: uploaded once
