"""Local development and the demo: DEBUG on, a stable per-checkout secret key."""

import os
import secrets

from cms.settings.base import *  # noqa: F403
from cms.settings.base import BASE_DIR, env_list

DEBUG = True
SERVE_MEDIA = True
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")


def _dev_secret_key():
    """SECRET_KEY from the environment, else one generated once into var/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = BASE_DIR / "var" / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = _dev_secret_key()


# The demo writes e-mails to var/mail/ (one file per message) so the console stays readable.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
