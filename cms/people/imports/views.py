"""The people import in the admin: upload, preview the plan, confirm. Thin glue over `cms.people.imports.services`.

The plan shown is never trusted back from the browser: the confirmation carries a signed ticket to the file kept on
the server, which is read and planned again; if that plan differs from the preview's, nothing is imported.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.admin.views import FeatureView
from cms.people import roles
from cms.people.imports import pending, services
from cms.people.imports.forms import UploadForm
from cms.people.imports.plan import PlanChanged, PlanRefused
from cms.people.imports.rows import ACCOUNT_ROLES, COLUMN_LABELS

SHOWN = 500  # people listed per kind of change; the rest are counted
IMPORTERS = ("cms.add_person", "cms.change_person", "cms.add_department", "cms.change_department")


def can_import(user):
    """The office head (who keeps departments and people) and superusers."""
    return user.is_active and (user.is_superuser or user.has_perms(IMPORTERS))


def grantable(user):
    """The roles `user`'s import may give: the channel administrator's only by a superuser (A15)."""
    return set(ACCOUNT_ROLES) if user.is_superuser else set(ACCOUNT_ROLES) - {roles.CHANNEL_ADMIN.key}


class PeopleImportView(FeatureView):
    template_name = "cms/people_import/index.html"
    page_title = gettext_lazy("Import people")
    header_icon = "upload"
    may_view = staticmethod(can_import)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm())
        context["columns"] = COLUMN_LABELS
        context["role_names"] = [aliases[0] for aliases in ACCOUNT_ROLES.values()]
        preview = context.get("preview")
        if preview is not None and preview.plan is not None:
            plan = preview.plan
            context.update(
                counts=plan.counts(),
                created=plan.of_people("created")[:SHOWN],
                changed=plan.of_people("changed")[:SHOWN],
                shown=SHOWN,
                departments=[entry for entry in plan.departments if entry.status != "unchanged"],
            )
        return context

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "confirm":
            return self.confirm(request)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data["file"]
        try:
            preview = services.preview(data, grantable(request.user))
        except services.FileRefused as refused:
            form.add_error("file", str(refused))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        ticket = pending.keep(data, request.user, preview.plan.digest) if preview.importable else ""
        return self.render_to_response(self.get_context_data(preview=preview, ticket=ticket))

    def confirm(self, request):
        try:
            data, digest = pending.claim(request.POST.get("ticket", ""), request.user)
            plan = services.import_file(
                data, user=request.user, source="admin", expected_digest=digest, grantable=grantable(request.user)
            )
        except pending.TicketRefused as refused:
            return self.refuse(str(refused))
        except PlanChanged:
            return self.refuse(
                _(
                    "People or departments changed since the preview; nothing was imported. "
                    "Upload the file again to see the new preview."
                )
            )
        except (services.FileRefused, PlanRefused):
            return self.refuse(_("The file no longer passes its checks; nothing was imported. Upload it again."))
        counts = plan.counts()
        messages.success(
            request,
            _(
                "Imported: %(created)s people created, %(changed)s changed, %(unchanged)s unchanged; "
                "%(departments)s departments created; %(accounts)s admin accounts created or linked."
            )
            % {
                **counts,
                "departments": len(plan.new_departments()),
                "accounts": len(plan.accounts()),
            },
        )
        return redirect("people_import:index")

    def refuse(self, message):
        return self.render_to_response(self.get_context_data(refusal=message), status=409)
