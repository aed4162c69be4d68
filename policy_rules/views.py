"""Admin views over `policy_rules.versions`: thin glue, every rule and permission lives there.

Each view checks the permission it needs before it renders anything; the
functions in `versions` check it again when a POST reaches them.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import contradictions, texts, versions
from .case_forms import ActivationForm, PeriodForm, ValidationCases
from .diff import diff
from .display import document_error_text, document_sections, dry_run_view, event_summary, report_view
from .dry_run_sections import listed_count
from .forms import DocumentEditor
from .models import PolicyEvent, PolicyVersion

Status = PolicyVersion.Status


class PolicyView(WagtailAdminTemplateMixin, TemplateView):
    """A policy admin page: the permission is checked before anything else runs."""

    permission = versions.VIEW
    header_icon = "tasks"
    page_title = gettext_lazy("Policy")
    version = None

    def dispatch(self, request, *args, **kwargs):
        if not versions.can(request.user, self.permission):
            raise PermissionDenied
        if "pk" in kwargs:
            self.version = get_object_or_404(PolicyVersion.objects.select_related("parent"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.version.scope} v{self.version.number}" if self.version else ""

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse("policy_admin:index"), "label": _("Policy")}]
        if self.version:
            items.append(
                {
                    "url": reverse("policy_admin:version", args=[self.version.pk]),
                    "label": f"{self.version.scope} v{self.version.number}",
                }
            )
        return items

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = self.version
        return context

    def to_version(self):
        return redirect("policy_admin:version", self.version.pk)

    def refused(self, error):
        """A refused step: the message at the top of the version's page, nothing changed."""
        messages.error(self.request, error.message)
        return self.to_version()


class IndexView(PolicyView):
    template_name = "policy_rules/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = {}
        for version in PolicyVersion.objects.select_related("created_by", "parent").order_by("scope", "-number"):
            scopes.setdefault(version.scope, []).append(version)
        context["scopes"] = scopes
        context["can_add"] = versions.can(self.request.user, versions.ADD)
        return context


class VersionView(PolicyView):
    template_name = "policy_rules/version.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        version, user = self.version, self.request.user
        can_change = versions.can(user, versions.CHANGE)
        dry_run = versions.latest_dry_run(version)
        active = PolicyVersion.active_for(version.scope)
        context.update(
            sections=document_sections(version.document),
            report=report_view(version.validation_report),
            dry_run=dry_run,
            dry_run_count=listed_count(dry_run.data) if dry_run else 0,
            events=[(event, event_summary(event)) for event in version.events.select_related("actor")],
            active=active,
            can_add=versions.can(user, versions.ADD),
            can_edit=can_change and version.status == Status.DRAFT,
            can_validate=can_change and version.status == Status.DRAFT,
            can_dry_run=can_change and version.status in (Status.VALIDATED, Status.RETIRED),
            can_activate=can_change and version.status == Status.VALIDATED,
            can_roll_back=can_change and version.status == Status.RETIRED,
            roll_back_to=versions.last_retired(version.scope)
            if can_change and version.status == Status.ACTIVE
            else None,
        )
        return context


def bad_request(message):
    """A 400 that names the reason, as plain text (nothing the client sent is rendered as HTML)."""
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class StartDraftView(PolicyView):
    permission = versions.ADD
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        base_pk = request.POST.get("from", "")
        if base_pk and not (base_pk.isascii() and base_pk.isdigit() and len(base_pk) <= 18):
            return bad_request(_("“from” is not the number of a policy version."))
        base = get_object_or_404(PolicyVersion, pk=base_pk) if base_pk else None
        scope = base.scope if base else request.POST.get("scope", "default")
        try:
            draft = versions.start_draft(scope, request.user, from_version=base, source="admin")
        except versions.InvalidInput as error:
            return bad_request(error.message)
        except versions.GovernanceError as error:
            messages.error(request, error.message)
            return redirect("policy_admin:index")
        messages.success(request, _("Draft v%(number)s created: edit it below.") % {"number": draft.number})
        return redirect("policy_admin:edit", draft.pk)


class EditView(PolicyView):
    permission = versions.CHANGE
    template_name = "policy_rules/edit.html"

    def dispatch(self, request, *args, **kwargs):
        self.editor = None
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.version.status != Status.DRAFT:
            return self.refused(versions.WrongStatus(_("Only a draft can be edited.")))
        self.editor = DocumentEditor(self.version.document, change_note=self.version.change_note)
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        editor = self.editor = DocumentEditor(self.version.document, data=request.POST)
        if editor.is_valid():
            try:
                versions.edit_draft(
                    self.version, editor.document_data(), request.user, note=editor.change_note, source="admin"
                )
            except versions.PolicyInvalid as error:
                editor.add_document_errors(error.errors)
            except versions.GovernanceError as error:
                return self.refused(error)
            else:
                messages.success(request, _("Draft saved. Validate it when it is ready."))
                return self.to_version()
        messages.error(request, _("The draft was not saved: correct the fields marked below."))
        return self.render_to_response(self.get_context_data(), status=200)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["editor"] = self.editor
        return context


