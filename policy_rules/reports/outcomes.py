"""The worker's side of the reports: evaluate a period under the active policy and store its outcome.

Pages never come here (`data.outcomes_for` reads what is stored). `refresh` is the task's work: it recomputes
the running periods, the ones the changes reach, and any stored under another version or not at all.
"""

from django.utils import timezone
from django.utils.module_loading import import_string

from ..conf import get_conf
from ..evaluation import evaluate
from ..facts_document import FactsDocumentError, key, parse_facts
from ..gc_pause import collection_paused
from ..models import PeriodOutcome, PolicyVersion
from . import data, recompute
from .charts import TOP
from .rows import leaderboard_rows


def evaluate_period(version, period, through):
    """What a `PeriodReport` is built from: `period` evaluated `start`–`through` under `version`.

    Raises `FactsDocumentError` when the site's facts are invalid.
    """
    with collection_paused():  # the period's facts and their evaluation: one bulk of short-lived objects
        facts = parse_facts(import_string(get_conf("FACTS_PROVIDER"))(period.start, through))
        outcomes = evaluate(version, facts)
    document = version.parsed()
    unnamed = {d for d, outcome in outcomes["departments"].items() if not outcome["name"]}
    return {
        "policy_version": outcomes["policy_version"],
        "outcomes": outcomes,
        "min_per_week": document.quotas.min_per_week,
        "min_per_semester": document.quotas.min_per_semester,
        "min_pushes_per_working_day": document.schedule.min_pushes_per_working_day,
        "warning_at": document.discipline.warning_at,
        "escalation_at": document.discipline.escalation_at,
        "assessment_rule": document.quotas.assessment.model_dump(),
        "contributor_departments": {key(c.id): key(c.department) for c in facts.contributors},
        "names": {
            "contributor": data.display_names("contributor", set(outcomes["contributors"])),
            "department": data.display_names("department", unnamed),
        },
    }


def glance_of(period, through, report):
    """The dashboard's share of `report`: everything but the violations, and only the points top ten."""
    leaders = leaderboard_rows(data.PeriodReport(period=period, through=through, **report))
    top = [row["id"] for row in leaders if row["total_points"] > 0][:TOP]
    outcomes = report["outcomes"]
    return {
        **report,
        "outcomes": {
            **{name: value for name, value in outcomes.items() if name != "violations"},
            "contributors": {c: outcomes["contributors"][c] for c in top},
        },
        "contributor_departments": {c: report["contributor_departments"].get(c) for c in top},
        "names": {**report["names"], "contributor": {c: report["names"]["contributor"].get(c, "") for c in top}},
    }


def compute(period, scope=None):
    """The period's `PeriodReport` evaluated now, not stored (for an operator's command)."""
    scope = scope or get_conf("DEFAULT_SCOPE")
    reason = data.unavailable_reason(scope)
    if reason:
        raise data.ReportUnavailable(reason)
    through = min(period.end, data.today())
    if through < period.start:
        raise data.not_begun()
    version = PolicyVersion.active_for(scope)
    try:
        report = evaluate_period(version, period, through)
    except FactsDocumentError as error:
        raise data.invalid_facts(error) from None
    return data.PeriodReport(
        period=period, through=through, computed_at=timezone.now(), version_number=version.number, **report
    )


def store(scope, version, period, through):
    """Evaluate `period` and store its outcome (or why its facts could not be counted); safe to run twice."""
    computed_at = timezone.now()
    try:
        report, problem = evaluate_period(version, period, through), ""
    except FactsDocumentError as error:
        report, problem = None, str(error)
    outcome, _created = PeriodOutcome.objects.update_or_create(
        scope=scope,
        period_key=period.key,
        defaults={
            "start": period.start,
            "end": period.end,
            "through": through,
            "version": version,
            "document_sha256": version.document_sha256,
            "report": report,
            "glance": glance_of(period, through, report) if report else None,
            "problem": problem,
            "computed_at": computed_at,
        },
    )
    return outcome


def due(stored, period, through, version, request):
    """Whether `period`'s stored outcome (or None) needs computing again."""
    return (
        stored is None
        or (stored.start, stored.end, stored.through) != (period.start, period.end, through)
        or (stored.version_id, stored.document_sha256) != (version.pk, version.document_sha256)
        or through == data.today()  # running: hourly and on every change
        or (request.requested and (request.since is None or period.end >= request.since))
    )


def refresh(scope=None, everything=False):
    """Recompute what is due of `scope`'s periods that have begun (`everything`: all of them, as after a change to
    everything); the keys of the periods computed."""
    scope = scope or get_conf("DEFAULT_SCOPE")
    request = recompute.start(scope)
    if everything:
        request = recompute.Request(requested=True, since=None)
    try:
        version = PolicyVersion.active_for(scope)
        if data.unavailable_reason(scope):
            return []
        today, periods = data.today(), data.periods()
        stored = {
            outcome.period_key: outcome
            for outcome in PeriodOutcome.objects.filter(scope=scope).defer("report", "glance", "problem")
        }
        computed = []
        for period in periods:
            through = min(period.end, today)
            if period.start <= today and due(stored.get(period.key), period, through, version, request):
                store(scope, version, period, through)
                computed.append(period.key)
        # Periods the site no longer offers (a semester deleted) keep no outcome.
        PeriodOutcome.objects.filter(scope=scope).exclude(period_key__in=[p.key for p in periods]).delete()
        return computed
    finally:
        recompute.finish(scope)
