"""Mass send (群发, WECHAT.md §5): to every follower, its status, a preview on one phone."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.errors import WeChatCallError
from wechat_channel.wechat.transport import as_id, as_str

CLIENTMSGID_EXISTS = 45065


class MassSend(Area):
    def send_to_all(self, media_id, clientmsgid):
        """Mass-send a draft to every follower: `{"msg_id", "msg_data_id", "duplicate"}`.

        The same `clientmsgid` within 24 h answers 45065 with the first send's msg_id: returned with
        duplicate=True, so asking again after a lost answer is how a caller learns what happened.
        """
        body = {
            "filter": {"is_to_all": True},
            "mpnews": {"media_id": media_id},
            "msgtype": "mpnews",
            "send_ignore_reprint": 0,
            "clientmsgid": clientmsgid,
        }
        try:
            result = self.post("message/mass/sendall", body)
        except WeChatCallError as error:
            existing = (getattr(error, "body", None) or {}).get("msg_id")
            if error.code == CLIENTMSGID_EXISTS and existing is not None:
                body = error.body
                return {"msg_id": as_str(existing), "msg_data_id": as_str(body.get("msg_data_id")), "duplicate": True}
            raise
        return {
            "msg_id": as_str(result.get("msg_id")),
            "msg_data_id": as_str(result.get("msg_data_id")),
            "duplicate": False,
        }

    def get(self, msg_id):
        return self.post("message/mass/get", {"msg_id": as_id(msg_id)})

    def preview(self, media_id, towxname):
        """Send the draft to one WeChat ID for a look on a phone (≤ 100 a day)."""
        body = {"towxname": towxname, "mpnews": {"media_id": media_id}, "msgtype": "mpnews"}
        return self.post("message/mass/preview", body)
