"""A chair's mid-way review between each two consecutive conferences of a plan (local).

A plan's conferences are its start (the initial or transfer-in conference) and its review
conferences. For each two consecutive ones whose interval ends in the window (the later
conference held in [from, to]): met when a mid-way review is dated strictly between them,
breach when none is. The obligation's due date is the later conference.
"""

from bisect import bisect_right
from collections.abc import Iterator
from datetime import date
from itertools import pairwise

from assure.casedata.models import MidwayReview
from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    check,
    day,
    fetch,
    obligation,
    plans,
    review_dates,
    rows_of,
)


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    reviews = review_dates(window)
    midways: dict[int, list[date]] = {}
    for plan_pk, when in fetch(
        rows_of(MidwayReview, window.partnership_id)
        .filter(date__lte=to)
        .values_list("plan_id", day("date")),
        dates=(1,),
    ):
        midways.setdefault(plan_pk, []).append(when)
    for found in midways.values():
        found.sort()
    for plan in plans(window):
        held = [d for d in reviews.get(plan.pk, ()) if d > plan.start]
        if not held or held[-1] < window.start:
            continue
        found = midways.get(plan.pk, [])
        for number, (before, after) in enumerate(pairwise([plan.start, *held]), start=1):
            if not window.start <= after <= to:
                continue
            i = bisect_right(found, before)
            done = found[i] if i < len(found) and found[i] < after else None
            ref = f"plan {plan.ssd_id} mid-way review between conferences {number} and {number + 1}"
            yield obligation(plan.person_id, ref, after, done, check(done is not None), to)


INDICATOR = register(
    Indicator(
        id="midway_review",
        title="Mid-way reviews between conferences",
        measures=(
            "Intervals between two consecutive conferences of a plan, ending in the window, "
            "with a chair's mid-way review between them"
        ),
        basis="Local: a chair's mid-way review of each plan between conferences",
        timescale_key=None,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "ssd_cp_reviews", "assure_midway_reviews"),
        compute=compute,
    )
)
