"""Signal handlers, connected from AppConfig.ready() (the shape of Wagtail's frontend cache)."""

from wagtail.signals import page_published

from wechat_channel.adapters import adapter_class


def page_was_published(sender, instance, **kwargs):
    if adapter_class(type(instance)) is None:
        return
    from wechat_channel.tasks import enqueue

    enqueue("wechat_channel.tasks.place_page", instance.pk)


def register_signal_handlers():
    page_published.connect(page_was_published, dispatch_uid="wechat_channel_place_page")
