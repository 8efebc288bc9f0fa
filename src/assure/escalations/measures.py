"""Escalation measures a recommendation can link to (recommendation 7 of the seed: raise
awareness of the protocol), valued over the last twelve months from the escalation figures.

`KIND` registers them with `reviews.measures` (when the app is ready): the latest twelve
months judge the embedded rule and the slip check; the assurance report compares the 12
months before the recommendations were accepted with the months since, month by month.
"""

from dataclasses import dataclass
from datetime import date

from django.urls import reverse

from assure.core.calendar import add_months
from assure.escalations import figures
from assure.reports.impact import pooled_months, windows
from assure.reviews.measures import Kind, Reading

PREFIX = "escalation:"
MEASURES = {  # id -> its words under the kind's heading
    f"{PREFIX}resolved_stage_1": "share of those resolved at stage 1",
    f"{PREFIX}stages_on_time": "share of stages resolved within their timescale",
}


@dataclass(frozen=True)
class EscalationMeasure:
    id: str
    title: str
    value: float | None  # None: nothing to count in the window
    start: date
    end: date


def choices() -> list[tuple[str, str]]:
    return list(MEASURES.items())


def values(partnership_id: int, ids: list[str], today: date) -> dict[str, EscalationMeasure]:
    """Each escalation measure among `ids`, over the twelve months up to today (one
    computation of the figures however many are linked)."""
    wanted = [i for i in dict.fromkeys(ids) if i in MEASURES]
    if not wanted:
        return {}
    start = add_months(today, -12)
    found = figures.compute(partnership_id, start, today)
    value = {
        f"{PREFIX}resolved_stage_1": found.share_resolved_at_stage_1,
        f"{PREFIX}stages_on_time": found.stages_on_time,
    }
    return {
        i: EscalationMeasure(i, KIND.label(MEASURES[i]), value[i], start, today) for i in wanted
    }


def readings(partnership_id: int, ids: list[str], today: date) -> dict[str, Reading]:
    """Each escalation measure among `ids` over the last twelve months (the default target)."""
    link = reverse("escalations:dashboard")
    return {
        measure: Reading(
            measure,
            figure.title,
            figure.value,
            False,
            figure.end,
            f"{figure.start:%-d %B %Y} to {figure.end:%-d %B %Y}",
            link,
        )
        for measure, figure in values(partnership_id, ids, today).items()
    }


def counts(measure: str, found: figures.Figures) -> tuple[int, int]:
    """(met, counted) of the measure: resolved at stage 1 of those resolved, or stages
    resolved within their timescale of those counted."""
    if measure == f"{PREFIX}resolved_stage_1":
        return found.resolved_at_stage_1, found.resolved
    stages = found.stages.values()
    return sum(s["met"] for s in stages), sum(sum(s.values()) for s in stages)


def impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """The 12 months before acceptance pooled against the complete months since, month by
    month (small counts hidden as in the trackers)."""
    if measure not in MEASURES:
        return None
    before, since = windows(accepted, as_at)
    counted = {
        month.start: counts(measure, figures.compute(partnership_id, month.start, month.end))
        for month in before + since
    }
    return pooled_months(
        {
            "id": measure,
            "title": KIND.label(MEASURES[measure]),
            "target": None,
            "about": "Each month's share and how many were counted, from the escalations "
            "recorded in Assure.",
        },
        before,
        since,
        counted,
        nothing_before="No test: no escalation was counted in the 12 months before the "
        "recommendation was accepted.",
        nothing_since="No test: nothing counted yet in a complete month since the "
        "recommendation was accepted.",
    )


KIND = Kind(
    PREFIX,
    "Escalations",
    ("escalation", "view"),
    lambda partnership_id: choices(),
    readings=readings,
    impact=impact,
)
