"""E-mails of the review: who is told what, rendered from templates/cms/email/."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models.functions import Lower
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse
from django.utils import translation
from wagtail.models import TaskState
from wagtail.users.models import UserProfile

from cms.models import ArticlePage, Contribution, DisciplineNotice, SendBack
from cms.models.review import stage_label
from cms.people.roles import OFFICE_EDITOR


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _send(template, context, recipients, language=None):
    """E-mail `recipients` (addresses); one message per language, each address in its reader's language.

    `language` is given for a public contributor (the language they used on the form); otherwise an address
    of an admin account reads the language chosen in that account, and any other the site's.
    """
    recipients = sorted({address.strip().lower() for address in recipients if address and address.strip()})
    if not recipients:
        return 0
    languages = {address: language for address in recipients} if language else _account_languages(recipients)
    sent = 0
    for reader_language in sorted(set(languages.values())):
        with translation.override(reader_language):
            subject = " ".join(render_text(f"cms/email/{template}_subject.txt", context).split())
            body = render_text(f"cms/email/{template}.txt", context)
        to = [address for address in recipients if languages[address] == reader_language]
        sent += send_mail(subject, body, None, to)
    return sent


def _account_languages(addresses):
    """Each address's language: the preference of the active account with that e-mail, else the site's."""
    languages = dict.fromkeys(addresses, settings.LANGUAGE_CODE)
    chosen = (
        UserProfile.objects.annotate(address=Lower("user__email"))
        .filter(address__in=addresses, user__is_active=True)
        .exclude(preferred_language="")
        .order_by("user_id")
        .values_list("address", "preferred_language")
    )
    permitted = {code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES}
    decided = set()
    for address, preferred in chosen:  # the oldest account decides when two share an address
        if preferred in permitted and address not in decided:
            languages[address] = preferred
            decided.add(address)
    return languages


def render_text(template_name, context):
    """A plain-text template rendered as text: nothing is HTML-escaped, so a title with quotes reads as typed."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def status_link(contribution):
    return _absolute(reverse("contribution_status", args=[contribution.status_token]))


def edit_link(page):
    return _absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))


def _provider_addresses(page, workflow_state):
    """The provider: a public contributor's address, else the page owner's (A6.2.5); and the contribution."""
    contribution = Contribution.objects.filter(page=page).first()
    if contribution:
        return [contribution.email], contribution
    owner = page.owner
    # Wagtail itself e-mails the user who submitted the workflow; do not repeat it.
    if owner and owner.email and owner != workflow_state.requested_by:
        return [owner.email], None
    return [], None


def sent_back(send_back_id):
    """Tell the provider and every earlier approver that material was sent back, and why."""
    send_back = SendBack.objects.select_related("page", "reviewer", "task_state__workflow_state").get(pk=send_back_id)
    page = send_back.page.specific
    workflow_state = send_back.task_state.workflow_state
    provider, contribution = _provider_addresses(page, workflow_state)
    approvers = (
        TaskState.objects.filter(workflow_state=workflow_state, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=send_back.reviewer)
        .exclude(finished_by=None)
        .values_list("finished_by__email", flat=True)
    )
    context = {
        "page": page,
        "send_back": send_back,
        "status_link": status_link(contribution) if contribution else None,
        "edit_link": edit_link(page),
    }
    sent = _send("sent_back_provider", context, provider, language=contribution.language if contribution else None)
    sent += _send("sent_back_approver", context, [a for a in approvers if a not in provider])
    return sent


def stage_started(task_state_id):
    """Tell a department stage's reviewers that material awaits them."""
    task_state = TaskState.objects.select_related("task", "workflow_state").get(pk=task_state_id)
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        return 0
    page = task_state.workflow_state.content_object.specific
    reviewers = task_state.task.specific.reviewers(page)
    context = {"page": page, "stage": stage_label(task_state.task), "edit_link": edit_link(page)}
    return _send("stage_started", context, reviewers.values_list("email", flat=True))


def accepted(page_id, award=None):
    """Thank a person for their own accepted material (A17, A18); tell a department contributor it is out.

    Department submissions earn no reward (A19): no thank-you, only the notice.
    """
    page = ArticlePage.objects.select_related("contributor").get(pk=page_id)
    contribution = Contribution.objects.filter(page=page).first()
    address = contribution.email if contribution else (page.contributor.email if page.contributor_id else "")
    context = {
        "page": page,
        "award": award,
        "status_link": status_link(contribution) if contribution else None,
    }
    template = "thank_you" if page.is_personal else "accepted"
    if template == "accepted" and contribution is None:
        return 0
    return _send(template, context, [address], language=contribution.language if contribution else None)


def discipline(notice_id):
    """Warn the department heads, or escalate to the supervising leader (A20)."""
    notice = DisciplineNotice.objects.select_related("department__supervising_leader").get(pk=notice_id)
    department = notice.department
    if notice.level == "warning":
        recipients = list(department.heads.filter(is_active=True).values_list("email", flat=True))
    else:
        leader = department.supervising_leader
        recipients = [leader.email] if leader and leader.is_active else []
    context = {"notice": notice, "department": department}
    return _send(f"discipline_{notice.level}", context, recipients)


def contribution_receipt(contribution_id):
    """Confirm a public contribution and hand over the private status link."""
    contribution = Contribution.objects.select_related("page", "person").get(pk=contribution_id)
    context = {"contribution": contribution, "page": contribution.page, "status_link": status_link(contribution)}
    return _send("contribution_receipt", context, [contribution.email], language=contribution.language)


def send_digest(template, context, recipients):
    """A scheduled check's summary (cms/rewards/period_checks.py)."""
    return _send(template, context, recipients)


def stalled_review(task_state, page, working_days):
    """Remind whoever must act at a stalled stage, and the office, that material has waited too long (A6.2).

    `working_days` is the policy's time after which a stage is stalled. Returns how many addresses were written to.
    """
    reviewers = list(task_state.task.specific.reviewers(page).values_list("email", flat=True))
    office = get_user_model().objects.filter(is_active=True, groups__name=OFFICE_EDITOR.name)
    office = office.values_list("email", flat=True)
    context = {
        "page": page,
        "stage": stage_label(task_state.task),
        "since": task_state.started_at,
        "working_days": working_days,
        "edit_link": edit_link(page),
    }
    return _send("stalled_review", context, [*reviewers, *office])
