"""Admin wiring of the staff duty report (A21); imported by wagtail_hooks."""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem


@hooks.register("register_admin_urls")
def register_staff_duty_urls():
    from django.urls import include, path

    from cms.staff_duty.views import StaffDutyView

    urls = [path("", StaffDutyView.as_view(), name="index")]
    return [path("staff-duty/", include((urls, "staff_duty_admin"), namespace="staff_duty_admin"))]


class StaffDutyMenuItem(MenuItem):
    def is_shown(self, request):
        from cms.staff_duty.views import can_view

        return can_view(request.user)


@hooks.register("register_reports_menu_item")
def register_staff_duty_menu_item():
    return StaffDutyMenuItem(
        _("Staff following the account"),
        reverse_lazy("staff_duty_admin:index"),
        name="staff-duty",
        icon_name="user",
        order=900,
    )
