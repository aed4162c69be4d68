"""Health: whether the account can get a token and use it, and an API's daily quota."""

from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.errors import WeChatCallError

UNKNOWN_API = 99999  # the sandbox's answer for a path it does not serve (HTTP 404)


class Health(Area):
    def check_token(self):
        """Whether this account can get a token and use it: `{"ok", ...}` with the classified error if not."""
        api = self.client.api
        try:
            cached = bool(api.session.get(api.access_token_key))
            self.client.call("get_api_domain_ip", lambda: api.get("get_api_domain_ip"))
        except WeChatCallError as error:
            return {"ok": False, "cached": False, "error": error.as_dict(), "message": str(error)}
        return {"ok": True, "cached": cached, "error": None, "message": ""}

    def quota(self, cgi_path):
        """`openapi/quota/get` for `cgi_path` (e.g. "/cgi-bin/draft/add"): `{"daily_limit", "used", "remain"}`.

        None where the API is not served (the sandbox may not know it).
        """
        try:
            result = self.post("openapi/quota/get", {"cgi_path": cgi_path})
        except WeChatCallError as error:
            if error.http_status == 404 or error.code == UNKNOWN_API:
                return None
            raise
        return result.get("quota")
