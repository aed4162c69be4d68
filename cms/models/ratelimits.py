"""Counters of what one client sent in one window: the public forms' rate limits and upload budget."""

from django.db import models


class RateLimitCounter(models.Model):
    """How much (submissions, held images, bytes) one key has used in its current window.

    The window starts with the first hit after the previous one ended. A request takes its
    share with one conditional UPDATE (`count + n <= limit`), so parallel requests cannot
    all pass a check made before any of them counted.
    """

    key = models.CharField(max_length=100, unique=True)
    window_started_at = models.DateTimeField()
    count = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.key} since {self.window_started_at:%Y-%m-%d %H:%M:%S}: {self.count}"
