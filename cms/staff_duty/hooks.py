"""Admin wiring of the staff duty report (A21); imported by wagtail_hooks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cms.admin.features import Feature, Menu, register_feature
from cms.staff_duty.views import StaffDutyView, can_view

register_feature(
    Feature(
        name="staff-duty",
        prefix="staff-duty/",
        namespace="staff_duty_admin",
        urls=[path("", StaffDutyView.as_view(), name="index")],
        menu=Menu(_("Staff following the account"), "staff_duty_admin:index", "user", 900, can_view, reports=True),
    )
)
