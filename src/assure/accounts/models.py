"""The partnership, its agencies, the people who use Assure and the roles they hold."""

from datetime import date

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


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
        """The roles this person holds now (approved, not ended), read once per request."""
        cached: frozenset[str] | None = getattr(self, "_role_set", None)
        if cached is None:
            cached = frozenset(self.roles.in_force().values_list("role", flat=True))
            self._role_set = cached
        return cached


# Roles that need a second system administrator's approval before they take effect.
APPROVED_ROLES = frozenset(
    {
        Role.CONFERENCE_CHAIR,
        Role.CHILDRENS_SERVICES_MANAGER,
        Role.QUALITY_AUDITOR,
        Role.SYSTEM_ADMINISTRATOR,
    }
)


class RoleGrantQuerySet(models.QuerySet["RoleGrant"]):
    def in_force(self, today: date | None = None) -> "RoleGrantQuerySet":
        """Grants that count today: approved, and not past their end date."""
        today = today or timezone.localdate()
        return self.filter(approved_at__isnull=False).exclude(ends_on__lt=today)


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
    ends_on = models.DateField(
        "Ends on", null=True, blank=True, help_text="The last day the role counts, if it ends."
    )
    # Who asked for the grant and who approved it. Grants made by code (the demo, imports)
    # count at once; the admin site makes child-level and administrator grants pending
    # (approved_at empty) until a second administrator approves them (docs/permissions.md).
    requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True, default=timezone.now)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"

    @property
    def is_pending(self) -> bool:
        return self.approved_at is None


class MfaReset(models.Model):
    """A system administrator's request to remove a person's lost second factors, carried out
    only when a second administrator approves it."""

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="mfa_resets")
    reason = models.CharField(max_length=300)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "second-factor reset"

    def __str__(self) -> str:
        state = "approved" if self.approved_at else "waiting for approval"
        return f"Reset {self.person}'s second factor ({state})"
