"""The page a form refused by Django's CSRF check answers with (A6.2.5: a revision must not be lost).

Nothing is saved, but the visitor reads why in their language, gets back the text they typed
to copy, and a link back to the form. The text is shown as text in a read-only box, never run.
"""

from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

# The fields of the public forms worth giving back: what a person spent time writing, each cut to the longest
# text a public form accepts (the contribution's and the report's text: 20,000 characters).
TEXT_MAX_LENGTH = 20_000
KEPT_FIELDS = [("title", _("Title")), ("text", _("Text"))]


def typed_text(request):
    """(label, value) of the kept fields the refused form carried, each cut to the form's own limit."""
    if request.method != "POST":
        return []
    kept = []
    for name, label in KEPT_FIELDS:
        value = request.POST.get(name, "")
        if isinstance(value, str) and value.strip():
            kept.append((label, value[:TEXT_MAX_LENGTH]))
    return kept


def csrf_failure(request, reason=""):
    """403: the form was not sent from this site's page as it stands (expired, cookies blocked, or forged)."""
    context = {
        "typed": typed_text(request),
        "back": request.path,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
    }
    response = render(request, "403_csrf.html", context, status=403)
    add_never_cache_headers(response)
    # The address may be a private status link: never pass it on to another site.
    response["Referrer-Policy"] = "same-origin"
    return response
