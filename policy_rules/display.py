"""The document, reports and history as administrators read them: labelled rows, no JSON."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from . import coverage, dry_run_sections, forms, imports, labels, texts
from .gates import case_failure_text, describe_case, parse_cases
from .rule_terms import rule_sentence

WINDOWS_PATH = re.compile(r"schedule\.windows\.\w+")  # one day type's push windows, as a whole

# Where a version's event came from (PolicyEvent.data["source"]), as its history says it.
EVENT_SOURCES = {
    "admin": pgettext_lazy("policy event source", "in the admin"),
    "manage.py": pgettext_lazy("policy event source", "with manage.py"),
    "migration": pgettext_lazy("policy event source", "when the site was installed"),
}


def _label(form_class, name):
    return form_class.base_fields[name].label


def _value(value, names=None):
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(str((names or {}).get(item, item)) for item in value) or "—"
    return str((names or {}).get(value, value)) if value is not None else "—"


def _choices(form_class, name):
    """A choice field's labels by value, so stored codes read as words ("publish" → 立即发布)."""
    return dict(getattr(form_class.base_fields[name], "choices", None) or ()) or None


def _rows(form_class, values, names=None):
    names = names or {}
    return [
        {
            "label": _label(form_class, name),
            "value": _value(values[name], names.get(name) or _choices(form_class, name)),
        }
        for name in form_class.base_fields
        if name in values
    ]


def _windows(windows):
    if windows is None:
        return _("No fixed window: pushes at any time")
    return "、".join(f"{window['start']}–{window['end']}" for window in windows) or _("No window: no pushes")


def document_sections(data):
    """[{"title", "rows": [{"label", "value"}]}] for every section of a document's data."""
    schedule, quotas, rewards = data["schedule"], data["quotas"], data["rewards"]
    windows = [
        {"label": _("Push windows: %(day)s") % {"day": labels.DAY_TYPES[day]}, "value": _windows(value)}
        for day, value in schedule["windows"].items()
    ]
    prizes = [
        {
            "label": labels.PRIZES[prize["name"]],
            "value": _("%(points)s points, %(winners)s winner(s)")
            % {"points": prize["points"], "winners": prize["winners"]},
        }
        for prize in rewards["prizes"]
    ]
    rules = [{"label": rule["id"], "value": rule_sentence(rule)} for rule in data["conditions"]]
    return [
        {
            "title": _("Push schedule (A11, A12, A16)"),
            "rows": windows
            + _rows(
                forms.ScheduleForm,
                schedule,
                {"weekend_day_types": labels.DAY_TYPES, "weekend_categories": labels.CATEGORIES},
            ),
        },
        {
            "title": _("Department quotas (A8, A22)"),
            "rows": _rows(forms.QuotasForm, {**quotas, **quotas["assessment"]}),
        },
        {"title": _("Rewards (A17, A18)"), "rows": _rows(forms.RewardsForm, rewards) + prizes},
        {
            "title": _("Discipline (A20)"),
            "rows": _rows(forms.DisciplineForm, data["discipline"], {"counted_kinds": labels.ERROR_KINDS}),
        },
        {"title": _("Credentials (A6.6)"), "rows": _rows(forms.CredentialsForm, data["credentials"])},
        {"title": _("Content checks (A6.3, A10)"), "rows": _rows(forms.ContentForm, data["content"])},
        {
            "title": _("Follower activity records (A14)"),
            "rows": _rows(forms.RecordsForm, data.get("records") or forms.RECORDS_DEFAULTS),
        },
        {
            "title": _("Reports and system errors (A6.5)"),
            "rows": _rows(forms.CasesForm, data.get("cases") or forms.CASES_DEFAULTS),
        },
        {
            "title": _("Contributions (A6.1, A6.2.5)"),
            "rows": _rows(forms.ContributionsForm, data.get("contributions") or forms.CONTRIBUTIONS_DEFAULTS),
        },
        {
            "title": _("Review (A6.1, A6.2)"),
            "rows": _rows(forms.ReviewForm, data.get("review") or forms.REVIEW_DEFAULTS),
        },
        {"title": _("Administrators' rules"), "rows": rules or [{"label": "—", "value": _("None")}]},
    ]


