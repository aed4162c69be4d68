"""The draft box (草稿箱, WECHAT.md §3)."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.errors import WeChatCallError

MEDIA_ID_INVALID = 40007


class Drafts(Area):
    def add(self, articles):
        """Create one draft of `articles` (all fields kept, unlike wechatpy's draft.add); its media_id."""
        return self.post("draft/add", {"articles": list(articles)})["media_id"]

    def get(self, media_id):
        """The draft's `news_item` list, or None when WeChat no longer has it (40007)."""
        try:
            return self.post("draft/get", {"media_id": media_id}).get("news_item", [])
        except WeChatCallError as error:
            if error.code == MEDIA_ID_INVALID:
                return None
            raise

    def batchget(self, offset=0, count=20, no_content=1):
        return self.post("draft/batchget", {"offset": offset, "count": count, "no_content": no_content})

    def delete(self, media_id):
        return self.post("draft/delete", {"media_id": media_id})
