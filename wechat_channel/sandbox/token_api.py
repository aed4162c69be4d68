"""Token endpoints (WECHAT.md §1.1, §1.2) and one plain authenticated API to exercise token checks."""

from wechat_channel.sandbox import errors
from wechat_channel.sandbox.routes import api


@api("token", method="GET", auth=False)
def token(sandbox, request):
    q = request.query
    account = sandbox.state.check_credentials(q.get("grant_type"), q.get("appid"), q.get("secret"))
    sandbox.state.check_client_ip(account, request.client_ip)
    issued = sandbox.state.issue_ordinary(q["appid"])
    return {"access_token": issued.value, "expires_in": int(issued.expires_at - issued.issued_at)}


@api("stable_token", method="POST", auth=False)
def stable_token(sandbox, request):
    d = request.data
    account = sandbox.state.check_credentials(d.get("grant_type"), d.get("appid"), d.get("secret"))
    sandbox.state.check_client_ip(account, request.client_ip)
    force = d.get("force_refresh", False)
    if not isinstance(force, bool):
        raise errors.WeChatError(errors.DATA_FORMAT_ERROR)
    issued, expires_in = sandbox.state.stable_token(d["appid"], force_refresh=force)
    return {"access_token": issued.value, "expires_in": expires_in}


@api("get_api_domain_ip", method="GET")
def get_api_domain_ip(sandbox, request):
    return {"ip_list": ["127.0.0.1"]}
