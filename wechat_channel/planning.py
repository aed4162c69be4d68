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
from django.utils.translation import gettext_lazy

from wechat_channel import quotas, slots
from wechat_channel.adapters import adapter_for
from wechat_channel.events import record
from wechat_channel.history import Note
from wechat_channel.models import Push, PushItem, WeChatAccount
from wechat_channel.models.pushes import MAX_ARTICLES

# A12: the plan is weekly; a slot further ahead than a year is a typo, and one in 9999 would never go out.
PLAN_HORIZON = datetime.timedelta(days=366)


# Refusals are stored as a code and parameters and worded when read, in the reader's language (STYLE 11).
REFUSALS = {
    "no_slot_ahead": gettext_lazy("The policy allows no push in the next 60 days."),
    "not_editable": gettext_lazy("This push is already %(state)s and can no longer change."),
    "other_account": gettext_lazy("Articles move only between pushes of the same account."),
    "full": gettext_lazy("That push is full (%(n)s articles)."),
    "policy": gettext_lazy("The policy does not allow this article then: %(reasons)s"),
    "not_future": gettext_lazy("Choose a time in the future, at most a year ahead."),
    "order_mismatch": gettext_lazy("The new order must list exactly the push's articles."),
    "item_gone": gettext_lazy("That article is not in this push any more."),
    "choose_target": gettext_lazy("Choose the push or the day to move the article to."),
    "give_time": gettext_lazy("Give the new date and time."),
    "slot_taken": gettext_lazy(
        "Another push of this account is already planned at %(at)s (A12): choose another time, "
        "or put the articles into that push."
    ),
    "day_over": gettext_lazy("%(day)s is over: choose today or a later day."),
    "no_slot_that_day": gettext_lazy("The policy allows no push for this article on %(day)s: %(reasons)s"),
    "no_free_slot_that_day": gettext_lazy("Every allowed time on %(day)s already has a push: move it into one."),
}


def _when(value):
    return timezone.localtime(datetime.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


class PlanningError(Exception):
    """A change to the plan the policy or the push's state does not allow: a code and its parameters.

    `message()` words it in the active language, so each reader gets their own; `as_data()` is what is stored.
    """

    def __init__(self, code, **params):
        self.code = code
        self.params = params
        super().__init__(code)

    def message(self):
        params = dict(self.params)
        if "state" in params:
            params["state"] = Push.State(params["state"]).label
        if "reasons" in params:
            params["reasons"] = _("; ").join(slots.reason_text(reason) for reason in params["reasons"]) or "—"
        if "at" in params:
            params["at"] = _when(params["at"])
        return str(REFUSALS[self.code]) % params

    def as_data(self):
        return {"code": self.code, "params": self.params}

    def __str__(self):
        return self.message()


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
    for _attempt in range(2):
        item = _place_once(account, page, adapter, policy, facts, now)
        if item is not None or PushItem.objects.filter(account=account, page=page).exists():
            return item  # placed now, or another worker placed it first
    return None


def _place_once(account, page, adapter, policy, facts, now):
    """One try at placing `page`; None when the database refused (a parallel planner got there first)."""
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
            record(push, "article_added", Note("article_added", title=item.title), page=page.pk)
    except IntegrityError:
        return None  # the page or the instant was taken by a parallel planner: `place_on` looks again
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
        raise PlanningError("no_slot_ahead")
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
    slot, decision = free_slot(account, policy, facts, earliest, earliest + datetime.timedelta(days=60))
    if slot is None:
        raise PlanningError("no_slot_ahead")
    return Push.objects.create(
        account=account,
        slot=slot,
        mode=account.effective_mode(),
        policy_version=decision.policy_version,
        warnings=[dict(w) for w in decision.warnings],
    )


def free_slot(account, policy, facts, start, end):
    """(The earliest instant in [start, end) the policy allows for `facts` and no live push holds, its decision).

    The instant is None when there is none; pushes of one account never share an instant (A12).
    """
    at = start
    decision = None
    for _attempt in range(240):  # each try moves past one taken instant; a day has fewer pushes than this
        decision = slots.check(policy, at, **facts)
        candidate = decision.next_slot
        if candidate is None or candidate >= end:
            return None, decision
        if not _slot_taken(account, candidate):
            return candidate, decision
        at = candidate + datetime.timedelta(minutes=1)
    return None, decision


def _slot_taken(account, at, exclude=None):
    taken = Push.objects.filter(account=account, slot=at).exclude(state=Push.State.CANCELLED)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


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


# Editors' changes to the weekly plan (A12): only planned pushes change, each checked by the policy.


def _editable(push):
    if not push.is_editable:
        raise PlanningError("not_editable", state=push.state)


def _locked_item(item):
    found = PushItem.objects.select_for_update().select_related("push").filter(pk=item.pk).first()
    if found is None:
        raise PlanningError("item_gone")
    return found


def move_item(item, target, user=None):
    """Move an article into another planned push of the same account, if the policy allows its slot."""
    with transaction.atomic():
        item = _locked_item(item)
        target = Push.objects.select_for_update().get(pk=target.pk)
        source = item.push
        if target.pk == source.pk:
            return item
        _editable(source)
        _editable(target)
        if target.account_id != source.account_id:
            raise PlanningError("other_account")
        policy = slots.policy_for(target.account)
        if target.items.count() >= max_articles(policy):
            raise PlanningError("full", n=max_articles(policy))
        _check_item_slot(policy, item, target.slot)
        _move(item, source, target, user)
    return item


def move_to_day(item, day, user=None, now=None):
    """Move an article into a new push on `day`, at the day's earliest instant the policy allows for it."""
    now = now or timezone.now()
    if day > timezone.localtime(now + PLAN_HORIZON).date():
        raise PlanningError("not_future")
    start = datetime.datetime.combine(day, datetime.time(), timezone.get_default_timezone())
    end = start + datetime.timedelta(days=1)
    if end <= now:
        raise PlanningError("day_over", day=day.isoformat())
    # From the next whole minute: a push planned by hand goes out on a minute, as the form shows it.
    start = max(start, now.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1))
    try:
        with transaction.atomic():
            item = _locked_item(item)
            source = item.push
            _editable(source)
            account = WeChatAccount.objects.select_for_update().get(pk=source.account_id)
            policy = slots.policy_for(account)
            facts = _facts_of(item)
            slot, decision = free_slot(account, policy, facts, start, end)
            if slot is None:
                blocked = slots.check(policy, start, **facts)
                if blocked.next_slot is not None and blocked.next_slot < end:
                    raise PlanningError("no_free_slot_that_day", day=day.isoformat())
                reasons = [dict(reason) for reason in blocked.reasons]
                raise PlanningError("no_slot_that_day", day=day.isoformat(), reasons=reasons)
            target = Push.objects.create(
                account=account,
                slot=slot,
                mode=account.effective_mode(),
                policy_version=decision.policy_version,
                warnings=[dict(w) for w in decision.warnings],
            )
            _move(item, source, target, user)
    except IntegrityError:
        raise PlanningError("slot_taken", at=slot.isoformat()) from None
    return item


