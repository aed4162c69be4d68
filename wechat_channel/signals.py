"""Signal handlers, connected from AppConfig.ready() (the shape of Wagtail's frontend cache), and the signals
the channel sends for the host site to act on: the plugin never imports it.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_delete
from django.dispatch import Signal
from wagtail.signals import page_published

from wechat_channel.adapters import adapter_class
from wechat_channel.credentials.services import Reason, release_all
from wechat_channel.queue import enqueue

# A follower's message started with a report keyword of the account's policy (A6.5.2). Sent once per stored
# callback with account, openid, keyword, text (the message without the keyword), message, received_at, event_id.
report_received = Signal()
# A push was parked and needs a person (A6.5.1). Sent with account, push, message (in the site's LANGUAGE_CODE),
# note (the reason as code and parameters, `wechat_channel.history.render` gives it in the active language, or
# None) and key (the same for every failure of one push, so a host keeps one open case per failing push).
channel_error = Signal()
# A push went out (done: mass sent or published on WeChat), so the site's counts of pushes may change (A11.1). Sent
# once per push, after the transaction that settled it commits, with push.
push_done = Signal()


def page_was_published(sender, instance, **kwargs):
    if adapter_class(type(instance)) is None:
        return
    enqueue("wechat_channel.tasks.place_page", instance.pk)


def release_credentials_of_deactivated(sender, instance, created=False, **kwargs):
    """A6.6.2: a holder who is deactivated no longer holds credentials, and they must be rotated."""
    if not created and not instance.is_active:
        release_all(instance, Reason.DEACTIVATED)


def release_credentials_of_removed(sender, instance, **kwargs):
    release_all(instance, Reason.REMOVED)


def register_signal_handlers():
    page_published.connect(page_was_published, dispatch_uid="wechat_channel_place_page")
    user_model = get_user_model()
    # The dispatch uids are the ones the site used when it held credentials, so nothing connects twice.
    post_save.connect(
        release_credentials_of_deactivated, sender=user_model, dispatch_uid="newsroom_credentials_deactivated"
    )
    pre_delete.connect(release_credentials_of_removed, sender=user_model, dispatch_uid="newsroom_credentials_removed")
