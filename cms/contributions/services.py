"""What the public contribution portal does: submit material (A6.1), follow it, revise it (A6.2.5).

Views only parse the request and call these functions; everything that writes
happens here, in one transaction per action, with an audit log entry.
"""

import datetime
import html
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import get_language, get_supported_language_variant
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, Site, WorkflowState

from cms.admin.queue import enqueue
from cms.contributions import audit
from cms.contributions.images import decoded_extension, stored_file
from cms.models import ArticleIndexPage, ArticlePage, Contribution, Person, ProviderKind
from cms.models.review import stage_label
from cms.public_forms import ratelimit
from policy_rules.decisions import NoActivePolicy, active_version
from policy_rules.document import Contributions
from wechat_channel.models import PushItem

# Uploads from a form that failed for another reason wait here until the form succeeds.
PENDING_COLLECTION_NAME = "Contributions (pending)"
KEPT_IMAGES_SALT = "newsroom.contribution.kept-images"
KEPT_IMAGES_MAX_AGE = 24 * 3600

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")


class RevisionRefused(Exception):
    """The material is not waiting for revision: only a sent-back article may be revised (A6.2.5)."""


# -- text and body -----------------------------------------------------------


def paragraph_html(lines):
    """One paragraph of plain-text lines as HTML that reads exactly as typed ("a<b 且 x>y" stays that text).

    Escaping makes every character text; nh3 then guarantees the result holds nothing but `<p>` and
    `<br>`, whatever the input, before it reaches the site, the API or WeChat.
    """
    return nh3.clean("<p>" + "<br>".join(escape(line) for line in lines) + "</p>", tags={"p", "br"}, attributes={})


