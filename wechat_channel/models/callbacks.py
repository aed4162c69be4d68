"""Events WeChat delivered to the callback endpoint, kept once per dedupe key (WECHAT.md §6.4).

A callback whose processing keeps failing is parked after `CALLBACK_MAX_ATTEMPTS` with its last error,
for a channel administrator to retry by hand (A6.5.1).
"""

from django.db import models


class CallbackEvent(models.Model):
    account = models.ForeignKey("wechat_channel.WeChatAccount", on_delete=models.CASCADE, related_name="events")
    dedupe_key = models.CharField(max_length=200)
    event = models.CharField(max_length=50, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)  # failed processings so far
    last_error = models.CharField(max_length=500, blank=True)
    parked_at = models.DateTimeField(null=True, blank=True)  # the sweep no longer retries it

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["account", "dedupe_key"], name="wechat_event_once")]

    def __str__(self):
        return f"{self.event} {self.dedupe_key}"
