"""Staff bind their WeChat to their admin account, and the site learns whether they still follow (A21).

A user opens the binding page, scans a QR code (or opens the link) in WeChat, and WeChat's web
authorization (网页授权, `snsapi_base`) sends their phone back to `/wechat/bind/<account>/` with a
one-time `code` and our signed `state`. The state names the user and the account and lives 15 minutes;
the code is exchanged for the openid through the one client module. Subscribe and unsubscribe callbacks
and `user/info/batchget` checks keep each binding's subscription state. Every bind and unbind is logged.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from wechat_channel.models import FollowerActivity, FollowerBinding, WeChatAccount
from wechat_channel.wechat.client import client_for
from wechat_channel.wechat.errors import WeChatCallError

logger = logging.getLogger(__name__)

STATE_SALT = "wechat_channel.bindings.state"
STATE_MAX_AGE = 15 * 60  # seconds a binding link or QR code stays usable
BATCH = 100  # `user/info/batchget` takes at most 100 openids
BIND_ACTION = "wechat_channel.binding.bind"
UNBIND_ACTION = "wechat_channel.binding.unbind"
INVALID_OPENID = 40003
S = FollowerBinding.Subscription


class BindingRefused(Exception):
    """A binding that must not happen; `str()` says why, in words the person on the phone understands."""


# The signed state: who asked to bind, on which account.


def make_state(user, account) -> str:
    return signing.dumps({"u": user.pk, "a": account.pk}, salt=STATE_SALT, compress=True)


def read_state(state: str, account: WeChatAccount):
    """The user a state names; BindingRefused when it expired, was altered, or is for another account."""
    try:
        data = signing.loads(state or "", salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise BindingRefused(_("This binding link has expired. Open the binding page again for a new one.")) from None
    except signing.BadSignature:
        raise BindingRefused(_("This binding link is not valid. Open the binding page again.")) from None
    if not isinstance(data, dict) or data.get("a") != account.pk:
        raise BindingRefused(_("This binding link belongs to another account."))
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise BindingRefused(_("The admin account this link was made for no longer exists or is disabled."))
    return user


def authorize_url(account: WeChatAccount, user, redirect_uri: str) -> str:
    """The web-authorization link (QR code content) that binds `user` on `account` when opened in WeChat."""
    return client_for(account).web_auth.authorize_url(redirect_uri, make_state(user, account))


def bind_from_code(account: WeChatAccount, code: str, state: str) -> FollowerBinding:
    """WeChat sent the phone back: check the state, exchange the code for the openid, bind.

    Raises BindingRefused (bad state, someone else's openid) or WeChatCallError (40029, 40163 …); nothing is bound.
    """
    user = read_state(state, account)
    if not code:
        raise BindingRefused(_("WeChat sent no authorization code: the binding was cancelled."))
    client = client_for(account)
    openid = client.web_auth.openid_for_code(code)
    binding = bind(user, account, openid, by=user)
    if binding.subscription == S.UNKNOWN:
        _check_one(client, binding)
    return binding


def _check_one(client, binding):
    """Ask WeChat at once whether the newly bound openid follows; a failure leaves it to the daily check."""
    try:
        record_answers(binding.account, _ask(client, [binding.openid]))
    except WeChatCallError as error:
        logger.warning("could not check the new binding %s at once: %s", binding.pk, error)
        return
    binding.refresh_from_db()


# Binding and unbinding, each logged with who did it.


def bind(user, account: WeChatAccount, openid: str, by=None) -> FollowerBinding:
    """Bind `openid` to `user` on `account` (replacing the user's earlier openid); refused when it is another's."""
    taken = FollowerBinding.objects.filter(account=account, openid=openid).exclude(user=user).exists()
    if taken:
        raise BindingRefused(_("This WeChat is already bound to another person's admin account."))
    fields = {"openid": openid, "bound_at": timezone.now()}
    same = FollowerBinding.objects.filter(user=user, account=account, openid=openid).exists()
    if not same:  # a new openid: what its last subscribe or unsubscribe said, else not known yet
        fields.update(_state_from(_last_event(account, openid)))
    try:
        with transaction.atomic():
            binding, _created = FollowerBinding.objects.update_or_create(user=user, account=account, defaults=fields)
            log(instance=binding, action=BIND_ACTION, user=by, data=_log_data(binding))
    except IntegrityError:  # the same openid bound by someone else a moment ago
        raise BindingRefused(_("This WeChat is already bound to another person's admin account.")) from None
    return binding


def unbind(binding: FollowerBinding, by) -> None:
    """Remove a binding (by its user, or a channel administrator) and log who did it."""
    with transaction.atomic():
        log(instance=binding, action=UNBIND_ACTION, user=by, data=_log_data(binding))
        binding.delete()


def _log_data(binding):
    return {"user": binding.user.get_username(), "account": binding.account.slug, "openid": binding.masked_openid}


# Subscription state, from callbacks and from checks.


def _last_event(account, openid):
    kinds = (FollowerActivity.Kind.SUBSCRIBE, FollowerActivity.Kind.UNSUBSCRIBE)
    records = FollowerActivity.objects.filter(account=account, openid=openid, kind__in=kinds)
    return records.order_by("-occurred_at", "-pk").first()


def _state_from(activity):
    if activity is None:
        return {"subscription": S.UNKNOWN, "subscription_at": None, "subscription_source": FollowerBinding.Source.NONE}
    subscribed = activity.kind == FollowerActivity.Kind.SUBSCRIBE
    return {
        "subscription": S.SUBSCRIBED if subscribed else S.UNSUBSCRIBED,
        "subscription_at": activity.occurred_at,
        "subscription_source": FollowerBinding.Source.CALLBACK,
    }


def follower_event(activity: FollowerActivity) -> int:
    """A subscribe or unsubscribe reached the callback: update the binding of that openid unless we know newer."""
    if activity.kind not in (FollowerActivity.Kind.SUBSCRIBE, FollowerActivity.Kind.UNSUBSCRIBE):
        return 0
    bindings = FollowerBinding.objects.filter(account=activity.account, openid=activity.openid)
    newer = bindings.filter(subscription_at__gt=activity.occurred_at)
    return bindings.exclude(pk__in=newer.values("pk")).update(**_state_from(activity))


def check_subscriptions(account: WeChatAccount) -> dict:
    """Ask WeChat whether each bound openid of `account` follows it, 100 at a time; counts by state."""
    client = client_for(account)
    openids = list(FollowerBinding.objects.filter(account=account).order_by("pk").values_list("openid", flat=True))
    answers = {}
    for start in range(0, len(openids), BATCH):
        answers.update(_ask(client, openids[start : start + BATCH]))
    return record_answers(account, answers)


def record_answers(account: WeChatAccount, answers: dict, now=None) -> dict:
    """Record what a check learned, {openid: subscription state}; the number of bindings per state."""
    now = now or timezone.now()
    counts = {S.SUBSCRIBED: 0, S.UNSUBSCRIBED: 0, S.UNKNOWN: 0}
    for state in (S.SUBSCRIBED, S.UNSUBSCRIBED, S.UNKNOWN):
        chosen = [openid for openid, answer in answers.items() if answer == state]
        counts[state] = FollowerBinding.objects.filter(account=account, openid__in=chosen).update(
            subscription=state, subscription_at=now, subscription_source=FollowerBinding.Source.CHECK
        )
    return counts


def _ask(client, openids):
    """{openid: state} for one batch; an openid WeChat calls invalid (40003) is asked alone and stays unknown."""
    try:
        users = client.followers.info_batch(openids)
    except WeChatCallError as error:
        if error.code != INVALID_OPENID or len(openids) == 1:
            if error.code == INVALID_OPENID:
                logger.warning("WeChat calls the bound openid %s invalid", openids[0])
                return {openids[0]: S.UNKNOWN}
            raise
        return {openid: state for one in openids for openid, state in _ask(client, [one]).items()}
    return {u.get("openid"): S.SUBSCRIBED if int(u.get("subscribe") or 0) else S.UNSUBSCRIBED for u in users}


def check_each():
    """(account, counts) for every active account with bindings, or (account, the WeChatCallError) when its
    check failed: one account's failure never stops the rest."""
    for account in WeChatAccount.objects.filter(is_active=True, bindings__isnull=False).distinct().order_by("name"):
        try:
            counts = check_subscriptions(account)
        except WeChatCallError as error:
            logger.warning("subscription check of %s failed: %s", account.slug, error)
            yield account, error
        else:
            yield account, counts


def check_all() -> dict:
    """Daily (django-q2): `check_each` as the task's result, by account slug."""
    return {
        account.slug: {"error": result.as_dict()} if isinstance(result, Exception) else result
        for account, result in check_each()
    }
