"""Admin wiring of the people import (issue 14); imported by wagtail_hooks."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from cms.admin.features import Feature, Menu, register_feature
from cms.people.imports import audit
from cms.people.imports.views import PeopleImportView, can_import

register_feature(
    Feature(
        name="people-import",
        prefix="people-import/",
        namespace="people_import",
        urls=[path("", PeopleImportView.as_view(), name="index")],
        menu=Menu(_("Import people"), "people_import:index", "upload", 190, can_import),
        audit=(audit.IMPORTED,),
    )
)
