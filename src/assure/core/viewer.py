"""The person behind a request: one typed object that services and selectors take.

`viewer_of(request)` builds it once per request; commands and tests build one with
`Viewer.of(user)`. It is the one place that knows who someone is for Assure: their
partnership and agency, the roles in force, the team scope of their child-level roles, what
the permission matrix lets them do (`can`/`require`), and the records they may read: every
scoped queryset of reviews, recommendations, actions, evidence, audits and children starts
here, so a read cannot forget the partnership. Everything is looked up lazily, at most once.
"""

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from assure.core import permissions
from assure.core.permissions import CHILD_LEVEL_REFUSAL, Scope

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from assure.accounts.models import Agency, Partnership, User
    from assure.audits.models import Audit
    from assure.casedata.models import Person
    from assure.reviews.models import Action, Evidence, Recommendation, Review

# A team scope: the case-folded team names whose children someone may see; None: every team.
TeamScope = frozenset[str] | None


@dataclass(frozen=True, eq=False)
class Viewer:
    """A signed-in person, their partnership, agency and roles, as permissions see them."""

    user: "User"
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: "User") -> "Viewer":
        """The viewer for a person: the roles in force today (none unless signed in, active)."""
        active = getattr(user, "is_authenticated", False) and user.is_active
        return cls(user=user, roles=user.role_set() if active else frozenset())

    # ---- who ---------------------------------------------------------------------------------

    @property
    def person(self) -> "User":
        return self.user

    @property
    def is_authenticated(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @cached_property
    def agency(self) -> "Agency | None":
        return self.user.agency if self.is_authenticated else None

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id if self.is_authenticated else None

    @cached_property
    def partnership(self) -> "Partnership | None":
        return self.agency.partnership if self.agency else None

    @property
    def partnership_id(self) -> int:
        """The person's partnership; 0 (matches nothing) for a person without an agency."""
        return self.agency.partnership_id if self.agency else 0

    def required_partnership(self) -> "Partnership":
        """The partnership a new record goes into; refused for a person without one."""
        if self.partnership is None:
            raise PermissionDenied("No partnership")
        return self.partnership

    # ---- what they may do --------------------------------------------------------------------

    def scope(self, resource: str, action: str) -> Scope:
        """The widest scope any of the roles grants. Child-level access also needs the person
        to belong to children's services: a partner agency's person given such a role by
        mistake is held to aggregates."""
        if (resource, action) not in permissions.MATRIX:
            raise KeyError(f"No permission rule for {resource}.{action}")
        scope = max(
            (permissions.role_scope(r, resource, action) for r in self.roles), default=Scope.NONE
        )
        if scope == Scope.CHILD_LEVEL and not (self.agency and self.agency.is_childrens_services):
            return Scope.PARTNERSHIP
        return scope

    def can(
        self, resource: str, action: str, *, agency_id: int | None = None, child_level: bool = False
    ) -> bool:
        """Whether the person may act, on a given agency's record or on child-level data."""
        scope = self.scope(resource, action)
        if child_level:
            return scope >= Scope.CHILD_LEVEL
        if agency_id is not None and scope == Scope.OWN_AGENCY:
            return self.agency_id == agency_id
        return scope > Scope.NONE

    def require(
        self,
        resource: str,
        action: str,
        *,
        agency_id: int | None = None,
        child_level: bool = False,
        record_type: str = "",
        record_id: str | int = "",
    ) -> Scope:
        """Allow (giving the scope) or refuse: a refusal is audited and raises PermissionDenied
        (shown as a 403 page)."""
        if self.can(resource, action, agency_id=agency_id, child_level=child_level):
            return self.scope(resource, action)
        from assure.core import audit

        audit.record(
            self,
            audit.Action.PERMISSION_DENIED,
            record_type=record_type or resource,
            record_id=record_id,
            summary=f"Refused {resource}.{action}" + (" (child-level)" if child_level else ""),
        )
        raise PermissionDenied(
            f"{resource}.{action}" + (CHILD_LEVEL_REFUSAL if child_level else "")
        )

    @cached_property
    def team_scope(self) -> TeamScope:
        """The team names (case-folded) whose children this person may see; None: every team.

        A children's services manager whose grant is for a team sees that team; for a service,
        the teams under it (`ssd_department` parent). Any other child-level role, or a grant
        for all of children's services, sees every team. A team or service grant with no name
        sees none.
        """
        from assure.accounts.models import Role, RoleGrant
        from assure.casedata.models import Team

        child_roles = [
            r
            for r in Role.values
            if permissions.role_scope(r, "case_data", "view") == Scope.CHILD_LEVEL
        ]
        grants = RoleGrant.objects.in_force().filter(user_id=self.user.pk, role__in=child_roles)
        names: set[str] = set()
        for grant in grants:
            if grant.role != Role.CHILDRENS_SERVICES_MANAGER or grant.scope == RoleGrant.Scope.ALL:
                return None
            wanted = grant.scope_name.strip()
            if not wanted:
                continue
            names.add(wanted.casefold())
            if grant.scope == RoleGrant.Scope.SERVICE:
                teams = Team.objects.filter(
                    partnership_id=self.partnership_id, parent_name__iexact=wanted
                )
                names.update(n.strip().casefold() for n in teams.values_list("name", flat=True))
        return frozenset(names)

    def sees_team(self, team: str) -> bool:
        """Whether a child allocated to this team (blank: nobody) is in the team scope."""
        scope = self.team_scope
        return scope is None or team.strip().casefold() in scope

    # ---- what they may read: the only scoped querysets ---------------------------------------

    def reviews(self) -> "QuerySet[Review]":
        from assure.reviews.models import Review

        return Review.objects.filter(partnership_id=self.partnership_id)

    def recommendations(self) -> "QuerySet[Recommendation]":
        from assure.reviews.models import Recommendation

        return Recommendation.objects.filter(partnership_id=self.partnership_id)

    def actions(self) -> "QuerySet[Action]":
        from assure.reviews.models import Action

        return Action.objects.filter(partnership_id=self.partnership_id)

    def evidence(self) -> "QuerySet[Evidence]":
        from assure.reviews.models import Evidence

        return Evidence.objects.filter(partnership_id=self.partnership_id)

    def children(self) -> "QuerySet[Person]":
        """Children in the partnership's case data: child-level rows, so the caller has
        checked child-level access (and `sees_team` for the child it shows)."""
        from assure.casedata.models import Person

        return Person.objects.filter(partnership_id=self.partnership_id)

    def audits(self) -> "QuerySet[Audit]":
        """Case audits of the partnership: they name children, so their readers are child-level
        (each page checks the permission, and `sees_team` for one audit's child)."""
        from assure.audits.models import Audit

        return Audit.objects.filter(partnership_id=self.partnership_id)


def viewer_of(request: "HttpRequest") -> Viewer:
    """The request's viewer, built once and kept on the request."""
    cached: Viewer | None = getattr(request, "_assure_viewer", None)
    if cached is None or cached.user is not request.user:
        cached = Viewer.of(request.user)  # type: ignore[arg-type]
        request._assure_viewer = cached  # type: ignore[attr-defined]
    return cached
