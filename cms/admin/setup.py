"""Idempotent set-up run after every migrate: roles, review tasks and workflows, schedules."""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from cms.contributions import schedule as contribution_schedule
from cms.models import DepartmentHeadTask, OfficeReviewTask, ReviewRouting, SupervisingLeaderTask
from cms.people.roles import OFFICE_EDITOR, sync_roles
from cms.rewards.period_checks import ensure_case_schedule, ensure_schedules, ensure_stalled_review_schedule

# Wagtail's starter groups: "Moderators" may publish, which only the office may (A6.3.1).
WAGTAIL_STARTER_GROUPS = ("Editors", "Moderators")


@transaction.atomic
def ensure_newsroom_setup(**kwargs):
    """Bring roles and the review workflows to the regulation's shape; safe to run any number of times."""
    # Other apps' permissions are created by their own post_migrate handlers, which
    # may run after this one on a fresh database.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS, user__isnull=True).delete()
    sync_roles()
    routing = ensure_review_workflows()
    detach_stock_page_workflows(routing)
    ensure_schedules()
    ensure_case_schedule()
    ensure_stalled_review_schedule()
    contribution_schedule.ensure_schedule()


def ensure_review_workflows():
    """Create the two review workflows (A6.1) unless an administrator has already chosen some."""
    routing = ReviewRouting.load()
    if routing.department_workflow_id and routing.office_workflow_id:
        return routing
    # Names are data in the institution's language (migrate runs with translations off).
    head, _c = DepartmentHeadTask.objects.get_or_create(name="科室负责人审核")
    leader, _c = SupervisingLeaderTask.objects.get_or_create(name="分管领导审核")
    office, created = OfficeReviewTask.objects.get_or_create(name="办公室审核")
    if created or not office.groups.exists():
        office.groups.set([Group.objects.get(name=OFFICE_EDITOR.name)])
    if not routing.department_workflow_id:
        routing.department_workflow = _workflow("科室及个人稿件审核", [head, leader, office])
    if not routing.office_workflow_id:
        routing.office_workflow = _workflow("办公室稿件审核", [office])
    routing.save()
    return routing


def _workflow(name, tasks):
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


def detach_stock_page_workflows(routing):
    """Deactivate the workflow Wagtail attaches to the root page ("Moderators approval").

    Articles follow the newsroom review chosen by ReviewRouting (A6.1, A6.3.1); the home and
    index pages are the site's frame, edited and published by the office, with no workflow.
    """
    ours = {routing.department_workflow_id, routing.office_workflow_id}
    stock = WorkflowPage.objects.filter(page__depth=1).exclude(workflow_id__in=ours).select_related("workflow")
    for link in list(stock):
        link.workflow.deactivate()
