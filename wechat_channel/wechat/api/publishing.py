"""Publishing (发布, WECHAT.md §4): submit a draft, its status, the publications."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.transport import as_id, as_str


class Publishing(Area):
    def submit(self, media_id):
        """Submit a draft for publishing: `{"publish_id", "msg_data_id"}` as strings."""
        result = self.post("freepublish/submit", {"media_id": media_id})
        return {"publish_id": as_str(result.get("publish_id")), "msg_data_id": as_str(result.get("msg_data_id"))}

    def get(self, publish_id):
        return self.post("freepublish/get", {"publish_id": as_id(publish_id)})

    def batchget(self, offset=0, count=20, no_content=1):
        return self.post("freepublish/batchget", {"offset": offset, "count": count, "no_content": no_content})
