"""gunicorn for Newsroom's web processes: `gunicorn -c deploy/gunicorn.conf.py cms.wsgi` (docs/operations.md).

Behind nginx (deploy/nginx/newsroom.conf), which buffers slow clients, so plain sync workers suffice. Every value
can be changed from the environment of the service (deploy/systemd/newsroom-web.service).
"""

import multiprocessing
import os

# nginx proxies to this address; GUNICORN_BIND=0.0.0.0:8000 when the proxy runs on another machine.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two per core and one more, gunicorn's own advice; each holds its own database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A worker silent this long is killed and replaced. The slowest requests are the admin's exports and reports; the
# WeChat callback checks, stores and queues, answering in milliseconds, well inside WeChat's 5-second deadline
# (nginx gives it 5 s: deploy/nginx/newsroom.conf).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (systemctl stop) or SIGHUP (systemctl reload: new workers with the new code, then the old ones
# go), a worker finishes the request it is serving within this time.
graceful_timeout = 30
keepalive = 5
# Replace each worker after about a thousand requests, so no slow leak grows for weeks.
max_requests = 1000
max_requests_jitter = 100
# Not preloaded: a reload (SIGHUP) then starts workers on the new code.
preload_app = False
# The proxy's address, whose X-Forwarded-* headers are believed (cms.settings.production reads X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access and error logs to stdout/stderr: journald keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The request line and headers no larger than a browser sends; bodies are limited by nginx and Django.
limit_request_line = 8190
limit_request_fields = 100
