"""The policy's content section (A6.3, A10.1) as the editor and the office review see it."""

from django.utils.translation import gettext as _

from policy_rules.decisions import NoActivePolicy, active_version
from policy_rules.document import Content


def content_rules():
    """The active policy's content rules; the regulation's defaults when no version is active."""
    try:
        return active_version().parsed().content
    except NoActivePolicy:
        return Content()


def title_warning(article, rules=None):
    """A warning when the title is longer than the recommended length (A10.1); None otherwise."""
    rules = rules or content_rules()
    if len(article.title) > rules.title_recommended_max:
        return _("The title has %(length)d characters; titles should be short (A10.1, at most %(max)d).") % {
            "length": len(article.title),
            "max": rules.title_recommended_max,
        }
    return None
