"""Counters of what one client sent in one window: the public forms' rate limits and upload budget."""

from django.db import models


class RateLimitCounter(models.Model):
    """How much (submissions, held images, bytes) one key has used in one fixed window.

    A row is taken with one conditional UPDATE (`count + n <= limit`), so parallel
    requests cannot all pass a check made before any of them counted.
    """

    key = models.CharField(max_length=100)
    window_start = models.BigIntegerField()  # seconds since the epoch, a multiple of the window length
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="unique_rate_limit_window")]

    def __str__(self):
        return f"{self.key} @ {self.window_start}: {self.count}"
