"""`GET /healthz`: for a load balancer or a monitor, no sign-in, nothing secret in the answer.

503 when this web process cannot serve (the database or Redis fails): a load balancer takes it out. 200 otherwise;
`status` is "degraded" while the task queue's oldest task has waited longer than `HEALTH_QUEUE_MAX_AGE_SECONDS`
(the workers are down or behind: pushes and e-mails wait, yet pages still serve). The WeChat callbacks are
reported, not judged: an account WeChat has had nothing to tell for a day is not broken."""

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.health import checks


@never_cache
@require_safe
def healthz(request):
    report = {
        "database": checks.timed(checks.database),
        "redis": checks.timed(checks.redis),
        "queue": checks.timed(checks.queue),
        "callbacks": checks.timed(checks.callbacks),
    }
    serving = report["database"]["ok"] and report["redis"]["ok"]
    queue = report["queue"]
    behind = not queue["ok"] or queue["oldest_seconds"] > settings.HEALTH_QUEUE_MAX_AGE_SECONDS
    status = "down" if not serving else "degraded" if behind else "ok"
    return JsonResponse({"status": status, **report}, status=200 if serving else 503)
