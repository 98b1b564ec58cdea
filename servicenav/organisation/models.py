"""Units, staff, their roles and the municipality's service values."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from servicenav.core.language import in_current_language

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser


class User(AbstractUser):
    """A member of staff. Citizens never have accounts."""

    email = models.EmailField(_("email address"), unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_paths(self) -> dict[str, list[str]]:
        """Unit paths per role, read once per user object (that is, once per request)."""
        paths: dict[str, list[str]] = {}
        for role, path in self.role_assignments.values_list("role", "unit__path"):
            paths.setdefault(role, []).append(path)
        return paths

    def paths_with(self, roles: Iterable[str]) -> list[str]:
        """The unit paths under which this user holds any of `roles`."""
        return [path for role in roles for path in self.role_paths.get(role, [])]


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(active=True)

    def within(self, roots: Iterable[Unit]) -> UnitQuerySet:
        """The given units and everything below them."""
        return self.under_paths(root.path for root in roots)

    def under_paths(self, paths: Iterable[str]) -> UnitQuerySet:
        condition = models.Q(pk__in=[])
        for path in paths:
            condition |= models.Q(path__startswith=path)
        return self.filter(condition)

    def visible_to(
        self, user: User | AnonymousUser, roles: Iterable[str] | None = None
    ) -> UnitQuerySet:
        """Units where `user` holds one of `roles` (any role when None), subtrees included.

        Superusers see every unit; anonymous and inactive users see none.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.under_paths(user.paths_with(Role.values if roles is None else roles))


class Unit(models.Model):
    """A part of the municipality: kommun → förvaltning → verksamhet → enhet, any depth.

    `path` holds the ids from the root down ("/1/4/9/") so that a whole subtree is one
    indexed prefix query; services keep it true when a unit is created or moved.
    """

    class Kind(models.TextChoices):
        MUNICIPALITY = "kommun", _("municipality")
        ADMINISTRATION = "forvaltning", _("administration")
        SERVICE = "verksamhet", _("service")
        TEAM = "enhet", _("team")

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    path = models.CharField(max_length=255, db_index=True, editable=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the current request."""
        return in_current_language(self.name_sv, self.name_en)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("administrator")
    QUALITY_COORDINATOR = "quality_coordinator", _("quality coordinator")
    UNIT_MANAGER = "unit_manager", _("unit manager")
    CASE_HANDLER = "case_handler", _("case handler")
    VIEWER = "viewer", _("viewer")


class RoleAssignment(models.Model):
    """A user holds a role for a unit and everything below it."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "unit__path", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ServiceValue(models.Model):
    """One of the municipality's service values, which feedback, examples and actions carry.

    Luleå's are Engagemang, Ansvarstagande and Kompetens; they are data so that another
    municipality can name its own.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("service value")
        verbose_name_plural = _("service values")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_current_language(self.name_sv, self.name_en)

    @property
    def description(self) -> str:
        return in_current_language(self.description_sv, self.description_en)
