"""Comments (A13): followers' comments per account with their flags, the moderate action, open/close per
article, a fetch on demand, and the incidents recorded for follow-up."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wechat_channel import comments
from wechat_channel.models import ArticleComment, CommentIncident, PushItem, WeChatAccount
from wechat_channel.params import parse_id
from wechat_channel.permissions import MODERATE_COMMENTS, can
from wechat_channel.wechat.errors import WeChatCallError

from .base import ChannelView, plain_words

LIST = "wechat_admin:comments"


class Tick(forms.CheckboxInput):
    """Ticked only when the page's checkbox sent its value, "on": a "0" or "false" is no tick (Django's checkbox
    reads any other text as ticked), since a tick here deletes or blacklists."""

    def value_from_datadict(self, data, files, name):
        return data.get(name) == "on"


class ModerateForm(forms.Form):
    """What to do with one comment (A13). Nothing is ticked beforehand: a click must never blacklist a follower
    nobody chose to blacklist."""

    delete = forms.BooleanField(label=gettext_lazy("Delete the comment"), required=False, widget=Tick)
    blacklist = forms.BooleanField(label=gettext_lazy("Blacklist its author"), required=False, widget=Tick)
    note = forms.CharField(label=gettext_lazy("Note for the follow-up"), required=False, max_length=2000)

    def clean(self):
        data = super().clean()
        if not (data.get("delete") or data.get("blacklist")):
            raise forms.ValidationError(_("Choose to delete the comment, blacklist its author, or both."))
        return data


def segments(content, words):
    """`content` cut into (text, flagged) pieces, so the flagged words can be highlighted."""
    lowered, pieces, start, i = content.lower(), [], 0, 0
    words = sorted({w.lower() for w in words if w}, key=len, reverse=True)
    while i < len(content):
        hit = next((w for w in words if lowered.startswith(w, i)), None)
        if hit:
            if start < i:
                pieces.append((content[start:i], False))
            pieces.append((content[i : i + len(hit)], True))
            i = start = i + len(hit)
        else:
            i += 1
    if start < len(content):
        pieces.append((content[start:], False))
    return pieces


def chosen_account(request):
    value = request.POST.get("account") or request.GET.get("account") or ""
    accounts = WeChatAccount.objects.order_by("name")
    pk = parse_id(value)
    return (accounts.filter(pk=pk).first() if pk is not None else None) or accounts.first()


class CommentsView(ChannelView):
    permission = MODERATE_COMMENTS
    page_title = pgettext_lazy("WeChat", "Comments")
    template_name = "wechat_channel/admin/comments.html"
    per_page = 50

    def dispatch(self, request, *args, **kwargs):
        # A plain 403, not the admin's redirect home: a refused moderation must be unmistakable (A13).
        if not can(request.user, self.permission):
            return HttpResponseForbidden(_("Only the office, its head and channel administrators moderate comments."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = chosen_account(self.request)
        flagged_only = self.request.GET.get("flagged") == "1"
        rows = ArticleComment.objects.filter(account=account).select_related("item")
        if flagged_only:
            rows = rows.exclude(flagged_words=[])
        page = Paginator(rows.order_by("-created_at", "-pk"), self.per_page).get_page(self.request.GET.get("p"))
        for comment in page:
            comment.segments = segments(comment.content, comment.flagged_words)
        articles = list(comments.published_items(account)) if account else []
        closed = set(
            PushItem.objects.filter(pk__in=[a.pk for a in articles], comment_setting__open=False).values_list(
                "pk", flat=True
            )
        )
        for article in articles:
            article.comments_open = article.pk not in closed
        context.update(
            accounts=WeChatAccount.objects.order_by("name"),
            account=account,
            flagged_only=flagged_only,
            page=page,
            moderate_form=ModerateForm(),
            articles=articles,
            incidents=CommentIncident.objects.filter(item__account=account).select_related("by", "item")[:50],
        )
        return context


class CommentActionView(CommentsView):
    """POST only; every action comes back to the list with a message."""

    http_method_names = ["post"]

    def done(self, account):
        url = reverse(LIST) + (f"?account={account.pk}" if account else "")
        return self.back(url)


class ModerateView(CommentActionView):
    def post(self, request, pk):
        comment = get_object_or_404(ArticleComment.objects.select_related("item__push", "account"), pk=pk)
        form = ModerateForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or _("The form was not valid."))
            return self.done(comment.account)
        data = form.cleaned_data
        try:
            incident = comments.moderate(
                comment, request.user, delete=data["delete"], blacklist=data["blacklist"], note=data["note"]
            )
        except comments.ModerationFailed as error:
            messages.error(request, str(error))
            return self.done(comment.account)
        if incident.problem:
            messages.warning(
                request,
                _("Recorded: %(action)s. Not done: %(problem)s")
                % {"action": incident.get_action_display(), "problem": incident.problem},
            )
        else:
            messages.success(request, _("Recorded: %(action)s.") % {"action": incident.get_action_display()})
        return self.done(comment.account)


class ArticleCommentsOpenView(CommentActionView):
    def post(self, request, pk):
        item = get_object_or_404(PushItem.objects.select_related("push", "account"), pk=pk)
        if item.state != PushItem.State.PUBLISHED or not item.push.msg_data_id:
            messages.error(request, _("Only a published article has comments."))
            return self.done(item.account)
        wanted = request.POST.get("open") == "1"
        try:
            comments.set_open(item, wanted, request.user)
        except WeChatCallError as error:
            messages.error(request, plain_words(error))
            return self.done(item.account)
        text = _("Comments opened on “%(title)s”.") if wanted else _("Comments closed on “%(title)s”.")
        messages.success(request, text % {"title": item.title})
        return self.done(item.account)


class FetchView(CommentActionView):
    def post(self, request):
        account = chosen_account(request)
        if account is None:
            return self.done(None)
        result = comments.fetch(account)
        messages.success(
            request,
            _("%(new)s new comments on %(articles)s articles.") % {"new": result.new, "articles": result.articles},
        )
        for error in result.errors:
            messages.warning(request, error)
        return self.done(account)
