"""Production: every secret and host comes from the environment; nothing has a default.

A missing variable or a placeholder copied from `.env.example` stops the start with an `ImproperlyConfigured`
that names the variable and what to do (in English: it is read in the operators' log).
"""

import os

from django.core.exceptions import ImproperlyConfigured

from cms.settings.base import *  # noqa: F403
from cms.settings.base import MIDDLEWARE, STORAGES, env_bool, env_list

# Lower-case names: Django would take upper-case ones for settings.
placeholder = "change-me"  # `.env.example`'s stand-in for every secret, never a real value
secret_variables = ("SECRET_KEY", "DATABASE_URL", "EMAIL_HOST_PASSWORD", "REDIS_URL", "POLICY_API_TOKENS")
# Django's deployment check (security.W009) wants a key at least this long, with this many distinct characters.
key_min_length, key_min_unique = 50, 5


def missing(name):
    return ImproperlyConfigured(
        f"{name} is not set. Set it in the service's environment before starting with cms.settings.production "
        "(see .env.example and README.md, 'Configuring production')."
    )


def required(name):
    """The non-empty value of `name`, or ImproperlyConfigured saying it is missing."""
    value = os.environ.get(name, "").strip()
    if not value:
        raise missing(name)
    return value


def required_list(name):
    """The comma-separated values of `name`, or ImproperlyConfigured when there are none."""
    values = env_list(name)
    if not values:
        raise missing(name)
    return values


def refuse_placeholders():
    """The site's own secrets must not keep `.env.example`'s placeholder."""
    for name in secret_variables:
        if placeholder in os.environ.get(name, ""):
            raise ImproperlyConfigured(
                f"{name} still holds the placeholder '{placeholder}' from .env.example. "
                "Set it to the real value in the service's environment."
            )


def secret_key():
    """SECRET_KEY from the environment: present, no placeholder, and long and varied enough to sign sessions."""
    value = required("SECRET_KEY")
    weak = len(value) < key_min_length or len(set(value)) < key_min_unique or value.startswith("django-insecure-")
    if weak:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: use at least {key_min_length} random characters, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))', and keep it out of version control."
        )
    return value


DEBUG = False
refuse_placeholders()
SECRET_KEY = secret_key()
ALLOWED_HOSTS = required_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer probes the web processes over plain HTTP: /healthz answers instead of redirecting to https.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
X_FRAME_OPTIONS = "SAMEORIGIN"

# Static files from the web process itself (WhiteNoise), right after the security headers: `collectstatic` writes
# each file under a name with its content's hash (and gzip), served with a year's `Cache-Control: immutable`; a
# proxy in front may cache them or serve STATIC_ROOT itself (deploy/nginx/newsroom.conf).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
