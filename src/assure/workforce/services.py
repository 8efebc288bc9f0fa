"""Writes for workforce learning: permission first, then the write, then the audit event."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from assure.accounts.models import Agency
from assure.core import audit
from assure.core.viewer import Viewer
from assure.reviews.evidence import check_file
from assure.reviews.models import Recommendation, Review
from assure.workforce import training_file
from assure.workforce.models import (
    Attendance,
    Course,
    Dissemination,
    LearningProduct,
    StoredFile,
    TrainingImport,
    WorkforceDeclaration,
)
from assure.workforce.training_file import Problem

BATCH = 2000


class Refused(ValueError):
    """The write cannot be made; the message says why, for the person."""


def _keep_file(record: StoredFile, upload: UploadedFile | None) -> None:
    """Check the file (type, size, first bytes: `reviews.evidence`) and attach it."""
    if upload is None:
        return
    checked = check_file(upload)  # EvidenceRejected names the file and what is accepted
    record.stored_name = checked.stored_name
    record.original_name = checked.original_name
    record.content_type = checked.content_type
    record.size = checked.size
    record.sha256 = checked.sha256
    record.file.save(checked.stored_name, upload, save=False)


def _in_partnership(viewer: Viewer, recommendations: Sequence[Recommendation]) -> None:
    if any(r.partnership_id != viewer.partnership_id for r in recommendations):
        raise Refused("A recommendation of another partnership cannot be linked.")


# ---- learning products and their dissemination -------------------------------------------------


def publish_product(
    viewer: Viewer,
    *,
    title: str,
    kind: str,
    published_on: date,
    review: Review | None = None,
    recommendations: Sequence[Recommendation] = (),
    link: str = "",
    upload: UploadedFile | None = None,
) -> LearningProduct:
    viewer.require("workforce", "manage", record_type="workforce.learningproduct")
    if not link and upload is None:
        raise Refused("Give the product's file or a link to it.")
    if review is not None and review.partnership_id != viewer.partnership_id:
        raise Refused("A review of another partnership cannot be linked.")
    _in_partnership(viewer, recommendations)
    product = LearningProduct(
        partnership_id=viewer.partnership_id,
        review=review,
        title=title,
        kind=kind,
        published_on=published_on,
        link=link,
        created_by=viewer.user,
    )
    _keep_file(product, upload)
    with transaction.atomic():
        product.save()
        product.recommendations.set(recommendations)
        audit.record(viewer.user, audit.Action.CREATE, product, summary=f"Published “{title}”")
    return product


def record_dissemination(
    viewer: Viewer,
    product: LearningProduct,
    *,
    agency: Agency,
    on: date,
    methods: Sequence[str],
    staff_reached: int,
    upload: UploadedFile | None = None,
) -> Dissemination:
    """An agency lead records how their agency shared a product (partnership scope: any)."""
    viewer.require(
        "workforce",
        "record",
        agency_id=agency.pk,
        record_type="workforce.learningproduct",
        record_id=product.pk,
    )
    if product.partnership_id != viewer.partnership_id or agency.partnership_id != (
        viewer.partnership_id
    ):
        raise Refused("That product or agency is not in your partnership.")
    if on > timezone.localdate():
        raise Refused("The date of the dissemination cannot be in the future.")
    record = Dissemination(
        partnership_id=viewer.partnership_id,
        product=product,
        agency=agency,
        date=on,
        methods=list(methods),
        staff_reached=staff_reached,
        recorded_by=viewer.user,
    )
    _keep_file(record, upload)
    with transaction.atomic():
        record.save()
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            record,
            summary=f"{agency.name} shared “{product.title}” with {staff_reached} staff",
        )
    return record


def record_proof_download(viewer: Viewer, record: Dissemination) -> None:
    """Proof is evidence: for the partnership's assurance roles and the agency's own people."""
    viewer.require(
        "evidence",
        "download",
        agency_id=record.agency_id,
        record_type="workforce.dissemination",
        record_id=record.pk,
    )
    audit.record(
        viewer.user, audit.Action.VIEW, record, summary=f"Downloaded {record.original_name}"
    )


def record_product_download(viewer: Viewer, product: LearningProduct) -> None:
    viewer.require("workforce", "view", record_type="workforce.learningproduct")
    audit.record(viewer.user, audit.Action.VIEW, product, summary=f"Downloaded {product.title}")


# ---- workforce -----------------------------------------------------------------------------


def declare_workforce(
    viewer: Viewer, *, agency: Agency, role: str, headcount: int, as_of: date
) -> WorkforceDeclaration:
    """An agency's headcount for a role as at a date (a second one that day replaces it)."""
    viewer.require(
        "workforce", "record", agency_id=agency.pk, record_type="workforce.workforcedeclaration"
    )
    if agency.partnership_id != viewer.partnership_id:
        raise Refused("That agency is not in your partnership.")
    if as_of > timezone.localdate():
        raise Refused("The date of the headcount cannot be in the future.")
    with transaction.atomic():
        declaration, created = WorkforceDeclaration.objects.update_or_create(
            agency=agency,
            role=role,
            as_of=as_of,
            defaults={
                "partnership_id": viewer.partnership_id,
                "headcount": headcount,
                "declared_by": viewer.user,
            },
        )
        audit.record(
            viewer.user,
            audit.Action.CREATE if created else audit.Action.UPDATE,
            declaration,
            summary=f"{agency.name}: {headcount} {declaration.get_role_display()} on {as_of}",
        )
    return declaration


# ---- courses and attendance ------------------------------------------------------------------


