"""Writes: escalations, their stages and notes, the protocol, the services register and the
quarterly returns. Each checks permission before its transaction, then writes, then audits.
Problems a person can fix raise ValidationError naming the field."""

import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assure.accounts.models import Agency
from assure.core import audit, timescales
from assure.core.viewer import Viewer
from assure.escalations.models import (
    STAGES,
    Commission,
    CommissionedService,
    Escalation,
    Note,
    Outcome,
    Protocol,
    Referrals,
    ServiceReturn,
    Stage,
    stage_key,
)


def stage_due(number: int, started: date) -> date:
    """A stage's due date: its timescale in force on the day it starts, in working days."""
    return timescales.due_date(stage_key(number), started)


def refuse(viewer: Viewer, what: str, escalation: Escalation) -> None:
    """Audit a refusal on one escalation and raise PermissionDenied (a 403 page)."""
    audit.record(viewer.user, audit.Action.PERMISSION_DENIED, escalation, summary=f"Refused {what}")
    raise PermissionDenied(what)


def may_act_on(viewer: Viewer, escalation: Escalation) -> bool:
    """Either agency's lead (own agency) or the partnership manager may move or end it."""
    if escalation.partnership_id != viewer.partnership_id:
        return False
    return viewer.can(
        "escalation", "record", agency_id=escalation.raised_by_agency_id
    ) or viewer.can("escalation", "record", agency_id=escalation.about_agency_id)


def may_see(viewer: Viewer, escalation: Escalation) -> bool:
    """The two agencies' leads and the partnership manager see it and its notes."""
    if escalation.partnership_id != viewer.partnership_id:
        return False
    return viewer.can(
        "escalation", "notes", agency_id=escalation.raised_by_agency_id
    ) or viewer.can("escalation", "notes", agency_id=escalation.about_agency_id)


def _not_future(name: str, value: date, today: date, problems: dict[str, str]) -> None:
    if value > today:
        problems[name] = f"The date must be today or earlier, not {value:%-d %B %Y}"


def record_escalation(
    viewer: Viewer,
    *,
    raised_by_agency: Agency,
    about_agency: Agency,
    category: str,
    raised_date: date,
    raised_by_role: str = "",
    child_id: str = "",
    concern: str = "",
    reference: str = "",
    today: date | None = None,
) -> Escalation:
    """A new escalation at stage 1, starting the day it is raised."""
    viewer.require("escalation", "record", agency_id=raised_by_agency.pk)
    today = today or timezone.localdate()
    problems: dict[str, str] = {}
    pid = viewer.partnership_id
    if raised_by_agency.partnership_id != pid or about_agency.partnership_id != pid:
        problems["about_agency"] = "Select agencies of your partnership"
    elif raised_by_agency.pk == about_agency.pk:
        problems["about_agency"] = "Select another agency than the one raising the escalation"
    _not_future("raised_date", raised_date, today, problems)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            partnership_id=pid,
            reference=reference or f"new-{uuid.uuid4().hex}",
            raised_by_agency=raised_by_agency,
            raised_by_role=raised_by_role.strip(),
            about_agency=about_agency,
            child_id=child_id.strip(),
            category=category,
            concern=concern.strip(),
            raised_date=raised_date,
            recorded_by=viewer.user,
        )
        if not reference:
            escalation.reference = f"E{escalation.pk:05d}"
            escalation.save(update_fields=["reference"])
        Stage.objects.create(
            escalation=escalation,
            partnership_id=pid,
            number=1,
            started=raised_date,
            due=stage_due(1, raised_date),
        )
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            escalation,
            summary=f"Escalation {escalation.reference} raised by {raised_by_agency.name} "
            f"about {about_agency.name}",
        )
    return escalation


def _current(escalation: Escalation) -> Stage:
    return escalation.stages.order_by("-number").first()  # type: ignore[return-value]