def paragraph_blocks(text):
    """Plain text as paragraph blocks: blank lines split paragraphs, single newlines break lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = []
    for chunk in PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in chunk.strip().split("\n")]
        if any(lines):
            blocks.append({"type": "paragraph", "value": paragraph_html(lines)})
    return blocks


def image_blocks(images):
    return [{"type": "image", "value": {"image": image.pk, "caption": ""}} for image in images]


def text_from_body(body):
    """The paragraphs of an article body as the plain text a contributor would have typed."""
    paragraphs = []
    for item in body.raw_data:
        if item["type"] != "paragraph":
            continue
        source = re.sub(r"<br\s*/?>", "\n", item["value"] or "")
        source = re.sub(r"</(p|h\d|li|blockquote)>", "\n\n", source)
        text = html.unescape(strip_tags(source)).strip()
        if text:
            paragraphs.append(re.sub(r"\n{3,}", "\n\n", text))
    return "\n\n".join(paragraphs)


def image_count(body):
    return len(body_image_ids(body))


def body_image_ids(body):
    """The ids of the images in an article body, in order (what a cover position counts)."""
    return [item["value"]["image"] for item in body.raw_data if item["type"] == "image" and item["value"].get("image")]


def article_images(body):
    """The images of an article body, in order."""
    ids = body_image_ids(body)
    found = get_image_model().objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def cover_at(image_ids, position):
    """The id of the image at 1-based `position` among `image_ids`, or None when there is none there."""
    return image_ids[position - 1] if position and 1 <= position <= len(image_ids) else None


# -- images ------------------------------------------------------------------


def pending_collection():
    """The collection that holds kept uploads until their form succeeds; created on first use."""
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=PENDING_COLLECTION_NAME).first() or root.add_child(
        name=PENDING_COLLECTION_NAME
    )


def _create_images(uploads, collection, first_number=1):
    """Store checked uploads as images numbered from `first_number` in their article.

    Neither the title nor the file name comes from the client: a contributor's file name
    could be a page (notice.html) or say more than the article does.
    """
    Image = get_image_model()
    images = []
    for number, upload in enumerate(uploads, start=first_number):
        extension = decoded_extension(upload)
        if extension is None:  # the form refuses these; never store one whatever the caller
            raise ValueError("not an allowed image")
        title = _("Contributed image %(number)d") % {"number": number}
        image = Image(title=title, file=stored_file(upload, extension), collection=collection)
        image._set_image_file_metadata()
        image.save()
        images.append(image)
    return images


def _adopt(images, collection):
    """Move kept uploads out of the pending collection: they now belong to an article."""
    for image in images:
        image.collection = collection
        image.save(update_fields=["collection"])
    return list(images)


def load_kept_images(token):
    """The kept uploads a signed token names; an empty list for a missing, expired or tampered token."""
    if not token:
        return []
    try:
        ids = signing.loads(token, salt=KEPT_IMAGES_SALT, max_age=KEPT_IMAGES_MAX_AGE)
    except signing.BadSignature:
        return []
    if not isinstance(ids, list) or not all(isinstance(pk, int) for pk in ids):
        return []
    found = get_image_model().objects.filter(pk__in=ids, collection=pending_collection()).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def kept_images_token(images):
    return signing.dumps([image.pk for image in images], salt=KEPT_IMAGES_SALT) if images else ""


def hold_images(kept, uploads, ip, images_before=0):
    """Store the valid uploads of a failed form so the contributor need not choose them again.

    `images_before`: images the article already has, so that held images are numbered after them.
    Returns all kept images. Raises `ratelimit.LimitReached`, storing nothing, once the client
    has held as many images or stored as many bytes as its window allows.
    """
    if not uploads:
        return list(kept)
    # Expired holds are swept by the hourly schedule (`cms.tasks.purge_held_uploads`).
    with (
        ratelimit.reserved(ratelimit.held_images(ip, len(uploads)), ratelimit.upload_bytes(ip, uploads)),
        transaction.atomic(),
    ):
        held = _create_images(uploads, pending_collection(), first_number=images_before + len(kept) + 1)
    return [*kept, *held]


def purge_stale_pending_images(max_age=KEPT_IMAGES_MAX_AGE):
    """Delete kept uploads whose form was never completed; their tokens have expired. Returns the count."""
    cutoff = timezone.now() - datetime.timedelta(seconds=max_age)
    stale = get_image_model().objects.filter(collection=pending_collection(), created_at__lt=cutoff)
    count = 0
    for image in stale:
        image.delete()
        count += 1
    return count


# -- submit ------------------------------------------------------------------


def article_index(site=None):
    """The article index of `site` (or of the default site) where contributions are filed."""
    site = site or Site.objects.filter(is_default_site=True).select_related("root_page").first()
    index = ArticleIndexPage.objects.descendant_of(site.root_page, inclusive=True).first() if site else None
    if index is None:
        raise ImproperlyConfigured("The site has no article index to file contributions under.")
    return index


@transaction.atomic
def _create_contribution(data, uploads, ip, kept, index):
    person, _created = Person.objects.get_or_create(
        kind=data["kind"],
        number=data["number"],
        # A public form never rewrites a known person's record: who they are is the office's to edit.
        defaults={"name": data["name"], "email": data["email"], "department": data["department"]},
    )
    personal = data["on_behalf_of"] == Contribution.OnBehalfOf.SELF
    root = Collection.get_first_root_node()
    images = [*_adopt(kept, root), *_create_images(uploads, root, first_number=len(kept) + 1)]
    page = ArticlePage(
        title=data["title"],
        body=paragraph_blocks(data["text"]) + image_blocks(images),
        # A6.1: personal material and department material both go through the department's review;
        # A17–A19: only personal material earns rewards, and names who wrote it (A6.3.2).
        provider_kind=person.kind if personal else ProviderKind.DEPARTMENT,
        department=data["department"],
        contributor=person,
        text_author=person.name if personal else "",
        # A6 (WeChat needs a cover): the image the contributor chose, the first by default; none → the office adds one.
        cover_image_id=cover_at([image.pk for image in images], data.get("cover") or 1),
        live=False,
    )
    index.add_child(instance=page)
    revision = page.save_revision(user=None)
    contribution = Contribution.objects.create(
        page=page, person=person, on_behalf_of=data["on_behalf_of"], email=data["email"], language=form_language()
    )
    workflow = page.get_workflow()
    if workflow is not None:
        workflow.start(page, None)
    entry = {
        "contribution_id": contribution.pk,
        "person_id": person.pk,
        "on_behalf_of": contribution.on_behalf_of,
        "department_id": page.department_id,
        "images": len(images),
        "cover_image_id": page.cover_image_id,
        "ip": ip,
    }
    if person.name != data["name"]:
        entry["name_as_typed"] = data["name"]  # the record was not changed; reviewers may want to know
    log(instance=page, action=audit.SUBMIT.code, user=None, revision=revision, data=entry)
    enqueue("cms.tasks.send_contribution_receipt", contribution.pk)
    return contribution


def form_language():
    """The language the visitor reads the form in (LocaleMiddleware chose it from the browser), one of LANGUAGES."""
    try:
        return get_supported_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def submit_contribution(cleaned_data, images, ip, kept=(), site=None):
    """File public material as a draft article, start its review (A6.1) and send the receipt.

    `images` are checked uploads, `kept` the images held from earlier failed attempts.
    Raises `ratelimit.LimitReached`, filing nothing, once the address or client has used its
    submissions or its upload bytes; a submission that fails gives its slot back.
    """
    index = article_index(site)
    with ratelimit.reserved(*ratelimit.submission(cleaned_data["email"], ip), ratelimit.upload_bytes(ip, images)):
        return _create_contribution(cleaned_data, images, ip, kept, index)


# -- follow and revise -------------------------------------------------------


@dataclass(frozen=True)
class ContributionStatus:
    """Where a contribution stands, in the words the status page uses."""

    IN_REVIEW = "in_review"
    SENT_BACK = "sent_back"
    PUBLISHED = "published"
    DRAFT = "draft"

    state: str
    stage: str = ""
    send_back: object = None
    url: str = ""
    wechat: tuple = ()  # (account name, article URL) for each WeChat account it went out on

    @property
    def can_revise(self):
        return self.state == self.SENT_BACK


def contribution_status(contribution, request=None):
    """The current status of a contribution: in review at a stage, sent back, published or a draft."""
    page = ArticlePage.objects.get(pk=contribution.page_id)
    workflow_state = page.current_workflow_state
    if workflow_state is not None and workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return ContributionStatus(ContributionStatus.SENT_BACK, send_back=page.send_backs.first())
    if workflow_state is not None:
        task_state = workflow_state.current_task_state
        stage = stage_label(task_state.task) if task_state else ""
        return ContributionStatus(ContributionStatus.IN_REVIEW, stage=stage)
    if page.live:
        return ContributionStatus(
            ContributionStatus.PUBLISHED, url=page.get_url(request) or "", wechat=wechat_links(page)
        )
    return ContributionStatus(ContributionStatus.DRAFT)


def wechat_links(page):
    """(account name, URL) of the WeChat articles the page went out as, once WeChat said where (A12, A14)."""
    items = PushItem.objects.filter(page_id=page.pk).exclude(wechat_url="").order_by("account__name", "pk")
    return tuple(items.values_list("account__name", "wechat_url"))


def status_link_days():
    """How many days the private status link works after the final decision (the policy's, A6.2.5)."""
    try:
        return active_version(None).parsed().contributions.status_link_days
    except NoActivePolicy:
        return Contributions().status_link_days


def decided_at(contribution):
    """When the review of the material ended for good: approved (published) or cancelled; None while it goes on.

    A send-back is not an end: the contributor revises through the link (A6.2.5).
    """
    page = contribution.page
    state = page.workflow_states.order_by("-created_at", "-pk").first()
    if state is not None and state.status in (WorkflowState.STATUS_APPROVED, WorkflowState.STATUS_CANCELLED):
        finished = state.task_states.exclude(finished_at=None).order_by("-finished_at").first()
        return finished.finished_at if finished else state.created_at
    if state is None and page.live:
        return page.first_published_at
    return None


def link_expires_at(contribution):
    """When the private status link stops working; None while the material is still in review."""
    decided = decided_at(contribution)
    return decided + datetime.timedelta(days=status_link_days()) if decided else None


def latest_draft(contribution):
    """The article as the contributor last left it, or as a reviewer last edited it."""
    return ArticlePage.objects.get(pk=contribution.page_id).get_latest_revision_as_object()


def revise_contribution(contribution, cleaned_data, images, ip, kept=()):
    """Save the contributor's revision of sent-back material and resume its review (A6.2.5).

    Paragraphs are replaced by the new text; images and other blocks stay, new images follow them.
    Raises RevisionRefused when the material is not waiting for revision, and `ratelimit.LimitReached`,
    changing nothing, when the new images would pass the client's upload bytes of the hour.
    """
    with ratelimit.reserved(ratelimit.upload_bytes(ip, images)), transaction.atomic():
        page = ArticlePage.objects.select_for_update().get(pk=contribution.page_id)
        current = page.current_workflow_state
        workflow_state = (
            WorkflowState.objects.select_for_update().filter(pk=current.pk).first() if current is not None else None
        )
        if workflow_state is None or workflow_state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise RevisionRefused
        draft = page.get_latest_revision_as_object()
        root = Collection.get_first_root_node()
        first_number = image_count(draft.body) + len(kept) + 1
        added = [*_adopt(kept, root), *_create_images(images, root, first_number=first_number)]
        others = [item for item in draft.body.raw_data if item["type"] != "paragraph"]
        draft.title = cleaned_data["title"]
        draft.body = paragraph_blocks(cleaned_data["text"]) + others + image_blocks(added)
        # The contributor may change the cover among the article's images; none chosen keeps the current one.
        # Positions count the images that exist, as the form listed them (`article_images`).
        image_ids = [image.pk for image in article_images(draft.body)]
        cover = cover_at(image_ids, cleaned_data.get("cover"))
        if cover is not None or draft.cover_image_id is None:
            draft.cover_image_id = cover or cover_at(image_ids, 1)
        revision = draft.save_revision(user=None)
        contribution.revised_at, contribution.language = timezone.now(), form_language()
        contribution.save(update_fields=["revised_at", "language"])
        log(
            instance=draft,
            action=audit.REVISE.code,
            user=None,
            revision=revision,
            data={
                "contribution_id": contribution.pk,
                "images_added": len(added),
                "cover_image_id": draft.cover_image_id,
                "ip": ip,
            },
        )
        workflow_state.resume(user=None)
    return revision
