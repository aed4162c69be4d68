"""A facts document's errors (docs/facts-document.md) as a reader reads them, in their language.

`parse_facts` keeps each error's `code` and `params` beside pydantic's English `message`, as the policy
document's errors do; here, as in `texts`, they are worded when read: what the error is about, named in words
("供稿 第 1 项 · 提交时间"), and the problem ("请输入日期时间，如 2026-09-07T10:00:00+08:00。"). A code this module
does not know shows its English message, never an error.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from .texts import SEPARATOR, WORDINGS, _worded

SECTIONS = {
    "version": pgettext_lazy("facts document", "Facts document version"),
    "period": pgettext_lazy("facts document", "Period"),
    "departments": pgettext_lazy("facts document", "Department"),
    "contributors": pgettext_lazy("facts document", "Contributor"),
    "submissions": pgettext_lazy("facts document", "Submission"),
    "errors": pgettext_lazy("facts document", "Error found in review"),
    "pushes": pgettext_lazy("facts document", "Push"),
}
FIELDS = {
    "id": pgettext_lazy("facts document", "Id"),
    "name": pgettext_lazy("facts document", "Name"),
    "kind": pgettext_lazy("facts document", "Kind"),
    "department": pgettext_lazy("facts document", "Department"),
    "contributor": pgettext_lazy("facts document", "Contributor"),
    "provider": pgettext_lazy("facts document", "Provided as"),
    "submitted_at": pgettext_lazy("facts document", "Submitted at"),
    "accepted": pgettext_lazy("facts document", "Accepted"),
    "published_at": pgettext_lazy("facts document", "Published at"),
    "reached_office_at": pgettext_lazy("facts document", "Reached the office at"),
    "submission": pgettext_lazy("facts document", "Submission"),
    "found_at": pgettext_lazy("facts document", "Found at"),
    "at": pgettext_lazy("facts document", "Push time"),
    "breaking": pgettext_lazy("facts document", "Breaking news"),
    "articles": pgettext_lazy("facts document", "Articles"),
    "start": pgettext_lazy("facts document", "First day"),
    "end": pgettext_lazy("facts document", "Last day"),
}


def _choices(params, path):
    # pydantic lists the values as "'a', 'b' or 'c'"; the reader gets them without the English "or".
    return _("Use one of: %(values)s.") % {"values": str(params["expected"]).replace(" or ", ", ")}


def _datetime(params, path):
    return _("Enter a date and time, such as 2026-09-07T10:00:00+08:00.")


def _date(params, path):
    return _("Enter a date, such as 2026-09-07.")


def _unknown(params, path):
    what = SECTIONS.get(params["section"], params["section"])
    return _("The document lists no %(what)s with the id %(value)s.") % {"what": what, "value": params["value"]}


FACTS_WORDINGS = {
    **WORDINGS,
    "extra_forbidden": lambda params, path: _("This is not part of the facts document."),
    "bool_parsing": lambda params, path: _("Enter true or false."),
    "bool_type": lambda params, path: _("Enter true or false."),
    "model_type": lambda params, path: _("This entry must be a JSON object."),
    "dict_type": lambda params, path: _("This entry must be a JSON object."),
    "literal_error": _choices,
    "enum": _choices,
    "datetime_parsing": _datetime,
    "datetime_type": _datetime,
    "datetime_from_date_parsing": _datetime,
    "date_parsing": _date,
    "date_type": _date,
    "date_from_datetime_parsing": _date,
    "date_from_datetime_inexact": _date,
    "id_type": lambda params, path: _("An id is a whole number or a text of 1 to 100 characters."),
    "out_of_range": lambda params, path: (
        _("%(value)s is outside the accepted range, %(earliest)s to %(latest)s") % params
    ),
    "period_order": lambda params, path: _("The period ends (%(end)s) before it starts (%(start)s).") % params,
    "period_too_long": lambda params, path: _("A period is at most %(limit)s days.") % params,
    "document_type": lambda params, path: _("The facts document must be a JSON object."),
    "duplicate_id": lambda params, path: _("The id %(value)s is listed twice.") % params,
    "unknown_reference": _unknown,
}


def subject(path):
    """What a facts path is about, in words: "供稿 第 1 项 · 提交时间"; a key the document does not know, quoted."""
    parts = [part for part in str(path).split(".") if part]
    if not parts:
        return _("The facts document")
    words = [str(SECTIONS.get(parts[0], _("“%(key)s”") % {"key": parts[0]}))]
    for part in parts[1:]:
        if part.isdigit():
            words.append(_("entry %(number)s") % {"number": int(part) + 1})
        else:
            words.append(str(FIELDS.get(part, _("“%(key)s”") % {"key": part})))
    return SEPARATOR.join(words)


def error_text(error):
    """One facts error with what it is about, then where it is in the file: "供稿 第 1 项 · …：… [submissions.0.…]"."""
    text = _("%(subject)s: %(problem)s") % {
        "subject": subject(error.get("path", "")),
        "problem": _worded(FACTS_WORDINGS, error, error.get("path") or ""),
    }
    return f"{text} [{error['path']}]" if error.get("path") else text


def summary(errors, limit=5):
    """The first `limit` errors in words, and how many more there are."""
    shown = pgettext("list of errors", "; ").join(error_text(error) for error in errors[:limit])
    rest = len(errors) - limit
    if rest <= 0:
        return shown
    return shown + " " + ngettext("(and %(count)s more error)", "(and %(count)s more errors)", rest) % {"count": rest}
