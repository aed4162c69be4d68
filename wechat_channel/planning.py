"""Placing approved pages into pushes, and the editors' changes to the plan (A11, A12, A16).

Office approval publishes a page; `place` puts it into the next push the policy
allows on every account that pushes approved articles: the earliest planned push
of that day with room whose slot the policy allows for this article, else a new
push at the earliest allowed instant. Breaking news gets a push of its own now.
Within a push, breaking and time-sensitive articles go first (A12.2), then by
arrival at the office, unless an editor ordered the push by hand.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from wechat_channel import quotas, slots
from wechat_channel.adapters import adapter_for
from wechat_channel.events import record
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.models.pushes import MAX_ARTICLES

# A12: the plan is weekly; a slot further ahead than a year is a typo, and one in 9999 would never go out.
PLAN_HORIZON = datetime.timedelta(days=366)


class PlanningError(Exception):
    """A change to the plan the policy or the push's state does not allow; the message is for the editor."""


def max_articles(policy):
    return min(MAX_ARTICLES, slots.document(policy).schedule.max_articles_per_push)


def _local_day_end(at):
    local = timezone.localtime(at)
    return datetime.datetime.combine(local.date() + datetime.timedelta(days=1), datetime.time(), local.tzinfo)


def place(page, now=None):
    """Put `page` into a push on every active account that pushes approved articles; the new PushItems."""
    adapter = adapter_for(page)
    if adapter is None:
        return []
    items = []
    for account in WeChatAccount.objects.filter(is_active=True, push_approved=True):
        item = place_on(account, page, adapter, now=now)
        if item is not None:
            items.append(item)
    return items


def place_on(account, page, adapter, now=None):
    """The page's PushItem on `account`: the existing one (a page is pushed once per account) or a new one."""
    now = now or timezone.now()
    existing = PushItem.objects.filter(account=account, page=page).first()
    if existing is not None:
        return None
    policy = slots.policy_for(account)
    facts = slots.facts_of(adapter)
    try:
        with transaction.atomic():
            # One planner per account at a time (a row lock on PostgreSQL; SQLite serialises writers),
            # so articles approved together share a push instead of each starting one.
            WeChatAccount.objects.select_for_update().filter(pk=account.pk).first()
            push = _push_for(account, policy, facts, now)
            item = PushItem.objects.create(
                push=push,
                account=account,
                page=page,
                title=adapter.title()[:255],
                time_sensitive=facts["time_sensitive"] or facts["breaking"],
                entered_office_at=facts["entered_office_at"],
                position=push.items.count(),
                planned_by=adapter.planned_by(),
            )
            arrange(push)
            record(push, "article_added", _("“%(title)s” added") % {"title": item.title}, page=page.pk)
    except IntegrityError:
        return None  # another worker placed it first
    return item


def _push_for(account, policy, facts, now):
    if facts["breaking"]:
        breaking = _breaking_push(account, policy, facts, now)
        if breaking is not None:
            return breaking
        # The policy says wait: lead the first regular push once the mass-send allowance is back.
        now = max(now, quotas.period(account, now)[1])
        facts = {**facts, "breaking": False}
    decision = slots.check(policy, now, **facts)
    if decision.next_slot is None:
        raise PlanningError(_("The policy allows no push in the next 60 days."))
    earliest = decision.next_slot
    # Pushes of that day with room, a due one included (it has not gone out yet): the article may join
    # one if the policy allows it at the instant that push will actually go out.
    day_start = timezone.localtime(earliest).replace(hour=0, minute=0, second=0, microsecond=0)
    candidates = (
        Push.objects.filter(account=account, state=Push.State.PLANNED, kind=Push.Kind.SCHEDULED)
        .filter(slot__gte=day_start, slot__lt=_local_day_end(earliest))
        .annotate(n=Count("items"))
        .filter(n__lt=max_articles(policy))
        .order_by("slot", "pk")
    )
    for push in candidates:
        goes_out = max(push.slot, now)
        if goes_out >= earliest and slots.check(policy, goes_out, **facts).allowed:
            return push
    return Push.objects.create(
        account=account,
        slot=earliest,
        mode=account.effective_mode(),
        policy_version=decision.policy_version,
        warnings=[dict(w) for w in decision.warnings],
    )


