"""Reads for case audits, always scoped to the person's partnership and role."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from assure.audits import grades as grading
from assure.audits.models import (
    GRADE_ORDER,
    Answer,
    Answer3,
    Audit,
    Moderation,
    PracticeAction,
    Programme,
    Question,
    Tool,
)
from assure.casedata import models as case
from assure.core.viewer import Viewer
from assure.reviews.models import Theme

OVERALL = "Overall grade"


def audits_for(viewer: Viewer) -> QuerySet[Audit]:
    """Audits of the person's partnership (child-level readers only: they name children)."""
    return viewer.audits()


def practice_actions_for(viewer: Viewer) -> QuerySet[PracticeAction]:
    return PracticeAction.objects.filter(audit__in=audits_for(viewer))


def themes_of(record: Audit) -> QuerySet[Theme]:
    """The learning themes of the audit's partnership, which its findings may name."""
    return Theme.objects.filter(partnership_id=record.partnership_id)


def my_audits(viewer: Viewer) -> QuerySet[Audit]:
    return (
        audits_for(viewer)
        .filter(auditor=viewer.user)
        .select_related("programme__tool_version__tool")
        .order_by("status", "due_date", "id")
    )


def my_moderations(viewer: Viewer) -> QuerySet[Moderation]:
    return (
        Moderation.objects.filter(
            audit__partnership_id=viewer.partnership_id, moderator=viewer.user
        )
        .select_related("audit__programme__tool_version__tool", "audit__auditor")
        .order_by("finished_at", "offered_at")
    )


def programmes_for(viewer: Viewer) -> QuerySet[Programme]:
    return (
        Programme.objects.filter(partnership_id=viewer.partnership_id)
        .select_related("tool_version__tool")
        .annotate(
            audit_count=Count("audits", distinct=True),
            finished_count=Count(
                "audits", filter=Q(audits__status=Audit.Status.FINISHED), distinct=True
            ),
        )
    )


def tools_for(viewer: Viewer) -> QuerySet[Tool]:
    return Tool.objects.filter(partnership_id=viewer.partnership_id).prefetch_related("versions")


def audit_detail(viewer: Viewer, pk: int) -> Audit:
    """One audit, for its auditor or any child-level audit reader; never for its moderator
    before the moderation is finished (they grade blind)."""
    record = (
        audits_for(viewer)
        .select_related("programme__tool_version__tool", "auditor", "moderation__moderator")
        .filter(pk=pk)
        .first()
    )
    if record is None:
        raise Http404("No such audit")
    moderation = getattr(record, "moderation", None)
    if moderation and moderation.moderator_id == viewer.user.pk and not moderation.finished:
        raise Http404("Finish your moderation first")
    involved = viewer.user.pk in (
        record.auditor_id,
        moderation.moderator_id if moderation else None,
    )
    if not involved and not viewer.sees_team(record.team):
        raise Http404("Not in your teams")
    return record


def moderation_detail(viewer: Viewer, pk: int) -> Moderation:
    found = (
        Moderation.objects.filter(audit__in=viewer.audits(), pk=pk)
        .select_related("audit__programme__tool_version__tool", "audit__auditor", "moderator")
        .first()
    )
    if found is None:
        raise Http404("No such moderation")
    return found


def questions_with_answers(record: Audit) -> list[tuple[Question, Answer | None]]:
    answers = {a.question_id: a for a in record.answers.all()}
    return [(q, answers.get(q.pk)) for q in record.programme.tool_version.questions.all()]


# ---- the child's case data -------------------------------------------------------------------


@dataclass
class ChildCase:
    """What the case system extract says about one child, for the auditor to read beside the
    tool (no names: the extract holds none)."""

    person: case.Person | None
    plans: list[case.CPPlan] = field(default_factory=list)
    initial_conferences: list[case.InitialConference] = field(default_factory=list)
    review_conferences: list[case.ReviewConference] = field(default_factory=list)
    core_groups: list[case.CoreGroup] = field(default_factory=list)
    visits: list[case.CPVisit] = field(default_factory=list)
    legal: list[case.LegalPlanning] = field(default_factory=list)
    flags: list[case.CaseFlag] = field(default_factory=list)
    involvements: list[case.Involvement] = field(default_factory=list)


def child_case(viewer: Viewer, person_id: str) -> ChildCase:
    """One child's case records, for an audit of them the viewer may open (`audit_detail`)."""
    person = viewer.children().filter(ssd_id=person_id).first()
    if person is None:
        return ChildCase(None)

    def rows(model: Any, order: str) -> list[Any]:
        return list(model.objects.filter(person=person).order_by(order))

    return ChildCase(
        person,
        plans=rows(case.CPPlan, "-start_date"),
        initial_conferences=rows(case.InitialConference, "-date"),
        review_conferences=rows(case.ReviewConference, "-date"),
        core_groups=rows(case.CoreGroup, "-date"),
        visits=rows(case.CPVisit, "-date")[:10],
        legal=rows(case.LegalPlanning, "-requested_date"),
        flags=rows(case.CaseFlag, "-start_date"),
        involvements=list(
            case.Involvement.objects.filter(person=person)
            .select_related("professional")
            .order_by("-start_date")[:5]
        ),
    )


# ---- dashboard (aggregates only) -------------------------------------------------------------


