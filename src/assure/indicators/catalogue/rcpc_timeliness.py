"""Review conferences on time: first within 3 months of the ICPC, then at most 6 months apart.

A chain per plan from its start (the initial or transfer-in conference): the first review is due
3 months after the start, each later one 6 months after the previous conference. Only a review
conference ends a plan: after the review that ends it no more are due. A plan ending otherwise
(or the child dying) before the next review falls due makes that obligation void.
"""

from collections.abc import Iterator

from assure.indicators.engine import DEFAULT_TARGET, Indicator, Obligation, Window, register
from assure.indicators.obligations import (
    chain,
    deaths,
    due_map,
    earliest_start,
    obligation,
    plans,
    review_dates,
    void_from,
)

KEY = "rcpc_interval_months"
FIRST_KEY = "rcpc_first_months"


def compute(window: Window) -> Iterator[Obligation]:
    to = window.end
    lower = min(earliest_start(KEY, window.start), earliest_start(FIRST_KEY, window.start))
    live = [plan for plan in plans(window) if plan.end is None or plan.end >= lower]
    reviews = review_dates(window)
    firsts = due_map(FIRST_KEY, (plan.start for plan in live))
    dues = due_map(KEY, (d for plan in live for d in reviews.get(plan.pk, ())))
    died = deaths(window)
    for plan in live:
        held = [d for d in reviews.get(plan.pk, ()) if d > plan.start]
        ended = void_from(to, plan.end, died.get(plan.person_pk))
        for link in chain(plan.start, held, dues, to, ended, first_due=firsts[plan.start]):
            if link.due < window.start:
                continue
            ref = f"plan {plan.ssd_id} review {link.number}"
            yield obligation(plan.person_id, ref, link.due, link.done, link.status, to)


INDICATOR = register(
    Indicator(
        id="rcpc_timeliness",
        title="Review conferences on time",
        measures=(
            "Review child protection conferences held within 3 months of the initial "
            "conference, then within 6 months of the previous conference"
        ),
        basis="Statutory: Working Together to Safeguard Children",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_cp_plans", "ssd_cp_reviews"),
        compute=compute,
    )
)
