"""A user's language preference, in a real browser (item 7): the admin follows it, zh-hans first, English complete.

The office editor starts in Chinese (the default, and the browser's zh-CN), reads the dashboard, the page
explorer, an article's edit view and the account page in Chinese, switches the preference to English on the
account page, reads the same screens in English, and switches back. Assertions are on what the user reads.
"""

import re

import pytest

from tests.browser.steps import log_in, wait_for_url
from tests.factories import make_article

pytestmark = pytest.mark.browser

SHOTS = "/tmp/shots"  # noqa: S108 - screenshots for people to look at, as the other browser tests
# What each screen says, by language: Wagtail's strings (some shipped by us), ours, and the account's words.
EXPECTED = {
    "zh-hans": {
        "dashboard": ["页面", "搜索全部页面…"],
        "explorer": ["新闻"],
        "edit": ["全部收起", "保存草稿"],
        "account": ["账号", "姓名", "姓氏（可不填）", "主题偏好"],
    },
    "en": {
        "dashboard": ["Pages", "Search all pages…"],
        "explorer": ["新闻"],
        "edit": ["Collapse all", "Save draft"],
        "account": ["Account", "Full name", "Surname (optional)", "Theme preferences"],
    },
}
ENGLISH_LEAKS = ["Search all pages…", "Privacy and access", "Shortcuts", "Go to the first error", "Account"]


def read(page, path, shot):
    page.goto(path)
    page.wait_for_load_state("load")
    page.screenshot(path=f"{SHOTS}/i18n-{shot}.png", full_page=True)
    return page.locator("body").inner_text() + " ".join(
        page.locator("[placeholder]").evaluate_all("els => els.map(e => e.placeholder)")
    )


def screens(page, article, index, language):
    return {
        "dashboard": read(page, "/admin/", f"{language}-dashboard"),
        "explorer": read(page, f"/admin/pages/{index.pk}/", f"{language}-explorer"),
        "edit": read(page, f"/admin/pages/{article.pk}/edit/", f"{language}-edit"),
        "account": read(page, "/admin/account/", f"{language}-account"),
    }


def choose_language(page, code):
    page.goto("/admin/account/")
    page.locator('select[name="locale-preferred_language"]').select_option(code)
    page.locator('form button[type="submit"]').last.click()
    wait_for_url(page, re.compile(r"/admin/account/$"), f"saving the language {code}")
    page.locator(f'html[lang="{code}"]').wait_for()


def test_the_admin_follows_the_users_language(site_tree, people, open_context, server_errors):
    _home, index = site_tree
    office = people["office"]
    office.first_name = "王晓明"  # one full name, no surname: the preferences still save
    office.save()
    article = make_article(index, owner=office, department=people["dept_a"], title="运动会报道")
    page = log_in(open_context(), "office")

    for language, switch_to in (("zh-hans", "en"), ("en", "zh-hans")):
        texts = screens(page, article, index, language)
        for screen, expected in EXPECTED[language].items():
            for text in expected:
                assert text in texts[screen], f"{language} {screen}: {text!r} missing"
        if language == "zh-hans":
            for screen, text in texts.items():
                leaked = [word for word in ENGLISH_LEAKS if re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text)]
                assert not leaked, f"{screen} shows English: {leaked}"
        choose_language(page, switch_to)
    assert not server_errors
