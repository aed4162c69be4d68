"""A6.3.1: detach Wagtail's stock page workflow and drop schedules the office never approved."""

from django.db import migrations


def detach_stock_workflows(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowState = apps.get_model("wagtailcore", "WorkflowState")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    TaskState = apps.get_model("wagtailcore", "TaskState")
    ReviewRouting = apps.get_model("cms", "ReviewRouting")
    routing = ReviewRouting.objects.first()
    ours = {routing.department_workflow_id, routing.office_workflow_id} if routing else set()
    stock = WorkflowPage.objects.filter(page__depth=1).exclude(workflow_id__in=ours)
    workflow_ids = list(stock.values_list("workflow_id", flat=True))
    stock.delete()
    states = WorkflowState.objects.filter(workflow_id__in=workflow_ids, status__in=["in_progress", "needs_changes"])
    TaskState.objects.filter(workflow_state__in=states, status="in_progress").update(status="cancelled")
    states.update(status="cancelled")
    Workflow.objects.filter(pk__in=workflow_ids).update(active=False)


def drop_unapproved_schedules(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    OfficeReviewTaskState = apps.get_model("cms", "OfficeReviewTaskState")
    article_type = ContentType.objects.filter(app_label="cms", model="articlepage").first()
    if article_type is None:
        return
    approved = OfficeReviewTaskState.objects.filter(status="approved").values("revision_id")
    Revision.objects.filter(content_type=article_type, approved_go_live_at__isnull=False).exclude(
        pk__in=approved
    ).update(approved_go_live_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0007_rate_limit_counters"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(detach_stock_workflows, migrations.RunPython.noop),
        migrations.RunPython(drop_unapproved_schedules, migrations.RunPython.noop),
    ]
