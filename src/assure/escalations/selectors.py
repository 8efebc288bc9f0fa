"""Reads of escalations and commissioned services, always scoped to the viewer.

An escalation and its notes are seen by the partnership manager (whole partnership) and by
the leads of the two agencies it is between (own-agency scope); nobody else sees a single
escalation. Figures (counts only) are for those with `escalation.view`.
"""

from datetime import date

from django.db.models import Q, QuerySet

from assure.accounts.models import Agency
from assure.core.permissions import Scope
from assure.core.viewer import Viewer
from assure.escalations.models import (
    CommissionedService,
    Escalation,
    Note,
    Protocol,
    ServiceReturn,
    Stage,
)


def between(viewer: Viewer) -> Q:
    """Escalations the viewer may see one by one: all (partnership), their agency's or none."""
    scope = viewer.scope("escalation", "notes")
    if scope >= Scope.PARTNERSHIP:
        return Q(partnership_id=viewer.partnership_id)
    if scope == Scope.OWN_AGENCY and viewer.agency_id:
        return Q(partnership_id=viewer.partnership_id) & (
            Q(raised_by_agency_id=viewer.agency_id) | Q(about_agency_id=viewer.agency_id)
        )
    return Q(pk__in=[])


def escalations(viewer: Viewer, *, open_only: bool = False) -> QuerySet[Escalation]:
    found = Escalation.objects.filter(between(viewer)).select_related(
        "raised_by_agency", "about_agency"
    )
    return found.filter(outcome="") if open_only else found


def escalation(viewer: Viewer, pk: int) -> Escalation | None:
    return escalations(viewer).filter(pk=pk).first()


def stages(escalation: Escalation) -> list[Stage]:
    return list(escalation.stages.order_by("number"))


def notes(escalation: Escalation) -> list[Note]:
    return list(escalation.notes.select_related("author__agency"))


def overdue_stages(viewer: Viewer, today: date) -> QuerySet[Stage]:
    """Current stages past their due date of open escalations the viewer's agency is in."""
    if not viewer.agency_id:
        return Stage.objects.none()
    return (
        Stage.objects.filter(
            partnership_id=viewer.partnership_id,
            ended__isnull=True,
            due__lt=today,
            escalation__outcome="",
        )
        .filter(
            Q(escalation__raised_by_agency_id=viewer.agency_id)
            | Q(escalation__about_agency_id=viewer.agency_id)
        )
        .select_related("escalation__raised_by_agency", "escalation__about_agency")
        .order_by("due", "id")
    )


def agencies(viewer: Viewer) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership_id=viewer.partnership_id)


def agency_names(partnership_id: int) -> list[tuple[str, tuple[str, ...], int]]:
    """(name, aliases, id) of every agency of the partnership, for matching imported names."""
    return [
        (name, tuple(aliases or ()), pk)
        for name, aliases, pk in Agency.objects.filter(partnership_id=partnership_id).values_list(
            "name", "aliases", "pk"
        )
    ]


def protocol(partnership_id: int) -> Protocol | None:
    return Protocol.objects.filter(partnership_id=partnership_id).first()


def protocols(viewer: Viewer) -> QuerySet[Protocol]:
    return Protocol.objects.filter(partnership_id=viewer.partnership_id)


# ---- commissioned services -------------------------------------------------------------------


def services(viewer: Viewer) -> QuerySet[CommissionedService]:
    return (
        CommissionedService.objects.filter(partnership_id=viewer.partnership_id)
        .select_related("provider")
        .prefetch_related("commissioners")
    )


def service(viewer: Viewer, pk: int) -> CommissionedService | None:
    return services(viewer).filter(pk=pk).first()


def returns(service: CommissionedService) -> list[ServiceReturn]:
    """The service's returns, latest quarter first, with their lines."""
    return list(
        service.returns.select_related("submitted_by", "decided_by").prefetch_related(
            "referrals__referrer", "commissions"
        )
    )


def service_return(viewer: Viewer, pk: int) -> ServiceReturn | None:
    return (
        ServiceReturn.objects.filter(partnership_id=viewer.partnership_id, pk=pk)
        .select_related("service__provider", "submitted_by", "decided_by")
        .prefetch_related("referrals__referrer", "commissions")
        .first()
    )


def waiting_returns(viewer: Viewer) -> QuerySet[ServiceReturn]:
    return ServiceReturn.objects.filter(
        partnership_id=viewer.partnership_id, status=ServiceReturn.Status.SUBMITTED
    ).select_related("service")