class ValidateView(PolicyView):
    permission = versions.CHANGE
    template_name = "policy_rules/validate.html"

    def get(self, request, *args, **kwargs):
        previous = (self.version.validation_report or {}).get("admin_cases", [])
        return self.render_to_response(self.get_context_data(cases=ValidationCases(previous=previous)))

    def post(self, request, *args, **kwargs):
        cases = ValidationCases(request.POST)
        if not cases.is_valid():
            return self.render_to_response(self.get_context_data(cases=cases))
        try:
            report = versions.validate(self.version, request.user, cases.cases(), source="admin")
        except versions.PolicyInvalid as error:
            cases.add_case_errors(error.errors)
            return self.render_to_response(self.get_context_data(cases=cases))
        except versions.GovernanceError as error:
            return self.refused(error)
        if report["ok"]:
            messages.success(
                request,
                _("v%(number)s passed every check and is validated. Run a dry run next.")
                % {"number": self.version.number},
            )
        else:
            messages.error(
                request,
                _("v%(number)s was rejected and stays a draft: %(reason)s")
                % {"number": self.version.number, "reason": texts.report_message(report)},
            )
        return self.to_version()


class DryRunView(PolicyView):
    permission = versions.CHANGE
    template_name = "policy_rules/dry_run.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=PeriodForm()))

    def post(self, request, *args, **kwargs):
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            report = versions.dry_run(
                self.version, form.cleaned_data["start"], form.cleaned_data["end"], request.user, source="admin"
            )
        except versions.GovernanceError as error:
            return self.refused(error)
        return redirect("policy_admin:dry_run_report", self.version.pk, report["event_id"])


class DryRunReportView(PolicyView):
    template_name = "policy_rules/dry_run_report.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = get_object_or_404(PolicyEvent, pk=self.kwargs["event"], version=self.version, action="dry_run")
        context.update(
            event=event,
            report=dry_run_view(event.data),
            proving=versions.proving_dry_run(self.version),
        )
        return context


class ActivateView(PolicyView):
    permission = versions.CHANGE
    template_name = "policy_rules/confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = PolicyVersion.active_for(self.version.scope)
        # Activation counts only a dry run over a past period with data; the newest one otherwise shows why not.
        dry_run = versions.proving_dry_run(self.version) or versions.latest_dry_run(self.version)
        warnings = self.warnings()
        context.update(
            action="activate",
            active=active,
            form=ActivationForm(initial={"expected_active": active.pk if active else None}, warnings=warnings),
            dry_run=dry_run,
            report=dry_run_view(dry_run.data) if dry_run else None,
            warning_texts=[document_error_text(warning) for warning in warnings],
        )
        return context

    def warnings(self):
        """The contradictions the administrator acknowledges before activating (contradictions.py)."""
        if self.version.status != Status.VALIDATED:
            return []  # only a validated version is activated, and its document passed the schema
        return [finding.as_data() for finding in contradictions.warnings(self.version.parsed())]

    def post(self, request, *args, **kwargs):
        form = ActivationForm(request.POST, warnings=self.warnings())
        valid = form.is_valid()
        expected = form.cleaned_data["expected_active"] if valid else versions.UNSET
        acknowledged = bool(valid and form.cleaned_data.get("acknowledge_warnings"))
        try:
            version, _previous = versions.activate(
                self.version, request.user, expected_active=expected, source="admin", acknowledge_warnings=acknowledged
            )
        except versions.GovernanceError as error:
            return self.refused(error)
        messages.success(request, _("v%(number)s is active.") % {"number": version.number})
        return self.to_version()


class RollbackView(PolicyView):
    permission = versions.CHANGE
    template_name = "policy_rules/confirm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        active = PolicyVersion.active_for(self.version.scope)
        context.update(
            action="rollback",
            active=active,
            form=ActivationForm(initial={"expected_active": active.pk if active else None}),
            diff_rows=dry_run_view({"document_diff": diff(active.document if active else {}, self.version.document)})[
                "diff_rows"
            ],
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ActivationForm(request.POST)
        expected = form.cleaned_data["expected_active"] if form.is_valid() else versions.UNSET
        try:
            version, _previous = versions.rollback(
                self.version.scope, request.user, to_version=self.version, expected_active=expected, source="admin"
            )
        except versions.GovernanceError as error:
            return self.refused(error)
        messages.success(request, _("Rolled back: v%(number)s is active again.") % {"number": version.number})
        return self.to_version()
