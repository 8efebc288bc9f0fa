"""Writes for case audits: permission check, then the transaction, then an audit event.

The sample is drawn by `assure.audits.sampling` and agreement computed by
`assure.audits.agreement`; both are reached only through `_draw` and `_agree` here.
"""

import math
import random
import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from assure.accounts.models import Partnership, RoleGrant, User
from assure.audits import agreement, sampling
from assure.audits.models import (
    GRADE_ORDER,
    Answer,
    Audit,
    AuditVersion,
    Moderation,
    PracticeAction,
    PracticeActionUpdate,
    Programme,
    Question,
    Tool,
    ToolVersion,
)
from assure.audits.tools import BUILT_IN_SLUGS
from assure.core import audit, calendar, permissions
from assure.core.permissions import ROLE_ORDER, Scope
from assure.core.viewer import Viewer
from assure.reviews.models import Theme

RECENT_MONTHS = 3  # children audited with the same tool this recently are not drawn again
MODERATION_SHARE = 0.10  # domain.md section 7: 10%, at least one per auditor per month
INDICATOR_PREFIX = "indicator:"
NOT_MEETING = ("late", "overdue", "breach")


def _child_level_roles(resource: str, action: str) -> list[str]:
    _, scopes = permissions.MATRIX[(resource, action)]
    return [
        role.value
        for role, scope in zip(ROLE_ORDER, scopes, strict=True)
        if scope == Scope.CHILD_LEVEL
    ]


def people_who_may(partnership: Partnership, action: str) -> list[User]:
    """Active children's services people of the partnership who may `audit.<action>` children."""
    grants = RoleGrant.objects.filter(role__in=_child_level_roles("audit", action))
    return list(
        User.objects.filter(
            is_active=True,
            agency__partnership=partnership,
            agency__agency_type="la_childrens_services",
            pk__in=grants.values("user_id"),
        ).order_by("username")
    )


# ---- tools -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    guidance: str = ""


def publish_tool(
    viewer: Viewer, questions: Sequence[QuestionSpec], *, tool: Tool | None = None, name: str = ""
) -> ToolVersion:
    """A new tool (by name) or a new version of an existing one; earlier versions are kept, so
    audits done with them still show their own questions."""
    viewer.require("audit", "manage", record_type="audits.tool")
    partnership = viewer.required_partnership()
    if not questions:
        raise ValidationError({"questions": "Enter at least one question"})
    with transaction.atomic():
        if tool is None:
            slug = slugify(name)[:50] or "tool"
            taken = set(Tool.objects.filter(partnership=partnership).values_list("slug", flat=True))
            base, n = slug, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            tool = Tool.objects.create(partnership=partnership, slug=slug, name=name)
            number = 1
        else:
            if tool.partnership_id != partnership.pk:
                raise PermissionDenied("audit.manage")
            number = tool.versions.count() + 1
        version = ToolVersion.objects.create(tool=tool, number=number, published_by=viewer.user)
        Question.objects.bulk_create(
            Question(version=version, order=i, kind=q.kind, text=q.text, guidance=q.guidance)
            for i, q in enumerate(questions, start=1)
        )
        audit.record(
            viewer,
            audit.Action.CREATE,
            version,
            summary=f"{tool.name}: version {number} with {len(questions)} questions",
        )
    return version


# ---- programmes and samples ------------------------------------------------------------------


def create_programme(
    viewer: Viewer,
    *,
    tool_version: ToolVersion,
    month: date,
    per_team: int,
    auditors: Iterable[User],
    due_working_days: int,
    eligibility: str = "",
    seed: int | None = None,
    thematic: bool = False,
    title: str = "",
) -> Programme:
    """A draft programme: nothing is drawn or assigned until the sample is seen and confirmed."""
    viewer.require("audit", "manage", record_type="audits.programme")
    partnership = viewer.required_partnership()
    eligibility = eligibility or tool_version.tool.slug
    if eligibility not in BUILT_IN_SLUGS and not eligibility.startswith(INDICATOR_PREFIX):
        raise ValidationError({"eligibility": "Select which children can be sampled"})
    allowed = {p.pk for p in people_who_may(partnership, "do")}
    chosen = list(auditors)
    if not chosen or any(a.pk not in allowed for a in chosen):
        raise ValidationError({"auditors": "Select auditors from the list"})
    with transaction.atomic():
        programme = Programme.objects.create(
            partnership=partnership,
            tool_version=tool_version,
            eligibility=eligibility,
            month=month.replace(day=1),
            per_team=per_team,
            seed=seed if seed is not None else secrets.randbelow(1_000_000),
            due_working_days=due_working_days,
            thematic=thematic,
            title=title,
            created_by=viewer.user,
        )
        programme.auditors.set(chosen)
        audit.record(viewer, audit.Action.CREATE, programme, summary=f"Audit programme {programme}")
    return programme


