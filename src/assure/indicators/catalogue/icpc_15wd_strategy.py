"""ICPC within 15 working days of the strategy discussion (Working Together basis).

One obligation for each section 47 enquiry that has a strategy discussion: the earliest
discussion linked to the enquiry starts the clock; the enquiry's first initial conference held
(not a transfer-in conference) meets it. Enquiries linked to a transfer-in conference are left
out. An enquiry that ends with no further action, or a child who dies, before the due date and
without a conference makes the obligation void.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db.models import Min, Q

from assure.casedata.models import InitialConference, S47Enquiry, StrategyDiscussion
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    cached,
    day,
    deaths,
    due_map,
    fetch,
    judge,
    obligation,
    person_ids,
    rows_of,
    void_from,
)

KEY = "icpc_wd"


def _enquiries_and_conferences(
    partnership: int, to: date
) -> tuple[list[tuple[Any, ...]], dict[int, date], set[int]]:
    """Enquiries started by `to`; each one's first ICPC held (not transfer-in) by `to`; and the
    enquiries linked to a transfer-in conference. Shared by both ICPC indicators."""
    enquiries = fetch(
        rows_of(S47Enquiry, partnership)
        .filter(start_date__lte=to)
        .values_list("pk", "ssd_id", "person_id", day("start_date"), day("end_date"), "nfa"),
        dates=(3, 4),
        flags=(5,),
    )
    conferences = fetch(
        rows_of(InitialConference, partnership)
        .filter(Q(date__isnull=True) | Q(date__lte=to), s47__isnull=False)
        .values_list("s47_id", day("date"), "transfer_in"),
        dates=(1,),
        flags=(2,),
    )
    held: dict[int, date] = {}
    transfer_in: set[int] = set()
    for s47, when, transfer in conferences:
        if transfer:
            transfer_in.add(s47)
        elif when is not None and (s47 not in held or when < held[s47]):
            held[s47] = when
    return enquiries, held, transfer_in


def icpc_obligations(window: Window, from_strategy: bool) -> Iterator[Obligation]:
    """ICPC obligations, clocked from the earliest strategy discussion or from the s47 start."""
    partnership, to = window.partnership_id, window.end
    enquiries, held, transfer_in = cached(
        ("icpc", partnership, to), lambda: _enquiries_and_conferences(partnership, to)
    )
    strategy: dict[int, date] = {}
    if from_strategy:
        strategy = dict(
            fetch(
                rows_of(StrategyDiscussion, partnership)
                .filter(s47__isnull=False, date__lte=to)
                .order_by()
                .values("s47_id")
                .annotate(first=Min("date"))
                .values_list("s47_id", "first"),
                dates=(1,),
            )
        )
    clocks = strategy.values() if from_strategy else (row[3] for row in enquiries)
    dues = due_map(KEY, clocks)
    died = deaths(window)
    people = person_ids(window)
    for pk, ssd_id, person, start, end, nfa in enquiries:
        if pk in transfer_in:
            continue
        clock = strategy.get(pk) if from_strategy else start
        if clock is None:
            continue
        due = dues[clock]
        if due < window.start:
            continue
        done = held.get(pk)
        ended = void_from(to, end if nfa else None, died.get(person))
        status = judge(due, done, to, ended)
        yield obligation(people[person], f"s47 {ssd_id} ICPC", due, done, status, to)


def compute(window: Window) -> Iterator[Obligation]:
    return icpc_obligations(window, from_strategy=True)


INDICATOR = register(
    Indicator(
        id="icpc_15wd_strategy",
        title="Initial conferences within 15 working days of the strategy discussion",
        measures=(
            "Section 47 enquiries with a strategy discussion whose initial child protection "
            "conference was held within 15 working days of the earliest strategy discussion"
        ),
        basis="Statutory: Working Together to Safeguard Children (from the strategy discussion)",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_s47_enquiry", "assure_strategy_discussions", "ssd_initial_cp_conference"),
        compute=compute,
    )
)
