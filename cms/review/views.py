"""Wagtail's article edit view, saying after a review action what it did (not "page updated")."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView

from .outcome import review_outcome, stage_label


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