def escalate(
    viewer: Viewer, escalation: Escalation, started: date, today: date | None = None
) -> Stage:
    """Unresolved at its stage: the stage ends the day the next one starts."""
    if not may_act_on(viewer, escalation):
        refuse(viewer, "escalation.record", escalation)
    today = today or timezone.localdate()
    current = _current(escalation)
    problems: dict[str, str] = {}
    if not escalation.is_open:
        problems["started"] = "This escalation has ended: it cannot move to another stage"
    elif current.number >= max(STAGES):
        problems["started"] = "Stage 4 is the last stage: end the escalation instead"
    elif started < current.started:
        problems["started"] = (
            f"The next stage cannot start before stage {current.number} started "
            f"({current.started:%-d %B %Y})"
        )
    _not_future("started", started, today, problems)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Stage.objects.filter(pk=current.pk).update(ended=started)
        stage = Stage.objects.create(
            escalation=escalation,
            partnership_id=escalation.partnership_id,
            number=current.number + 1,
            started=started,
            due=stage_due(current.number + 1, started),
        )
        audit.record(
            viewer.user,
            audit.Action.UPDATE,
            escalation,
            summary=f"Escalation {escalation.reference} moved to stage {stage.number}",
            changes={"stage": [current.number, stage.number], "started": started.isoformat()},
        )
    return stage


def end_escalation(
    viewer: Viewer,
    escalation: Escalation,
    *,
    outcome: str,
    ended: date,
    learning: str,
    today: date | None = None,
) -> Escalation:
    """Resolved (agreed or decision changed) or withdrawn, with what was learnt."""
    if not may_act_on(viewer, escalation):
        refuse(viewer, "escalation.record", escalation)
    today = today or timezone.localdate()
    current = _current(escalation)
    problems: dict[str, str] = {}
    if not escalation.is_open:
        problems["outcome"] = "This escalation has already ended"
    if outcome not in Outcome.values:
        problems["outcome"] = "Select how the escalation ended"
    if ended < current.started:
        problems["ended"] = (
            f"It cannot end before stage {current.number} started ({current.started:%-d %B %Y})"
        )
    _not_future("ended", ended, today, problems)
    if not learning.strip():
        problems["learning"] = "Enter the learning: what the agencies take from it"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Stage.objects.filter(pk=current.pk).update(ended=ended)
        escalation.outcome, escalation.ended_date = outcome, ended
        escalation.learning = learning.strip()
        escalation.save(update_fields=["outcome", "ended_date", "learning"])
        audit.record(
            viewer.user,
            audit.Action.UPDATE,
            escalation,
            summary=f"Escalation {escalation.reference} ended at stage {current.number}: "
            f"{Outcome(outcome).label}",
            changes={"outcome": outcome, "ended": ended.isoformat()},
        )
    return escalation


def add_note(viewer: Viewer, escalation: Escalation, text: str) -> Note:
    if not may_see(viewer, escalation):
        refuse(viewer, "escalation.notes", escalation)
    if not text.strip():
        raise ValidationError({"text": "Enter the note"})
    with transaction.atomic():
        note = Note.objects.create(escalation=escalation, author=viewer.user, text=text.strip())
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            note,
            summary=f"Note added to escalation {escalation.reference}",
        )
    return note


def add_protocol(
    viewer: Viewer, *, title: str, version: str, link: str, applies_from: date
) -> Protocol:
    """A new version of the partnership's escalation protocol (earlier ones are kept)."""
    viewer.require("escalation", "protocol", record_type="escalations.protocol")
    with transaction.atomic():
        protocol = Protocol.objects.create(
            partnership_id=viewer.partnership_id,
            title=title.strip(),
            version=version.strip(),
            link=link,
            applies_from=applies_from,
            added_by=viewer.user,
        )
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            protocol,
            summary=f"Escalation protocol version {protocol.version} added",
        )
    return protocol


# ---- commissioned services -------------------------------------------------------------------


def register_service(
    viewer: Viewer,
    *,
    name: str,
    provider: Agency,
    commissioners: list[Agency],
    contract_start: date,
    contract_end: date | None,
    offer_link: str,
    escalation_route_link: str,
) -> CommissionedService:
    viewer.require("service", "manage", record_type="escalations.commissionedservice")
    pid = viewer.partnership_id
    problems: dict[str, str] = {}
    if CommissionedService.objects.filter(partnership_id=pid, name=name.strip()).exists():
        problems["name"] = f"A service named {name.strip()!r} is already on the register"
    if provider.partnership_id != pid or any(a.partnership_id != pid for a in commissioners):
        problems["provider"] = "Select agencies of your partnership"
    if contract_end is not None and contract_end < contract_start:
        problems["contract_end"] = "The contract cannot end before it starts"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        service = CommissionedService.objects.create(
            partnership_id=pid,
            name=name.strip(),
            provider=provider,
            contract_start=contract_start,
            contract_end=contract_end,
            offer_link=offer_link,
            escalation_route_link=escalation_route_link,
        )
        service.commissioners.set(commissioners)
        audit.record(
            viewer.user, audit.Action.CREATE, service, summary=f"Service {service.name} registered"
        )
    return service


