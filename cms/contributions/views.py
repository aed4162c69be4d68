"""The public contribution pages: the form (A6.1), the thank-you page, the private status page (A6.2.5).

Thin glue: parse the request, call `services`, render. Every re-rendered form
keeps what was typed and, through a signed token, the images already accepted.
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from cms.contributions import get_conf, services
from cms.contributions.forms import ContributionForm, RevisionForm
from cms.models import Contribution, PlatformSettings
from cms.public_forms import ratelimit
from cms.public_forms.visitors import client_ip

FORM_TEMPLATE = "cms/contributions/form.html"
# The session key naming the contribution just filed: its thanks page shows the status link once.
JUST_SUBMITTED = "newsroom.contribution.just_submitted"
STATUS_TEMPLATE = "cms/contributions/status.html"
EXPIRED_TEMPLATE = "cms/contributions/status_expired.html"


def _kept_from(request):
    if request.POST.get("discard_kept"):
        return []
    return services.load_kept_images(request.POST.get("kept_images"))


def _image_context(kept, not_kept=()):
    return {
        "kept": kept,
        "kept_token": services.kept_images_token(kept),
        "not_kept": [upload.name for upload in not_kept],
    }


def _rate_limit_message(kind=ratelimit.SUBMISSIONS):
    conf = get_conf()
    minutes = conf["CONTRIBUTION_RATE_WINDOW_SECONDS"] // 60
    if kind == ratelimit.UPLOAD_BYTES:
        return _(
            "Too many images from this network: at most %(size)s in %(minutes)d minutes. "
            "The images were not stored; please try again later. What you typed is kept below."
        ) % {
            "size": filesizeformat(conf["CONTRIBUTION_UPLOAD_BYTES_PER_HOUR"]),
            "minutes": ratelimit.UPLOAD_WINDOW_SECONDS // 60,
        }
    if kind == ratelimit.HELD_IMAGES:
        return _(
            "Too many images kept from this network: at most %(count)d in %(minutes)d minutes. "
            "The images were not stored; please try again later. What you typed is kept below."
        ) % {"count": conf["CONTRIBUTION_RATE_LIMIT"] * conf["CONTRIBUTION_MAX_IMAGES"], "minutes": minutes}
    return _(
        "Too many submissions from this e-mail address or network: at most %(limit)d in %(minutes)d minutes. "
        "Please try again later; what you typed is kept below."
    ) % {"limit": conf["CONTRIBUTION_RATE_LIMIT"], "minutes": minutes}


def _hold(form, kept, ip, images_before=0):
    """(kept images, uploads not kept, status): a client past its upload limits gets 429 and the reason."""
    try:
        return services.hold_images(kept, form.accepted_images, ip, images_before=images_before), [], 200
    except ratelimit.LimitReached as refused:
        form.add_error(None, _rate_limit_message(refused.kind))
        return kept, form.accepted_images, 429


@require_http_methods(["GET", "POST"])
def contribute(request):
    """Show the contribution form, or file valid material and start its review (A6.1)."""
    platform = PlatformSettings.load(request_or_site=request)
    context = {"platform": platform}
    if not platform.contributions_open:
        return render(request, FORM_TEMPLATE, {**context, "closed": True})
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {**context, "form": ContributionForm(), **_image_context([])})

    ip = client_ip(request)
    kept = _kept_from(request)
    form = ContributionForm(request.POST, request.FILES, images_before=len(kept))
    if ratelimit.submissions_exceeded(request.POST.get("email"), ip):
        form.add_error(None, _rate_limit_message())
        return render(request, FORM_TEMPLATE, {**context, "form": form, **_image_context(kept)}, status=429)
    if form.is_valid():
        try:
            contribution = services.submit_contribution(
                form.cleaned_data, form.accepted_images, ip, kept=kept, site=Site.find_for_request(request)
            )
        except ratelimit.LimitReached as refused:  # parallel requests took the last slot first
            form.add_error(None, _rate_limit_message(refused.kind))
            return render(request, FORM_TEMPLATE, {**context, "form": form, **_image_context(kept)}, status=429)
        request.session[JUST_SUBMITTED] = contribution.pk
        return redirect("contribution_thanks")
    kept, not_kept, http_status = _hold(form, kept, ip)
    return render(
        request, FORM_TEMPLATE, {**context, "form": form, **_image_context(kept, not_kept)}, status=http_status
    )


@never_cache
def thanks(request):
    """Thank the contributor; the first time after submitting, in their session only, with the status link.

    The link is a secret (A6.2.5): shown once to whoever just submitted, never cached, never to another
    browser; a reload or a later visit reads that the link was sent by e-mail.
    """
    contribution = Contribution.objects.filter(pk=request.session.pop(JUST_SUBMITTED, None)).first()
    context = {"contribution": contribution}
    if contribution is not None:
        context["status_url"] = request.build_absolute_uri(
            reverse("contribution_status", args=[contribution.status_token])
        )
        context["has_cover"] = contribution.page.cover_image_id is not None
    return _private(render(request, "cms/contributions/thanks.html", context))


def _private(response):
    """Keep the secret address of a private page out of caches, other sites' logs and search engines.

    `same-origin`, not `no-referrer`: the Fetch standard ("append a request `Origin` header") sends
    `Origin: null` for a POST under `no-referrer`, which Django's CSRF check refuses, so the revision
    form (A6.2.5) could never be sent; under `same-origin` a same-origin POST carries the real origin
    while a link followed to another site still gets no referrer at all.
    """
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


def office_cover(draft, article_images):
    """The draft's cover when it is not one of its images (the office chose it), else None."""
    cover = draft.cover_image
    return cover if cover is not None and cover not in article_images else None


