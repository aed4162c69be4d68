"""The three-stage review (A6.1, A6.2): task types, routing and the review ledger.

Wagtail's GroupApprovalTask routes by a fixed group; department heads and
supervising leaders review only their own department's material, so their
tasks route through the article's submission record instead.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting
from wagtail.contrib.settings.registry import register_setting
from wagtail.log_actions import log
from wagtail.models import AbstractGroupApprovalTask, Task, TaskState

from cms.admin.queue import enqueue
from cms.models.departments import Department, Person, ProviderKind
from cms.models.routing import HEAD_STAGE, LEADER_STAGE, reviewers, submissions_acted_on_by
from cms.review import actions, audit
from cms.review.forms import OfficeApprovalForm, SendBackForm
from cms.review.reasons import ERROR_REASONS, SendBackReason


@register_setting(icon="tasks")
class ReviewRouting(BaseGenericSetting):
    """Which workflow each kind of material follows (A6.1)."""

    department_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("workflow for department and personal material"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    office_workflow = models.ForeignKey(
        "wagtailcore.Workflow",
        verbose_name=_("workflow for office-authored articles"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldPanel("department_workflow"), FieldPanel("office_workflow")]

    class Meta:
        verbose_name = _("review routing")

    @classmethod
    def workflow_for(cls, article):
        routing = cls.load()
        if article.provider_kind == ProviderKind.OFFICE:
            workflow = routing.office_workflow
        else:
            workflow = routing.department_workflow
        return workflow if workflow is not None and workflow.active else None


class Submission(models.Model):
    """One article's way through review, kept outside page revisions.

    Page fields are overwritten from the revision on publish, so the facts the
    policy counts later (A8, A16, A17) live here.
    """

    page = models.OneToOneField(
        "cms.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="submission"
    )
    provider_kind = models.CharField(_("provided by"), max_length=20, choices=ProviderKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="submissions",
    )
    contributor = models.ForeignKey(
        Person,
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    submitted_at = models.DateTimeField(_("first submitted"), default=timezone.now)
    reached_office_at = models.DateTimeField(
        _("reached office review"), null=True, blank=True, help_text=_("The A16 lead time counts from here.")
    )
    accepted_at = models.DateTimeField(_("accepted by the office"), null=True, blank=True)
    send_back_count = models.PositiveIntegerField(_("times sent back"), default=0)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        indexes = [models.Index(fields=["department", "submitted_at"])]

    def __str__(self):
        return str(self.page)

    @classmethod
    def sync_from_revision(cls, article):
        """Record who provided the revision now under review; called as each stage starts."""
        submission, _created = cls.objects.update_or_create(
            page_id=article.pk,
            defaults={
                "provider_kind": article.provider_kind,
                "department_id": article.department_id,
                "contributor_id": article.contributor_id,
            },
        )
        return submission


class StalledReminder(models.Model):
    """That a stalled review stage was reminded about (A6.2): one row per stage, taken before the e-mail goes, so
    two reminder runs at once (two workers, a schedule and a manual run) remind about a stage once."""

    task_state = models.OneToOneField(
        TaskState, verbose_name=_("review stage"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("reminded at"), default=timezone.now)

    class Meta:
        verbose_name = _("stalled review reminder")
        verbose_name_plural = _("stalled review reminders")

    def __str__(self):
        return f"{self.task_state_id} {self.reminded_at:%Y-%m-%d %H:%M}"


def stage_label(task):
    """A review stage's name in the active language: the kind of task, not the name stored with it (no query)."""
    model = ContentType.objects.get_for_id(task.content_type_id).model_class()
    return model._meta.verbose_name if model is not None else task.name


