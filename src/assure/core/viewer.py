"""The person behind a request: one typed object that services and selectors take.

`viewer_of(request)` builds it once per request; commands build one with `Viewer.of(user)`.
It answers `can`/`require` from the permission matrix and carries what every scoped read
needs (the partnership and agency ids), so no view or service looks these up itself.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assure.core import permissions
from assure.core.permissions import Scope

if TYPE_CHECKING:
    from django.http import HttpRequest

    from assure.accounts.models import Agency, Partnership, User


@dataclass(frozen=True)
class Viewer:
    """A signed-in person, their partnership, agency and roles, as permissions see them."""

    user: "User"
    roles: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: "User") -> "Viewer":
        """The viewer for a person (roles in force today)."""
        return cls(user=user, roles=user.role_set())

    @property
    def agency(self) -> "Agency | None":
        return self.user.agency

    @property
    def agency_id(self) -> int | None:
        return self.user.agency_id

    @property
    def partnership(self) -> "Partnership | None":
        agency = self.user.agency
        return agency.partnership if agency else None

    @property
    def partnership_id(self) -> int:
        """The person's partnership; 0 (matches nothing) for a person without an agency."""
        agency = self.user.agency
        return agency.partnership_id if agency else 0

    def scope(self, resource: str, action: str) -> Scope:
        return permissions.scope_for(self.user, resource, action)

    def can(
        self, resource: str, action: str, *, agency_id: int | None = None, child_level: bool = False
    ) -> bool:
        return permissions.can(
            self.user, resource, action, agency_id=agency_id, child_level=child_level
        )

    def require(self, resource: str, action: str, **kwargs: Any) -> Scope:
        """Allow or refuse (audited, PermissionDenied) as `permissions.require`."""
        return permissions.require(self.user, resource, action, **kwargs)


def viewer_of(request: "HttpRequest") -> Viewer:
    """The request's viewer, built once and kept on the request."""
    cached: Viewer | None = getattr(request, "_assure_viewer", None)
    if cached is None or cached.user is not request.user:
        cached = Viewer.of(request.user)  # type: ignore[arg-type]
        request._assure_viewer = cached  # type: ignore[attr-defined]
    return cached
