"""A transactional test leaves the database as the migrations made it: its own rows gone, the root page, the roles
and policy v1 back (tests/db_reset.py). pytest-xdist's work stealing may run a test in a transaction right after
one, and that test reads the migrations' data without restoring it; in CI two such tests once found no root page."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page, Site

from cms.models import ArticlePage, Department
from policy_rules.models import PolicyVersion


def migrations_data():
    return {
        "root page": Page.get_first_root_node() is not None,
        "roles": Group.objects.filter(name="办公室编辑").exists(),
        "policy": PolicyVersion.objects.filter(status="active").exists(),
    }


@pytest.fixture(scope="module")
def state_after_the_transactional_test(django_db_blocker):
    """What the database holds once the module's test is torn down (this fixture is torn down after it)."""
    found = {}
    yield found
    with django_db_blocker.unblock():
        found.update(migrations_data(), departments=Department.objects.count())
    assert found == {"root page": True, "roles": True, "policy": True, "departments": 0}


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_the_migrations_data_behind_it(state_after_the_transactional_test):
    assert all(migrations_data().values())
    Department.objects.create(name="学生处", code="a")  # the test's own row, which the flush removes


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_finds_the_site_and_a_new_page_is_found_by_search(site_tree, article_factory, people):
    """The site's tree is made with the test database and restored with it; on SQLite the search backend's full-text
    rows follow the index entries through its triggers, so a page saved now is indexed once and searchable."""
    home, index = site_tree
    assert home.pk in Site.objects.values_list("root_page", flat=True) and index.get_parent().pk == home.pk
    page = article_factory(title="Sports day", department=people["dept_a"], live=True)

    assert list(ArticlePage.objects.search("sports")) == [page]
