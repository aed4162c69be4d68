"""What an account may name, and where its secrets may go (A15: platform settings belong to the channel administrators,
the server's own secrets and the hosts that receive them to the operator).

- A secret variable (AppSecret, callback Token, EncodingAESKey) must start with `WECHAT_` and must not be one of the
  site's own settings (a Django setting, or a variable the channel reads as configuration): an account can never make
  the server read out SECRET_KEY, DATABASE_URL or EMAIL_HOST_PASSWORD.
- An API or web-authorization address must be WeChat's own host, a sandbox on this server (loopback), the site
  default the operator configured, or a host the operator lists in `WECHAT_ALLOWED_API_HOSTS` (the environment,
  never the admin).

The model and form validate with these rules; the client refuses an account that breaks them (a row saved before the
rules, or edited in the database) before anything is sent.
"""

import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors

SECRET_VARIABLE = re.compile(r"^WECHAT_[A-Z0-9_]{1,93}$")
# Variables the channel and the demo read as configuration: settings of the site, not an account's secret.
CONFIGURATION_VARIABLES = frozenset({"WECHAT_API_BASE_URL", "WECHAT_ALLOWED_API_HOSTS", "WECHAT_SANDBOX_URL"})
OFFICIAL_API = "https://api.weixin.qq.com"
OFFICIAL_OAUTH = "https://open.weixin.qq.com"
DEFAULT_PORTS = {"http": 80, "https": 443}
SECRET_FIELDS = ("secret_env", "callback_token_env", "aes_key_env")


# Secret variables.


def secret_variable_error(name):
    """Why `name` may not hold an account's secret, or None when it may."""
    if not SECRET_VARIABLE.match(name or ""):
        return _(
            "The variable name must start with WECHAT_ and use capital letters, digits and underscores only, "
            "e.g. WECHAT_NEWS_SECRET."
        )
    if name in CONFIGURATION_VARIABLES or hasattr(settings, name):
        return _("%(name)s is one of the site's own settings, not an account's secret: name a variable of its own.") % {
            "name": name
        }
    return None


def secret_variable_allowed(name):
    return bool(name) and secret_variable_error(name) is None


def validate_secret_variable(name):
    """Model validator of the `*_env` fields."""
    error = secret_variable_error(name)
    if error is not None:
        raise ValidationError(error, code="secret_variable")


# Addresses.


def origin(url):
    """(scheme, host, port) of an http(s) URL without user info, or None."""
    try:
        parts = urlsplit((url or "").strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.username or parts.password:
        return None
    return parts.scheme, parts.hostname.lower().rstrip("."), port or DEFAULT_PORTS[parts.scheme]


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def operator_origins():
    """The origins the operator allows: the configured defaults and `WECHAT_ALLOWED_API_HOSTS` (a bare host: https)."""
    entries = [get_conf("API_BASE_URL"), get_conf("OAUTH_BASE_URL"), *get_conf("ALLOWED_API_HOSTS")]
    return {origin(entry if "://" in entry else f"https://{entry}") for entry in entries if entry}


def address_allowed(url, official):
    found = origin(url)
    if found is None:
        return False
    return found == origin(official) or is_loopback(found[1]) or found in operator_origins()


def address_error(url, official):
    """Why `url` may not receive an account's secret or token, or None when it may."""
    if address_allowed(url, official):
        return None
    return _(
        "%(url)s is not allowed: use WeChat's address %(official)s, a sandbox on this server (localhost, 127.0.0.1, "
        "::1), or a host the server's operator lists in WECHAT_ALLOWED_API_HOSTS."
    ) % {"url": url, "official": official}


def validate_api_base_url(url):
    """Model validator of `api_base_url` (blank means the site default and is not validated)."""
    error = address_error(url, OFFICIAL_API)
    if error is not None:
        raise ValidationError(error, code="address")


def validate_oauth_base_url(url):
    """Model validator of `oauth_base_url`."""
    error = address_error(url, OFFICIAL_OAUTH)
    if error is not None:
        raise ValidationError(error, code="address")


# Accounts at the point of use.


def problems(account):
    """Every rule the stored account breaks, in the active language: empty when it may be used."""
    found = []
    for name in SECRET_FIELDS:
        variable = getattr(account, name)
        error = secret_variable_error(variable) if variable or name == "secret_env" else None
        if error is not None:
            label = account._meta.get_field(name).verbose_name
            found.append(_("%(field)s %(name)s: %(error)s") % {"field": label, "name": variable or "?", "error": error})
    for name, url, official in (
        ("api_base_url", account.base_url, OFFICIAL_API),
        ("oauth_base_url", account.authorize_base_url, OFFICIAL_OAUTH),
    ):
        error = address_error(url, official)
        if error is not None:
            label = account._meta.get_field(name).verbose_name
            found.append(_("%(field)s: %(error)s") % {"field": label, "error": error})
    return found


class UntrustedAccount(errors.WeChatCallError):
    """The account breaks a rule of this module: nothing was sent; a channel administrator must correct it."""

    def __init__(self, account, found):
        self.account = account
        self.problems = found
        super().__init__(None, errmsg=account.slug, kind=errors.PERMANENT, reason=errors.REFUSED)

    def advice(self):
        """Every rule the account breaks, in the active language."""
        return " ".join(str(message) for message in problems(self.account))


def refusal(account):
    """An `UntrustedAccount` to raise before anything of `account` is sent, or None when it may be used."""
    found = problems(account)
    return UntrustedAccount(account, found) if found else None