def edit_course(
    viewer: Viewer,
    course: Course,
    *,
    recommendations: Sequence[Recommendation],
    roles: Sequence[str],
    target: float,
) -> Course:
    viewer.require("workforce", "manage", record_type="workforce.course", record_id=course.pk)
    if course.partnership_id != viewer.partnership_id:
        raise Refused("That course is not in your partnership.")
    _in_partnership(viewer, recommendations)
    with transaction.atomic():
        course.roles = list(roles)
        course.target = target
        course.save(update_fields=["roles", "target"])
        course.recommendations.set(recommendations)
        audit.record(
            viewer.user,
            audit.Action.UPDATE,
            course,
            summary=f"Changed the course “{course.title}”",
            changes={
                "recommendations": [r.pk for r in recommendations],
                "roles": list(roles),
                "target": target,
            },
        )
    return course


@dataclass
class TrainingResult:
    name: str
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0
    courses_added: list[str] = field(default_factory=list)
    replaced: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_training(
    viewer: Viewer, name: str, data: bytes, today: date | None = None
) -> TrainingResult:
    """Import an attendance file: all its rows or, if any row has a problem, none.

    The file replaces the attendance already held for each course session and agency it
    carries, so importing the same file again changes nothing. Courses it names that do not
    exist yet are added.
    """
    viewer.require("workforce", "manage", record_type="workforce.trainingimport")
    today = today or timezone.localdate()
    parsed = training_file.parse(name, data, today)
    result = TrainingResult(name, list(parsed.problems))
    if not result.ok:
        return result
    agencies = {
        a.name.casefold(): a for a in Agency.objects.filter(partnership_id=viewer.partnership_id)
    }
    seen: dict[tuple[str, date, int, str], int] = {}
    for row in parsed.rows:
        agency = agencies.get(row.agency.casefold())
        if agency is None:
            known = ", ".join(sorted(a.name for a in agencies.values()))
            result.problems.append(
                Problem(row.number, "agency", row.agency, f"the name of an agency: {known}")
            )
            continue
        key = (row.course.casefold(), row.session_date, agency.pk, row.attendee_ref)
        if key in seen:
            result.problems.append(
                Problem(
                    row.number,
                    "attendee_ref",
                    row.attendee_ref,
                    f"one row per attendee and session (also on row {seen[key]})",
                )
            )
        seen.setdefault(key, row.number)
        if len(result.problems) >= training_file.MAX_PROBLEMS:
            break
    if not result.ok:
        return result
    courses = {
        c.title.casefold(): c for c in Course.objects.filter(partnership_id=viewer.partnership_id)
    }
    with transaction.atomic():
        for row in parsed.rows:
            if row.course.casefold() not in courses:
                course = Course.objects.create(
                    partnership_id=viewer.partnership_id, title=row.course
                )
                courses[row.course.casefold()] = course
                result.courses_added.append(row.course)
        batch = TrainingImport.objects.create(
            partnership_id=viewer.partnership_id,
            source=name[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=len(parsed.rows),
            imported_by=viewer.user,
        )
        sessions: dict[tuple[int, date], set[int]] = {}
        rows: list[AttendanceRow] = []
        for row in parsed.rows:
            course_id = courses[row.course.casefold()].pk
            agency_id = agencies[row.agency.casefold()].pk
            sessions.setdefault((course_id, row.session_date), set()).add(agency_id)
            rows.append(
                (
                    viewer.partnership_id,
                    course_id,
                    row.session_date,
                    agency_id,
                    row.role,
                    row.attendee_ref,
                    row.attended,
                    row.confidence_before,
                    row.confidence_after,
                    batch.pk,
                )
            )
        result.replaced = _replace_sessions(sessions)
        _insert(rows)
        result.rows = len(rows)
        audit.record(
            viewer.user,
            audit.Action.IMPORT,
            batch,
            summary=f"Imported {len(rows)} attendance rows from {name}",
            changes={"courses_added": result.courses_added, "replaced": result.replaced},
        )
    return result


def _replace_sessions(sessions: dict[tuple[int, date], set[int]]) -> int:
    """Delete the attendance held for these (course, session date) -> agencies; how many.

    Only the sessions already holding rows are deleted, a few hundred at a time, so a file of
    new sessions costs one read."""
    if not sessions:
        return 0
    courses = {course_id for course_id, _ in sessions}
    dates = [day for _, day in sessions]
    held = set(
        Attendance.objects.filter(
            course_id__in=courses, session_date__range=(min(dates), max(dates))
        )
        .values_list("course_id", "session_date", "agency_id")
        .distinct()
    )
    wanted = [
        (course_id, day, agency_id)
        for course_id, day, agency_id in held
        if agency_id in sessions.get((course_id, day), ())
    ]
    replaced = 0
    for start in range(0, len(wanted), 300):
        where = Q()
        for course_id, day, agency_id in wanted[start : start + 300]:
            where |= Q(course_id=course_id, session_date=day, agency_id=agency_id)
        replaced += Attendance.objects.filter(where).delete()[0]
    return replaced


ATTENDANCE_COLUMNS = (
    "partnership_id",
    "course_id",
    "session_date",
    "agency_id",
    "role",
    "attendee_ref",
    "attended",
    "confidence_before",
    "confidence_after",
    "training_import_id",
)


AttendanceRow = tuple[int, int, date, int, str, str, bool, int | None, int | None, int]


def _insert(rows: list[AttendanceRow]) -> None:
    """Insert attendance rows as plain tuples: a 100,000-row file would spend seconds making
    model instances `bulk_create` only takes apart again (issue 14: under 10 s)."""
    table = connection.ops.quote_name(Attendance._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in ATTENDANCE_COLUMNS)
    marks = ", ".join(["%s"] * len(ATTENDANCE_COLUMNS))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 - names are ours
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])
