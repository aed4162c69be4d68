"""Wagtail's article edit view, saying after a review action what it did (not "page updated")."""

from django.contrib import messages
from wagtail.admin.views.pages.edit import EditView

from .outcome import review_outcome, stage_label


class ArticleEditView(EditView):
    """The edit view of articles (registered by ArticlePageViewSet)."""

    acting_stage = ""

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