def _breaking_push(account, policy, facts, now):
    """A push of its own at once (A11.1), unless the day's mass send is used and the policy says wait."""
    mode = account.effective_mode()
    if mode == Push.Mode.MASS_SEND and not quotas.mass_send_left(account, now):
        if slots.document(policy).schedule.breaking_when_mass_used == "wait":
            return None  # it leads the next scheduled push instead
        mode = Push.Mode.PUBLISH if quotas.can_publish(account) else Push.Mode.DRAFT_ONLY
    decision = slots.check(policy, now, **facts)
    return Push.objects.create(
        account=account,
        slot=now,
        kind=Push.Kind.BREAKING,
        mode=mode,
        policy_version=decision.policy_version,
        warnings=[dict(w) for w in decision.warnings],
    )


def arrange(push):
    """Renumber the articles: breaking and time-sensitive first, then by arrival at the office (A12.2)."""
    items = list(push.items.all())
    if not push.manually_ordered:
        far = timezone.now() + datetime.timedelta(days=3650)
        items.sort(key=lambda i: (not i.time_sensitive, i.entered_office_at or far, i.created_at, i.pk))
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


# Editors' changes to the weekly plan (A12): only planned pushes change.


def _editable(push):
    if not push.is_editable:
        raise PlanningError(
            _("This push is already %(state)s and can no longer change.") % {"state": push.get_state_display()}
        )


def move_item(item, target, user=None):
    """Move an article into another planned push of the same account, if the policy allows its slot."""
    with transaction.atomic():
        item = PushItem.objects.select_for_update().select_related("push").get(pk=item.pk)
        target = Push.objects.select_for_update().get(pk=target.pk)
        source = item.push
        _editable(source)
        _editable(target)
        if target.account_id != source.account_id:
            raise PlanningError(_("Articles move only between pushes of the same account."))
        policy = slots.policy_for(target.account)
        if target.items.count() >= max_articles(policy):
            raise PlanningError(_("That push is full (%(n)s articles).") % {"n": max_articles(policy)})
        _check_item_slot(policy, item, target.slot)
        item.push = target
        item.position = target.items.count()
        item.planned_by = user if getattr(user, "pk", None) else item.planned_by  # who answers for it now
        item.save(update_fields=["push", "position", "planned_by"])
        arrange(target)
        arrange(source)
        by = getattr(user, "pk", None)
        record(source, "article_moved_out", _("“%(title)s” moved to another push") % {"title": item.title}, by=by)
        record(target, "article_moved_in", _("“%(title)s” moved here") % {"title": item.title}, by=by)
        if not source.items.exists():
            cancel_empty(source)
    return item


def _check_item_slot(policy, item, at):
    adapter = adapter_for(item.page) if item.page_id else None
    if adapter is None:
        return
    decision = slots.check(policy, at, **slots.facts_of(adapter))
    if not decision.allowed:
        reasons = "; ".join(reason["message"] for reason in decision.reasons)
        raise PlanningError(_("The policy does not allow this article then: %(reasons)s") % {"reasons": reasons})


def reschedule(push, at, user=None):
    """Move a planned push to another instant; every article must be allowed then."""
    now = timezone.now()
    if not now < at <= now + PLAN_HORIZON:
        raise PlanningError(_("Choose a time in the future, at most a year ahead."))
    with transaction.atomic():
        push = Push.objects.select_for_update().get(pk=push.pk)
        _editable(push)
        policy = slots.policy_for(push.account)
        for item in push.items.select_related("page"):
            _check_item_slot(policy, item, at)
        before = push.slot
        push.slot = at
        push.save(update_fields=["slot", "updated_at"])
        moved_from = timezone.localtime(before).strftime("%Y-%m-%d %H:%M")
        record(push, "rescheduled", _("moved from %(before)s") % {"before": moved_from}, by=getattr(user, "pk", None))
    return push


def reorder(push, item_ids, user=None):
    """Put the push's articles in the given order (headline first) and keep it."""
    with transaction.atomic():
        push = Push.objects.select_for_update().get(pk=push.pk)
        _editable(push)
        items = {item.pk: item for item in push.items.all()}
        if sorted(items) != sorted(int(i) for i in item_ids):
            raise PlanningError(_("The new order must list exactly the push's articles."))
        for position, item_id in enumerate(item_ids):
            item = items[int(item_id)]
            item.position = position
            item.save(update_fields=["position"])
        push.manually_ordered = True
        push.save(update_fields=["manually_ordered", "updated_at"])
        record(push, "reordered", _("articles reordered"), by=getattr(user, "pk", None))
    return push


def cancel_empty(push):
    push.state = Push.State.CANCELLED
    push.save(update_fields=["state", "updated_at"])
    record(push, "cancelled", _("no articles left"))
