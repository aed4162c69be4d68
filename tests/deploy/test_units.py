"""deploy/systemd's units agree with what they start (issue 16): a stop gives gunicorn's workers their graceful
time and django-q2's running tasks theirs, with SIGTERM to the main process only (KillMode=mixed: a SIGTERM to
every process of a qcluster at once leaves its sentinel waiting for workers that are gone)."""

import configparser
import runpy

from django.conf import settings

from tests.live_processes import BASE_DIR

DEPLOY = BASE_DIR / "deploy"


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name)
    return parser["Service"]


def seconds(value):
    return int(value.removesuffix("s"))


def test_the_web_unit_runs_gunicorn_with_the_repositorys_config_and_outlasts_its_graceful_stop():
    web = unit("newsroom-web.service")
    gunicorn = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))

    assert "-c deploy/gunicorn.conf.py cms.wsgi" in web["ExecStart"]
    assert web["Environment"] == "DJANGO_SETTINGS_MODULE=cms.settings.production"
    assert web["KillMode"] == "mixed" and web["ExecReload"] == "/bin/kill -s HUP $MAINPID"
    assert seconds(web["TimeoutStopSec"]) > gunicorn["graceful_timeout"]
    assert gunicorn["preload_app"] is False  # a reload (HUP) starts workers on the new code
    assert web["Type"] == "notify"  # gunicorn tells systemd when it is ready


def test_the_worker_unit_stops_the_cluster_gracefully_after_its_longest_task():
    worker = unit("newsroom-worker.service")

    assert worker["ExecStart"].endswith("manage.py qcluster")
    assert worker["Environment"] == "DJANGO_SETTINGS_MODULE=cms.settings.production"
    assert worker["KillMode"] == "mixed"
    assert seconds(worker["TimeoutStopSec"]) > settings.Q_CLUSTER["timeout"]


def test_both_read_the_variables_of_env_example_and_write_only_the_uploads():
    documented = {line.split("=", 1)[0] for line in (BASE_DIR / ".env.example").read_text().splitlines() if "=" in line}
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"} <= documented
    for name in ("newsroom-web.service", "newsroom-worker.service"):
        service = unit(name)
        assert service["EnvironmentFile"] == "/etc/newsroom/env", name
        assert service["User"] == "newsroom" and service["NoNewPrivileges"] == "true", name
        assert service["ProtectSystem"] == "strict" and service["ReadWritePaths"] == "/srv/newsroom/media", name
