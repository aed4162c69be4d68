"""Wagtail's review views for articles, saying after a review action what it did (not "page updated").

Two doors lead to the same action (cms/review/actions.py): the edit view's action menu, and the workflow action
view the dashboard's "Awaiting your review" panel posts to. Both end with the sentence of `review_outcome`.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.models import TaskState

from cms.review.actions import ReviewRefused
from cms.review.outcome import review_outcome, stage_label


class ArticleEditView(EditView):
    """The edit view of articles (registered by ArticlePageViewSet)."""

    acting_stage = ""

    def post(self, request, *args, **kwargs):
        # Wagtail 8's autosave posts the whole form, hidden fields included: after "Approve" (or "Request
        # changes") has added its fields and the real submission is under way, an autosave echoes it. Depending
        # on timing the echo saved a stray revision behind the publish ("live + draft") or failed with a 500
        # once the review had finished. The action's own submission saves what it needs.
        if request.POST.get("action-workflow-action"):
            if self.expects_json_response:
                return self.json_error_response("blocked_by_hook", _("Autosave does not take review actions."))
            if not self.workflow_action_is_valid():
                # A second click, or a tab left open: Wagtail would save it as a draft behind the publish.
                messages.error(request, _("This review stage is already finished."))
                return redirect("wagtailadmin_pages:edit", self.page.pk)
        return super().post(request, *args, **kwargs)

    def perform_workflow_action(self):
        task = self.page.current_workflow_task
        self.acting_stage = stage_label(task) if task else ""  # read before the action moves the review on
        return super().perform_workflow_action()

    def add_save_confirmation_message(self):
        if self.action_name != "perform_workflow_action":
            return super().add_save_confirmation_message()
        page = self.page.specific_class.objects.get(pk=self.page.pk)
        messages.success(self.request, review_outcome(page, self.acting_stage, self.workflow_action))
        return None


class ArticleWorkflowActionView(WorkflowActionView):
    """The dashboard's approve / request-changes buttons (wagtailadmin_pages:workflow_action) for articles.

    Wagtail's view acts and redirects without a word; this one says what the action did, like the edit view,
    and turns a refusal (a second click, a stage already finished) into a message instead of a 403 page.
    """

    def post(self, request, *args, **kwargs):
        if str(self.task_state.workflow_state.object_id) != str(self.object.pk):
            # A hand-made URL pairing one article with another's review stage: act on neither.
            messages.error(request, _("That review stage belongs to another article; nothing was done."))
            return self._finish(request)
        acting_stage = stage_label(self.task)  # read before the action moves the review on
        try:
            response = super().post(request, *args, **kwargs)
        except ReviewRefused as refusal:
            messages.error(request, str(refusal))
            return self._finish(request)
        state = TaskState.objects.filter(pk=self.task_state.pk).values_list("status", flat=True).first()
        if state is not None and state != TaskState.STATUS_IN_PROGRESS:  # the action happened (not a form error)
            page = self.object.specific_class.objects.get(pk=self.object.pk)
            messages.success(request, review_outcome(page, acting_stage, self.action_name))
        return response

    def _finish(self, request):
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
        return redirect(self.redirect_url)
