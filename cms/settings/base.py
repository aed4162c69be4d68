"""Settings shared by every environment.

Everything secret or deployment-specific comes from the environment; see
`.env.example`. `DATABASE_URL` and `REDIS_URL` switch from the embedded
default (SQLite, database cache, django-q2 ORM broker) to production services.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


INSTALLED_APPS = [
    "cms",
    "home",
    "policy_rules",
    "wechat_channel",
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "django_q",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
# A form refused by the CSRF check gets a page in the visitor's language that keeps what they typed.
CSRF_FAILURE_VIEW = "cms.public_forms.csrf.csrf_failure"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site, the task worker and the sandbox's callbacks write at once in the demo: wait for the lock,
    # take the write lock when a transaction starts (no failed lock upgrades), and let readers read meanwhile.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",
        }
    }

# django-q2: the ORM broker by default, Redis when REDIS_URL is set.
Q_CLUSTER = {
    "name": "newsroom",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    "label": _("Task queue"),
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
# `GET /healthz` says "degraded" once the oldest queued task has waited this long: no worker is taking tasks.
HEALTH_QUEUE_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_QUEUE_MAX_AGE_SECONDS", "600"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first, English available; every time is Asia/Shanghai.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# The project's catalogue first; then strings Wagtail's and django-q2's zh_Hans catalogues leave untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "upstream"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "static"))
STATIC_URL = "/static/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Django serves uploads itself (cms.images.serving) only where this is on: development, the demo, the tests.
# Production leaves it off and serves media from the web server (docs/operations.md).
SERVE_MEDIA = env_bool("SERVE_MEDIA")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The page editor of a long article can exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# 20 images of up to 5 MB each plus text (contribution form); the web server may cap lower.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "温州职业技术学院瑞安学院")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_I18N_ENABLED = False
# A resubmission resumes at the stage that sent it back; earlier approvals stand.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = False
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = True
# Only the office publishes (A6.3.1): the last review task publishes through this action.
WAGTAIL_FINISH_WORKFLOW_ACTION = "wagtail.workflows.publish_workflow_state"
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
# No third-party requests from admin pages (unreachable from mainland China, and they tell a foreign host who is
# signed in): no Gravatar avatars (users upload a picture or get the default), no upgrade check to wagtail.org.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}

LOGIN_URL = "wagtailadmin_login"

# Newsroom's own settings, read when used (`settings.NEWSROOM`, or cms.contributions.get_conf()), so tests and
# deployments may change them.
NEWSROOM = {
    "CONTRIBUTION_MAX_IMAGES": 20,
    "CONTRIBUTION_MAX_IMAGE_BYTES": 5 * 1024 * 1024,
    "CONTRIBUTION_RATE_LIMIT": int(os.environ.get("CONTRIBUTION_RATE_LIMIT", "5")),
    "CONTRIBUTION_RATE_WINDOW_SECONDS": 3600,
    # Bytes of images one client address may have stored per hour, held from failed forms or submitted:
    # one complete submission (20 × 5 MB) always fits; five of them (500 MB) do not.
    "CONTRIBUTION_UPLOAD_BYTES_PER_HOUR": int(os.environ.get("CONTRIBUTION_UPLOAD_BYTES_PER_HOUR", 100 * 1024 * 1024)),
}

# policy_rules asks the site through these dotted paths (it never imports cms).
POLICY_RULES = {
    "CALENDAR": "cms.policy.adapters.day_types",
    "FACTS_PROVIDER": "cms.policy.adapters.facts_for_period",
    "PERIODS": "cms.policy.adapters.periods",
    "DISPLAY_NAMES": "cms.policy.adapters.names",
    # Bearer tokens for POST /api/policy/evaluate/, comma-separated in the environment.
    "API_TOKENS": tuple(env_list("POLICY_API_TOKENS")),
}

# wechat_channel asks the site through these (it never imports cms).
WECHAT_CHANNEL = {
    # Who hears of parked pushes and other system errors: the channel administrators (A6.5.1).
    "ERROR_RECIPIENTS": "cms.people.roles.channel_admin_emails",
    # Page models pushed to WeChat, each with its adapter.
    "ADAPTERS": {"cms.ArticlePage": "cms.articles.wechat_adapter.ArticleAdapter"},
    # Who is staff, and their department: the credential-holder picker (A6.6).
    "PEOPLE": "cms.channel.people.StaffDirectory",
    # WeChat's API, or the bundled sandbox (e.g. http://127.0.0.1:8765) to try things out.
    "API_BASE_URL": os.environ.get("WECHAT_API_BASE_URL", "https://api.weixin.qq.com"),
    # Hosts besides WeChat's own and loopback that may receive an account's secret (an egress proxy, say):
    # set by the operator here, never in the admin.
    "ALLOWED_API_HOSTS": tuple(env_list("WECHAT_ALLOWED_API_HOSTS")),
    # The site's machine-readable health (cms/health/), linked from the channel's Health page.
    "HEALTH_URL": "/healthz",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Wagtail's background tasks and page events log every step at INFO; keep the console readable.
        "django_tasks": {"level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
        "wagtail": {"level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
        "django_q": {"level": os.environ.get("LOG_LEVEL", "WARNING"), "propagate": True},
    },
}