@dataclass
class Dashboard:
    due: int
    overdue: int
    done: int
    months: list[str]
    grades: list[tuple[str, grading.GradeLine]]  # (tool, its month's grades as the viewer sees)
    noes: list[tuple[str, str, str]]  # (tool, question, times answered "no", as seen)
    themes: list[tuple[str, str]]  # (theme, finished audits that speak to it, as seen)
    actions_open: int
    actions_overdue: int
    actions_done: int


def dashboard(viewer: Viewer, today: date) -> Dashboard:
    """Counts over every audit of the partnership, in a fixed number of queries."""
    audits = audits_for(viewer)
    counts = audits.aggregate(
        due=Count("id", filter=~Q(status=Audit.Status.FINISHED) & Q(due_date__gte=today)),
        overdue=Count("id", filter=~Q(status=Audit.Status.FINISHED) & Q(due_date__lt=today)),
        done=Count("id", filter=Q(status=Audit.Status.FINISHED)),
    )
    threshold = settings.SMALL_COUNT_THRESHOLD
    exact = may_see_children(viewer)
    lines = [
        (name, grading.disclose(month, counts, exact=exact, threshold=threshold))
        for (_, name, month), counts in sorted(
            grading.grade_counts(audits).items(), key=lambda item: (item[0][1], item[0][2])
        )
    ]
    noes = (
        Answer.objects.filter(audit__in=audits, answer=Answer3.NO)
        .values("question__version__tool__name", "question__text")
        .annotate(n=Count("id"))
        .order_by("-n", "question__text")[:10]
    )
    themes = (
        Theme.objects.filter(audits__in=audits.filter(status=Audit.Status.FINISHED))
        .values("name")
        .annotate(n=Count("audits", distinct=True))
        .order_by("-n", "name")
    )
    actions = PracticeAction.objects.filter(audit__in=audits).aggregate(
        open=Count("id", filter=Q(status=PracticeAction.Status.OPEN)),
        overdue=Count("id", filter=Q(status=PracticeAction.Status.OPEN, due_date__lt=today)),
        done=Count("id", filter=Q(status=PracticeAction.Status.DONE)),
    )
    return Dashboard(
        due=counts["due"],
        overdue=counts["overdue"],
        done=counts["done"],
        months=sorted({line.month for _, line in lines}),
        grades=lines,
        noes=[
            (
                r["question__version__tool__name"],
                r["question__text"],
                grading.count_words(r["n"], exact=exact, threshold=threshold),
            )
            for r in noes
        ],
        themes=[
            (r["name"], grading.count_words(r["n"], exact=exact, threshold=threshold))
            for r in themes
        ],
        actions_open=actions["open"],
        actions_overdue=actions["overdue"],
        actions_done=actions["done"],
    )


# ---- moderation sheet and agreement pairs ----------------------------------------------------

SHEET_COLUMNS = [
    "audit_id",
    "team",
    "tool",
    "question",
    "auditor",
    "auditor_grade",
    "moderator_grade",
]


@dataclass(frozen=True)
class SheetRow:
    audit_id: int
    team: str
    tool: str
    question: str
    auditor: str
    auditor_grade: str
    moderator_grade: str
    month: str


def moderation_rows(viewer: Viewer) -> list[SheetRow]:
    """Every graded question (and the overall grade) of every moderated audit: the moderation
    sheet of domain.md section 7. A blank moderator grade: not moderated yet."""
    moderations = (
        Moderation.objects.filter(audit__in=viewer.audits())
        .select_related("audit__programme__tool_version__tool", "audit__auditor")
        .order_by("audit_id")
    )
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(
            audit__moderation__in=moderations, question__kind=Question.Kind.GRADED
        )
        .select_related("question")
        .order_by("question__order")
    ):
        answers[answer.audit_id].append(answer)
    rows = []
    for m in moderations:
        record = m.audit
        shared: dict[str, Any] = {
            "audit_id": record.pk,
            "team": record.team,
            "tool": record.programme.tool_version.tool.slug,
            "auditor": record.auditor.get_username(),
            "month": f"{record.programme.month:%Y-%m}",
        }
        for answer in answers[record.pk]:
            second = m.grades.get(str(answer.question_id), "") if m.finished else ""
            rows.append(
                SheetRow(
                    question=answer.question.text,
                    auditor_grade=answer.grade,
                    moderator_grade=second,
                    **shared,
                )
            )
        rows.append(
            SheetRow(
                question=OVERALL,
                auditor_grade=record.overall_grade,
                moderator_grade=m.overall_grade if m.finished else "",
                **shared,
            )
        )
    return rows


def drift(rows: list[SheetRow]) -> list[tuple[str, int, float]]:
    """Each auditor's drift against moderators: (auditor, pairs, mean grades apart), positive
    when the auditor grades more generously than the moderator."""
    totals: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.auditor_grade in GRADE_ORDER and row.moderator_grade in GRADE_ORDER:
            totals[row.auditor].append(
                GRADE_ORDER.index(row.moderator_grade) - GRADE_ORDER.index(row.auditor_grade)
            )
    return [(a, len(d), sum(d) / len(d)) for a, d in sorted(totals.items())]


def may_see_children(viewer: Viewer) -> bool:
    return viewer.can("audit", "view", child_level=True)
