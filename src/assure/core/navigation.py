"""The navigation and home-page links each person sees, decided by the permissions matrix."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assure.core.viewer import Viewer, viewer_of


@dataclass(frozen=True)
class Destination:
    """A place in the service, shown to those who hold its permission."""

    label: str
    url_name: str
    resource: str
    action: str
    description: str
    area: str  # the menu item it sits under (see `menu_for`)
    child_level: bool = False  # only for people who may see children's records


DESTINATIONS = [
    Destination(
        "Reviews",
        "reviews:overview",
        "review",
        "view",
        "See reviews, their statutory timeline, recommendations and where every action stands.",
        area="Reviews",
    ),
    Destination(
        "All actions",
        "reviews:actions",
        "action",
        "view",
        "Search and filter every agency's actions by status, theme and due date; export them.",
        area="Reviews",
    ),
    Destination(
        "My agency's actions",
        "reviews:my-actions",
        "action",
        "update",
        "Add progress updates and evidence to your agency's actions.",
        area="Reviews",
    ),
    Destination(
        "Awaiting assurance",
        "reviews:queue",
        "action",
        "assure",
        "Assure, embed or send back actions that agencies have implemented.",
        area="Reviews",
    ),
    Destination(
        "Trackers",
        "indicators:catalogue",
        "case_data",
        "view",
        "Child protection and legal timeliness, computed from the case system extract.",
        area="Trackers",
    ),
    Destination(
        "Case data",
        "casedata:imports",
        "case_data",
        "import",
        "Import the Standard Safeguarding Dataset extract and see past imports.",
        area="Trackers",
    ),
    Destination(
        "Audits",
        "audits:mine",
        "audit",
        "do",
        "Case audits assigned to you and moderations waiting for you.",
        area="Audits",
        child_level=True,
    ),
    Destination(
        "Audit programmes",
        "audits:programmes",
        "audit",
        "manage",
        "Plan monthly and thematic case audits, draw the sample and manage audit tools.",
        area="Audits",
    ),
    Destination(
        "QA dashboard",
        "audits:dashboard",
        "audit",
        "view",
        "Audits due, done and overdue, grades by tool and month, and practice actions.",
        area="Audits",
    ),
    Destination(
        "Surveys",
        "surveys:list",
        "survey",
        "view",
        "Anonymous practitioner surveys: build one, give each agency its link, see results.",
        area="Learning",
    ),
    Destination(
        "Self-assessments",
        "selfassessment:rounds",
        "selfassessment",
        "view",
        "Section 11 and Section 175 self-assessment rounds: rate, submit, challenge, compare.",
        area="Learning",
    ),
    Destination(
        "Escalations",
        "escalations:log",
        "escalation",
        "notes",
        "Record professional challenges between agencies, follow their stages and add notes.",
        area="Escalations",
    ),
    Destination(
        "Escalation figures",
        "escalations:dashboard",
        "escalation",
        "view",
        "How many escalations were raised, by and about which agency, and how timely each "
        "stage was.",
        area="Escalations",
    ),
    Destination(
        "Commissioned services",
        "escalations:services",
        "service",
        "view",
        "The register of commissioned services and their quarterly returns.",
        area="Escalations",
    ),
    Destination(
        "Reports",
        "reports:list",
        "report",
        "view",
        "The partnership's quarterly assurance report: make one, open any made before.",
        area="Reports",
    ),
    Destination(
        "Workforce learning",
        "workforce:overview",
        "workforce",
        "view",
        "Learning products and their dissemination, declared workforce, training reach and "
        "confidence.",
        area="Learning",
    ),
    Destination(
        "Audit trail",
        "core:audit",
        "audit_trail",
        "view",
        "Search who did what, to which record and when.",
        area="Administration",
    ),
    Destination(
        "People and agencies",
        "admin:index",
        "user",
        "manage",
        "Add people, give them roles and keep agencies' names up to date.",
        area="Administration",
    ),
]


def destinations_for(viewer: Viewer) -> list[tuple[Destination, str]]:
    """The destinations this person may use, with their URLs (ones not built yet are skipped)."""
    found = []
    for destination in DESTINATIONS:
        if not viewer.can(
            destination.resource, destination.action, child_level=destination.child_level
        ):
            continue
        try:
            found.append((destination, reverse(destination.url_name)))
        except NoReverseMatch:
            continue
    return found


@dataclass(frozen=True)
class MenuItem:
    """One item of the main menu: an area of the service and the destinations under it."""

    label: str
    href: str
    destinations: list[tuple[Destination, str]]


def menu_for(viewer: Viewer) -> list[MenuItem]:
    """The person's destinations grouped by area, in the order areas first appear. An area
    with one destination for this person is named after it and leads to it; otherwise it is
    named after the area and leads to its first destination, whose page lists the others."""
    areas: dict[str, list[tuple[Destination, str]]] = {}
    for destination, href in destinations_for(viewer):
        areas.setdefault(destination.area, []).append((destination, href))
    return [
        MenuItem(name if len(found) > 1 else found[0][0].label, found[0][1], found)
        for name, found in areas.items()
    ]


def home_text(request: HttpRequest) -> str:
    """The home item's words, with how many things the person has to do (in words, not colour).

    The home page sets `request.todo_count` from the list it shows, so the two agree and the
    list is not counted twice.
    """
    from assure.reviews.todo import count_for  # reviews builds on core, not the reverse

    count = getattr(request, "todo_count", None)
    if count is None:
        count = count_for(viewer_of(request), timezone.localdate())
    return f"Home ({count} to do)" if count else "Home"
