"""The same chair for a child's conferences over the last 12 months (good practice).

For each child with two or more conferences (initial, transfer-in or review) dated after `to`
minus 12 months and on or before `to`: breach when more than one chair is recorded for them
(chairs come from `assure_conference_chairs` by meeting id; a conference with no chair recorded
adds no chair). A check as at `to`, so it has no due date.
"""

from collections.abc import Iterator

from django.db.models import Q

from assure.casedata.models import ConferenceChair, InitialConference, ReviewConference
from assure.core.calendar import add_months
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import check, fetch, obligation, person_ids, rows_of

MONTHS = 12


def compute(window: Window) -> Iterator[Obligation]:
    partnership, to = window.partnership_id, window.end
    since = add_months(to, -MONTHS)
    initial = rows_of(InitialConference, partnership).filter(date__gt=since, date__lte=to)
    reviews = rows_of(ReviewConference, partnership).filter(date__gt=since, date__lte=to)
    conferences = fetch(initial.values_list("person_id", "meeting_id")) + fetch(
        reviews.values_list("person_id", "meeting_id")
    )
    chair_of = dict(
        fetch(
            rows_of(ConferenceChair, partnership)
            .filter(
                Q(ssd_id__in=initial.exclude(meeting_id="").values("meeting_id"))
                | Q(ssd_id__in=reviews.exclude(meeting_id="").values("meeting_id"))
            )
            .values_list("ssd_id", "chair_id")
        )
    )
    count: dict[int, int] = {}
    chairs: dict[int, set[int]] = {}
    for person_id, meeting in conferences:
        count[person_id] = count.get(person_id, 0) + 1
        chair = chair_of.get(meeting) if meeting else None
        if chair is not None:
            chairs.setdefault(person_id, set()).add(chair)
    ref = f"conferences {add_months(to, -MONTHS).isoformat()} to {to.isoformat()}"
    people = person_ids(window)
    for person, n in count.items():
        if n >= 2:
            status = check(len(chairs.get(person, ())) <= 1)
            yield obligation(people[person], ref, None, None, status, to)


INDICATOR = register(
    Indicator(
        id="chair_consistency",
        title="One chair for a child's conferences",
        measures=(
            "Children with two or more conferences in the 12 months to the report date whose "
            "conferences all had the same chair"
        ),
        basis="Good practice (local): the same independent chair for a child's conferences",
        timescale_key=None,
        target=DEFAULT_TARGET,
        tables=("ssd_initial_cp_conference", "ssd_cp_reviews", "assure_conference_chairs"),
        compute=compute,
    )
)