def _move(item, source, target, user):
    item.push = target
    item.position = target.items.count()
    item.planned_by = user if getattr(user, "pk", None) else item.planned_by  # who answers for it now
    item.save(update_fields=["push", "position", "planned_by"])
    arrange(target)
    arrange(source)
    by = getattr(user, "pk", None)
    record(source, "article_moved_out", Note("article_moved_out", title=item.title), by=by)
    record(target, "article_moved_in", Note("article_moved_in", title=item.title), by=by)
    if not source.items.exists():
        cancel_empty(source)


def _facts_of(item):
    adapter = adapter_for(item.page) if item.page_id else None
    if adapter is None:
        return {"entered_office_at": None, "breaking": False, "category": None, "time_sensitive": item.time_sensitive}
    return slots.facts_of(adapter)


def _check_item_slot(policy, item, at):
    adapter = adapter_for(item.page) if item.page_id else None
    if adapter is None:
        return
    decision = slots.check(policy, at, **slots.facts_of(adapter))
    if not decision.allowed:
        raise PlanningError("policy", reasons=[dict(reason) for reason in decision.reasons])


def reschedule(push, at, user=None):
    """Move a planned push to another instant; every article must be allowed then, and the instant free."""
    now = timezone.now()
    if not now < at <= now + PLAN_HORIZON:
        raise PlanningError("not_future")
    try:
        with transaction.atomic():
            push = Push.objects.select_for_update().get(pk=push.pk)
            _editable(push)
            if _slot_taken(push.account, at, exclude=push):
                raise PlanningError("slot_taken", at=at.isoformat())
            policy = slots.policy_for(push.account)
            for item in push.items.select_related("page"):
                _check_item_slot(policy, item, at)
            before = push.slot
            push.slot = at
            push.save(update_fields=["slot", "updated_at"])
            moved_from = timezone.localtime(before).strftime("%Y-%m-%d %H:%M")
            by = getattr(user, "pk", None)
            record(push, "rescheduled", Note("rescheduled", before=moved_from), by=by)
    except IntegrityError:
        raise PlanningError("slot_taken", at=at.isoformat()) from None  # a parallel change took it first
    return push


def reorder(push, item_ids, user=None):
    """Put the push's articles in the given order (headline first) and keep it."""
    with transaction.atomic():
        push = Push.objects.select_for_update().get(pk=push.pk)
        _editable(push)
        items = {item.pk: item for item in push.items.all()}
        if sorted(items) != sorted(int(i) for i in item_ids):
            raise PlanningError("order_mismatch")
        for position, item_id in enumerate(item_ids):
            item = items[int(item_id)]
            item.position = position
            item.save(update_fields=["position"])
        push.manually_ordered = True
        push.save(update_fields=["manually_ordered", "updated_at"])
        record(push, "reordered", Note("reordered"), by=getattr(user, "pk", None))
    return push


def cancel_empty(push):
    push.state = Push.State.CANCELLED
    push.save(update_fields=["state", "updated_at"])
    record(push, "cancelled", Note("emptied"))
