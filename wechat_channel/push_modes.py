"""How a push goes out (WECHAT.md §5): `Push.Mode`, kept apart from the models so the push history's texts
(`history.py`) can name a mode without importing the models that show those texts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PushMode(models.TextChoices):
    MASS_SEND = "mass_send", _("mass send")
    PUBLISH = "publish", _("publish")
    DRAFT_ONLY = "draft_only", _("draft only")
