"""What policy_rules asks of the site, answered from cms (the plugin never imports cms)."""

from . import calendar


def day_types(start, end):
    """The site's working-day calendar (official calendar, overrides, vacations) as policy day types."""
    return {day.date: str(day.day_type) for day in calendar.days(start, end)}
