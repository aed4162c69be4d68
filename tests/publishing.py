"""Publishing in tests the only way the newsroom allows: the office approves the latest revision (A6.3.1)."""

from django.contrib.auth import get_user_model

from cms.models import ReviewRouting
from cms.people.roles import ROLES_BY_KEY, group_for
from cms.review.actions import perform
from tests.review_steps import CHECKED


def office_user():
    user, created = get_user_model().objects.get_or_create(
        username="office-approver", defaults={"email": "office-approver@example.edu.cn"}
    )
    if created:
        user.groups.add(group_for(ROLES_BY_KEY["office_editor"]))
    return user


def publish_approved(article, user=None):
    """Run the office review on `article`'s latest revision and approve it; the workflow publishes it."""
    user = user or office_user()
    article = article.specific
    if article.get_latest_revision() is None:
        article.save_revision(user=user)
    if article.current_workflow_state is not None:
        article.current_workflow_state.cancel(user=user)  # e.g. a contribution still at its first stage
    ReviewRouting.load().office_workflow.start(article, user)
    article.refresh_from_db()
    task_state = article.current_workflow_task_state.specific
    perform(task_state.task.specific, task_state, user, "approve", **CHECKED)
    article.refresh_from_db()
    assert article.live, "office approval should have published the article"
    return article
