"""Where a validation error of the policy document goes on the editor's forms: the field its path names,
else the section, else nowhere (the caller shows it at the top, with what it is about). At a field or section the
error reads as its problem alone, in the reader's language (`texts.problem`): the label beside it names the thing."""

from .params import parse_number
from .texts import problem


def _at(form, field, message):
    form.add_error(field if field in form.fields else None, message)
    return True


SIMPLE_SECTIONS = (
    "discipline",
    "credentials",
    "content",
    "records",
    "comments",
    "cases",
    "contributions",
    "review",
    "rewards",
    "schedule",
    "quotas",
)


def place_error(editor, error):
    """Put one `{"path", "message", "code", "params"}` error at the editor's form it names; False when none."""
    path = error.get("path") or ""
    if error.get("code") == "windows_overlap":  # pydantic names the windows; the day is in its parameters
        path = f"{path}.{(error.get('params') or {}).get('day_type', '')}"
    parts = [_number_or_text(part) for part in path.split(".") if part]
    return _place(editor, parts, problem(error), error.get("code"))


def _number_or_text(part):
    """A path part as the index it names, else as the key it is ("²" is a key, not 2)."""
    number = parse_number(part)
    return part if number is None else number


def _place(editor, parts, message, code=None):
    """Place one error; False when its path names nothing on the forms."""
    if not parts:
        return False
    section, rest = parts[0], parts[1:]
    if section == "schedule" and rest and rest[0] == "windows":
        return _place_window(editor, rest[1:], message)
    if section == "quotas" and rest and rest[0] == "assessment":
        return _at(editor.quotas, rest[1] if len(rest) > 1 else None, message)
    if section == "rewards" and rest and rest[0] == "prizes":
        if len(rest) > 1 and isinstance(rest[1], int) and rest[1] < len(getattr(editor, "_prizes", [])):
            return _at(editor._prizes[rest[1]], rest[2] if len(rest) > 2 else None, message)
        return editor.section("prizes", message)
    if section == "discipline" and not rest:
        # The only cross-field rule of the section is about the escalation threshold (A20).
        return _at(editor.discipline, "escalation_at", message)
    if section == "conditions":
        return _place_rule(editor, rest, message, code)
    if section in SIMPLE_SECTIONS:
        return _at(getattr(editor, section), rest[0] if rest else None, message)
    return False


def _place_window(editor, rest, message):
    days = {day["day_type"]: day for day in editor.days}
    if not rest:
        return editor.section("windows", message)
    day = days.get(rest[0])
    if day is None:
        return editor.section("windows", message)
    kept = editor._windows.get(rest[0], [])
    if len(rest) > 1 and isinstance(rest[1], int) and rest[1] < len(kept):
        return _at(kept[rest[1]], "end" if len(rest) == 2 else rest[2], message)
    return editor.section(f"windows-{rest[0]}", message)


def _place_rule(editor, rest, message, code):
    rules = getattr(editor, "_rules", [])
    if not rest or not isinstance(rest[0], int) or rest[0] >= len(rules):
        return editor.section("conditions", message)
    form, conditions = rules[rest[0]]
    if len(rest) > 1 and rest[1] == "when":
        if len(rest) > 2 and isinstance(rest[2], int) and rest[2] < len(conditions):
            field = rest[3] if len(rest) > 3 else ("op" if code == "operator_mismatch" else "value")
            return _at(conditions[rest[2]], field, message)
        return _at(form, None, message)
    return _at(form, rest[1] if len(rest) > 1 else None, message)
