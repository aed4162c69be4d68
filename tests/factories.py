"""What builds site data in tests: users with a role, draft articles, complete credits.

Plain functions, imported by tests, helpers and `tests/conftest.py` (whose fixtures `people` and
`article_factory` are built from them).
"""

import itertools

from django.contrib.auth import get_user_model

from cms.models import ArticlePage, ProviderKind
from cms.people.roles import ROLES_BY_KEY, group_for

_counter = itertools.count(1)

COMPLETE_CREDITS = {"responsible_editor": "王编辑", "photographer": "记者团", "layout_editor": "王编辑"}


def make_user(username, role_key=None, **extra):
    user = get_user_model().objects.create_user(
        username=username, password="pw", email=f"{username}@example.edu.cn", **extra
    )
    if role_key:
        user.groups.add(group_for(ROLES_BY_KEY[role_key]))
    return user


def make_article(index, owner=None, department=None, provider_kind=ProviderKind.DEPARTMENT, credits=True, **fields):
    """A saved draft article with a revision; complete credits unless credits=False."""
    n = next(_counter)
    values = {
        "title": fields.pop("title", f"稿件 {n}"),
        "slug": f"article-{n}",
        "provider_kind": provider_kind,
        "department": department,
        "owner": owner,
        "live": False,
        "body": [{"type": "paragraph", "value": "<p>正文</p>"}],
        **(COMPLETE_CREDITS if credits else {}),
        **fields,
    }
    article = index.add_child(instance=ArticlePage(**values))
    article.save_revision(user=owner)
    return article
