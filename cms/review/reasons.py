"""Why a reviewer requests changes (A6.2.5), and which reasons are errors against the department (A20).

No model here: the send-back model, the review actions and the modal's form all name these reasons.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SendBackReason(models.TextChoices):
    CONTENT_MISMATCH = "content_mismatch", _("Content does not match the facts")
    TYPO = "typo", _("Wrong characters (typos)")
    LAYOUT = "layout", _("Layout")
    ILLEGAL = "illegal", _("Breaks laws or regulations")
    NOT_PUBLIC = "not_public", _("Not yet made public by the college")
    OTHER = "other", _("Other")


# Reasons that are errors against the department (A20); the policy decides what counts.
ERROR_REASONS = {SendBackReason.CONTENT_MISMATCH, SendBackReason.TYPO}