class SendBack(models.Model):
    """A "request changes" at any stage, with its reason category (A6.2.5)."""

    page = models.ForeignKey(
        "cms.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="send_backs"
    )
    task_state = models.OneToOneField(
        TaskState, verbose_name=_("review stage"), on_delete=models.CASCADE, related_name="send_back"
    )
    stage = models.CharField(_("stage"), max_length=255)
    reason = models.CharField(_("reason"), max_length=20, choices=SendBackReason.choices)
    comment = models.TextField(_("comment"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("sent back at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("send-back")
        verbose_name_plural = _("send-backs")

    def __str__(self):
        return f"{self.page}: {self.get_reason_display()}"

    @property
    def stage_label(self):
        """The stage in the reader's language (`stage` keeps the words of the moment it was sent back)."""
        return stage_label(self.task_state.task)

    @property
    def records_error(self):
        """Whether the reason is an error against the providing department (A20)."""
        return self.reason in ERROR_REASONS

    def count_on_submission(self):
        """Count this send-back in the article's review ledger."""
        Submission.objects.filter(page_id=self.page_id).update(send_back_count=F("send_back_count") + 1)


class ReviewError(models.Model):
    """An error found before publishing (A20), recorded against the providing department."""

    page = models.ForeignKey(
        "cms.ArticlePage", verbose_name=_("article"), on_delete=models.CASCADE, related_name="review_errors"
    )
    send_back = models.OneToOneField(
        SendBack, verbose_name=_("send-back"), on_delete=models.CASCADE, related_name="error"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_errors",
    )
    provider_kind = models.CharField(_("provided by"), max_length=20, choices=ProviderKind.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=SendBackReason.choices)
    found_at = models.DateTimeField(_("found at"), default=timezone.now)

    class Meta:
        ordering = ["-found_at"]
        verbose_name = _("review error")
        verbose_name_plural = _("review errors")
        indexes = [models.Index(fields=["department", "found_at"])]

    def __str__(self):
        return f"{self.department or '—'}: {self.get_kind_display()} ({self.page})"


def _article_ids_as_text(submissions):
    """WorkflowState.object_id is text: cast the article ids for a subquery."""
    return submissions.annotate(object_id_text=Cast("page_id", models.CharField())).values("object_id_text")


class DepartmentScopedTask(Task):
    """A review stage whose reviewers depend on the article's department, not on a fixed group.

    Who acts is decided by cms/models/routing.py: the department's own reviewers, or a stand-in when the role is
    empty (the supervising leader for a head who left, the office when nobody in the line can act).
    """

    stage = ""  # HEAD_STAGE or LEADER_STAGE
    is_office_review = False

    class Meta:
        abstract = True

    def start(self, workflow_state, user=None):
        article = workflow_state.content_object.specific.get_latest_revision_as_object()
        Submission.sync_from_revision(article)
        task_state = super().start(workflow_state, user=user)
        enqueue("cms.tasks.notify_stage_started", task_state.pk)
        return task_state

    def reviewers(self, obj):
        """The users who may act at this stage for `obj`: by the department of the revision under review."""
        submission = Submission.objects.filter(page_id=obj.pk).only("department_id").first()
        users, _who = reviewers(self.stage, submission.department_id if submission else None)
        return users

    def is_reviewer(self, obj, user):
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return self.reviewers(obj).filter(pk=user.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self.is_reviewer(obj, user)

    def locked_for_user(self, obj, user):
        return not self.is_reviewer(obj, user)

    def user_can_lock(self, obj, user):
        return self.is_reviewer(obj, user)

    def get_actions(self, obj, user):
        if not self.is_reviewer(obj, user):
            return []
        return [
            ("reject", _("Request changes"), True),
            ("approve", _("Approve"), False),
            ("approve", _("Approve with comment"), True),
        ]

    def get_form_for_action(self, action):
        if action == "reject":
            return SendBackForm
        return super().get_form_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        return actions.perform(self, task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        in_progress = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return in_progress
        mine = Submission.objects.filter(submissions_acted_on_by(user, self.stage))
        return in_progress.filter(workflow_state__object_id__in=_article_ids_as_text(mine))


class DepartmentHeadTask(DepartmentScopedTask):
    """First review by the head(s) of the providing department (A6.1, A6.2.4)."""

    stage = HEAD_STAGE

    class Meta:
        verbose_name = _("department head review")
        verbose_name_plural = _("department head reviews")

    @classmethod
    def get_description(cls):
        return _("The heads of the article's own department review it (A6.1).")


class SupervisingLeaderTask(DepartmentScopedTask):
    """Second review by the department's supervising leader (A6.1, A6.2.4)."""

    stage = LEADER_STAGE

    class Meta:
        verbose_name = _("supervising leader review")
        verbose_name_plural = _("supervising leader reviews")

    @classmethod
    def get_description(cls):
        return _("The supervising leader of the article's department reviews it (A6.1).")


class OfficeReviewTaskState(TaskState):
    """Office review of one revision, with the A6.2 checklist items the reviewer confirmed."""

    checklist = models.JSONField(_("confirmed checklist items"), default=list, blank=True)

    class Meta:
        verbose_name = _("office review state")
        verbose_name_plural = _("office review states")

    def record_acceptance(self, article):
        """The office accepted `article` (A16, A17): the time goes into its review ledger."""
        Submission.objects.filter(page=article).update(accepted_at=timezone.now())


class OfficeReviewTask(AbstractGroupApprovalTask):
    """Final review by the office (A6.2): every checklist item confirmed, credits complete.

    Approval here finishes the workflow and publishes: only the office publishes (A6.3.1).
    """

    task_state_class = OfficeReviewTaskState
    is_office_review = True  # approval checks the A6.2 checklist, the credits and WeChat's limits, and publishes

    class Meta:
        verbose_name = _("office review")
        verbose_name_plural = _("office reviews")

    def start(self, workflow_state, user=None):
        article = workflow_state.content_object.specific.get_latest_revision_as_object()
        submission = Submission.sync_from_revision(article)
        # A16: the lead time counts from the latest arrival at office review.
        submission.reached_office_at = timezone.now()
        submission.save(update_fields=["reached_office_at"])
        log(
            instance=article,
            action=audit.REACHED_OFFICE.code,
            user=user,
            data={"reached_office_at": submission.reached_office_at.isoformat()},
        )
        task_state = super().start(workflow_state, user=user)
        # Wagtail's own group-task e-mail listens for the base TaskState class only.
        enqueue("cms.tasks.notify_stage_started", task_state.pk)
        return task_state

    def reviewers(self, obj):
        """The office editors who may give the final review."""
        return get_user_model().objects.filter(is_active=True, groups__in=self.groups.all()).distinct()

    def get_actions(self, obj, user):
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        return [
            ("reject", _("Request changes"), True),
            # Wagtail adds "and publish" itself at the last stage.
            ("approve", _("Approve"), True),
        ]

    def get_form_for_action(self, action):
        if action == "reject":
            return SendBackForm
        if action == "approve":
            return OfficeApprovalForm
        return super().get_form_for_action(action)

    def get_template_for_action(self, action):
        if action == "approve":
            return "cms/review/office_approval_modal.html"
        return super().get_template_for_action(action)

    def on_action(self, task_state, user, action_name, **kwargs):
        return actions.perform(self, task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("The office checks the A6.2 list and the credits, then approves and publishes.")
