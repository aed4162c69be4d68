"""Admin pages for credential holders (A6.6): thin glue over `wechat_channel.credentials.services`.

Channel administrators assign, release and record rotations; the office head (policy
administrator) sees the same pages read-only. Each POST checks its own permission.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from wechat_channel import adapters
from wechat_channel.credentials import services as credentials
from wechat_channel.models import CredentialHolder, CredentialRotation, WeChatAccount
from wechat_channel.params import BoundedModelChoiceField
from wechat_channel.permissions import ASSIGN_CREDENTIALS as ASSIGN
from wechat_channel.permissions import RELEASE_CREDENTIALS as RELEASE
from wechat_channel.permissions import ROTATE_CREDENTIALS as ROTATE
from wechat_channel.permissions import VIEW_CREDENTIALS as VIEW


def can_view(user):
    return user.is_active and user.has_perm(VIEW)


class AssignForm(forms.Form):
    """Whom to give the credentials: active staff only, each named with their department and login (A6.6.1)."""

    user = BoundedModelChoiceField(
        label=gettext_lazy("Person"),
        queryset=get_user_model().objects.none(),
        help_text=gettext_lazy("Members of staff only, with their department and login."),
    )

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        users = credentials.candidates(account)
        self.fields["user"].queryset = users
        departments = adapters.people().departments(users)
        self.fields["user"].label_from_instance = lambda user: credentials.picker_label(
            user, departments.get(user.pk, "")
        )


class ReleaseForm(forms.Form):
    user = BoundedModelChoiceField(queryset=get_user_model().objects.all(), widget=forms.HiddenInput)
    note = forms.CharField(label=gettext_lazy("Why"), max_length=200, required=False)


class RotationForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("What was changed and where (never the secret itself)."),
    )


class CredentialsView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "key"
    page_title = gettext_lazy("Credentials")

    def dispatch(self, request, *args, **kwargs):
        # A plain 403 rather than Wagtail's redirect home: PermissionDenied raised here would be turned into one.
        try:
            if not can_view(request.user):
                raise PermissionDenied
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied as refused:
            return permission_denied(request, refused)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("credentials_admin:index"), "label": _("Credentials")}]


class IndexView(CredentialsView):
    template_name = "wechat_channel/admin/credentials/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        needing = set(credentials.accounts_needing_rotation().values_list("pk", flat=True))
        context["rows"] = [
            {
                "account": account,
                "holders": list(credentials.current_holders(account)),
                "cap": credentials.max_holders(account),
                "needs_rotation": account.pk in needing,
            }
            for account in WeChatAccount.objects.order_by("name")
        ]
        return context


class AccountView(CredentialsView):
    """One account: its holders, the alarm, the forms, and the history of holdings and rotations."""

    template_name = "wechat_channel/admin/credentials/account.html"
    forms = {"assign": (ASSIGN, AssignForm), "release": (RELEASE, ReleaseForm), "rotate": (ROTATE, RotationForm)}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.account = get_object_or_404(WeChatAccount, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.account)

    def form(self, name, data=None):
        _permission, form_class = self.forms[name]
        if form_class is AssignForm:
            return form_class(data, account=self.account, prefix=name)
        return form_class(data, prefix=name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        account = self.account
        context.update(
            account=account,
            holders=_labelled(list(credentials.current_holders(account))),
            cap=credentials.max_holders(account),
            pending=list(credentials.pending_releases(account).select_related("ended_by")),
            history=CredentialHolder.objects.filter(account=account, ended_at__isnull=False).select_related(
                "ended_by", "assigned_by", "rotation"
            ),
            rotations=CredentialRotation.objects.filter(account=account).select_related("recorded_by"),
            can_assign=user.has_perm(ASSIGN),
            can_release=user.has_perm(RELEASE),
            can_rotate=user.has_perm(ROTATE),
        )
        for name in self.forms:
            context.setdefault(f"{name}_form", self.form(name))
        return context

    def post(self, request, *args, **kwargs):
        name = request.POST.get("action")
        if name not in self.forms:
            raise PermissionDenied
        permission, _form_class = self.forms[name]
        if not request.user.has_perm(permission):
            raise PermissionDenied
        form = self.form(name, request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(**{f"{name}_form": form}))
        data = form.cleaned_data
        try:
            if name == "assign":
                credentials.assign(self.account, data["user"], by=request.user)
                # Named as the picker named them: which 李老师 now holds them (A6.6.1).
                label = credentials.picker_labels([data["user"]])[data["user"].pk]
                messages.success(request, _("%(user)s now holds the credentials.") % {"user": label})
            elif name == "release":
                credentials.release(self.account, data["user"], by=request.user, note=data["note"])
                messages.warning(request, _("Released. Rotate the credentials and record it here (A6.6.2)."))
            else:
                credentials.record_rotation(self.account, by=request.user, note=data["note"])
                messages.success(request, _("Rotation recorded."))
        except credentials.CredentialError as error:
            messages.error(request, str(error))
        return redirect("credentials_admin:account", self.account.pk)


def _labelled(holders):
    """The current holdings, each with `label`: the holder as the picker names them (department and login)."""
    labels = credentials.picker_labels([holding.user for holding in holders])
    for holding in holders:
        holding.label = labels[holding.user_id]
    return holders
