"""Writes for partnerships, agencies and people."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from assure.accounts.models import Agency, Partnership, Role, RoleGrant, User
from assure.core import audit
from assure.core.permissions import require


@dataclass(frozen=True)
class AgencySpec:
    name: str
    agency_type: str
    aliases: tuple[str, ...] = ()


@transaction.atomic
def ensure_agency(partnership: Partnership, spec: AgencySpec) -> Agency:
    """Create the agency, or bring its type and aliases up to date; audited if changed."""
    agency, created = Agency.objects.get_or_create(
        partnership=partnership,
        name=spec.name,
        defaults={"agency_type": spec.agency_type, "aliases": list(spec.aliases)},
    )
    if created:
        audit.record(None, audit.Action.CREATE, agency, summary=f"Agency {agency.name}")
    elif agency.agency_type != spec.agency_type or agency.aliases != list(spec.aliases):
        before = {"agency_type": agency.agency_type, "aliases": agency.aliases}
        agency.agency_type, agency.aliases = spec.agency_type, list(spec.aliases)
        agency.save(update_fields=["agency_type", "aliases"])
        after = {"agency_type": agency.agency_type, "aliases": agency.aliases}
        audit.record(None, audit.Action.UPDATE, agency, changes=audit.diff(before, after))
    return agency


def partnership_agency_name(partnership: Partnership) -> str:
    return f"{partnership.short_name or partnership.name}: learning group and business unit"


def ensure_partnership_agency(partnership: Partnership) -> Agency:
    """The partnership's own agency: its learning group and business unit, whose staff belong
    to it and who own actions that no partner agency owns. One per partnership."""
    found = Agency.objects.filter(partnership=partnership, agency_type=Agency.Type.PARTNERSHIP)
    return found.first() or ensure_agency(
        partnership, AgencySpec(partnership_agency_name(partnership), Agency.Type.PARTNERSHIP)
    )


@transaction.atomic
def ensure_person(
    username: str,
    *,
    agency: Agency,
    roles: Sequence[tuple[str, str, str]],
    full_name: str,
    password: str,
    email: str = "",
) -> tuple[User, bool]:
    """Create a person with roles [(role, scope, scope_name)], or reset their password."""
    first, _, last = full_name.partition(" ")
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"agency": agency, "first_name": first, "last_name": last, "email": email},
    )
    is_admin = any(role == Role.SYSTEM_ADMINISTRATOR for role, _, _ in roles)
    password_changed = not user.check_password(password)
    if password_changed or user.is_staff != is_admin:
        user.set_password(password)
        user.is_staff = is_admin
        user.save()
    for role, scope, scope_name in roles:
        RoleGrant.objects.get_or_create(
            user=user, role=role, defaults={"scope": scope, "scope_name": scope_name}
        )
    if created or password_changed:
        audit.record(
            None,
            audit.Action.CREATE if created else audit.Action.UPDATE,
            user,
            summary="Demo person created" if created else "Demo person's password reset",
        )
    return user, created


class SeparationOfDuties(PermissionDenied):
    """Refused: the same person may not both ask for a change and approve it."""


def approve_grant(actor: User, grant: RoleGrant) -> None:
    """A second system administrator approves a pending grant: not the one who asked for it,
    and not the person who would hold it."""
    require(actor, "user", "manage", record_type="accounts.rolegrant", record_id=grant.pk)
    if actor.pk in (grant.requested_by_id, grant.user_id):
        audit.record(
            actor,
            audit.Action.PERMISSION_DENIED,
            grant,
            summary="Refused: a second administrator must approve this role",
        )
        raise SeparationOfDuties(
            "A second system administrator must approve this role: not the one who asked "
            "for it, and not the person who would hold it"
        )
    with transaction.atomic():
        grant.approved_by, grant.approved_at = actor, timezone.now()
        grant.save(update_fields=["approved_by", "approved_at"])
        audit.record(
            actor,
            audit.Action.UPDATE,
            grant,
            summary=f"Approved {grant.get_role_display()} for {grant.user.get_username()}",
            changes={"approved_by": actor.get_username()},
        )
