"""In-memory sandbox state: accounts, ordinary and stable access tokens, and an adjustable clock (WECHAT.md §1)."""

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass, field

from wechat_channel.sandbox import errors

TOKEN_LIFETIME = 7200  # seconds; `expires_in` of both token kinds
OVERLAP = 300  # a superseded ordinary token stays valid this long; stable tokens rotate this long before expiry
FORCE_REFRESH_PER_DAY = 20
FORCE_REFRESH_SPACING = 30  # seconds between two effective force refreshes
DAY = 86400


class Clock:
    """Wall-clock time plus an offset that tests advance instead of sleeping; `frozen` stops the wall clock."""

    def __init__(self, frozen=False):
        self.frozen_at = time.time() if frozen else None
        self.offset = 0.0

    def now(self):
        base = self.frozen_at if self.frozen_at is not None else time.time()
        return base + self.offset

    def advance(self, seconds):
        self.offset += float(seconds)


ACCOUNT_KINDS = ("service", "subscription")
IP_NOT_IN_WHITELIST = 40164


@dataclass
class Account:
    """One official account. `encoding_aes_key` None = plain-mode callbacks, set = safe (AES) mode (WECHAT.md §6.2)."""

    appid: str
    secret: str
    kind: str = "service"  # "service" or "subscription"; publishing and mass send answer 48001 by kind (§4.1, §5)
    verified: bool = True
    ghid: str = ""  # "gh_" + 12 hex derived from the appid when left empty
    callback_url: str | None = None
    callback_token: str | None = None
    encoding_aes_key: str | None = None
    ip_whitelist: list[str] | None = None  # None = no check; a list = token endpoints answer 40164 for others

    def __post_init__(self):
        if not self.ghid:
            self.ghid = "gh_" + hashlib.sha256(self.appid.encode()).hexdigest()[:12]

    def public(self):
        """The account as the control surface shows it: no secret, no callback token, no AES key."""
        return {
            "appid": self.appid,
            "kind": self.kind,
            "verified": self.verified,
            "ghid": self.ghid,
            "callback_url": self.callback_url,
            "mode": "safe" if self.encoding_aes_key else "plain",
            "ip_whitelist": self.ip_whitelist,
        }


@dataclass
class IssuedToken:
    """One access token of either namespace; `revoked_at` is when it stops being accepted early."""

    value: str
    appid: str
    stable: bool
    issued_at: float
    expires_at: float
    revoked_at: float | None = None


@dataclass
class StableSlot:
    """Per-appid stable-token bookkeeping: the current token and recent force refreshes."""

    current: IssuedToken | None = None
    forced_at: list[float] = field(default_factory=list)


def _token_value():
    # Live tokens read like `75_Eh6xXTreGUxvV...`: a numeric prefix, `_`, then ~150 url-safe characters.
    return f"{secrets.randbelow(90) + 10}_{secrets.token_urlsafe(105)}"


class SandboxState:
    """Everything the sandbox remembers, guarded by one re-entrant lock."""

    def __init__(self, clock=None):
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.current_ordinary: dict[str, IssuedToken] = {}
        self.stable: dict[str, StableSlot] = {}

    def reset(self):
        """Forget tokens (accounts stay) and rewind the clock."""
        with self.lock:
            self.tokens.clear()
            self.current_ordinary.clear()
            self.stable.clear()
            self.clock.offset = 0.0

    def add_account(self, appid, secret, kind="service"):
        with self.lock:
            self.accounts[appid] = Account(appid, secret, kind)
            return self.accounts[appid]

    def update_account(self, appid, changes):
        """Create or update an account from control-surface `changes` (tokens survive an update)."""
        with self.lock:
            account = self.accounts.get(appid)
            if account is None:
                account = self.accounts[appid] = Account(appid, changes.pop("secret"))
            for name, value in changes.items():
                setattr(account, name, value)
            return account

    def check_client_ip(self, account, ip):
        """40164 when the account has an IP whitelist and `ip` is not on it (§1.5)."""
        if account.ip_whitelist is not None and ip not in account.ip_whitelist:
            raise errors.WeChatError(IP_NOT_IN_WHITELIST, f"invalid ip {ip} ipv6 ::ffff:{ip}, not in whitelist")

    def check_credentials(self, grant_type, appid, secret):
        """Raise the WeChat error for a bad token request; return the account otherwise."""
        if grant_type != "client_credential":
            raise errors.WeChatError(errors.INVALID_GRANT_TYPE)
        if not appid:
            raise errors.WeChatError(errors.APPID_MISSING)
        if not secret:
            raise errors.WeChatError(errors.APPSECRET_MISSING)
        account = self.accounts.get(appid)
        if account is None:
            raise errors.WeChatError(errors.INVALID_APPID)
        if not secrets.compare_digest(account.secret, secret):
            raise errors.WeChatError(errors.INVALID_APPSECRET)
        return account

    def _issue(self, appid, stable):
        now = self.clock.now()
        token = IssuedToken(_token_value(), appid, stable, now, now + TOKEN_LIFETIME)
        self.tokens[token.value] = token
        return token

    def issue_ordinary(self, appid):
        """`cgi-bin/token`: a new token each call; the previous one lives on for OVERLAP seconds."""
        with self.lock:
            previous = self.current_ordinary.get(appid)
            token = self._issue(appid, stable=False)
            if previous is not None and previous.revoked_at is None:
                previous.revoked_at = token.issued_at + OVERLAP
            self.current_ordinary[appid] = token
            return token

    def stable_token(self, appid, force_refresh=False):
        """`cgi-bin/stable_token`: (token, expires_in). Shared while valid, rotated when < OVERLAP s remain."""
        with self.lock:
            now = self.clock.now()
            slot = self.stable.setdefault(appid, StableSlot())
            current = slot.current
            if force_refresh and current is not None:
                slot.forced_at = [t for t in slot.forced_at if now - t < DAY]
                if len(slot.forced_at) >= FORCE_REFRESH_PER_DAY:
                    raise errors.WeChatError(errors.DAILY_QUOTA)
                if not slot.forced_at or now - slot.forced_at[-1] >= FORCE_REFRESH_SPACING:
                    slot.forced_at.append(now)
                    current.revoked_at = now  # force mode invalidates the previous token at once
                    current = None
            if current is None or current.expires_at - now < OVERLAP:
                current = self._issue(appid, stable=True)  # a rotated-out token keeps its own expiry
                slot.current = current
            return current, int(current.expires_at - now)

    def check_access_token(self, value):
        """Raise 41001/40014/42001/40001 for a token an API call may not use; return the token otherwise."""
        if not value:
            raise errors.WeChatError(errors.ACCESS_TOKEN_MISSING)
        with self.lock:
            token = self.tokens.get(value)
            now = self.clock.now()
        if token is None:
            raise errors.WeChatError(errors.INVALID_ACCESS_TOKEN)
        if token.revoked_at is not None and now >= token.revoked_at:
            raise errors.WeChatError(errors.INVALID_CREDENTIAL)
        if now >= token.expires_at:
            raise errors.WeChatError(errors.ACCESS_TOKEN_EXPIRED)
        return token
