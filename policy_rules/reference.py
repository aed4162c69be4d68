"""The plain reading of a policy document, without the engine: what the document means for one fact.

The gates check the engine's verdicts against it (an administrator's case, a boundary case), and the
contradiction checks read the document through it ("may any ordinary push go out on a Monday?").
"""


def reference_level(document, errors):
    """The A20 level of `errors` read straight from the document."""
    discipline = document.discipline
    if errors >= discipline.escalation_at:
        return "escalation"
    return "warning" if errors >= discipline.warning_at else "none"


_COMPARE = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b,
}


def reference_slot_verdicts(document, fact):
    """The verdicts a slot fact (dict) gets under `document`, read without the engine (A11, A16, A10.3)."""
    schedule = document.schedule
    minute = fact["minute_of_day"]
    windows = schedule.windows[fact["day_type"]]
    verdicts = set()
    if windows is None or any(_minute(w.start) <= minute < _minute(w.end) for w in windows):
        verdicts.add("slot:in_window")
    exempt = schedule.breaking_exempt and fact["breaking"]
    if exempt:
        verdicts.add("slot:breaking_exempt")
    if not exempt and 0 <= fact["lead_hours"] < schedule.lead_hours:
        verdicts.add("slot:lead_short")
    category = fact["category"]
    if category and fact["day_type"] in schedule.weekend_day_types and category not in schedule.weekend_categories:
        verdicts.add("slot:weekend_category")
    for rule in document.conditions:
        if all(_holds(condition, fact) for condition in rule.when):
            verdicts.add(f"rule:{rule.id}:{rule.then}")
    return verdicts


def _holds(condition, fact):
    value = fact[condition.field]
    if condition.field == "category" and not value:
        return False  # a slot without a category matches no category condition
    return _COMPARE[condition.op](value, condition.value)


def _minute(moment):
    return moment.hour * 60 + moment.minute
