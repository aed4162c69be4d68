"""Chinese first: zh-hans is the default language, English is available (LANGUAGE_CODE, LocaleMiddleware).

What people see in either language. The catalogues themselves (complete, Chinese, compiled, covering every
wrapped string of each app) are checked by tests/test_catalogues.py.
"""

from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext as gettext_
from django.utils.translation import pgettext

from cms.models import SendBackReason

# -- what people see ---------------------------------------------------------------------------


def test_choice_labels_follow_the_active_language():
    with translation.override("zh-hans"):
        assert str(SendBackReason.TYPO.label) == "错别字"
    with translation.override("en"):
        assert str(SendBackReason.TYPO.label) == "Wrong characters (typos)"


def test_default_language_is_chinese():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


def test_home_page_is_chinese_by_default(site_tree):
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert ">首页</a>" in html
    assert ">投稿</a>" in html


def test_home_page_in_english_on_request(site_tree):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Home</a>" in html
    assert ">Contribute</a>" in html


def test_contribution_form_is_chinese_by_default(site_tree):
    response = Client().get("/contribute/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    labels = ["投稿", "您的稿件", "标题", "正文", "姓名", "学号或工号", "身份", "科室", "电子邮箱", "投稿名义", "提交"]
    for label in labels:
        assert label in html, label
    assert "以科室名义投稿的，不计个人奖励 (A19)。" in html
    assert "Student or staff number" not in html


def test_contribution_form_in_english_with_accept_language(site_tree):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/contribute/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    for label in ["Your material", "Title", "Text", "Your name", "Student or staff number", "On whose behalf"]:
        assert label in html, label
    assert "学号或工号" not in html


def test_wagtails_account_is_the_users_and_ours_is_the_wechat_account():
    with translation.override("zh-hans"):
        assert gettext_("Account") == "账号"  # the sidebar's account menu, the preferences page
        assert pgettext("WeChat", "Account") == "公众号"
        assert pgettext("WeChat", "Accounts") == "公众号"
        assert gettext_("Light") == "浅色"  # Wagtail's theme preference, not the article category
        assert pgettext("article category", "Light") == "轻松"
        assert gettext_("Search all pages…") == "搜索全部页面…"
    with translation.override("en"):
        assert pgettext("WeChat", "Account") == "Account"


# Where our catalogue deliberately words a string Wagtail or Django also uses, with the same meaning, in the
# regulation's or the site's words. Any other shared msgid with another translation is a collision: one meaning
# overrides the other everywhere (as 公众号 once did for the user's "Account"). Give ours a pgettext context.
