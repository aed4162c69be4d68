"""One English word, two meanings: a case "in progress" is being handled (处理中), a quota or a week "in progress" is
not decided yet (进行中). Every catalogue is merged into one, and the site's wins, so the quota's words keep their
own msgctxt (issue 14)."""

from django.utils import translation

from cms.models import Case
from policy_rules.reports.rows import STATES


def test_a_case_in_progress_is_being_handled_and_a_quota_in_progress_is_not_decided_yet():
    with translation.override("zh-hans"):
        assert str(Case.Status.IN_PROGRESS.label) == "处理中"
        assert str(STATES["running"]) == "进行中"


def test_both_read_in_progress_in_english():
    with translation.override("en"):
        assert str(Case.Status.IN_PROGRESS.label) == str(STATES["running"]) == "In progress"
