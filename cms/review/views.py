"""Wagtail's article edit view, saying after a review action what it did (not "page updated")."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail.admin.views.pages.edit import EditView

from .outcome import review_outcome, stage_label


class ArticleEditView(EditView):
    """The edit view of articles (registered by ArticlePageViewSet)."""

    acting_stage = ""

    def post(self, request, *args, **kwargs):
        # Wagtail 8's autosave posts the whole form, hidden fields included: after "Approve" (or "Request
        # changes") has added its fields and the real submission is under way, an autosave echoes it. Handled
        # as a plain save once the review has finished, it left a stray revision behind the publish
        # ("live + draft"). The action's own submission saves what it needs.
        if self.expects_json_response and request.POST.get("action-workflow-action"):
            return self.json_error_response("blocked_by_hook", _("Autosave does not take review actions."))
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
