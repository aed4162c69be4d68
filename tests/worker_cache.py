"""The Redis cache of one test process: its keys carry the process's own prefix, and `clear()` deletes those
keys only. Django's RedisCache.clear() flushes the whole database, which would wipe what a parallel test worker
(pytest-xdist) keeps there — rate-limit counters, tokens — in the middle of its test."""

from django.core.cache.backends.redis import RedisCache


class WorkerRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
