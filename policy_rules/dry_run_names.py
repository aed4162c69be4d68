"""Who a dry run's changes are about, by name: departments and contributors as the site names them.

Departments' names come with the facts (stored in each change); what is missing, and every contributor, is asked of
POLICY_RULES["DISPLAY_NAMES"] once per kind, when the report is read. Someone the site no longer knows (a deleted
person) reads as a worded label, never as an id.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .conf import get_conf
from .reports.data import display_names

CONTRIBUTOR_CHANGES = ("points", "prize", "certificate")
DEPARTMENT_CHANGES = ("discipline", "week", "semester")
CONTRIBUTOR_KINDS = {"student": gettext_lazy("student"), "staff": gettext_lazy("staff member")}


class DryRunNames:
    """The names of the departments and contributors `changes` are about, looked up once per kind."""

    def __init__(self, changes):
        contributors = {str(c["subject"]) for c in changes if c["kind"] in CONTRIBUTOR_CHANGES}
        departments = {str(c["subject"]) for c in changes if c["kind"] in DEPARTMENT_CHANGES and not c.get("name")}
        departments |= {
            str(c["department"])
            for c in changes
            if c["kind"] in CONTRIBUTOR_CHANGES and c.get("department") is not None and not c.get("department_name")
        }
        self.site_names = bool(get_conf("DISPLAY_NAMES"))
        self.contributors = display_names("contributor", contributors)
        self.departments = display_names("department", departments)

    def department(self, change):
        """A department change's department: the facts' name, else the site's, else a worded label."""
        return change.get("name") or self._department(change["subject"])

    def _department(self, department_id):
        if str(department_id) in self.departments:
            return self.departments[str(department_id)]
        if self.site_names:
            return _("Deleted department")
        return _("Department no. %(id)s") % {"id": department_id}

    def contributor(self, change):
        """A contributor change's contributor: name, department (when known) and whether student or staff."""
        subject = str(change["subject"])
        if subject in self.contributors:
            name = self.contributors[subject]
        elif self.site_names:
            name = _("Deleted contributor")
        else:
            name = _("Contributor no. %(id)s") % {"id": subject}
        kind = str(CONTRIBUTOR_KINDS.get(change.get("contributor_kind"), change.get("contributor_kind") or ""))
        department = change.get("department_name") or (
            self._department(change["department"]) if change.get("department") is not None else ""
        )
        if department and kind:
            return _("%(name)s (%(department)s, %(kind)s)") % {"name": name, "department": department, "kind": kind}
        if kind or department:
            return _("%(name)s (%(about)s)") % {"name": name, "about": kind or department}
        return name