def recently_audited(programme: Programme) -> frozenset[str]:
    """Children audited with the same tool in the RECENT_MONTHS months before the programme's."""
    return audited_before(
        programme.partnership_id, programme.tool_version.tool.slug, programme.month
    )


def audited_before(partnership_id: int, tool: str, month: date) -> frozenset[str]:
    """Children audited with tool `tool` (a slug) in the RECENT_MONTHS months before `month`:
    a sample skips them (domain.md section 7)."""
    since = calendar.add_months(month, -RECENT_MONTHS)
    return frozenset(
        Audit.objects.filter(
            partnership_id=partnership_id,
            programme__tool_version__tool__slug=tool,
            programme__month__gte=since,
            programme__month__lt=month,
        ).values_list("person_id", flat=True)
    )


def _draw(
    snapshot: Any, tool: str, month: date, per_team: int, seed: int, exclude: frozenset[str]
) -> dict[str, Any]:
    drawn = sampling.draw_sample(snapshot, tool, month, per_team, seed, exclude=exclude)
    return {
        "eligible_by_team": dict(drawn.eligible_by_team),
        "sample": [{"person_id": c.person_id, "team": c.team} for c in drawn.sample],
    }


def _draw_behind_indicator(
    programme: Programme, per_team: int, seed: int, exclude: frozenset[str]
) -> dict[str, Any]:
    """Children not meeting an indicator in the month (late, overdue or in breach), drawn per
    team with the seed: the exceptions, audited."""
    from assure.indicators import selectors as indicator_selectors
    from assure.indicators.engine import REGISTRY, load_catalogue

    load_catalogue()
    indicator = REGISTRY[programme.eligibility.removeprefix(INDICATOR_PREFIX)]
    end = calendar.end_of_month(programme.month.year, programme.month.month)
    window = indicator_selectors.ReportWindow(programme.month, end, None)
    people: dict[str, str] = {}
    for status in NOT_MEETING:
        _, rows = indicator_selectors.child_rows(
            indicator, programme.partnership_id, window, None, status
        )
        for row in rows:
            people.setdefault(row.person_id, row.team or "Unallocated")
    by_team: dict[str, list[str]] = {}
    for person_id, team in sorted(people.items()):
        by_team.setdefault(team, []).append(person_id)
    chooser = random.Random(seed)  # noqa: S311 - reproducible sampling, not security
    sample = []
    for team in sorted(by_team):
        pool = [p for p in by_team[team] if p not in exclude]
        for person_id in chooser.sample(pool, min(per_team, len(pool))):
            sample.append({"person_id": person_id, "team": team})
    return {"eligible_by_team": {t: len(p) for t, p in sorted(by_team.items())}, "sample": sample}


def draw(viewer: Viewer, programme: Programme) -> Programme:
    """Draw the sample from the current snapshot and keep it for the manager to check."""
    from assure.indicators.selectors import current_snapshot

    viewer.require("audit", "manage", record_type="audits.programme")
    if programme.status != Programme.Status.DRAFT:
        raise ValidationError("This programme's sample is already confirmed")
    snapshot = current_snapshot(programme.partnership_id)
    if snapshot is None:
        raise ValidationError("No case data has been imported yet, so there is nothing to sample")
    exclude = recently_audited(programme)
    if programme.eligibility.startswith(INDICATOR_PREFIX):
        drawn = _draw_behind_indicator(programme, programme.per_team, programme.seed, exclude)
    else:
        drawn = _draw(
            snapshot,
            programme.eligibility,
            programme.month,
            programme.per_team,
            programme.seed,
            exclude,
        )
    drawn |= {"extract_date": snapshot.extract_date.isoformat(), "excluded": len(exclude)}
    with transaction.atomic():
        programme.drawn = drawn
        programme.save(update_fields=["drawn"])
        audit.record(
            viewer,
            audit.Action.UPDATE,
            programme,
            summary=f"Sample drawn: {len(drawn['sample'])} children, seed {programme.seed}",
        )
    return programme


