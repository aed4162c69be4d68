"""Pushes (推送): a slot on a day with an ordered list of articles, sent as one multi-article draft (A11, A12)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wechat_channel.history import text_of
from wechat_channel.push_modes import PushMode
from wechat_channel.slots import warning_texts

MAX_ARTICLES = 8  # WeChat: at most 8 articles in one push (WECHAT.md §3.1, §5)


class Push(models.Model):
    """One push of one account. Each step records its result before the next (exactly once)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        PREPARING = "preparing", _("uploading images")
        DRAFTED = "drafted", _("draft created")
        SENDING = "sending", _("sending")
        UNKNOWN = "unknown", _("answer lost, reconciling")
        SUBMITTED = "submitted", _("waiting for WeChat's result")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE_STATES = (State.PLANNED, State.PREPARING, State.DRAFTED, State.SENDING, State.UNKNOWN, State.SUBMITTED)
    EDITABLE_STATES = (State.PLANNED,)

    class Kind(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        BREAKING = "breaking", _("breaking news")

    Mode = PushMode

    account = models.ForeignKey("wechat_channel.WeChatAccount", on_delete=models.PROTECT, related_name="pushes")
    slot = models.DateTimeField(_("slot"), db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SCHEDULED)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices, default=Mode.MASS_SEND)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.PLANNED)
    manually_ordered = models.BooleanField(default=False)
    policy_version = models.CharField(max_length=100, blank=True)
    warnings = models.JSONField(default=list, blank=True)

    # What WeChat answered, recorded step by step.
    draft_media_id = models.CharField(max_length=128, blank=True)
    clientmsgid = models.CharField(max_length=32, blank=True)
    publish_id = models.CharField(max_length=64, blank=True, db_index=True)
    msg_id = models.CharField(max_length=64, blank=True, db_index=True)
    msg_data_id = models.CharField(max_length=64, blank=True)
    article_id = models.CharField(max_length=128, blank=True)
    # MASSSENDJOBFINISH's counts, None until it says: followers addressed (TotalCount), left once WeChat filtered
    # out those who already had their four mass messages this month (FilterCount), reached (SentCount), failed.
    followers_total = models.PositiveIntegerField(null=True, blank=True)
    followers_ready = models.PositiveIntegerField(null=True, blank=True)
    followers_sent = models.PositiveIntegerField(null=True, blank=True)
    followers_failed = models.PositiveIntegerField(null=True, blank=True)

    # Work bookkeeping: who holds the push, how often it was tried, when next.
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    error_code = models.IntegerField(null=True, blank=True)
    error_kind = models.CharField(max_length=20, blank=True)
    error_message = models.TextField(blank=True)  # as written; `error_text` is what a reader sees
    error_note = models.JSONField(default=dict, blank=True)  # the error as code and parameters (history.Note)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push")
        verbose_name_plural = _("pushes")
        # The weekly plan is the office's (A12.1); change_push stays for retry and cancel (A6.5.1).
        permissions = [("plan_push", "Can plan pushes: reorder, move and reschedule (A12.1)")]
        ordering = ["slot", "pk"]
        indexes = [models.Index(fields=["state", "slot"]), models.Index(fields=["account", "slot"])]
        constraints = [
            # One account never plans two pushes at the same instant (A12): followers would get two messages.
            models.UniqueConstraint(
                fields=["account", "slot"],
                condition=~models.Q(state="cancelled"),
                name="wechat_one_live_push_per_slot",
            )
        ]

    def __str__(self):
        return f"{self.account} {timezone.localtime(self.slot):%Y-%m-%d %H:%M} ({self.get_state_display()})"

    @property
    def error_text(self):
        """Why the push failed, in the reader's language (the text as written for older rows)."""
        return text_of(self.error_note, self.error_message)

    @property
    def warning_texts(self):
        """The planner's warnings (A10.3...) in the reader's language (the text as written for older rows)."""
        return warning_texts(self.warnings)

    @property
    def followers_filtered(self):
        """Followers WeChat left out of the mass send (their four a month used, or blocked); None before the event."""
        if self.followers_total is None or self.followers_ready is None:
            return None
        return max(0, self.followers_total - self.followers_ready)

    @property
    def is_editable(self):
        return self.state in self.EDITABLE_STATES


class PushItem(models.Model):
    """One article of a push, headline first. A page is pushed at most once per account."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        DRAFTED = "drafted", _("in the draft box")
        PUBLISHED = "published", _("published")
        FAILED = "failed", _("failed")

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="items")
    account = models.ForeignKey("wechat_channel.WeChatAccount", on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.SET_NULL, null=True, related_name="wechat_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=255)  # a snapshot, so the record survives the page
    time_sensitive = models.BooleanField(default=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    wechat_url = models.URLField(max_length=1000, blank=True)
    error_message = models.TextField(blank=True)  # as written; `error_text` is what a reader sees
    error_note = models.JSONField(default=dict, blank=True)  # the error as code and parameters (history.Note)
    # Why WeChat would refuse it, as codes and numbers (`LimitProblem.as_data`), read in each reader's language.
    problems = models.JSONField(default=list, blank=True)
    entered_office_at = models.DateTimeField(null=True, blank=True)
    # Who is told when it fails: the editor who approved it into the plan, or who last moved it (A12).
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("push article")
        verbose_name_plural = _("push articles")
        ordering = ["push", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["account", "page"], name="wechat_page_once_per_account")]

    def __str__(self):
        return self.title

    @property
    def error_text(self):
        """Why the article failed, in the reader's language (the text as written for older rows)."""
        return text_of(self.error_note, self.error_message)


class PushEvent(models.Model):
    """What happened to a push, in order: the history editors and operators read."""

    push = models.ForeignKey(Push, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=50)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M:%S}"

    @property
    def text(self):
        """The line in the reader's language (the text as written for older rows)."""
        return text_of(self.data, self.message)
