"""WeChat accounts the site pushes to (A15: only channel administrators edit them)."""

import os

from django.core.validators import RegexValidator
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wechat_channel import trust
from wechat_channel.conf import get_conf

RULE = _("It must start with WECHAT_ and must not be one of the site's own settings.")
ADDRESSES = _(
    "Only WeChat's own address, a sandbox on this server (localhost, 127.0.0.1, ::1) or a host the server's "
    "operator lists in WECHAT_ALLOWED_API_HOSTS is accepted."
)


class WeChatAccount(models.Model):
    """One official account. Its secrets live in environment variables the account names, never in the database."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("subscription account (订阅号)")
        SERVICE = "service", _("service account (服务号)")

    class DeliveryMode(models.TextChoices):
        AUTO = "auto", _("by account type: mass send when allowed, else draft only")
        MASS_SEND = "mass_send", _("mass send to all followers (群发)")
        PUBLISH = "publish", _("publish without notifying followers (发布)")
        DRAFT_ONLY = "draft_only", _("draft only: an editor sends it on mp.weixin.qq.com")

    class CallbackMode(models.TextChoices):
        PLAIN = "plain", _("plain text (明文模式)")
        SAFE = "safe", _("safe mode, AES encrypted (安全模式)")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=50, unique=True, help_text=_("Used in the callback URL /wechat/callback/<slug>/.")
    )
    wechat_id = models.CharField(_("WeChat ID"), max_length=50, blank=True)
    original_id = models.CharField(_("original ID (gh_…)"), max_length=50, blank=True)
    appid = models.CharField(
        _("AppID"), max_length=32, unique=True, validators=[RegexValidator(r"^wx[0-9a-f]{16}$", _("wx + 16 hex"))]
    )
    kind = models.CharField(_("account type"), max_length=20, choices=Kind.choices, default=Kind.SUBSCRIPTION)
    verified = models.BooleanField(_("verified (认证)"), default=False)
    secret_env = models.CharField(
        _("AppSecret variable"),
        max_length=100,
        validators=[trust.validate_secret_variable],
        help_text=format_lazy(
            "{} {}",
            _("Name of the environment variable holding the AppSecret; the secret itself is never stored."),
            RULE,
        ),
    )
    callback_token_env = models.CharField(
        _("callback Token variable"),
        max_length=100,
        validators=[trust.validate_secret_variable],
        blank=True,
        help_text=format_lazy("{} {}", _("Environment variable holding the Token set under 服务器配置."), RULE),
    )
    aes_key_env = models.CharField(
        _("EncodingAESKey variable"),
        max_length=100,
        validators=[trust.validate_secret_variable],
        blank=True,
        help_text=format_lazy(
            "{} {}", _("Environment variable holding the 43-character EncodingAESKey (safe mode)."), RULE
        ),
    )
    callback_mode = models.CharField(
        _("message encryption"), max_length=10, choices=CallbackMode.choices, default=CallbackMode.SAFE
    )
    api_base_url = models.URLField(
        _("API address"),
        blank=True,
        validators=[trust.validate_api_base_url],
        help_text=format_lazy(
            "{} {}", _("Blank: the site default. The bundled sandbox for trying things out."), ADDRESSES
        ),
    )
    oauth_base_url = models.URLField(
        _("web authorization address"),
        blank=True,
        validators=[trust.validate_oauth_base_url],
        help_text=format_lazy(
            "{} {}", _("Where staff confirm their WeChat to bind it (网页授权). Blank: the site default."), ADDRESSES
        ),
    )
    delivery_mode = models.CharField(
        _("how pushes go out"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.AUTO
    )
    policy_scope = models.CharField(_("policy scope"), max_length=50, default="default")
    push_approved = models.BooleanField(
        _("push approved articles"),
        default=True,
        help_text=_("Office approval places articles into this account's next push."),
    )
    preview_wxnames = models.CharField(
        _("preview recipients"),
        max_length=500,
        blank=True,
        help_text=_("WeChat IDs of test followers who receive previews, separated by commas."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("WeChat account")
        verbose_name_plural = _("WeChat accounts")
        ordering = ["name"]

    def __str__(self):
        return self.name

    # Secrets: read from the environment at use, never rendered; a name the rules refuse reads as unset, so a row
    # saved before them (or edited in the database) never reads out the site's own secrets.
    def _env(self, name):
        return os.environ.get(name, "") if trust.secret_variable_allowed(name) else ""

    @property
    def secret(self):
        return self._env(self.secret_env)

    @property
    def callback_token(self):
        return self._env(self.callback_token_env)

    @property
    def aes_key(self):
        return self._env(self.aes_key_env)

    def missing_secrets(self):
        """Names of the environment variables this account needs but finds empty."""
        needed = [self.secret_env, self.callback_token_env]
        if self.callback_mode == self.CallbackMode.SAFE:
            needed.append(self.aes_key_env)
        return [name or "?" for name in needed if not self._env(name)]

    @property
    def base_url(self):
        return (self.api_base_url or get_conf("API_BASE_URL")).rstrip("/")

    @property
    def authorize_base_url(self):
        """Where WeChat's web authorization (open.weixin.qq.com/connect/…) lives for this account."""
        return (self.oauth_base_url or get_conf("OAUTH_BASE_URL")).rstrip("/")

    @property
    def preview_recipients(self):
        return [name.strip() for name in self.preview_wxnames.split(",") if name.strip()]

    def effective_mode(self):
        """The delivery mode after AUTO is resolved by account type (WECHAT.md §4.1, §5)."""
        if self.delivery_mode != self.DeliveryMode.AUTO:
            return self.delivery_mode
        # Mass send needs a verified account; publishing also works for an unverified service account;
        # an unverified subscription account gets 48001 from both, and drafts still work (WECHAT.md §4.1).
        if self.verified:
            return self.DeliveryMode.MASS_SEND
        return self.DeliveryMode.PUBLISH if self.kind == self.Kind.SERVICE else self.DeliveryMode.DRAFT_ONLY
