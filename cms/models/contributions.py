"""Material contributed through the public form by people without an admin account."""

import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.models.articles import ArticlePage
from cms.models.departments import Person

TOKEN_SALT = "newsroom.contribution.status"  # noqa: S105 - a signing salt, not a secret


def _new_nonce():
    return secrets.token_urlsafe(16)


class Contribution(models.Model):
    """A public-form submission: who sent it, where to write, and the private status link.

    The link's token is signed with SECRET_KEY over the id and a random nonce:
    a database read alone does not reveal working links, and replacing the
    nonce revokes every link sent so far.
    """

    class OnBehalfOf(models.TextChoices):
        SELF = "self", _("In my own name")
        DEPARTMENT = "department", _("On behalf of my department")

    page = models.OneToOneField(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="contribution"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("contributor"), on_delete=models.PROTECT, related_name="contributions"
    )
    on_behalf_of = models.CharField(_("submitted as"), max_length=20, choices=OnBehalfOf.choices)
    email = models.EmailField(_("e-mail"))
    link_nonce = models.CharField(_("status link key"), max_length=32, default=_new_nonce, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    revised_at = models.DateTimeField(_("last revised"), null=True, blank=True)
    # The language the form was filled in: the contributor's e-mails are written in it.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")

    def __str__(self):
        return f"{self.person.name}: {self.page.draft_title}"

    @property
    def status_token(self):
        """The token of the private status link."""
        return signing.dumps([self.pk, self.link_nonce], salt=TOKEN_SALT, compress=True)

    @classmethod
    def for_token(cls, token):
        """The contribution a status-link token opens, or None for a bad or revoked token."""
        try:
            pk, nonce = signing.loads(token or "", salt=TOKEN_SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        contribution = cls.objects.select_related("page", "person").filter(pk=pk).first()
        if contribution is None or not secrets.compare_digest(contribution.link_nonce, str(nonce)):
            return None
        return contribution
