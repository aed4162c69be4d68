"""The steps of the demo history (`cms.demo.history`), each through the service a person's action calls."""

from cms.contributions import services
from cms.demo.history_data import CONTRIBUTORS, PLANS, REASON_COMMENTS
from cms.models import ArticlePage, Contribution, Department
from cms.review.actions import perform
from cms.review.checklist import CHECKLIST_KEYS
from cms.rewards.discipline import check_department
from cms.rewards.points import award_points
from wechat_channel import past

CREDITS = {"responsible_editor": "王晓明", "photographer": "校园记者团", "layout_editor": "王晓明"}
CHECKLIST = {f"check_{key}": True for key in CHECKLIST_KEYS}


def _text(item):
    department = Department.objects.get(code=item["department"])
    return f"{item['day']:%m月%d日}，{item['title']}。\n\n{department.name}供稿。", department


def submit(item, key, on_behalf):
    """The contributor files the material on the public form (A6.1); returns the article's id."""
    kind, number, name, _code = CONTRIBUTORS[key]
    text, department = _text(item)
    data = {
        "title": item["title"],
        "text": text,
        "name": name,
        "number": number,
        "kind": kind,
        "department": department,
        "email": f"{number.lower()}@example.edu.cn",
        "on_behalf_of": on_behalf,
    }
    return services.submit_contribution(data, images=[], ip=None).page_id


def review(page_id, action, **kwargs):
    """The stage's first reviewer, as the routing names them (A6.1), takes `action`."""
    page = ArticlePage.objects.get(pk=page_id)
    task_state = page.current_workflow_task_state.specific
    task = task_state.task.specific
    reviewer = task.reviewers(page).order_by("pk").first()
    perform(task, task_state, reviewer, action, **kwargs)
    return page


def send_back(page_id, reason, moment):
    """The office finds an error and sends the material back (A6.2.5); the department's errors are counted (A20)."""
    page = review(page_id, "reject", reason=reason, comment=REASON_COMMENTS[reason])
    if page.department_id:
        check_department(page.department_id, when=moment)


def revise(page_id, item):
    """The contributor corrects the material through their status link, and it goes back to the office."""
    text, _department = _text(item)
    contribution = Contribution.objects.get(page_id=page_id)
    services.revise_contribution(contribution, {"title": item["title"], "text": text}, images=[], ip=None)


def accept(page_id, item, office, covers, moment):
    """The office adds credits and a cover (A6.3.2), approves and publishes (A6.3.1); points and the push follow."""
    page = ArticlePage.objects.get(pk=page_id)
    draft = page.get_latest_revision_as_object()
    for field, value in CREDITS.items():
        setattr(draft, field, value)
    draft.cover_image = covers[item["department"]]
    draft.category = PLANS[item["department"]]["category"]
    draft.save_revision(user=office)
    review(page_id, "approve", comment="", **CHECKLIST)
    page = ArticlePage.objects.get(pk=page_id)
    award_points(page, when=moment)  # A17: students' own accepted material
    past.place(page, moment)


def send_push(push, followers):
    """A past push went out: what WeChat answered, with each article's sandbox URL (`wechat_channel.past`)."""
    past.went_out(push, followers, push.account.api_base_url)