def cover_position(draft):
    """The 1-based position of the draft's cover among its images; "" for a cover from elsewhere; 1 for none."""
    ids = services.body_image_ids(draft.body)
    if draft.cover_image_id is None:
        return 1
    return ids.index(draft.cover_image_id) + 1 if draft.cover_image_id in ids else ""


@never_cache
@require_http_methods(["GET", "POST"])
def status(request, token):
    """The private status page; while the material is sent back it also takes the revision (A6.2.5)."""
    contribution = Contribution.for_token(token)
    if contribution is None:
        raise Http404
    expires_at = services.link_expires_at(contribution)
    if expires_at is not None and timezone.now() >= expires_at:
        # A6.2.5: the link serves the material while it is in review; a policy-set time after the decision it stops.
        context = {
            "expired_at": expires_at,
            "days": services.status_link_days(),
            "url": contribution.page.get_url(request) if contribution.page.live else "",
        }
        return _private(render(request, EXPIRED_TEMPLATE, context, status=410))
    current = services.contribution_status(contribution, request)
    draft = services.latest_draft(contribution)
    article_images = services.article_images(draft.body)
    images_in_article = len(article_images)
    cover_choice = {"article_images": article_images, "office_cover": office_cover(draft, article_images)}
    context = {
        "contribution": contribution,
        "draft": draft,
        "status": current,
        "images_in_article": images_in_article,
        "revised": request.GET.get("revised") == "1",
        "link_expires_at": expires_at,
        **_image_context([]),
    }
    http_status = 200
    if request.method == "POST" and not current.can_revise:
        context["refused"] = True
        http_status = 409
    elif request.method == "POST":
        kept = _kept_from(request)
        form = RevisionForm(request.POST, request.FILES, images_before=images_in_article + len(kept), **cover_choice)
        if form.is_valid():
            try:
                services.revise_contribution(
                    contribution, form.cleaned_data, form.accepted_images, client_ip(request), kept=kept
                )
            except services.RevisionRefused:  # someone acted on the material meanwhile
                context.update(refused=True, status=services.contribution_status(contribution, request))
                http_status = 409
            except ratelimit.LimitReached as refused:  # the new images would pass the upload bytes of the hour
                form.add_error(None, _rate_limit_message(refused.kind))
                context.update(form=form, **_image_context(kept))
                http_status = 429
            else:
                return redirect(reverse("contribution_status", args=[token]) + "?revised=1")
        else:
            kept, not_kept, http_status = _hold(form, kept, client_ip(request), images_before=images_in_article)
            context.update(form=form, **_image_context(kept, not_kept))
    elif current.can_revise:
        initial = {"title": draft.title, "text": services.text_from_body(draft.body), "cover": cover_position(draft)}
        context["form"] = RevisionForm(initial=initial, images_before=images_in_article, **cover_choice)
    return _private(render(request, STATUS_TEMPLATE, context, status=http_status))
