"""What the deploy tests share besides fixtures: the host name the deploy files are written for, and gunicorn
started on the production settings as deploy/systemd/newsroom-web.service starts it."""

import requests

from tests.live_processes import LiveProcess, free_ports

SITE_HOST = "news.example.edu.cn"  # deploy/nginx/newsroom.conf's server_name, in the production ALLOWED_HOSTS

# The gunicorn master dies with the test run (tests/process_guard.py), then runs gunicorn's own command line.
GUARDED_GUNICORN = (
    "from tests.process_guard import watch_parent; watch_parent(); from gunicorn.app.wsgiapp import run; run()"
)


def start_site(group, env, log_dir, name="gunicorn"):
    """gunicorn with deploy/gunicorn.conf.py on a free port, added to `group`, once `/healthz` answers 200;
    (its URL, its process)."""
    (port,) = free_ports(1)
    url = f"http://127.0.0.1:{port}"

    def healthy(_process):
        try:
            return requests.get(f"{url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    web = LiveProcess(
        name,
        ["-c", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}", "cms.wsgi"],
        env,
        log_dir,
        ready=healthy,
        program=("-c", GUARDED_GUNICORN),
    )
    group.add(web).start()
    return url, web
