"""Admin forms of the channel: the account (names of secrets, never their values) and a preview send."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm

from wechat_channel.models import WeChatAccount
from wechat_channel.params import BoundedModelChoiceField
from wechat_channel.trust import SECRET_FIELDS


class WeChatAccountForm(WagtailAdminModelForm):
    """A15: the channel administrators' form. Secrets are named by environment variable only; the model's validators
    (wechat_channel.trust) refuse a variable that is not WECHAT_… or is a site setting, and an untrusted address."""

    api_base_url = WeChatAccount._meta.get_field("api_base_url").formfield(assume_scheme="https")
    oauth_base_url = WeChatAccount._meta.get_field("oauth_base_url").formfield(assume_scheme="https")

    class Meta:
        model = WeChatAccount
        fields = [
            "name",
            "slug",
            "wechat_id",
            "original_id",
            "appid",
            "kind",
            "verified",
            *SECRET_FIELDS,
            "callback_mode",
            "api_base_url",
            "oauth_base_url",
            "delivery_mode",
            "policy_scope",
            "push_approved",
            "preview_wxnames",
            "is_active",
        ]


def secret_status(account):
    """(field label, variable name, set?) for each secret the account names; the value is never read out."""
    rows = []
    for name in SECRET_FIELDS:
        variable = getattr(account, name)
        if variable:
            rows.append((WeChatAccount._meta.get_field(name).verbose_name, variable, bool(account._env(variable))))
    return rows


class PreviewForm(forms.Form):
    account = BoundedModelChoiceField(
        label=pgettext_lazy("WeChat", "Account"),
        queryset=WeChatAccount.objects.none(),
        empty_label=None,
        help_text=_("The article goes to this account's test followers (preview recipients)."),
    )

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
