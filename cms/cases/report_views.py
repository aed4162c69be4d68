"""The public report pages (A6.5.2): the form and the thank-you page with the case number.

Thin glue: parse the request, call `cases.open_report`, render. A re-rendered form keeps what was typed.
"""

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms.cases import services as cases
from cms.cases.report_forms import ReportForm
from cms.models import Case
from cms.public_forms import ratelimit
from cms.public_forms.visitors import client_ip

FORM_TEMPLATE = "cms/reports/form.html"
SESSION_KEY = "newsroom_report_number"
RATE_FORM = "report"


def _rate_limit_message():
    limit, minutes = ratelimit.submission_limit()
    return _(
        "Too many reports from this network or contact: at most %(limit)d in %(minutes)d minutes. "
        "Please try again later; what you typed is kept below."
    ) % {"limit": limit, "minutes": minutes}


@require_http_methods(["GET", "POST"])
def report(request):
    """Show the report form, or open a report case (A6.5.2) and show its number."""
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {"form": ReportForm()})
    form = ReportForm(request.POST)
    ip, contact = client_ip(request), request.POST.get("contact")
    if ratelimit.submissions_exceeded(contact, ip, form=RATE_FORM):
        form.add_error(None, _rate_limit_message())
        return render(request, FORM_TEMPLATE, {"form": form}, status=429)
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, {"form": form}, status=400)
    data = form.cleaned_data
    try:
        with ratelimit.reserved(*ratelimit.submission(data["contact"], ip, form=RATE_FORM)):
            case = cases.open_report(
                data["text"],
                Case.Source.SITE,
                category=data["category"],
                link=data["link"],
                name=data["name"],
                contact=data["contact"],
            )
    except ratelimit.LimitReached:  # parallel reports took the last slot first
        form.add_error(None, _rate_limit_message())
        return render(request, FORM_TEMPLATE, {"form": form}, status=429)
    request.session[SESSION_KEY] = case.number
    return redirect("report_thanks")


@never_cache
def thanks(request):
    return render(request, "cms/reports/thanks.html", {"number": request.session.get(SESSION_KEY, "")})
