"""The staff duty report (A21): thin glue over `cms.staff_duty.services`, a filtered list and its CSV export."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cms.admin.params import BoundedModelChoiceField
from cms.admin.views import FeatureView
from cms.models import Department
from cms.staff_duty import services as staff_duty
from wechat_channel.models import WeChatAccount
from wechat_channel.permissions import CHECK_BINDINGS, UNBIND_OTHERS, VIEW_BINDINGS, can


def can_view(user):
    """The office, its head (policy administrator), channel administrators and superusers (A21)."""
    return can(user, VIEW_BINDINGS)


class DutyFilterForm(forms.Form):
    department = BoundedModelChoiceField(
        label=gettext_lazy("Department"),
        queryset=Department.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All departments"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("Any status")), *staff_duty.DutyStatus.choices],
        required=False,
    )
    account = BoundedModelChoiceField(
        label=gettext_lazy("WeChat account"),
        queryset=WeChatAccount.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=gettext_lazy("All accounts"),
    )


class StaffDutyView(FeatureView):
    """Who of the staff has not bound their WeChat or no longer follows (A21)."""

    template_name = "cms/staff_duty/index.html"
    page_title = gettext_lazy("Staff following the account (A21)")
    header_icon = "user"
    may_view = staticmethod(can_view)

    def rows(self):
        form = DutyFilterForm(self.request.GET or None)
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = staff_duty.duty_rows(data.get("department"), data.get("status") or None, data.get("account"))
        return form, rows

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            _form, rows = self.rows()
            response = HttpResponse(staff_duty.write_csv(rows), content_type="text/csv; charset=utf-8")
            name = f"staff-duty-{timezone.localdate():%Y%m%d}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows = self.rows()
        query = self.request.GET.copy()
        query["format"] = "csv"
        context.update(
            form=form,
            rows=rows,
            counts=[(staff_duty.DutyStatus(key).label, key, n) for key, n in staff_duty.counts(rows).items()],
            csv_query=query.urlencode(),
            may_check=can(self.request.user, CHECK_BINDINGS),
            may_unbind=can(self.request.user, UNBIND_OTHERS),
            here=self.request.get_full_path(),
            check_url=reverse("wechat_admin:bindings_check"),
        )
        return context
