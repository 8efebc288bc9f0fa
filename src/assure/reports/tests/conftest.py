"""A hand-built partnership for the quarter July to September 2026 (2026-Q3); today is Monday
5 October 2026, in the next quarter.

Review "Alex" (LCSPR): incident known Wednesday 1 April 2026; notified Tuesday 7 April, due
by Friday 10 April (5 working days: 2 April, then Good Friday 3 April and Easter Monday 6 April
are bank holidays, then 7, 8, 9, 10 April): met. Rapid review due 15 working days after 7
April, Tuesday 28 April, never held: overdue. No decision yet: the final report waits.

Recommendation 1 (Alex): police action due 31 August, in progress: overdue at 30 September.
Council action implemented 10 July, assured 5 August (in the quarter), embedded 2 October
(after it: still assured in the Q3 report).
Recommendation 2 (Alex): council action assured 1 July and embedded 15 September.
Review "Sam" was published 30 June: not open in Q3.
"""

from datetime import date, datetime

import pytest
import time_machine
from django.utils import timezone

from assure.accounts.models import Role
from assure.reviews.models import Action, ActionStatus, ActionUpdate, Recommendation, Review

S = ActionStatus
K = ActionUpdate.Kind
TODAY = date(2026, 10, 5)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(at(TODAY, 9), tick=False):
        yield


@pytest.fixture
def manager(make_user, partnership_agency):
    return make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="manager")


@pytest.fixture
def learning(make_user, partnership_agency):
    person = make_user(Role.LEARNING_GROUP_MEMBER, agency=partnership_agency, username="learning")
    person.first_name, person.last_name, person.email = "Lee", "Group", "lee@example.org"
    person.save()
    return person


@pytest.fixture
def board(make_user, police):
    person = make_user(Role.BOARD_MEMBER, agency=police, username="board")
    person.email = "board@example.org"
    person.save()
    return person


@pytest.fixture
def police_lead(make_user, police):
    return make_user(Role.AGENCY_LEAD, agency=police, username="policelead")


def move(action: Action, author, kind: str, status: str, on: date, examined: str = "") -> None:
    """One entry of the action's history on a given day, and the action's status after it."""
    update = ActionUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=kind,
        narrative=f"{kind} on {on.isoformat()}",
        evidence_examined=examined,
        status=status,
        author=author,
        created_at=at(on),
    )
    Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)
    action.refresh_from_db()


@pytest.fixture
def quarter_data(partnership, police, council, police_lead, learning):
    """The partnership described above; returns its actions by name."""
    alex = Review.objects.create(
        partnership=partnership,
        review_type=Review.Type.LCSPR,
        pseudonym="Alex",
        incident_known=date(2026, 4, 1),
        notification_sent=date(2026, 4, 7),
        created_at=at(date(2026, 4, 2)),
    )
    Review.objects.create(
        partnership=partnership,
        review_type=Review.Type.RAPID_REVIEW,
        pseudonym="Sam",
        published=date(2026, 6, 30),
        created_at=at(date(2026, 1, 5)),
    )
    first = Recommendation.objects.create(
        partnership=partnership, review=alex, number=1, text="Share information sooner."
    )
    first.agencies.set([police, council])
    second = Recommendation.objects.create(
        partnership=partnership,
        review=alex,
        number=2,
        text="Embed the protocol.",
        to_partnership=True,
    )

    def action(rec, agency, description, due):
        return Action.objects.create(
            partnership=partnership,
            recommendation=rec,
            agency=agency,
            description=description,
            due_date=due,
            owner=police_lead if agency == police else None,
            created_at=at(date(2026, 5, 1)),
        )

    police_action = action(first, police, "Train MASH staff", date(2026, 8, 31))
    move(police_action, police_lead, K.PROGRESS, S.IN_PROGRESS, date(2026, 6, 1))
    council_action = action(first, council, "Audit notifications", date(2026, 9, 30))
    move(council_action, police_lead, K.IMPLEMENTED, S.IMPLEMENTED, date(2026, 7, 10))
    move(council_action, learning, K.ASSURED, S.ASSURED, date(2026, 8, 5), "The audit of 20")
    move(council_action, learning, K.EMBEDDED, S.EMBEDDED, date(2026, 10, 2))
    protocol = action(second, council, "Protocol in use", date(2026, 7, 31))
    move(protocol, learning, K.ASSURED, S.ASSURED, date(2026, 7, 1), "Minutes")
    move(protocol, learning, K.EMBEDDED, S.EMBEDDED, date(2026, 9, 15))
    return {"police": police_action, "council": council_action, "protocol": protocol}
