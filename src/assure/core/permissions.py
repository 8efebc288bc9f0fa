"""Who may do what: one matrix of resource × action × scope decides every access.

docs/permissions.md shows this matrix for people; a test checks the two agree cell by cell.
Scopes are ordered: a wider scope includes the narrower ones.
"""

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from assure.accounts.models import Role

if TYPE_CHECKING:
    from assure.core.viewer import Viewer


class Scope(IntEnum):
    """How far a permission reaches."""

    NONE = 0
    OWN_AGENCY = 1  # records of the person's own agency
    PARTNERSHIP = 2  # the whole partnership (for case data: aggregate figures only)
    CHILD_LEVEL = 3  # the whole partnership and each child's records (children's services only)

    @property
    def label(self) -> str:
        return SCOPE_LABELS[self]


SCOPE_LABELS = {
    Scope.NONE: "—",
    Scope.OWN_AGENCY: "own agency",
    Scope.PARTNERSHIP: "partnership",
    Scope.CHILD_LEVEL: "child-level",
}

# Ends the message of a refusal of child-level data, so the 403 page can say why.
CHILD_LEVEL_REFUSAL = " (child-level)"

N, O, P, C = Scope.NONE, Scope.OWN_AGENCY, Scope.PARTNERSHIP, Scope.CHILD_LEVEL

ROLE_ORDER = [
    Role.PARTNERSHIP_MANAGER,
    Role.LEARNING_GROUP_MEMBER,
    Role.AGENCY_LEAD,
    Role.BOARD_MEMBER,
    Role.CONFERENCE_CHAIR,
    Role.CHILDRENS_SERVICES_MANAGER,
    Role.QUALITY_AUDITOR,
    Role.SYSTEM_ADMINISTRATOR,
]

