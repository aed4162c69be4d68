"""Web authorization (网页授权, snsapi_base): who a follower is, from the code WeChat hands the site (A21)."""

import requests
from wechatpy.exceptions import WeChatOAuthException
from wechatpy.oauth import WeChatOAuth

from wechat_channel import trust
from wechat_channel.conf import get_conf
from wechat_channel.wechat import errors
from wechat_channel.wechat.api.base import Area
from wechat_channel.wechat.errors import WeChatCallError
from wechat_channel.wechat.transport import as_str, http_session


class TimedOAuth(WeChatOAuth):
    """wechatpy's web authorization for one account: its API and authorize addresses (the sandbox's in the demo),
    and a timeout, which wechatpy leaves out."""

    def __init__(self, account, redirect_uri="", state=""):
        refusal = trust.refusal(account)
        if refusal:  # neither the secret nor a follower's browser goes to an address the site does not trust
            raise refusal
        super().__init__(account.appid, account.secret, redirect_uri, scope="snsapi_base", state=state)
        self.API_BASE_URL = account.base_url + "/"
        self.OAUTH_BASE_URL = account.authorize_base_url + "/connect/"
        self._http = http_session(self.API_BASE_URL)

    def _request(self, method, url_or_endpoint, **kwargs):
        kwargs.setdefault("timeout", get_conf("TIMEOUT"))
        return super()._request(method, url_or_endpoint, **kwargs)


class WebAuth(Area):
    def oauth(self, redirect_uri="", state=""):
        return TimedOAuth(self.client.account, redirect_uri, state)

    def authorize_url(self, redirect_uri, state):
        """The `connect/oauth2/authorize` link a follower opens in WeChat; it comes back to `redirect_uri`."""
        return self.oauth(redirect_uri, state).authorize_url

    def openid_for_code(self, code):
        """The openid a web-authorization `code` stands for. Never retried: a code works once (40163)."""
        path = "sns/oauth2/access_token"
        api = self.oauth()
        try:
            return api.fetch_access_token(code)["openid"]
        except WeChatOAuthException as exc:
            if exc.errcode is None:
                status = getattr(exc.response, "status_code", None) or 0
                raise WeChatCallError(None, path, "", http_status=status) from exc
            raise WeChatCallError(int(exc.errcode), path, as_str(exc.errmsg)) from exc
        except requests.Timeout as exc:
            raise WeChatCallError(None, path, str(exc)[:500], reason=errors.TIMEOUT) from exc
        except (requests.RequestException, ValueError, KeyError) as exc:
            raise WeChatCallError(None, path, str(exc)[:500], reason=errors.CONNECTION) from exc
