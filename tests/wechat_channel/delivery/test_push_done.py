"""`push_done` (wechat_channel/signals.py): sent once a push went out, after the transaction that settled it commits,
so the site can recount its pushes (the policy reports' coverage, A11.1)."""

import pytest

from wechat_channel import delivery, results
from wechat_channel.models import Push
from wechat_channel.signals import push_done

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("delivery_settings")]


def test_a_push_settled_twice_is_announced_once_after_commit(sandbox, push_of, django_capture_on_commit_callbacks):
    push = push_of(2)
    delivery.advance(push.pk)
    push.refresh_from_db()
    heard = []
    push_done.connect(lambda sender, push, **kwargs: heard.append(push.pk), weak=False, dispatch_uid="test")
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            results.complete(push, "article-1", {1: "http://a/1", 2: "http://a/2"})
            results.complete(push, "article-1", {1: "http://b/1"})
            assert heard == []  # not before the commit
    finally:
        push_done.disconnect(dispatch_uid="test")
    assert callbacks and heard == [push.pk]
    assert Push.objects.get(pk=push.pk).state == Push.State.DONE
