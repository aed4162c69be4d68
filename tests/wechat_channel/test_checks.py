"""Deployment checks: the callback replay record needs a cache every process shares (WECHAT.md §6.1)."""

import pytest

from wechat_channel.checks import replay_cache_is_shared


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"]
)
def test_a_per_process_cache_is_warned_of(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert [warning.id for warning in replay_cache_is_shared()] == ["wechat_channel.W001"]


@pytest.mark.parametrize(
    "backend", ["django.core.cache.backends.redis.RedisCache", "django.core.cache.backends.db.DatabaseCache"]
)
def test_a_shared_cache_passes(settings, backend):
    settings.CACHES = {"default": {"BACKEND": backend, "LOCATION": "x"}}
    assert replay_cache_is_shared() == []
