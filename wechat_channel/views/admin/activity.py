"""Follower activity records (A14): the filtered list, the office head's export, and the exports made so far."""

import datetime
import io

from django import forms
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wechat_channel import activity
from wechat_channel.models import ActivityExport, FollowerActivity, WeChatAccount
from wechat_channel.params import BoundedModelChoiceField
from wechat_channel.permissions import EXPORT_ACTIVITY, VIEW_ACTIVITY, can

from .base import ChannelView

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # a date input shows ISO dates only
# Dates the records can have; 0001-01-01 and 9999-12-31 have no midnight or next day to filter by.
IN_RANGE = [MinValueValidator(datetime.date(2000, 1, 1)), MaxValueValidator(datetime.date(2999, 12, 31))]
CONTENT_TYPES = {
    ActivityExport.Format.CSV: "text/csv; charset=utf-8",
    ActivityExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ActivityFilterForm(forms.Form):
    """Which records: an account or all, an openid or all, from one day to another (both included)."""

    account = BoundedModelChoiceField(
        label=pgettext_lazy("WeChat", "Account"),
        queryset=WeChatAccount.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All accounts"),
    )
    openid = forms.CharField(label=gettext_lazy("openid"), max_length=64, required=False)
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE, validators=IN_RANGE)
    end = forms.DateField(label=gettext_lazy("Until (included)"), required=False, widget=DATE, validators=IN_RANGE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The end date is before the start date."))
        data["openid"] = (data.get("openid") or "").strip()
        return data

    def span(self):
        """[start, end) as aware datetimes in the site's time zone; None for an open side."""
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        return (
            _midnight(start) if start else None,
            _midnight(end + datetime.timedelta(days=1)) if end else None,
        )


class ActivityExportForm(ActivityFilterForm):
    """A request from the authorities names who asks, their reference and a time range: an export has all four (A14:
    the records are provided at the request of the public security organs, so every export answers one request)."""

    authority = forms.CharField(
        label=gettext_lazy("Requesting authority"),
        max_length=200,
        help_text=gettext_lazy("Who asked for the records, e.g. 瑞安市公安局."),
    )
    reference = forms.CharField(
        label=gettext_lazy("Case reference"),
        max_length=100,
        help_text=gettext_lazy("The reference on their request (document or case number)."),
    )
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ActivityExport.Format.choices)

    field_order = ["authority", "reference", "account", "openid", "start", "end", "format"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].required = True
        self.fields["end"].required = True


def filtered(records, form):
    """`records` narrowed by a valid filter form."""
    start, end = form.span()
    account, openid = form.cleaned_data["account"], form.cleaned_data["openid"]
    if account:
        records = records.filter(account=account)
    if openid:
        records = records.filter(openid=openid)
    if start:
        records = records.filter(occurred_at__gte=start)
    if end:
        records = records.filter(occurred_at__lt=end)
    return records


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


class ActivityView(ChannelView):
    permission = VIEW_ACTIVITY
    page_title = gettext_lazy("Follower activity")
    template_name = "wechat_channel/admin/activity.html"
    per_page = 50

    def get_context_data(self, export_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ActivityFilterForm(self.request.GET or None)
        records = FollowerActivity.objects.select_related("account").order_by("-occurred_at", "-pk")
        if form.is_bound and form.is_valid():
            records = filtered(records, form)
        page = Paginator(records, self.per_page).get_page(self.request.GET.get("p"))
        query = self.request.GET.copy()
        query.pop("p", None)
        may_export = can(self.request.user, EXPORT_ACTIVITY)
        context.update(
            form=form,
            page=page,
            query=query.urlencode(),
            may_export=may_export,
            export_form=export_form or (ActivityExportForm(initial=self.request.GET.dict()) if may_export else None),
            exports=ActivityExport.objects.select_related("user", "account")[:20],
        )
        return context


class ActivityExportView(ActivityView):
    """POST only: write the export and record it; refused (403) to anyone but the office head (A14)."""

    permission = EXPORT_ACTIVITY
    http_method_names = ["post"]

    def dispatch(self, request, *args, **kwargs):
        # A plain 403, not the admin's redirect home: a refused export must be unmistakable (A14).
        if not can(request.user, self.permission):
            return HttpResponseForbidden(_("Only the office head may export follower activity."))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        form = ActivityExportForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(export_form=form), status=400)
        start, end = form.span()
        account, openid = form.cleaned_data["account"], form.cleaned_data["openid"]
        export_format = form.cleaned_data["format"]
        stream = io.BytesIO()
        activity.export(
            request.user,
            account,
            openid,
            start,
            end,
            export_format,
            stream,
            authority=form.cleaned_data["authority"],
            reference=form.cleaned_data["reference"],
        )
        response = HttpResponse(stream.getvalue(), content_type=CONTENT_TYPES[export_format])
        name = f"follower-activity-{form.cleaned_data['start']:%Y%m%d}-{form.cleaned_data['end']:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.{export_format}"'
        return response
