"""The partnership, its agencies, the people who use Assure and the roles they hold."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class Partnership(models.Model):
    """A safeguarding children partnership. A deployment serves one; every domain row names it."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    embed_months = models.PositiveSmallIntegerField(
        "Months at target before embedded",
        default=3,
        help_text="Consecutive months a linked measure must hold its target after assurance.",
    )

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """A member agency of the partnership, with the other names it goes by in documents."""

    class Type(models.TextChoices):
        LA_CHILDRENS_SERVICES = "la_childrens_services", "Local authority children's services"
        POLICE = "police", "Police"
        ICB = "icb", "ICB or health commissioner"
        NHS_TRUST = "nhs_trust", "NHS trust"
        EDUCATION = "education", "Education"
        COMMISSIONED_SERVICE = "commissioned_service", "Commissioned service"
        PARTNERSHIP = "partnership", "The partnership (learning group or business unit)"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    agency_type = models.CharField(max_length=30, choices=Type.choices)
    aliases = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(agency_type="partnership"),
                name="one_partnership_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_childrens_services(self) -> bool:
        return self.agency_type == self.Type.LA_CHILDRENS_SERVICES

    @property
    def is_partnership(self) -> bool:
        """The partnership's own learning group and business unit: not a partner agency."""
        return self.agency_type == self.Type.PARTNERSHIP


class Role(models.TextChoices):
    """What a person does in the partnership; each grants the permissions in docs/permissions.md."""

    PARTNERSHIP_MANAGER = "partnership_manager", "Partnership manager"
    LEARNING_GROUP_MEMBER = "learning_group_member", "Learning group member"
    AGENCY_LEAD = "agency_lead", "Agency safeguarding lead"
    BOARD_MEMBER = "board_member", "Board member"
    CONFERENCE_CHAIR = "conference_chair", "Conference chair or child protection adviser"
    CHILDRENS_SERVICES_MANAGER = "childrens_services_manager", "Children's services manager"
    QUALITY_AUDITOR = "quality_auditor", "Quality auditor"
    SYSTEM_ADMINISTRATOR = "system_administrator", "System administrator"


class User(AbstractUser):
    """A person who signs in. Belongs to one agency; holds one or more roles."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="people", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True)

    def role_set(self) -> frozenset[str]:
        """The roles this person holds, read once per request."""
        cached: frozenset[str] | None = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True))
            self._role_set = cached
        return cached


class RoleGrant(models.Model):
    """One role held by one person. A children's services manager's grant names its scope."""

    class Scope(models.TextChoices):
        TEAM = "team", "A team"
        SERVICE = "service", "A service"
        ALL = "all", "All of children's services"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=Role.choices)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.ALL)
    scope_name = models.CharField(
        max_length=200, blank=True, help_text="The team or service, when the scope is one."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"