def spread(auditors: Sequence[User], count: int, open_now: dict[int, int]) -> list[User]:
    """Who audits each of `count` children: each in turn goes to the auditor with the fewest
    open audits (ties by the auditors' order)."""
    load = {a.pk: open_now.get(a.pk, 0) for a in auditors}
    chosen = []
    for _ in range(count):
        auditor = min(auditors, key=lambda a: load[a.pk])
        load[auditor.pk] += 1
        chosen.append(auditor)
    return chosen


def open_audits_by_auditor(auditors: Sequence[User]) -> dict[int, int]:
    rows = (
        Audit.objects.filter(auditor__in=auditors)
        .exclude(status=Audit.Status.FINISHED)
        .values("auditor_id")
        .annotate(n=Count("id"))
    )
    return {row["auditor_id"]: row["n"] for row in rows}


def confirm(viewer: Viewer, programme: Programme, today: date) -> list[Audit]:
    """Create the drawn audits and assign them, spreading the load across the auditors."""
    viewer.require("audit", "manage", record_type="audits.programme")
    if programme.status != Programme.Status.DRAFT:
        raise ValidationError("This programme's sample is already confirmed")
    if "sample" not in programme.drawn:
        raise ValidationError("Draw the sample before confirming it")
    sample = programme.drawn["sample"]
    auditors = list(programme.auditors.order_by("username"))
    due = calendar.add_working_days(today, programme.due_working_days)
    with transaction.atomic():
        assigned = spread(auditors, len(sample), open_audits_by_auditor(auditors))
        audits = Audit.objects.bulk_create(
            Audit(
                programme=programme,
                partnership_id=programme.partnership_id,
                person_id=child["person_id"],
                team=child["team"],
                auditor=auditor,
                due_date=due,
            )
            for child, auditor in zip(sample, assigned, strict=True)
        )
        programme.status = Programme.Status.CONFIRMED
        programme.confirmed_at = timezone.now()
        programme.save(update_fields=["status", "confirmed_at"])
        load = Counter(a.username for a in assigned)
        audit.record(
            viewer,
            audit.Action.UPDATE,
            programme,
            summary=f"Sample confirmed: {len(audits)} audits due {due.isoformat()}",
            changes={"assigned": dict(sorted(load.items()))},
        )
    return audits


# ---- doing an audit --------------------------------------------------------------------------


@dataclass(frozen=True)
class Given:
    """What the auditor gave for one question."""

    grade: str = ""
    answer: str = ""
    comment: str = ""


def require_auditor(viewer: Viewer, record: Audit) -> None:
    viewer.require("audit", "do", child_level=True, record_type="audits.audit", record_id=record.pk)
    if record.auditor_id != viewer.user.pk:
        audit.record(
            viewer,
            audit.Action.PERMISSION_DENIED,
            record,
            summary="Refused: only the assigned auditor may answer this audit",
        )
        raise PermissionDenied("audit.do")


def _answers_snapshot(record: Audit) -> list[dict[str, Any]]:
    return [
        {"question": a.question.text, "grade": a.grade, "answer": a.answer, "comment": a.comment}
        for a in record.answers.select_related("question").order_by("question__order")
    ]


def save_audit(
    viewer: Viewer,
    record: Audit,
    given: dict[int, Given],
    *,
    overall_grade: str,
    findings: str,
    finish: bool,
    reason: str = "",
    themes: Sequence[Theme] | None = None,
) -> Audit:
    """Save answers; `finish` locks the audit as a new finished version. A finished audit is
    changed only by finishing again with a reason, which keeps the earlier version."""
    require_auditor(viewer, record)
    questions = list(record.programme.tool_version.questions.all())
    revising = record.finished
    errors: dict[str, str] = {}
    if revising and not finish:
        raise ValidationError("A finished audit can only be changed by finishing a new version")
    if revising and not reason.strip():
        errors["reason"] = "Enter why you are changing this finished audit"
    if finish:
        for q in questions:
            g = given.get(q.pk, Given())
            if q.graded and not g.grade:
                errors[f"q{q.pk}"] = f"Select a grade for question {q.order}"
            if not q.graded and not g.answer:
                errors[f"q{q.pk}"] = f"Select an answer for question {q.order}"
        if not overall_grade:
            errors["overall_grade"] = "Select an overall grade"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = {
            "overall_grade": record.overall_grade,
            "findings": record.findings,
            "themes": sorted(t.name for t in record.themes.all()),
        }
        old = {a.question_id: a for a in record.answers.all()}
        for q in questions:
            g = given.get(q.pk, Given())
            row = old.get(q.pk) or Answer(audit=record, question=q)
            row.grade = g.grade if q.graded else ""
            row.answer = "" if q.graded else g.answer
            row.comment = g.comment
            row.save()
        record.overall_grade = overall_grade
        record.findings = findings
        now = timezone.now()
        if finish:
            record.status = Audit.Status.FINISHED
            record.version += 1
            record.finished_at = now
        else:
            record.status = Audit.Status.IN_PROGRESS
        record.save()
        if themes is not None:
            record.themes.set(themes)
        if finish:
            AuditVersion.objects.create(
                audit=record,
                number=record.version,
                overall_grade=overall_grade,
                findings=findings,
                answers=_answers_snapshot(record),
                reason=reason.strip(),
                finished_by=viewer.user,
                finished_at=now,
            )
        summary = (
            f"Audit changed after finishing: version {record.version}"
            if revising
            else ("Audit finished" if finish else "Audit saved to finish later")
        )
        audit.record(
            viewer,
            audit.Action.UPDATE,
            record,
            summary=summary,
            changes=audit.diff(
                before,
                {
                    "overall_grade": overall_grade,
                    "findings": findings,
                    "themes": sorted(t.name for t in record.themes.all()),
                },
            ),
        )
    return record


