"""Control endpoints for accounts, publishing jobs and event pushes (WECHAT.md §4-§6; docs/operations.md).

`handle` answers the names it knows and returns None otherwise; `control.py` turns ValueError into HTTP 400.
"""

from wechat_channel.sandbox import crypto
from wechat_channel.sandbox.state import ACCOUNT_KINDS

ACCOUNT_FIELDS = {
    "secret",
    "kind",
    "verified",
    "ghid",
    "callback_url",
    "callback_token",
    "encoding_aes_key",
    "ip_whitelist",
}


def _optional_str(data, name):
    value = data[name]
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string or null")
    return value or None


def account_changes(data, existing):
    """Validated field changes for `POST /sandbox/accounts`; `existing` is the account being updated, or None."""
    unknown = set(data) - ACCOUNT_FIELDS - {"appid"}
    if unknown:
        raise ValueError(f"unknown account fields: {sorted(unknown)}")
    changes = {name: data[name] for name in ACCOUNT_FIELDS & set(data)}
    secret = changes.get("secret", getattr(existing, "secret", None))
    if not isinstance(secret, str) or not secret:
        raise ValueError("appid and secret are required")
    if "kind" in changes and changes["kind"] not in ACCOUNT_KINDS:
        raise ValueError(f"kind must be one of {list(ACCOUNT_KINDS)}")
    if "verified" in changes and not isinstance(changes["verified"], bool):
        raise ValueError("verified must be true or false")
    for name in ("callback_url", "callback_token", "encoding_aes_key", "ghid"):
        if name in changes:
            changes[name] = _optional_str(data, name)
    url = changes.get("callback_url")
    if url is not None and not url.startswith(("http://", "https://")):
        raise ValueError("callback_url must be an http(s) URL")
    if changes.get("encoding_aes_key") is not None:
        try:
            crypto.aes_key(changes["encoding_aes_key"])
        except crypto.InvalidEncodingAESKey as exc:
            raise ValueError(str(exc)) from exc
    whitelist = changes.get("ip_whitelist")
    if whitelist is not None and not (isinstance(whitelist, list) and all(isinstance(i, str) for i in whitelist)):
        raise ValueError("ip_whitelist must be a list of IP strings or null")
    merged_url = changes.get("callback_url", getattr(existing, "callback_url", None))
    merged_token = changes.get("callback_token", getattr(existing, "callback_token", None))
    if merged_url and not merged_token:
        raise ValueError("callback_token is required with callback_url (events are signed with it)")
    if existing is None and "ghid" in changes and changes["ghid"] is None:
        del changes["ghid"]
    return changes


def _object(data):
    if not isinstance(data, dict):
        raise ValueError("a JSON object body is required")
    return data


def _deliveries(sandbox, query):
    return {"deliveries": sandbox.notifier.as_list(event=query.get("event"), appid=query.get("appid"))}


def _forge_event(sandbox, data):
    """Push any plaintext event XML for an account, signed and (in safe mode) encrypted like a real one."""
    appid, xml = data.get("appid"), data.get("xml")
    if appid not in sandbox.state.accounts:
        raise ValueError("appid must name a sandbox account")
    if not isinstance(xml, str) or not xml.strip().startswith("<xml>"):
        raise ValueError("xml must be the plaintext event, <xml>...</xml>")
    event = data.get("event") or "FORGED"
    return {"event_id": sandbox.notifier.push(appid, str(event), xml, wait=bool(data.get("wait")))}


def _redeliver(sandbox, data):
    try:
        return {"event_id": sandbox.notifier.redeliver(int(data.get("event_id")), wait=bool(data.get("wait")))}
    except (KeyError, TypeError) as exc:
        raise ValueError("event_id must name an event in /sandbox/deliveries") from exc


def handle(sandbox, method, name, query, data):
    """(status, body) for the control names below, or None for names this module does not serve."""
    if (method, name) == ("GET", "accounts"):
        with sandbox.state.lock:
            return 200, {"accounts": [a.public() for a in sandbox.state.accounts.values()]}
    if (method, name) == ("POST", "accounts"):
        data = _object(data)
        appid = data.get("appid")
        if not isinstance(appid, str) or not appid:
            raise ValueError("appid and secret are required")
        changes = account_changes(data, sandbox.state.accounts.get(appid))
        return 200, sandbox.state.update_account(appid, changes).public()
    if (method, name) == ("GET", "deliveries"):
        return 200, _deliveries(sandbox, query)
    if (method, name) == ("POST", "deliveries/redeliver"):
        return 200, _redeliver(sandbox, _object(data))
    if (method, name) == ("POST", "events"):
        return 200, _forge_event(sandbox, _object(data))
    if (method, name) == ("GET", "publishing"):
        return 200, sandbox.job_settings.as_dict()
    if (method, name) == ("POST", "publishing"):
        sandbox.job_settings.update(_object(data))
        return 200, sandbox.job_settings.as_dict()
    if (method, name) == ("POST", "publishing/complete"):
        return 200, {"finished": sandbox.scheduler.run_all()}
    return None
