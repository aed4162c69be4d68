"""Admin pages for menu changes (A6.4): thin glue over `services`; every view checks its own permission."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.defaults import permission_denied
from django.views.generic import TemplateView

from cms.admin.params import parse_id
from cms.admin.views import FeatureView
from cms.menu_changes import services as menu_changes
from cms.menu_changes.forms import ApplicationForm, DecisionForm, MenuEditor
from cms.models import MenuChangeApplication, MenuChangeOpinion
from wechat_channel import menu as wechat_menu
from wechat_channel.models import WeChatAccount
from wechat_channel.wechat.errors import WeChatCallError

VIEW = "cms.view_menuchangeapplication"
ADD = "cms.add_menuchangeapplication"


def can_view(user):
    return user.is_active and (user.is_superuser or user.has_perm(VIEW))


def can_add(user):
    return user.is_active and (user.is_superuser or user.has_perm(ADD))


class MenuChangeView(FeatureView):
    header_icon = "list-ul"
    page_title = section_label = gettext_lazy("Menu changes")
    index_url_name = "menu_changes_admin:index"
    may_view = staticmethod(can_view)


class IndexView(MenuChangeView):
    template_name = "cms/menu_changes/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["applications"] = MenuChangeApplication.objects.select_related("department", "applicant", "account")
        context["can_add"] = can_add(self.request.user)
        return context


class EditView(MenuChangeView):
    """Create a draft, or edit one's own draft: the form's fields and the menu grid."""

    template_name = "cms/menu_changes/edit.html"
    may_view = staticmethod(can_add)

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        pk = kwargs.get("pk")
        self.application = get_object_or_404(MenuChangeApplication, pk=pk) if pk else None

    def dispatch(self, request, *args, **kwargs):
        if self.application is not None and not menu_changes.may_edit(self.application, request.user):
            return permission_denied(request, PermissionDenied())
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.application.number if self.application else _("New application")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        menu, initial = (self.application.menu if self.application else None), {}
        account_id = parse_id(self.request.GET.get("account"))
        if self.application is None and account_id is not None:
            # A new application starts from the account's live menu, so the change is an edit of what is there.
            account = WeChatAccount.objects.filter(pk=account_id).first()
            if account is not None:
                initial["account"] = account.pk
                menu, error = _current_menu(account)
                if error:
                    messages.warning(self.request, error)
        context.setdefault("form", ApplicationForm(instance=self.application, initial=initial))
        context.setdefault("editor", MenuEditor(menu=menu))
        context["application"] = self.application
        context["accounts"] = WeChatAccount.objects.order_by("name")
        return context

    def post(self, request, *args, **kwargs):
        form = ApplicationForm(request.POST, instance=self.application)
        editor = MenuEditor(request.POST)
        form_ok, menu_ok = form.is_valid(), editor.is_valid()
        if not (form_ok and menu_ok):
            messages.error(request, refusal(form, menu_ok))
            return self.render_to_response(self.get_context_data(form=form, editor=editor))
        application = form.save(commit=False)
        application.menu = editor.menu()
        if application.pk is None:
            application.applicant = request.user
        application.save()
        if "submit" in request.POST:
            try:
                menu_changes.submit(application, request.user)
                messages.success(request, _("%(number)s sent to the department head.") % {"number": application.number})
            except menu_changes.MenuChangeError as error:
                messages.error(
                    request,
                    _("%(number)s saved as a draft, not submitted: %(reason)s")
                    % {"number": application.number, "reason": error},
                )
        else:
            messages.success(request, _("%(number)s saved as a draft.") % {"number": application.number})
        return redirect("menu_changes_admin:detail", application.pk)


def refusal(form, menu_ok):
    """Why a save or submit was refused, for the top of the page: the refused fields by their labels (A6.4)."""
    refused = form.refused_fields() + ([] if menu_ok else [_("the proposed menu")])
    separator = pgettext("list separator", ", ")
    return _("Not saved: correct the marked fields: %(fields)s.") % {"fields": separator.join(refused)}


def _current_menu(account):
    """The account's menu from WeChat, or the error that stopped reading it."""
    try:
        return wechat_menu.current_menu(account), ""
    except WeChatCallError as error:
        return None, str(error)


class DetailView(MenuChangeView):
    """The application, the current menu beside the proposal, the opinions and the next step."""

    template_name = "cms/menu_changes/detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = get_object_or_404(
            MenuChangeApplication.objects.select_related("department", "applicant", "account"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.application.number

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application, user = self.application, self.request.user
        stage = menu_changes.pending_stage(application)
        current, current_error = _current_menu(application.account)
        context.update(
            application=application,
            current=current,
            current_error=current_error,
            opinions=application.opinions.select_related("by"),
            stage=MenuChangeOpinion.Stage(stage).label if stage else "",
            can_decide=bool(stage) and menu_changes.may_decide(application, user, stage),
            can_edit=menu_changes.may_edit(application, user),
            can_apply=menu_changes.may_apply(user)
            and application.status in (application.Status.APPROVED, application.Status.APPLY_FAILED),
        )
        context.setdefault("decision_form", DecisionForm())
        return context

    def post(self, request, *args, **kwargs):
        action, application, user = request.POST.get("action"), self.application, request.user
        try:
            if action == "submit":
                if not menu_changes.may_edit(application, user):
                    raise PermissionDenied
                menu_changes.submit(application, user)
                messages.success(request, _("Sent to the department head."))
            elif action == "decide":
                stage = menu_changes.pending_stage(application)
                if not (stage and menu_changes.may_decide(application, user, stage)):
                    raise PermissionDenied
                form = DecisionForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(decision_form=form))
                menu_changes.decide(application, user, form.cleaned_data["decision"], form.cleaned_data["opinion"])
                messages.success(request, _("Your opinion is recorded."))
            elif action == "apply":
                if not menu_changes.may_apply(user):
                    raise PermissionDenied
                application = menu_changes.apply(application, user)
                if application.status == application.Status.APPLIED:
                    messages.success(request, _("The menu is now live on WeChat."))
                else:
                    messages.error(
                        request, _("WeChat refused the menu: %(error)s") % {"error": application.apply_message}
                    )
            else:
                raise PermissionDenied
        except menu_changes.MenuChangeError as error:
            messages.error(request, str(error))
        return redirect("menu_changes_admin:detail", application.pk)


class PrintView(DetailView):
    """The attachment form (微信公众号板块设计更改申请表), laid out for paper with `@media print`."""

    template_name = "cms/menu_changes/print.html"

    def get_context_data(self, **kwargs):
        context = TemplateView.get_context_data(self, **kwargs)
        opinions = {opinion.stage: opinion for opinion in self.application.opinions.select_related("by")}
        context.update(
            application=self.application,
            head=opinions.get(MenuChangeOpinion.Stage.HEAD),
            leader=opinions.get(MenuChangeOpinion.Stage.LEADER),
            college=opinions.get(MenuChangeOpinion.Stage.COLLEGE),
        )
        return context

    def post(self, request, *args, **kwargs):
        return permission_denied(request, PermissionDenied())
