"""Reads for workforce learning, always scoped to the viewer's partnership.

**Reach** (issue 14) = distinct attendees / declared workforce, per course, agency and role,
over a period: an attendee is an agency's pseudonymous id marked as attended at a session in
the period, counted once however many sessions they went to; the workforce is the agency's
latest declaration for the role on or before the period's end. Roles an agency has not
declared have attendees but no reach, and are left out of the totals' shares.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, QuerySet

from assure.accounts.models import Agency
from assure.core.viewer import Viewer
from assure.reviews.models import Recommendation, Review
from assure.workforce.models import (
    Attendance,
    Course,
    Dissemination,
    LearningProduct,
    TrainingImport,
    WorkforceDeclaration,
    WorkforceRole,
)
from assure.workforce.stats import Confidence, confidence

ROLE_LABELS = dict(WorkforceRole.choices)


def products(viewer: Viewer) -> QuerySet[LearningProduct]:
    return LearningProduct.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "review"
    )


def courses(viewer: Viewer) -> QuerySet[Course]:
    return Course.objects.filter(partnership_id=viewer.partnership_id)


def disseminations(viewer: Viewer) -> QuerySet[Dissemination]:
    return Dissemination.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "agency", "product"
    )


def agencies(viewer: Viewer) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership_id=viewer.partnership_id).order_by("name")


def reviews(viewer: Viewer) -> QuerySet[Review]:
    return Review.objects.filter(partnership_id=viewer.partnership_id)


def recommendations(viewer: Viewer) -> QuerySet[Recommendation]:
    return Recommendation.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "review"
    )


def imports(viewer: Viewer, limit: int = 10) -> list[TrainingImport]:
    return list(TrainingImport.objects.filter(partnership_id=viewer.partnership_id)[:limit])


# ---- declared workforce ----------------------------------------------------------------------


def declarations(viewer: Viewer) -> QuerySet[WorkforceDeclaration]:
    return WorkforceDeclaration.objects.filter(partnership_id=viewer.partnership_id).select_related(
        "agency"
    )


def workforce_on(partnership_id: int, day: date) -> dict[tuple[int, str], int]:
    """(agency id, role) -> headcount of the latest declaration on or before `day`."""
    found: dict[tuple[int, str], int] = {}
    rows = (
        WorkforceDeclaration.objects.filter(partnership_id=partnership_id, as_of__lte=day)
        .order_by("agency_id", "role", "as_of", "id")
        .values_list("agency_id", "role", "headcount")
    )
    for agency_id, role, headcount in rows:
        found[(agency_id, role)] = headcount  # the latest wins
    return found


# ---- reach -----------------------------------------------------------------------------------


@dataclass
class Reach:
    """Attendees against the declared workforce; `share` None when none is declared."""

    name: str
    attendees: int = 0
    workforce: int | None = None
    undeclared: int = 0  # attendees in roles with no declared workforce (totals only)

    @property
    def share(self) -> float | None:
        return self.attendees / self.workforce if self.workforce else None


@dataclass
class CourseReach:
    course: Course
    start: date
    end: date
    total: Reach
    by_agency: list[Reach] = field(default_factory=list)
    by_role: list[Reach] = field(default_factory=list)
    rows: list[tuple[str, Reach]] = field(default_factory=list)  # (agency name, role reach)


def _attendees(
    partnership_id: int, course_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[tuple[int, str], int]]:
    """course id -> (agency id, role) -> distinct attendees at sessions in [start, end]."""
    counts: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    rows = (
        Attendance.objects.filter(
            partnership_id=partnership_id,
            course_id__in=list(course_ids),
            attended=True,
            session_date__range=(start, end),
        )
        .values("course_id", "agency_id", "role")
        .annotate(n=Count("attendee_ref", distinct=True))
        .values_list("course_id", "agency_id", "role", "n")
    )
    for course_id, agency_id, role, n in rows:
        counts[course_id][(agency_id, role)] = n
    return counts


def _reach(
    course: Course,
    start: date,
    end: date,
    attended: dict[tuple[int, str], int],
    workforce: dict[tuple[int, str], int],
    names: dict[int, str],
) -> CourseReach:
    wanted = set(course.roles or ROLE_LABELS)
    declared = {key: n for key, n in workforce.items() if key[1] in wanted}
    keys = sorted(
        set(declared) | {k for k in attended if k[1] in wanted},
        key=lambda k: (names.get(k[0], ""), list(ROLE_LABELS).index(k[1])),
    )
    total = Reach("All agencies", workforce=0)
    agencies_: dict[int, Reach] = {}
    roles: dict[str, Reach] = {}
    rows = []
    for agency_id, role in keys:
        n = attended.get((agency_id, role), 0)
        staff = declared.get((agency_id, role))
        rows.append((names.get(agency_id, ""), Reach(ROLE_LABELS[role], n, staff)))
        for group, key, label in (
            (agencies_, agency_id, names.get(agency_id, "")),
            (roles, role, ROLE_LABELS[role]),
        ):
            reach = group.setdefault(key, Reach(label, workforce=0))  # type: ignore[arg-type]
            _add(reach, n, staff)
        _add(total, n, staff)
    return CourseReach(
        course,
        start,
        end,
        total,
        sorted(agencies_.values(), key=lambda r: r.name),
        [roles[r] for r in ROLE_LABELS if r in roles],
        rows,
    )


def _add(reach: Reach, attendees: int, staff: int | None) -> None:
    if staff is None:
        reach.undeclared += attendees
        return
    reach.attendees += attendees
    reach.workforce = (reach.workforce or 0) + staff


def course_reach(viewer: Viewer, course: Course, start: date, end: date) -> CourseReach:
    """One course's reach in [start, end] by agency and role."""
    return reach_of(viewer.partnership_id, [course], start, end)[0]


