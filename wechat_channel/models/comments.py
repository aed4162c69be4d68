"""Follower comments on published articles, fetched from WeChat, and the office's moderation record (A13)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ArticleComment(models.Model):
    """One follower comment on one article, as WeChat last listed it."""

    class State(models.TextChoices):
        VISIBLE = "visible", _("visible")
        DELETED = "deleted", _("deleted")

    account = models.ForeignKey(
        "wechat_channel.WeChatAccount", verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(
        "wechat_channel.PushItem", verbose_name=_("article"), on_delete=models.PROTECT, related_name="comments"
    )
    user_comment_id = models.BigIntegerField()
    openid = models.CharField(_("openid"), max_length=64, blank=True)  # absent for non-WeChat commenters
    content = models.TextField(pgettext_lazy("WeChat", "comment"))
    created_at = models.DateTimeField(_("written at"), db_index=True)  # WeChat's create_time
    comment_type = models.PositiveSmallIntegerField(default=0)  # 1 = featured (精选)
    reply = models.TextField(_("reply"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.VISIBLE)
    flagged_words = models.JSONField(_("flagged words"), default=list, blank=True)
    fetched_at = models.DateTimeField(_("fetched at"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article comment")
        verbose_name_plural = _("article comments")
        constraints = [
            models.UniqueConstraint(fields=["item", "user_comment_id"], name="wechat_comment_once_per_article")
        ]
        permissions = [("moderate_articlecomment", "Can delete comments and blacklist their authors (A13)")]

    def __str__(self):
        return f"{self.openid or '-'}: {self.content[:40]}"


class ArticleCommentSetting(models.Model):
    """Whether followers may comment on one article, as last set from the site."""

    item = models.OneToOneField(
        "wechat_channel.PushItem", on_delete=models.CASCADE, related_name="comment_setting", primary_key=True
    )
    open = models.BooleanField(default=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.item_id}: {'open' if self.open else 'closed'}"


class CommentIncident(models.Model):
    """What the office did about a comment, kept for the follow-up the regulation asks for (A13)."""

    class Action(models.TextChoices):
        DELETED = "deleted", _("comment deleted")
        BLACKLISTED = "blacklisted", _("author blacklisted")
        BOTH = "both", _("comment deleted, author blacklisted")

    # PROTECT: the record outlives nothing it names.
    comment = models.ForeignKey(
        ArticleComment,
        verbose_name=pgettext_lazy("WeChat", "comment"),
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    item = models.ForeignKey(
        "wechat_channel.PushItem", verbose_name=_("article"), on_delete=models.PROTECT, related_name="+"
    )
    openid = models.CharField(_("openid"), max_length=64, blank=True)
    content = models.TextField(pgettext_lazy("WeChat", "comment"))  # a snapshot
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    note = models.TextField(_("note"), blank=True)
    problem = models.TextField(_("what failed"), blank=True)  # a WeChat error met during the action

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("comment incident")
        verbose_name_plural = _("comment incidents")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
