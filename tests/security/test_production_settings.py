"""Hole 10 (part): production settings refuse a missing or placeholder secret with a message that says what to do.

Each case imports `cms.settings.production` in a fresh process, as the WSGI server would at start: the start fails
with `ImproperlyConfigured` naming the variable, never a bare KeyError; with proper values `check --deploy` runs.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(50)
PRODUCTION = {"DJANGO_SETTINGS_MODULE": "cms.settings.production", "ALLOWED_HOSTS": "news.example.edu.cn"}


def start(command, **variables):
    """Run `command` under the production settings with `variables` (None removes one); (returncode, output)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    env.update(PRODUCTION)
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)
    return done.returncode, done.stdout + done.stderr


def import_production(**variables):
    return start([sys.executable, "-c", "import cms.settings.production"], **variables)


@pytest.mark.parametrize(
    ("variables", "words"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "change-me"}, "SECRET_KEY still holds the placeholder 'change-me' from .env.example"),
        ({"SECRET_KEY": "a-short-key-0123456789"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "django-insecure-" + GOOD_KEY}, "SECRET_KEY is too weak"),
        (
            {"SECRET_KEY": GOOD_KEY, "EMAIL_HOST_PASSWORD": "change-me"},
            "EMAIL_HOST_PASSWORD still holds the placeholder",
        ),
        (
            {"SECRET_KEY": GOOD_KEY, "DATABASE_URL": "postgres://newsroom:change-me@127.0.0.1:5432/newsroom"},
            "DATABASE_URL still holds the placeholder",
        ),
        ({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": None}, "ALLOWED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_with_a_missing_or_placeholder_secret(variables, words):
    returncode, output = import_production(**variables)

    assert returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: " + words in output
    assert "KeyError" not in output
    assert GOOD_KEY not in output  # the message names the variable, never its value


def test_production_with_proper_values_passes_the_deployment_check():
    returncode, output = start(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"], SECRET_KEY=GOOD_KEY
    )

    assert returncode == 0, output
    assert "ImproperlyConfigured" not in output and GOOD_KEY not in output