def add_practice_action(
    viewer: Viewer, record: Audit, *, text: str, owner: User, due_date: date
) -> PracticeAction:
    """A practice action for the child's team or worker, with its owner and due date."""
    require_auditor(viewer, record)
    with transaction.atomic():
        action = PracticeAction.objects.create(
            audit=record, text=text, owner=owner, due_date=due_date, created_by=viewer.user
        )
        audit.record(
            viewer,
            audit.Action.CREATE,
            action,
            summary=f"Practice action for audit {record.pk}, owner {owner.get_username()}, "
            f"due {due_date.isoformat()}",
        )
    return action


def update_practice_action(
    viewer: Viewer, action: PracticeAction, *, text: str, done: bool
) -> PracticeActionUpdate:
    """A follow-up note from the action's owner or an auditor; `done` completes it."""
    viewer.require(
        "audit",
        "do",
        child_level=True,
        record_type="audits.practiceaction",
        record_id=action.pk,
    )
    if action.status == PracticeAction.Status.DONE:
        raise ValidationError("This practice action is already done")
    with transaction.atomic():
        update = PracticeActionUpdate.objects.create(
            action=action, author=viewer.user, text=text, marks_done=done
        )
        if done:
            action.status = PracticeAction.Status.DONE
            action.done_at = timezone.now()
            action.save(update_fields=["status", "done_at"])
        audit.record(
            viewer,
            audit.Action.UPDATE,
            action,
            summary="Practice action done" if done else "Practice action update",
        )
    return update


# ---- moderation ------------------------------------------------------------------------------


def moderation_picks(audits: Sequence[Audit], already: set[int], seed: int) -> list[Audit]:
    """Which more finished audits to moderate: one for each auditor with none moderated yet,
    then enough to make up MODERATION_SHARE of them all, chosen at random with the seed."""
    chooser = random.Random(seed)  # noqa: S311 - reproducible choice, not security
    pool = sorted(audits, key=lambda a: a.pk)
    chooser.shuffle(pool)
    covered = {a.auditor_id for a in pool if a.pk in already}
    picked: list[Audit] = []
    for record in pool:
        if record.pk not in already and record.auditor_id not in covered:
            covered.add(record.auditor_id)
            picked.append(record)
    wanted = math.ceil(len(pool) * MODERATION_SHARE) - len(already) - len(picked)
    rest = [a for a in pool if a.pk not in already and a not in picked]
    return picked + rest[: max(0, wanted)]


