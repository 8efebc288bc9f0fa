"""Stages, due dates over bank holidays, outcomes and the section 3 statuses at a point in time."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assure.core.viewer import Viewer
from assure.escalations import figures, services
from assure.escalations.models import Stage
from assure.escalations.tests.conftest import raise_one

LATER = date(2027, 12, 31)


@pytest.mark.parametrize(
    ("number", "started", "due"),
    [
        # Fri 19 Dec 2025 + 5 wd: 22, 23, 24, (25, 26 bank holidays), 29, 30 Dec
        (1, date(2025, 12, 19), date(2025, 12, 30)),
        # + 10 wd: domain.md's example, 7 Jan 2026 (25, 26 Dec and 1 Jan are holidays)
        (3, date(2025, 12, 19), date(2026, 1, 7)),
        # Thu 24 Dec 2026 + 5 wd: 29, 30, 31 Dec (25 Dec and substitute 28 Dec), 4, 5 Jan 2027
        (2, date(2026, 12, 24), date(2027, 1, 5)),
        # Fri 18 Dec 2026 + 20 wd, over 25 and 28 Dec 2026 and 1 Jan 2027: Wed 20 Jan 2027
        (4, date(2026, 12, 18), date(2027, 1, 20)),
        # Thu 2 Apr 2026 + 5 wd over Good Friday and Easter Monday: Mon 13 Apr
        (1, date(2026, 4, 2), date(2026, 4, 13)),
    ],
)
def test_stage_due_dates_skip_weekends_and_bank_holidays(
    number: int, started: date, due: date
) -> None:
    assert services.stage_due(number, started) == due


def test_stages_move_on_and_end(people, council, police) -> None:
    escalation = raise_one(people["council"], council, police, date(2025, 12, 19))
    stage = escalation.stages.get()
    assert (stage.number, stage.started, stage.due) == (1, date(2025, 12, 19), date(2025, 12, 30))
    viewer = Viewer.of(people["police"])  # the other agency's lead may move it too
    second = services.escalate(viewer, escalation, date(2026, 1, 2), today=LATER)
    assert (second.number, second.due) == (2, date(2026, 1, 9))
    assert Stage.objects.get(escalation=escalation, number=1).ended == date(2026, 1, 2)
    services.end_escalation(
        viewer,
        escalation,
        outcome="resolved_changed",
        ended=date(2026, 1, 8),
        learning="Synthetic: the threshold was applied too strictly.",
        today=LATER,
    )
    escalation.refresh_from_db()
    assert (escalation.outcome, escalation.ended_date) == ("resolved_changed", date(2026, 1, 8))
    assert Stage.objects.get(escalation=escalation, number=2).ended == date(2026, 1, 8)
    with pytest.raises(ValidationError):
        services.escalate(viewer, escalation, date(2026, 1, 9), today=LATER)


def test_a_third_agency_cannot_move_or_record_for_another(people, council, police, health) -> None:
    escalation = raise_one(people["council"], council, police, date(2026, 1, 5))
    with pytest.raises(PermissionDenied):
        services.escalate(Viewer.of(people["health"]), escalation, date(2026, 1, 6), today=LATER)
    with pytest.raises(PermissionDenied):  # an agency lead records for their own agency only
        raise_one(people["police"], council, police, date(2026, 1, 5))
    raise_one(people["manager"], health, police, date(2026, 1, 5))  # the manager, for any


def test_validation(people, council, police) -> None:
    with pytest.raises(ValidationError) as same:
        raise_one(people["council"], council, council, date(2026, 1, 5))
    assert "another agency" in str(same.value)
    escalation = raise_one(people["council"], council, police, date(2026, 1, 5))
    viewer = Viewer.of(people["council"])
    with pytest.raises(ValidationError):
        services.escalate(viewer, escalation, date(2026, 1, 2), today=LATER)  # before stage 1
    with pytest.raises(ValidationError) as no_learning:
        services.end_escalation(
            viewer,
            escalation,
            outcome="withdrawn",
            ended=date(2026, 1, 6),
            learning=" ",
            today=LATER,
        )
    assert "learning" in no_learning.value.message_dict
    for _ in range(3):
        services.escalate(viewer, escalation, date(2026, 1, 6), today=LATER)
    with pytest.raises(ValidationError) as last:
        services.escalate(viewer, escalation, date(2026, 1, 7), today=LATER)
    assert "last stage" in str(last.value)


@pytest.mark.parametrize(
    ("due", "ended", "to", "expected"),
    [
        (date(2026, 1, 12), date(2026, 1, 12), date(2026, 1, 31), "met"),
        (date(2026, 1, 12), date(2026, 1, 13), date(2026, 1, 31), "late"),
        (date(2026, 1, 12), None, date(2026, 1, 31), "overdue"),
        (date(2026, 1, 12), date(2026, 2, 2), date(2026, 1, 31), "overdue"),  # after `to`
        (date(2026, 2, 2), None, date(2026, 1, 31), "upcoming"),
        (date(2026, 2, 2), date(2026, 1, 20), date(2026, 1, 31), "met"),
    ],
)
def test_status_as_at_to(due: date, ended: date | None, to: date, expected: str) -> None:
    assert figures.status(due, ended, to) == expected


def _stage(escalation, number: int, started: date, due: date, ended: date | None) -> None:
    Stage.objects.create(
        escalation=escalation,
        partnership=escalation.partnership,
        number=number,
        started=started,
        due=due,
        ended=ended,
    )


def test_figures_count_stages_in_the_window_of_their_due_date(
    people, council, police, health, partnership
) -> None:
    manager = people["manager"]
    # Stage 1 due 12 Jan, ended on time; stage 2 due 19 Jan, ended late on 21 Jan
    a = raise_one(manager, council, police, date(2026, 1, 5))
    Stage.objects.filter(escalation=a).update(ended=date(2026, 1, 9))
    _stage(a, 2, date(2026, 1, 9), date(2026, 1, 16), date(2026, 1, 21))
    a.outcome, a.ended_date = "resolved_agreed", date(2026, 1, 21)
    a.save()
    # Stage 1 due 19 Jan, ended 2 Feb: after `to`, so overdue as at 31 Jan
    b = raise_one(manager, police, council, date(2026, 1, 12), category="information_sharing")
    Stage.objects.filter(escalation=b).update(ended=date(2026, 2, 2))
    # Raised 28 Jan: stage 1 due 4 Feb, after `to`: upcoming, not counted
    raise_one(manager, health, council, date(2026, 1, 28))
    # Due in December: another window
    c = raise_one(manager, council, health, date(2025, 12, 1))
    c.outcome, c.ended_date = "resolved_agreed", date(2025, 12, 3)
    c.save()
    Stage.objects.filter(escalation=c).update(ended=date(2025, 12, 3))
    # Resolved at stage 1 in the window
    d = raise_one(manager, health, police, date(2026, 1, 2))
    Stage.objects.filter(escalation=d).update(ended=date(2026, 1, 7))
    d.outcome, d.ended_date = "resolved_changed", date(2026, 1, 7)
    d.save()
    # Withdrawn: ended, not resolved
    e = raise_one(manager, police, health, date(2026, 1, 6))
    Stage.objects.filter(escalation=e).update(ended=date(2026, 1, 8))
    e.outcome, e.ended_date = "withdrawn", date(2026, 1, 8)
    e.save()

    found = figures.compute(partnership.pk, date(2026, 1, 1), date(2026, 1, 31))
    assert found.raised == 5
    assert found.ended == 3
    assert found.resolved == 2
    assert found.resolved_at_stage_1 == 1
    assert found.stages[1] == {"met": 3, "late": 0, "overdue": 1}  # a, d, e met; b overdue
    assert found.stages[2] == {"met": 0, "late": 1, "overdue": 0}
    assert found.stages[3] == found.stages[4] == {"met": 0, "late": 0, "overdue": 0}
    # a: 5 to 21 Jan is 12 working days; d: 2 to 7 Jan is 3
    assert found.median_working_days_to_resolve == 7.5
    assert dict(found.by_about_agency) == {
        "Testshire Police": 2,
        "Testshire children's services": 2,
        "Testshire NHS Trust": 1,
    }
    assert dict(found.by_category) == {"threshold": 4, "information_sharing": 1}
    assert found.by_month == [(date(2026, 1, 1), 5)]
    as_at_feb = figures.compute(partnership.pk, date(2026, 1, 1), date(2026, 2, 28))
    # as at 28 Feb, b ended late; the one raised 28 Jan (due 4 Feb) is overdue
    assert as_at_feb.stages[1] == {"met": 3, "late": 1, "overdue": 1}
