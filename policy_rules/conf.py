"""Plugin settings, read when used: `settings.POLICY_RULES` over these defaults."""

from django.conf import settings

DEFAULTS = {
    # Dotted path of `day_types(start, end) -> {date: "working"|"rest"|"holiday"|"vacation"}`;
    # the default is Monday–Friday working, weekends rest.
    "CALENDAR": "policy_rules.calendar.weekday_calendar",
    # Dotted path of `facts_for_period(start, end) -> dict` (facts document v1) for evaluations
    # and dry runs from the host site's database; None when the site provides none.
    "FACTS_PROVIDER": None,
    # Dotted path of `periods() -> [{"key", "name", "start", "end"}]` (newest first) offered by the
    # reports; None (or an empty list) offers the current calendar month and the previous one.
    "PERIODS": None,
    # Dotted path of `names(kind, ids) -> {id: name}` for kind "contributor" or "department", so the
    # reports show people by name; None shows ids (and the facts' department names).
    "DISPLAY_NAMES": None,
    "DEFAULT_SCOPE": "default",
    # Whether a change the site reports (`reports.recompute.request_recomputation`) queues a recomputation of
    # the reports' stored outcomes; the schedules and a page missing its outcome queue one regardless.
    "RECOMPUTE_ON_CHANGE": True,
    "TIME_ZONE": "Asia/Shanghai",
    # Bearer tokens accepted by POST /api/policy/evaluate/; the site reads them from the environment.
    "API_TOKENS": (),
}


def get_conf(name):
    return {**DEFAULTS, **getattr(settings, "POLICY_RULES", {})}[name]
