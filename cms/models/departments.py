"""The institution: departments (科室), the people who write for it, and who provided a piece of material."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    """Who provided the material; decides the review path (A6.1) and rewards (A17–A19)."""

    OFFICE = "office", _("Office")
    DEPARTMENT = "department", _("Department")
    STAFF = "staff", _("Staff member in own name")
    STUDENT = "student", _("Student in own name")


class Department(models.Model):
    """A department (科室) with its heads (first review) and supervising leader (second review), A6.1."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    heads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department heads"),
        related_name="headed_departments",
        blank=True,
    )
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervising leader"),
        related_name="supervised_departments",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name


class PersonKind(models.TextChoices):
    STUDENT = "student", _("Student")
    STAFF = "staff", _("Staff")


class Person(models.Model):
    """A student or staff member; may or may not have an admin account.

    Contact details (e-mail, phone) are private: they never leave the admin.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admin account"),
        related_name="person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    name = models.CharField(_("full name"), max_length=100)
    kind = models.CharField(_("role"), max_length=10, choices=PersonKind.choices)
    number = models.CharField(
        _("student or staff number"),
        max_length=32,
        help_text=_("Student number for students, staff number for staff."),
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        related_name="people",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["kind", "number"], name="unique_person_number"),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()} {self.number})"
