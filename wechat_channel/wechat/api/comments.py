"""Comments on published articles (留言, WECHAT.md §8): `index` is 0-based and `count` < 50, unlike wechatpy's
defaults."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.transport import as_id


class Comments(Area):
    def list(self, msg_data_id, index, begin=0, count=49, comment_type=0):
        """One page of an article's comments: `{"total", "comment": [...]}`."""
        body = {"msg_data_id": as_id(msg_data_id), "index": index, "begin": begin, "count": count}
        return self.post("comment/list", {**body, "type": comment_type})

    def delete(self, msg_data_id, index, user_comment_id):
        body = {"msg_data_id": as_id(msg_data_id), "index": index, "user_comment_id": user_comment_id}
        return self.post("comment/delete", body)

    def open(self, msg_data_id, index):
        return self.post("comment/open", {"msg_data_id": as_id(msg_data_id), "index": index})

    def close(self, msg_data_id, index):
        return self.post("comment/close", {"msg_data_id": as_id(msg_data_id), "index": index})
