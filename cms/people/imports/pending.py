"""An uploaded file kept on the server between the preview and the confirmation, under a signed ticket.

The browser holds only the ticket: who uploaded, the file's random name, its SHA-256 and the plan's digest, signed
with `SECRET_KEY` for `TICKET_SECONDS`. A confirmation claims the file by renaming it, so of two confirmations of
one preview (a double click, two tabs) exactly one imports; the other is told the preview was used. The directory
is `PEOPLE_IMPORT_DIR` (default `var/people-imports/`), never under MEDIA_ROOT: the files hold phone numbers.
"""

import hashlib
import os
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

TICKET_SECONDS = 3600
SALT = "cms.people.imports.pending"


class TicketRefused(Exception):
    """The ticket is forged, expired, someone else's, or its file was already imported."""


def directory():
    path = Path(getattr(settings, "PEOPLE_IMPORT_DIR", "") or Path(settings.BASE_DIR) / "var" / "people-imports")
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def keep(data, user, digest):
    """Store `data` for `user`'s confirmation; returns the signed ticket. Clears files older than the tickets."""
    _clear_stale()
    name = secrets.token_hex(16)
    (directory() / name).write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    return signing.dumps({"user": user.pk, "file": name, "sha": sha, "plan": digest}, salt=SALT, compress=True)


def claim(ticket, user):
    """(file bytes, plan digest) of `ticket`, taken so that no other confirmation can; `TicketRefused` otherwise."""
    try:
        value = signing.loads(ticket, salt=SALT, max_age=TICKET_SECONDS)
    except signing.SignatureExpired:
        raise TicketRefused(_("The preview is over an hour old: upload the file again.")) from None
    except signing.BadSignature:
        raise TicketRefused(_("This preview cannot be confirmed: upload the file again.")) from None
    value = value if isinstance(value, dict) else {}
    name = str(value.get("file", ""))
    if value.get("user") != user.pk or not (len(name) == 32 and name.isalnum()):
        raise TicketRefused(_("This preview cannot be confirmed: upload the file again."))
    kept, taken = directory() / name, directory() / f"{name}.taken"
    try:
        os.rename(kept, taken)  # atomic: one confirmation wins
    except FileNotFoundError:
        raise TicketRefused(_("This preview was already imported or has expired: upload the file again.")) from None
    try:
        data = taken.read_bytes()
    finally:
        taken.unlink(missing_ok=True)
    if hashlib.sha256(data).hexdigest() != value.get("sha"):
        raise TicketRefused(_("This preview cannot be confirmed: upload the file again."))
    return data, value.get("plan", "")


def _clear_stale():
    limit = time.time() - TICKET_SECONDS
    for path in directory().iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            continue
