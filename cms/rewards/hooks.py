"""Admin wiring of the department notices (A20): their audit-log actions and dashboard panel."""

from cms.admin.features import DashboardPanel, Feature, register_feature
from cms.rewards import audit
from cms.rewards.discipline import notices_for


def discipline_panel(request):
    """Open A20 notices this semester for the people they concern: heads, leaders, the office."""
    notices = notices_for(request.user)
    if notices:
        return DashboardPanel("discipline_notices", 60, "cms/panels/discipline_notices.html", notices=notices)
    return None


register_feature(Feature(name="discipline", panels=[discipline_panel], audit=audit.ACTIONS))
