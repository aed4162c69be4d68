"""Approving from the dashboard's "Awaiting your review" panel says what happened (issue 11 item 7, A6.2)."""

import pytest
from playwright.sync_api import expect

from tests.browser.steps import SHOTS, approve_on_dashboard, log_in
from tests.factories import make_article
from tests.review_steps import submit

pytestmark = pytest.mark.browser


def test_a_leader_approving_on_the_dashboard_reads_what_happened(site_tree, people, open_context, server_errors):
    article = make_article(site_tree[1], department=people["dept_a"], title="运动会报道", owner=people["contributor"])
    submit(article, people["contributor"])
    page = log_in(open_context(viewport={"width": 1400, "height": 900}), "head_a")

    approve_on_dashboard(page, article)

    said = page.locator(".messages")
    expect(said).to_contain_text("《运动会报道》已通过科室负责人审核，转入分管领导审核。")
    page.screenshot(path=f"{SHOTS}/dashboard-outcome-zh.png")
    assert "已被更新" not in said.inner_text()
    assert not server_errors
