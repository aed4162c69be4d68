"""The custom menu (自定义菜单, WECHAT.md §7): read it, set it."""

from wechat_channel.wechat.api.base import Area


class Menu(Area):
    def get(self):
        """`menu/get`: `{"menu": {"button": [...]}}`; 46003 when the account has no menu."""
        api = self.client.api
        return self.client.call("menu/get", lambda: api.get("menu/get"))

    def create(self, menu):
        """`menu/create` with `{"button": [...]}`."""
        return self.post("menu/create", menu)
