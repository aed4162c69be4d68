"""The `/sandbox/*` control surface: tests and benchmarks read the call log and steer faults, accounts and time."""

from wechat_channel.sandbox import follower_control, publish_control
from wechat_channel.sandbox.comment_api import seed_comment
from wechat_channel.sandbox.followers import default_openids

CONTROL_PREFIX = "/sandbox/"


class ControlError(Exception):
    """A bad control request; answered with HTTP 400."""


def handle_control(sandbox, method, path, query, data):
    """Return (status, body) for a control request."""
    name = path[len(CONTROL_PREFIX) :].strip("/")
    key = (method, name)
    if key == ("GET", "calls"):
        return 200, {"calls": sandbox.calls.as_list(path=query.get("path"))}
    if key == ("GET", "faults"):
        return 200, sandbox.faults.as_dict()
    if key == ("POST", "faults"):
        try:
            sandbox.faults.configure(_require_dict(data))
        except (TypeError, ValueError) as exc:
            raise ControlError(str(exc)) from exc
        return 200, sandbox.faults.as_dict()
    if key == ("POST", "reset"):
        sandbox.reset()
        return 200, {"ok": True}
    try:  # accounts, publishing jobs and event pushes; followers leaving and coming back
        answer = publish_control.handle(sandbox, method, name, query, data)
        answer = answer or follower_control.handle(sandbox, method, name, query, data)
    except (TypeError, ValueError) as exc:
        raise ControlError(str(exc)) from exc
    if answer is not None:
        return answer
    if key == ("POST", "clock"):
        data = _require_dict(data)
        try:
            sandbox.state.clock.advance(float(data.get("advance", 0)))
        except (TypeError, ValueError) as exc:
            raise ControlError("advance must be a number of seconds") from exc
        return 200, {"now": sandbox.state.clock.now()}
    if key == ("POST", "comments"):
        data = _require_dict(data)
        return 200, seed_comment(sandbox, data, default_openid=default_openids(data.get("appid"))[0])
    if key == ("GET", "followers"):
        appid = _known_appid(sandbox, query.get("appid"))
        return 200, {"appid": appid, "openids": sandbox.audience.follower_list(appid)}
    if key == ("POST", "followers"):
        data = _require_dict(data)
        appid, openids = _known_appid(sandbox, data.get("appid")), data.get("openids")
        if not isinstance(openids, list):
            raise ControlError("openids must be a list")
        return 200, {"appid": appid, "count": sandbox.audience.follow(appid, openids)}
    return 404, {"error": f"no control endpoint {method} {path}"}


def _known_appid(sandbox, appid):
    if appid not in sandbox.state.accounts:
        raise ControlError("appid must name a sandbox account")
    return appid


def _require_dict(data):
    if not isinstance(data, dict):
        raise ControlError("a JSON object body is required")
    return data
