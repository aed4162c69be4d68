"""Admin guards that keep articles on the review path (A6.2, A6.3.1).

Wagtail lets anyone with publish permission publish directly, and anyone who
can approve cancel a workflow. For articles both would skip the office
checklist or the reasoned send-back, so the buttons are hidden and the views
refuse them on the server.
"""

from django.apps import apps
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.models import GroupPagePermission

from cms.models import ArticlePage
from cms.models.publication import REFUSAL

HIDDEN_ARTICLE_ACTIONS = {"action-publish", "action-cancel-workflow"}


def _is_article(page):
    return page is not None and issubclass(page.specific_class or type(page), ArticlePage)


def _may_withdraw(page, user):
    """The provider may withdraw their own submission; reviewers send back with a reason instead."""
    state = page.current_workflow_state
    return state is not None and user in (state.requested_by, page.owner)


def _creating_article(request, context):
    if context.get("view") != "create":
        return False
    kwargs = request.resolver_match.kwargs if request.resolver_match else {}
    model = apps.get_model(kwargs.get("content_type_app_name", ""), kwargs.get("content_type_model_name", ""))
    return issubclass(model, ArticlePage)


def hide_review_bypasses(menu_items, request, context):
    """Remove direct "Publish" and, for reviewers, "Cancel workflow" from an article's action menu.

    A new article is only saved as a draft: its review starts from the edit view, where the
    submit button names the workflow the saved article follows (A6.1).
    """
    try:
        creating = _creating_article(request, context)
    except LookupError:
        creating = False
    if creating:
        menu_items[:] = [item for item in menu_items if item.name not in ("action-publish", "action-submit")]
        return
    page = context.get("page")
    if not _is_article(page):
        return
    hidden = {"action-publish"}
    if page.pk and not _may_withdraw(page, request.user):
        hidden.add("action-cancel-workflow")
    menu_items[:] = [item for item in menu_items if item.name not in hidden]


def refuse_direct_publish(request, page):
    """Articles are published only by finishing office review (A6.3.1, A6.2)."""
    if _is_article(page):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish" and any(_is_article(obj) for obj in objects):
        messages.error(request, REFUSAL)
        return redirect("wagtailadmin_home")
    return None


def refuse_reviewer_cancel(request, page):
    """A reviewer ends a review by requesting changes with a reason (A6.2.5), not by cancelling it."""
    cancelling = request.method == "POST" and request.POST.get("action-cancel-workflow") and _is_article(page)
    if cancelling and not _may_withdraw(page, request.user):
        messages.error(request, _("Request changes with a reason instead of cancelling the review."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


def reviewer_lands_on_dashboard(request, page):
    """Reviewers without page permissions cannot open the page listing Wagtail sends them to."""
    acted = request.POST.get("action-workflow-action") or request.POST.get("action-submit")
    if not acted or request.user.is_superuser or request.GET.get("next"):
        return None
    if not GroupPagePermission.objects.filter(group__user=request.user).exists():
        return redirect("wagtailadmin_home")
    return None
