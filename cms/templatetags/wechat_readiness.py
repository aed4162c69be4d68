"""`{% wechat_problems page as problems %}`: what WeChat would refuse or warn about, for admin templates."""

from django import template

from cms.review import wechat_check

register = template.Library()


@register.simple_tag
def wechat_problems(page):
    """{"blocking": [...], "warnings": [...]} for the latest version of `page` (the version under review)."""
    if page is None or not page.pk:
        return {"blocking": [], "warnings": []}
    blocking, warnings = wechat_check.problems(page.specific.get_latest_revision_as_object())
    return {"blocking": blocking, "warnings": warnings}
