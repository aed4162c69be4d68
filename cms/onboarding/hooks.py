"""Admin wiring of the first-run checklist: a dashboard panel for the office head, until every step is done."""

from cms.admin.features import DashboardPanel, Feature, register_feature
from cms.onboarding import checklist


def may_set_up(user):
    """The office head (who keeps departments, people and the policy) and superusers."""
    return user.is_active and (user.is_superuser or user.has_perm("cms.change_department"))


def checklist_panel(request):
    if not may_set_up(request.user):
        return None
    steps = checklist.steps(request.user)
    if checklist.is_done(steps):
        return None
    return DashboardPanel(
        "onboarding_checklist",
        40,
        "cms/panels/onboarding_checklist.html",
        steps=steps,
        done=sum(step.done for step in steps),
        total=len(steps),
    )


register_feature(Feature(name="onboarding", panels=[checklist_panel]))
