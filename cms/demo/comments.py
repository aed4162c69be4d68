"""Followers' comments on the demo's latest pushes (A13), for the bundled sandbox to hold.

The sandbox keeps nothing across restarts, so `seed_demo` writes what it holds to the file WECHAT_DEMO_COMMENTS
names, and `make demo` starts the sandbox with it each time (`wechat_sandbox --comments`): every past push's
articles, by the msg_data_id and 0-based index WeChat names them by (WECHAT.md §8.1, `wechat_channel.past.went_out`),
and what followers wrote on the latest ones, as `POST /sandbox/comments` takes it. The site fetches them as it
fetches any comments (every 15 minutes, or 立即获取 on the comment page), and the office moderates them: one is
harmless, one is spam the policy's words flag.
"""

import datetime
import json

from django.utils import timezone

from wechat_channel.models import Push, PushItem
from wechat_channel.sandbox import default_openids

# (which push: 0 = the latest, article index, follower, hours after the push went out, what they wrote)
COMMENTS = (
    (0, 0, 2, 2, "写得很好，为同学们点赞！期待更多校园活动的报道。"),
    (0, 0, 3, 5, "代考包过，办证加微信 dz8888，价格优惠"),
    (0, 1, 4, 20, "照片拍得真好，请问活动还会再办吗？"),
    (1, 0, 0, 3, "感谢分享，已转发给班级群。"),
)


def past_pushes(account):
    """The account's pushes that went out with a msg_data_id, newest first."""
    pushes = Push.objects.filter(account=account, state=Push.State.DONE).exclude(msg_data_id="")
    return list(pushes.exclude(sent_at=None).order_by("-sent_at", "-pk"))


def sandbox_comments(account, now=None):
    """What the sandbox starts with (`wechat_sandbox --comments`): every past push's articles, so the site's fetch
    finds each, and the followers' comments on the latest ones, never dated later than `now`."""
    now = now or timezone.now()
    pushes = past_pushes(account)
    counts = {push.pk: push.items.filter(state=PushItem.State.PUBLISHED).count() for push in pushes}
    articles = [
        {"appid": account.appid, "msg_data_id": push.msg_data_id, "article_count": counts[push.pk]}
        for push in pushes
        if counts[push.pk]
    ]
    followers = default_openids(account.appid)
    comments = []
    for which, index, who, hours, content in COMMENTS:
        if which >= len(pushes) or index >= counts[pushes[which].pk]:
            continue
        push = pushes[which]
        written = min(push.sent_at + datetime.timedelta(hours=hours), now)
        comments.append(
            {
                "appid": account.appid,
                "msg_data_id": push.msg_data_id,
                "index": index,
                "openid": followers[who],
                "content": content,
                "create_time": int(written.timestamp()),
            }
        )
    return {"articles": articles, "comments": comments}


def write_sandbox_comments(account, path):
    """Write `sandbox_comments` to `path` as JSON (its folder made if needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sandbox_comments(account), ensure_ascii=False, indent=2), encoding="utf-8")