def report_view(report):
    """A validation report in the reader's language: its steps, errors, administrator cases and failures in words."""
    if not report:
        return None
    try:
        cases = parse_cases(report.get("admin_cases", []))
    except ValueError:
        cases = []
    case_failures = [failure for failure in report.get("case_failures") or [] if isinstance(failure, dict)]
    return {
        **report,
        "message": texts.report_message(report),
        "step_texts": [{"ok": step.get("ok"), "text": texts.step_text(step)} for step in report.get("steps", [])],
        "error_texts": [document_error_text(error) for error in report.get("errors", [])],
        "warning_texts": [document_error_text(warning) for warning in report.get("warnings", [])],
        # Administrators' cases worded now, in the reader's language; the engine's failures after them as stored.
        "failure_texts": [case_failure_text(failure, cases) for failure in case_failures]
        + list(report.get("failures", []))[len(case_failures) :],
        "case_texts": [describe_case(case) for case in cases],
    }


def document_error_text(error):
    """One `{"path", "message", "code", "params"}` error of a document, naming what it is about as the form does."""
    return texts.error_text(error, forms.SECTION_FORMS)


def dry_run_view(report):
    """A dry-run report with its changes in sections (each once, naming its subject) and the document's differences."""
    covered = report.get("coverage")
    sections = dry_run_sections.sections(report)
    return {
        **report,
        # What the replay covered and whether it counts for activation (a report older than the check: None).
        "coverage_summary": coverage.summary(covered) if covered else None,
        "coverage_verdict": coverage.verdict(covered),
        "proves": coverage.proves(report),
        "sections": sections,
        "change_count": sum(section["count"] for section in sections),
        "diff_rows": diff_rows(report),
    }


def diff_rows(report):
    """The document's differences in a dry-run report, each named as the edit form labels it, with values in words."""
    return [
        {
            "path": change["path"],
            # What changed as the edit form labels it ("工作日推送时段"), not the document's dotted path.
            "label": texts.subject(change["path"], forms.SECTION_FORMS),
            "old": _change_value(change["path"], change["old"]),
            "new": _change_value(change["path"], change["new"]),
            "change": change["change"],
        }
        for change in report.get("document_diff", [])
    ]


def _change_value(path, value):
    """A changed value as the document's page words it: a day type's windows as 无时段：不推送 or
    不设固定时段：随时可推送, not "[]" or "—"."""
    if WINDOWS_PATH.fullmatch(str(path)) and (value is None or isinstance(value, list)):
        return _windows(value)
    return _shown(value)


def _shown(value):
    if isinstance(value, dict) and set(value) == {"start", "end"}:  # a push window
        return f"{value['start']}–{value['end']}"
    if isinstance(value, dict) and {"when", "then", "message"} <= set(value):  # a whole rule, added or removed
        try:
            return rule_sentence(value)
        except (KeyError, TypeError):
            pass
    if isinstance(value, dict):
        return ", ".join(f"{name}: {_shown(item)}" for name, item in value.items())
    if isinstance(value, list):
        return "; ".join(_shown(item) for item in value) or "—"
    if value is None:
        return "—"
    return _value(value)


def event_summary(event):
    """One line of history for an event."""
    data = event.data or {}
    parts = []
    if data.get("note"):
        parts.append(data["note"])
    if "count" in data:
        parts.append(_("%(count)s change(s)") % {"count": data["count"]})
    if isinstance(data.get("step"), dict):  # a rejection: its failed step in the reader's language
        parts.append(texts.step_text(data["step"]))
    elif data.get("message"):
        parts.append(data["message"])
    if "totals" in data:
        parts.append(
            _("%(count)s changed outcome(s), %(start)s – %(end)s")
            % {
                "count": dry_run_sections.listed_count(data),
                "start": data.get("period", {}).get("start", ""),
                "end": data.get("period", {}).get("end", ""),
            }
        )
    if "coverage" in data:
        parts.append(coverage.summary(data["coverage"]))
        if not coverage.proves(data):
            parts.append(_("does not count for activation"))
    if "kept" in data:
        parts.append(imports.kept_text(data.get("merged_onto"), data["kept"]))
    if data.get("acknowledged_warnings"):
        count = len(data["acknowledged_warnings"])
        parts.append(
            ngettext("%(count)s warning acknowledged", "%(count)s warnings acknowledged", count) % {"count": count}
        )
    if data.get("previous"):
        parts.append(_("replaced v%(number)s") % {"number": data["previous"]})
    if data.get("replaced_by"):
        parts.append(_("replaced by v%(number)s") % {"number": data["replaced_by"]})
    if data.get("source"):
        source = str(data["source"])
        parts.append(str(EVENT_SOURCES[source]) if source in EVENT_SOURCES else source)
    return " · ".join(parts)
