"""The review's steps as tests take them: start an article's workflow, act at its current stage, and the
edit form's data that the admin posts (A6.1, A6.2)."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from cms.review.actions import perform
from cms.review.forms import CHECKLIST_KEYS

CHECKED = {f"check_{key}": True for key in CHECKLIST_KEYS}  # every A6.2 item of the office checklist ticked


def current(page):
    page.refresh_from_db()
    return page.current_workflow_task_state.specific


def act(page, user, action, **kwargs):
    task_state = current(page)
    return perform(task_state.task.specific, task_state, user, action, **kwargs)


def submit(page, user):
    workflow = page.specific.get_workflow()
    workflow.start(page, user)
    page.refresh_from_db()
    return page


def stage_type(page):
    return type(current(page).task.specific)


def edit_data(page, **extra):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "digest": "",
            "body": streamfield([("paragraph", rich_text("<p>正文</p>"))]),
            "category": "news",
            "provider_kind": page.provider_kind,
            "department": page.department_id or "",
            "responsible_editor": "王编辑",
            "photographer": "记者团",
            "layout_editor": "王编辑",
            "comments": inline_formset([]),
            **extra,
        }
    )
