"""The difference between two policy documents as flat dotted paths.

`diff(old, new)` walks both JSON-ready documents side by side and lists every
leaf that differs: `{"path": "discipline.warning_at", "old": 5, "new": 4,
"change": "changed"}`. List items are addressed by index
(`rewards.prizes.1.points`); a key or item only one side has is "added" or
"removed" and carries the whole value. A value that changes shape (no fixed
window `None` → a list of windows) is reported whole at its own path.
"""

MISSING = object()


def diff(old_data, new_data):
    """Every differing leaf of `old_data` → `new_data`, in document order."""
    changes = []
    _walk("", old_data, new_data, changes)
    return changes


def _join(prefix, part):
    return f"{prefix}.{part}" if prefix else str(part)


def _walk(path, old, new, changes):
    if isinstance(old, dict) and isinstance(new, dict):
        keys = list(old) + [name for name in new if name not in old]
        for name in keys:
            _walk(_join(path, name), old.get(name, MISSING), new.get(name, MISSING), changes)
        return
    if isinstance(old, list) and isinstance(new, list):
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else MISSING
            after = new[index] if index < len(new) else MISSING
            _walk(_join(path, index), before, after, changes)
        return
    if _same(old, new):
        return
    if old is MISSING:
        changes.append({"path": path, "old": None, "new": new, "change": "added"})
    elif new is MISSING:
        changes.append({"path": path, "old": old, "new": None, "change": "removed"})
    else:
        changes.append({"path": path, "old": old, "new": new, "change": "changed"})


def _same(old, new):
    # 1 and 1.0 are the same number in a document; True and 1 are not the same value.
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    return old == new


def summary(changes, limit=50):
    """The changes of an edit as stored in its audit event: the first `limit` and the total count."""
    return {"count": len(changes), "changes": changes[:limit], "truncated": len(changes) > limit}