# (resource, action): (what it allows, scope for each role in ROLE_ORDER)
MATRIX: dict[tuple[str, str], tuple[str, tuple[Scope, ...]]] = {
    ("review", "view"): ("See reviews and recommendations", (P, P, P, P, P, P, P, N)),
    ("review", "manage"): ("Create and edit reviews and recommendations", (P, N, N, N, N, N, N, N)),
    ("action", "view"): ("See agency actions and their updates", (P, P, P, P, P, P, P, N)),
    ("action", "update"): ("Add updates to actions, mark implemented", (P, N, O, N, N, O, N, N)),
    ("action", "edit"): (
        "Change an action's owner, due date, success measure and text",
        (P, N, O, N, N, O, N, N),
    ),
    ("action", "assure"): ("Mark actions assured or embedded, send back", (N, P, N, N, N, N, N, N)),
    ("action", "export"): ("Export action plans", (P, P, O, P, N, N, N, N)),
    ("evidence", "download"): ("Download evidence files", (P, P, O, N, N, O, N, N)),
    ("case_data", "view"): ("See case data indicators", (P, P, P, P, C, C, C, N)),
    ("case_data", "import"): ("Import case data extracts", (N, N, N, N, N, N, N, P)),
    ("audit_trail", "view"): ("Search the audit trail", (N, N, N, N, N, N, N, P)),
    ("audit", "do"): ("Do quality assurance case audits", (N, N, N, N, C, C, C, N)),
    ("audit", "moderate"): ("Moderate other people's case audits", (N, N, N, N, C, C, C, N)),
    ("audit", "manage"): (
        "Manage audit tools and programmes, draw samples",
        (P, N, N, N, N, N, P, N),
    ),
    ("audit", "view"): ("See case audit results", (P, P, P, P, C, C, C, N)),
    ("workforce", "view"): (
        "See learning products, their dissemination, training reach and confidence",
        (P, P, P, P, P, P, P, N),
    ),
    ("workforce", "record"): (
        "Record a product's dissemination and declare the workforce",
        (P, N, O, N, N, O, N, N),
    ),
    ("workforce", "manage"): (
        "Publish learning products, set up courses, import training attendance",
        (P, N, N, N, N, N, N, N),
    ),
    ("user", "manage"): ("Manage people, agencies and roles", (N, N, N, N, N, N, N, P)),
    ("survey", "view"): (
        "See practitioner survey results (small numbers suppressed)",
        (P, P, P, P, P, P, P, N),
    ),
    ("survey", "manage"): (
        "Build practitioner surveys, give out and close their links",
        (P, N, N, N, N, N, N, N),
    ),
    ("survey", "free_text"): (
        "Read practitioners' free-text survey answers",
        (P, P, N, N, N, N, N, N),
    ),
    ("escalation", "record"): (
        "Record escalations, move them to the next stage and end them",
        (P, N, O, N, N, O, N, N),
    ),
    ("escalation", "notes"): (
        "See an escalation between two agencies and add notes (both agencies only)",
        (P, N, O, N, N, O, N, N),
    ),
    ("escalation", "view"): (
        "See escalation figures and themes (counts only)",
        (P, P, N, P, N, N, N, N),
    ),
    ("escalation", "protocol"): (
        "Keep the escalation protocol document",
        (P, N, N, N, N, N, N, N),
    ),
    ("service", "view"): (
        "See commissioned services, their returns and trends",
        (P, P, P, P, N, N, N, N),
    ),
    ("service", "manage"): ("Keep the register of commissioned services", (P, N, N, N, N, N, N, N)),
    ("service", "return"): (
        "Submit a commissioned service's quarterly return",
        (P, N, O, N, N, N, N, N),
    ),
    ("service", "sign_off"): (
        "Sign off a quarterly return or send it back with questions",
        (N, P, N, P, N, N, N, N),
    ),
    ("selfassessment", "view"): (
        "See self-assessment rounds, ratings, challenge and the dashboard",
        (P, P, P, P, N, N, N, N),
    ),
    ("selfassessment", "manage"): (
        "Open self-assessment rounds and keep the partnership's frameworks",
        (P, N, N, N, N, N, N, N),
    ),
    ("selfassessment", "rate"): (
        "Rate the agency's standards, add improvement actions and submit",
        (N, N, O, N, N, N, N, N),
    ),
    ("selfassessment", "challenge"): (
        "Accept or change an agency's self-ratings at challenge, with reasons",
        (N, P, N, N, N, N, N, N),
    ),
    ("report", "view"): ("Open the partnership's assurance reports", (P, P, N, P, N, N, N, N)),
    ("report", "make"): ("Make an assurance report for a quarter", (P, N, N, P, N, N, N, N)),
}


def role_scope(role: str, resource: str, action: str) -> Scope:
    """The scope one role grants for one resource and action."""
    _, scopes = MATRIX[(resource, action)]
    return scopes[ROLE_ORDER.index(Role(role))]


def scope_for(user: Any, resource: str, action: str) -> Scope:
    """The widest scope any of the user's roles grants (`Viewer.scope`)."""
    return _viewer(user).scope(resource, action)


def can(
    user: Any,
    resource: str,
    action: str,
    *,
    agency_id: int | None = None,
    child_level: bool = False,
) -> bool:
    """Whether the user may act (`Viewer.can`)."""
    return _viewer(user).can(resource, action, agency_id=agency_id, child_level=child_level)


def require(user: Any, resource: str, action: str, **kwargs: Any) -> Scope:
    """Allow or refuse, audited (`Viewer.require`)."""
    return _viewer(user).require(resource, action, **kwargs)


def _viewer(who: Any) -> "Viewer":
    """A viewer as given, or the one of a person (for callers not yet given a viewer)."""
    from assure.core.viewer import Viewer

    return who if isinstance(who, Viewer) else Viewer.of(who)


def matrix_markdown() -> str:
    """The matrix as the Markdown table in docs/permissions.md."""
    roles = [Role(r).label for r in ROLE_ORDER]
    lines = [
        "| Permission | What it allows | " + " | ".join(roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for (resource, action), (meaning, scopes) in MATRIX.items():
        cells = " | ".join(s.label for s in scopes)
        lines.append(f"| `{resource}.{action}` | {meaning} | {cells} |")
    return "\n".join(lines) + "\n"