def offer_moderation(viewer: Viewer, programme: Programme) -> list[Moderation]:
    """Offer the programme's share of finished audits to moderators, never to the auditor;
    each goes to the moderator with the fewest open moderations."""
    viewer.require("audit", "manage", record_type="audits.programme")
    finished = list(programme.audits.filter(status=Audit.Status.FINISHED))
    already = set(
        Moderation.objects.filter(audit__programme=programme).values_list("audit_id", flat=True)
    )
    picks = moderation_picks(finished, already, programme.seed)
    moderators = people_who_may(viewer.required_partnership(), "moderate")
    open_now = dict(
        Moderation.objects.filter(finished_at__isnull=True, moderator__in=moderators)
        .values_list("moderator_id")
        .annotate(n=Count("id"))
    )
    made = []
    with transaction.atomic():
        for record in picks:
            others = [m for m in moderators if m.pk != record.auditor_id]
            if not others:
                continue
            moderator = min(others, key=lambda m: open_now.get(m.pk, 0))
            open_now[moderator.pk] = open_now.get(moderator.pk, 0) + 1
            moderation = Moderation.objects.create(
                audit=record, moderator=moderator, audit_version=record.version
            )
            audit.record(
                viewer,
                audit.Action.CREATE,
                moderation,
                summary=f"Audit {record.pk} offered to {moderator.get_username()} to moderate",
            )
            made.append(moderation)
    return made


def require_moderator(viewer: Viewer, moderation: Moderation) -> None:
    viewer.require(
        "audit",
        "moderate",
        child_level=True,
        record_type="audits.moderation",
        record_id=moderation.pk,
    )
    if moderation.moderator_id != viewer.user.pk or moderation.audit.auditor_id == viewer.user.pk:
        audit.record(
            viewer,
            audit.Action.PERMISSION_DENIED,
            moderation,
            summary="Refused: only the moderator it was offered to, never the auditor",
        )
        raise PermissionDenied("audit.moderate")


def grade_distance(first: str, second: str) -> int:
    """How many grades apart two grades are (0 when either is missing)."""
    if first not in GRADE_ORDER or second not in GRADE_ORDER:
        return 0
    return abs(GRADE_ORDER.index(first) - GRADE_ORDER.index(second))


def moderate(
    viewer: Viewer, moderation: Moderation, grades: dict[int, str], overall_grade: str
) -> Moderation:
    """The moderator's blind grades; more than one grade apart anywhere flags the audit for a
    moderation conversation."""
    require_moderator(viewer, moderation)
    if moderation.finished:
        raise ValidationError("This moderation is already finished")
    graded = [q for q in moderation.audit.programme.tool_version.questions.all() if q.graded]
    errors = {
        f"q{q.pk}": f"Select a grade for question {q.order}" for q in graded if not grades.get(q.pk)
    }
    if not overall_grade:
        errors["overall_grade"] = "Select an overall grade"
    if errors:
        raise ValidationError(errors)
    first = {a.question_id: a.grade for a in moderation.audit.answers.all()}
    flagged = grade_distance(moderation.audit.overall_grade, overall_grade) > 1 or any(
        grade_distance(first.get(q.pk, ""), grades[q.pk]) > 1 for q in graded
    )
    with transaction.atomic():
        moderation.grades = {str(q.pk): grades[q.pk] for q in graded}
        moderation.overall_grade = overall_grade
        moderation.finished_at = timezone.now()
        moderation.flagged = flagged
        moderation.save()
        audit.record(
            viewer,
            audit.Action.UPDATE,
            moderation,
            summary="Moderated: "
            + ("more than one grade apart, a conversation is needed" if flagged else "agreed"),
        )
    return moderation


def record_conversation(
    viewer: Viewer, moderation: Moderation, *, notes: str, outcome: str
) -> Moderation:
    """The moderation conversation of a flagged audit and what was decided."""
    require_moderator(viewer, moderation)
    if not moderation.flagged:
        raise ValidationError("Only a flagged moderation needs a conversation")
    if not outcome.strip():
        raise ValidationError({"outcome": "Enter what was decided"})
    with transaction.atomic():
        moderation.conversation_notes = notes
        moderation.outcome = outcome
        moderation.conversation_at = timezone.now()
        moderation.save(update_fields=["conversation_notes", "outcome", "conversation_at"])
        audit.record(
            viewer, audit.Action.UPDATE, moderation, summary="Moderation conversation recorded"
        )
    return moderation


def _agree(pairs: Sequence[Any]) -> tuple[Any, list[tuple[str, Any]]]:
    """Overall agreement and agreement by tool, question, auditor and month."""
    overall = agreement.agreement(pairs)
    groups = [
        (" / ".join(key), result)
        for key, result in agreement.agreement_by(pairs, "tool", "question")
    ]
    groups += [(f"Auditor {key[0]}", r) for key, r in agreement.agreement_by(pairs, "auditor")]
    groups += [(f"Month {key[0]}", r) for key, r in agreement.agreement_by(pairs, "month")]
    return overall, groups


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(day: date) -> date:
    return month_start(month_start(day) - timedelta(days=1))
