"""WSGI entry point; production sets DJANGO_SETTINGS_MODULE=cms.settings.production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")

application = get_wsgi_application()

from cms.processes.startup import after_startup  # noqa: E402 - needs the apps that get_wsgi_application set up

after_startup()