def reach_of(
    partnership_id: int, chosen: Iterable[Course], start: date, end: date
) -> list[CourseReach]:
    """Each course's reach in [start, end] (two queries for any number of courses)."""
    chosen = list(chosen)
    attended = _attendees(partnership_id, (c.pk for c in chosen), start, end)
    workforce = workforce_on(partnership_id, end)
    names = dict(Agency.objects.filter(partnership_id=partnership_id).values_list("id", "name"))
    return [_reach(c, start, end, attended.get(c.pk, {}), workforce, names) for c in chosen]


def all_reach(viewer: Viewer, start: date, end: date) -> list[CourseReach]:
    return reach_of(viewer.partnership_id, courses(viewer), start, end)


# ---- confidence ------------------------------------------------------------------------------


@dataclass
class CourseConfidence:
    overall: Confidence
    by_role: list[tuple[str, Confidence]]


def course_confidence(
    partnership_id: int, course: Course, start: date, end: date
) -> CourseConfidence:
    """Paired confidence answers (before and after, both given) of attendees in [start, end]."""
    rows = Attendance.objects.filter(
        partnership_id=partnership_id,
        course=course,
        attended=True,
        session_date__range=(start, end),
        confidence_before__isnull=False,
        confidence_after__isnull=False,
    ).values_list("role", "confidence_before", "confidence_after")
    by_role: dict[str, list[tuple[int, int]]] = defaultdict(list)
    every: list[tuple[int, int]] = []
    for role, before, after in rows:
        assert before is not None
        assert after is not None
        by_role[role].append((before, after))
        every.append((before, after))
    return CourseConfidence(
        confidence(every),
        [(ROLE_LABELS[r], confidence(by_role[r])) for r in ROLE_LABELS if r in by_role],
    )


# ---- dissemination ---------------------------------------------------------------------------


@dataclass
class AgencySharing:
    """What one agency has recorded for a product, against its declared workforce."""

    agency: Agency
    records: list[Dissemination]
    workforce: int | None

    @property
    def reached(self) -> int:
        return sum(r.staff_reached for r in self.records)

    @property
    def share(self) -> float | None:
        return self.reached / self.workforce if self.workforce else None


def product_sharing(viewer: Viewer, product: LearningProduct, on: date) -> list[AgencySharing]:
    """Every agency of the partnership with what it has recorded for the product by `on`."""
    return sharing_of(viewer.partnership_id, product, on)


def sharing_of(partnership_id: int, product: LearningProduct, on: date) -> list[AgencySharing]:
    records: dict[int, list[Dissemination]] = defaultdict(list)
    for record in Dissemination.objects.filter(product=product, date__lte=on).order_by("date"):
        records[record.agency_id].append(record)
    workforce: dict[int, int] = defaultdict(int)
    for (agency_id, _role), n in workforce_on(partnership_id, on).items():
        workforce[agency_id] += n
    return [
        AgencySharing(agency, records.get(agency.pk, []), workforce.get(agency.pk))
        for agency in Agency.objects.filter(partnership_id=partnership_id).order_by("name")
        if agency.pk in records or agency.pk in workforce
    ]


def dissemination_share(sharing: list[AgencySharing]) -> float | None:
    """Staff reached over the declared workforce of all agencies (those declaring one)."""
    workforce = sum(s.workforce or 0 for s in sharing)
    reached = sum(s.reached for s in sharing if s.workforce)
    return reached / workforce if workforce else None


# ---- recommendations -------------------------------------------------------------------------


@dataclass
class RecommendationLearning:
    """A recommendation's linked courses (reach and confidence) and products."""

    courses: list[tuple[CourseReach, CourseConfidence]]
    products: list[tuple[LearningProduct, float | None, int]]  # share, agencies disseminated


def for_recommendations(
    viewer: Viewer, recommendation_ids: Iterable[int], start: date, end: date
) -> dict[int, RecommendationLearning]:
    """Recommendation id -> its learning, for the recommendations that have any."""
    ids = list(recommendation_ids)
    pid = viewer.partnership_id
    found: dict[int, RecommendationLearning] = {}
    linked_courses = Course.objects.filter(partnership_id=pid, recommendations__in=ids).distinct()
    reaches = {r.course.pk: r for r in reach_of(pid, linked_courses, start, end)}
    through = Course.recommendations.through.objects.filter(
        course__partnership_id=pid, recommendation_id__in=ids
    )
    for course_id, rec_id in through.values_list("course_id", "recommendation_id"):
        reach = reaches[course_id]
        entry = found.setdefault(rec_id, RecommendationLearning([], []))
        entry.courses.append((reach, course_confidence(pid, reach.course, start, end)))
    product_through = LearningProduct.recommendations.through.objects.filter(
        learningproduct__partnership_id=pid, recommendation_id__in=ids
    ).select_related("learningproduct")
    for link in product_through:
        product = link.learningproduct
        sharing = sharing_of(pid, product, end)
        entry = found.setdefault(link.recommendation_id, RecommendationLearning([], []))
        entry.products.append(
            (product, dissemination_share(sharing), sum(1 for s in sharing if s.records))
        )
    return found
