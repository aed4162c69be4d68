"""Admin pages for cases (A6.5): thin glue over `services`; every view checks its own permission on the server."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied

from cms.admin.views import FeatureView
from cms.cases import services as cases
from cms.cases.forms import AssignForm, DismissForm, ExtendForm, FilterForm, NoteForm, ResolveForm
from cms.models import Case
from cms.models.cases import OPEN_STATUSES


def can_view_any(user):
    return bool(cases.visible_kinds(user))


class CaseView(FeatureView):
    header_icon = "warning"
    page_title = section_label = gettext_lazy("Reports and system errors")
    index_url_name = "cases_admin:index"
    may_view = staticmethod(can_view_any)


class IndexView(CaseView):
    template_name = "cms/cases/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, now = self.request.user, timezone.now()
        form = FilterForm(self.request.GET if "status" in self.request.GET else {"status": "open"})
        found = cases.visible(user)
        if form.is_valid():
            wanted = form.cleaned_data
            if wanted["kind"]:
                found = found.filter(kind=wanted["kind"])
            if wanted["status"] == "open":
                found = found.filter(status__in=OPEN_STATUSES)
            elif wanted["status"]:
                found = found.filter(status=wanted["status"])
            if wanted["late"]:
                found = found.filter(status__in=OPEN_STATUSES, deadline__lte=now)
            if wanted["mine"]:
                found = found.filter(owner=user)
        context.update(filter_form=form, cases=found, now=now)
        return context


ACTIONS = {
    # action: (form class or None, success message)
    "assign_me": (None, gettext_lazy("The case is now yours.")),
    "assign": (AssignForm, gettext_lazy("The case is assigned.")),
    "start": (None, gettext_lazy("Work on the case has started.")),
    "note": (NoteForm, gettext_lazy("The note is recorded.")),
    "extend": (ExtendForm, gettext_lazy("The deadline is extended.")),
    "resolve": (ResolveForm, gettext_lazy("The case is resolved.")),
    "dismiss": (DismissForm, gettext_lazy("The case is dismissed.")),
}


def _perform(action, case, user, data):
    if action == "assign_me":
        return cases.assign(case, user, user)
    if action == "assign":
        return cases.assign(case, user, data["owner"])
    if action == "start":
        return cases.start(case, user)
    if action == "note":
        return cases.add_note(case, user, data["note"])
    if action == "extend":
        return cases.extend_deadline(case, user, data["deadline"], data["reason"])
    if action == "resolve":
        return cases.resolve(case, user, data["note"])
    return cases.dismiss(case, user, data["reason"])


class DetailView(CaseView):
    """The case, its private contact (handlers only), its history and the next steps."""

    template_name = "cms/cases/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.case = get_object_or_404(Case.objects.select_related("owner", "account"), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if not cases.may_view(request.user, self.case.kind):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.case.number} · {self.case.summary}" if self.case.summary else self.case.number

    def get_page_subtitle(self):
        return self.case.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.case, self.request.user
        may_handle = cases.may_handle(user, case.kind)
        context.update(
            case=case,
            events=case.events.select_related("by"),
            may_handle=may_handle,
            may_act=may_handle and case.is_open,
            late=case.is_late(),
        )
        handlers = cases.handlers(case.kind) if may_handle else []
        forms = {
            "assign_form": AssignForm(handlers=handlers),
            "note_form": NoteForm(),
            "extend_form": ExtendForm(initial={"deadline": timezone.localtime(case.deadline)}),
            "resolve_form": ResolveForm(),
            "dismiss_form": DismissForm(),
        }
        for name, form in forms.items():
            context.setdefault(name, form)
        return context

    def post(self, request, *args, **kwargs):
        action, case, user = request.POST.get("action"), self.case, request.user
        if action not in ACTIONS or not cases.may_handle(user, case.kind):
            return permission_denied(request, PermissionDenied())
        form_class, success = ACTIONS[action]
        data = {}
        if form_class is not None:
            extra = {"handlers": cases.handlers(case.kind)} if form_class is AssignForm else {}
            extra = {"case": case} if form_class is ExtendForm else extra
            form = form_class(request.POST, **extra)
            if not form.is_valid():
                messages.error(request, _("Please correct the marked fields."))
                name = f"{action}_form"
                return self.render_to_response(self.get_context_data(**{name: form}), status=400)
            data = form.cleaned_data
        try:
            _perform(action, case, user, data)
        except PermissionDenied as refused:
            return permission_denied(request, refused)
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, str(success))
        return redirect("cases_admin:detail", case.pk)
