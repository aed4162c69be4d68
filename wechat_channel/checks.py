"""System checks of the channel's deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches each process keeps to itself: a callback replayed to another worker process would not be refused.
PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@register(Tags.security, deploy=True)
def replay_cache_is_shared(app_configs=None, **kwargs):
    """The callback replay record (`wechat.callback.refuse_replay`) lives in the default cache: it must be shared."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in PER_PROCESS_CACHES:
        return []
    return [
        Warning(
            f"The default cache ({backend}) is not shared between processes, so a replayed WeChat callback "
            "reaching another process is accepted.",
            hint="Use Redis (REDIS_URL) or the database cache (manage.py createcachetable).",
            id="wechat_channel.W001",
        )
    ]