@dataclass(frozen=True)
class ReferralLine:
    referrer: Agency
    received: int
    accepted: int


@dataclass(frozen=True)
class CommissionLine:
    kind: str
    requested: date
    due: date
    delivered: date | None


def quarter_of(day: date) -> date:
    """The first day of the quarter (January, April, July, October) holding `day`."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def submit_return(
    viewer: Viewer,
    service: CommissionedService,
    *,
    quarter: date,
    referrals: list[ReferralLine],
    commissions: list[CommissionLine],
    escalations: int,
    narrative: str,
) -> ServiceReturn:
    """The provider's return for a quarter; a return sent back is replaced, one signed off is
    kept as it is."""
    viewer.require(
        "service",
        "return",
        agency_id=service.provider_id,
        record_type="escalations.commissionedservice",
        record_id=service.pk,
    )
    quarter = quarter_of(quarter)
    problems: dict[str, str] = {}
    existing = ServiceReturn.objects.filter(service=service, quarter=quarter).first()
    if existing is not None and existing.status != ServiceReturn.Status.SENT_BACK:
        problems["quarter"] = (
            f"The return for the quarter from {quarter:%-d %B %Y} is already "
            f"{existing.get_status_display().lower()}"
        )
    for line in referrals:
        if line.accepted > line.received:
            problems["referrals"] = (
                f"{line.referrer.name}: {line.accepted} accepted is more than the "
                f"{line.received} received"
            )
    for n, commission in enumerate(commissions, start=1):
        if commission.due < commission.requested:
            problems["commissions"] = f"Line {n}: the due date is before the date it was requested"
        elif commission.delivered is not None and commission.delivered < commission.requested:
            problems["commissions"] = f"Line {n}: delivered before it was requested"
    if not narrative.strip():
        problems["narrative"] = "Enter the narrative: what the quarter shows"
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if existing is not None:
            existing.referrals.all().delete()
            existing.commissions.all().delete()
            record = existing
            record.status = ServiceReturn.Status.SUBMITTED
        else:
            record = ServiceReturn(
                service=service, partnership_id=service.partnership_id, quarter=quarter
            )
        record.escalations, record.narrative = escalations, narrative.strip()
        record.submitted_by, record.submitted_at = viewer.user, timezone.now()
        record.save()
        Referrals.objects.bulk_create(
            Referrals(
                service_return=record, referrer=r.referrer, received=r.received, accepted=r.accepted
            )
            for r in referrals
            if r.received or r.accepted
        )
        Commission.objects.bulk_create(
            Commission(
                service_return=record,
                kind=c.kind,
                requested=c.requested,
                due=c.due,
                delivered=c.delivered,
            )
            for c in commissions
        )
        audit.record(
            viewer.user,
            audit.Action.CREATE if existing is None else audit.Action.UPDATE,
            record,
            summary=f"{service.name}: return for the quarter from {quarter:%-d %B %Y} submitted",
        )
    return record


def decide_return(
    viewer: Viewer, service_return: ServiceReturn, *, sign_off: bool, questions: str = ""
) -> ServiceReturn:
    """The board or learning group signs a submitted return off or sends it back."""
    viewer.require(
        "service", "sign_off", record_type="escalations.servicereturn", record_id=service_return.pk
    )
    if service_return.status != ServiceReturn.Status.SUBMITTED:
        raise ValidationError({"decision": "This return is not waiting for a decision"})
    if not sign_off and not questions.strip():
        raise ValidationError({"questions": "Enter the questions the provider must answer"})
    with transaction.atomic():
        service_return.status = (
            ServiceReturn.Status.SIGNED_OFF if sign_off else ServiceReturn.Status.SENT_BACK
        )
        service_return.decided_by, service_return.decided_at = viewer.user, timezone.now()
        service_return.questions = questions.strip()
        service_return.save(update_fields=["status", "decided_by", "decided_at", "questions"])
        audit.record(
            viewer.user,
            audit.Action.UPDATE,
            service_return,
            summary=f"Return {service_return.get_status_display().lower()}",
        )
    return service_return
