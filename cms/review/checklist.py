"""The office's A6.2 checklist: every item is confirmed before the office approves.

No model here: the approval modal's form shows it and the review action checks it.
"""

from django.utils.translation import gettext_lazy as _

# The office's A6.2 checklist: every item must be confirmed before approval.
CHECKLIST = [
    ("truthful", _("Truthful"), "A6.2.1"),
    ("accurate", _("Accurate"), "A6.2.1"),
    ("positive", _("Positive"), "A6.2.1"),
    ("suitable", _("Suitable"), "A6.2.1"),
    ("timely", _("Timely"), "A6.2.1"),
    ("layout", _("Layout checked"), "A6.2.2"),
    ("typos", _("No wrong characters"), "A6.2.2"),
    ("legal", _("Nothing that breaks laws or regulations"), "A6.2.3"),
    ("public", _("Nothing the college has not yet made public"), "A6.2.3"),
]
CHECKLIST_KEYS = [key for key, _label, _article in CHECKLIST]
