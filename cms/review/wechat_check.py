"""The office checklist's WeChat item: nothing is approved that WeChat would refuse (A6.3.3, A10.1, A10.2).

Approval publishes the article and places it in a push; a cover or length WeChat refuses would only fail at
the push's slot, when nobody is looking. The problems come from the channel's own limit checks (one list of
numbers, `wechat_channel/content/limits.py`), asked through the adapter door.
"""

from django.utils.translation import gettext as _

from wechat_channel.adapters import wechat_problems


def problems(page):
    """(blocking, warnings) WeChat would have with this version of the article."""
    found = wechat_problems(page)
    return [p for p in found if p.blocking], [p for p in found if not p.blocking]


def refusal(page):
    """Why office approval is refused for WeChat's sake, with the fix; None when WeChat would take it."""
    blocking, _warnings = problems(page)
    if not blocking:
        return None
    return _("WeChat would refuse this article: %(problems)s Edit the article, save it, then approve.") % {
        "problems": " ".join(str(problem) for problem in blocking)
    }
