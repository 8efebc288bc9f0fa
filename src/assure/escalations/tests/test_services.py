"""Commissioned services: the register, quarterly returns with timeliness computed from dates,
sign-off or sending back, and trends across quarters."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from assure.accounts.models import Agency
from assure.core.viewer import Viewer
from assure.escalations import returns, services
from assure.escalations.models import ServiceReturn
from assure.escalations.services import CommissionLine, ReferralLine


@pytest.fixture
def brs(partnership, police, council, people):
    provider = Agency.objects.create(
        partnership=partnership,
        name="Building Resilience Service",
        agency_type="commissioned_service",
    )
    lead = people["police"].__class__.objects.create_user("brs", agency=provider)
    lead.roles.create(role="agency_lead")
    service = services.register_service(
        Viewer.of(people["manager"]),
        name="Building Resilience Service",
        provider=provider,
        commissioners=[council],
        contract_start=date(2025, 4, 1),
        contract_end=None,
        offer_link="https://example.org/offer.pdf",
        escalation_route_link="https://example.org/route.pdf",
    )
    return service, lead


def _submit(
    lead, service, quarter: date, lines: list[CommissionLine], referrals=None
) -> ServiceReturn:
    return services.submit_return(
        Viewer.of(lead),
        service,
        quarter=quarter,
        referrals=referrals or [],
        commissions=lines,
        escalations=1,
        narrative="Synthetic quarter.",
    )


def test_timeliness_is_computed_from_dates_as_at_the_quarters_end(brs, council, police) -> None:
    service, lead = brs
    made = _submit(
        lead,
        service,
        date(2026, 2, 14),
        [
            CommissionLine(
                "assessment", date(2026, 1, 5), date(2026, 1, 30), date(2026, 1, 30)
            ),  # met
            CommissionLine(
                "report", date(2026, 1, 5), date(2026, 2, 13), date(2026, 2, 20)
            ),  # late
            CommissionLine(
                "report", date(2026, 2, 2), date(2026, 3, 31), date(2026, 4, 2)
            ),  # overdue
            CommissionLine("assessment", date(2026, 3, 2), date(2026, 4, 15), None),  # upcoming
        ],
        [ReferralLine(council, 10, 7), ReferralLine(police, 4, 4)],
    )
    assert made.quarter == date(2026, 1, 1)
    figures = returns.quarter_figures(made)
    assert (figures.met, figures.late, figures.overdue, figures.upcoming) == (1, 1, 1, 1)
    assert figures.on_time == pytest.approx(1 / 3)
    assert (figures.received, figures.accepted) == (14, 11)
    assert returns.quarter_label(made.quarter) == "Jan–Mar 2026"


def test_sign_off_send_back_and_resubmit(brs, people) -> None:
    service, lead = brs
    first = _submit(lead, service, date(2026, 1, 1), [])
    with pytest.raises(ValidationError):  # one return a quarter while it waits
        _submit(lead, service, date(2026, 3, 1), [])
    with pytest.raises(PermissionDenied):  # the provider does not sign its own return off
        services.decide_return(Viewer.of(lead), first, sign_off=True)
    with pytest.raises(ValidationError):
        services.decide_return(Viewer.of(people["board"]), first, sign_off=False, questions="")
    services.decide_return(
        Viewer.of(people["board"]), first, sign_off=False, questions="Why so few accepted?"
    )
    again = _submit(lead, service, date(2026, 1, 1), [])
    assert again.pk == first.pk
    assert again.status == ServiceReturn.Status.SUBMITTED
    services.decide_return(Viewer.of(people["learning"]), again, sign_off=True)
    again.refresh_from_db()
    assert again.status == ServiceReturn.Status.SIGNED_OFF
    with pytest.raises(ValidationError):
        _submit(lead, service, date(2026, 1, 1), [])


def test_other_agencies_leads_cannot_submit_the_providers_return(brs, people) -> None:
    service, _ = brs
    with pytest.raises(PermissionDenied):
        _submit(people["police"], service, date(2026, 1, 1), [])
    _submit(people["manager"], service, date(2026, 1, 1), [])  # the manager, on its behalf


def test_trend_page_and_return_form(brs, people, council) -> None:
    service, lead = brs
    _submit(
        lead,
        service,
        date(2025, 10, 1),
        [
            CommissionLine("assessment", date(2025, 10, 1), date(2025, 10, 20), date(2025, 10, 21)),
        ],
    )
    client = Client()
    client.force_login(lead)
    response = client.post(
        f"/escalations/services/{service.pk}/return/",
        {
            "quarter": "2026-01-01",
            "escalations": "2",
            "narrative": "Synthetic.",
            f"received_{council.pk}": "5",
            f"accepted_{council.pk}": "4",
            "kind_1": "report",
            "requested_1": "2026-01-05",
            "due_1": "2026-01-26",
            "delivered_1": "2026-01-20",
        },
    )
    assert response.status_code == 302
    board = Client()
    board.force_login(people["board"])
    page = board.get(f"/escalations/services/{service.pk}/").content.decode()
    assert "Oct–Dec 2025" in page
    assert "Jan–Mar 2026" in page
    assert "<svg" in page  # 0% then 100% on time
    bad = client.post(
        f"/escalations/services/{service.pk}/return/",
        {
            "quarter": "2026-04-01",
            "escalations": "0",
            "narrative": "x",
            "kind_1": "report",
        },
    )
    assert "Enter the date line 1 was requested" in bad.content.decode()
    waiting = ServiceReturn.objects.get(quarter=date(2026, 1, 1))
    decided = board.post(f"/escalations/returns/{waiting.pk}/decision/", {"decision": "sign_off"})
    assert decided.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == ServiceReturn.Status.SIGNED_OFF
