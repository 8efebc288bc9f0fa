"""Escalation measures a recommendation can link to (recommendation 7 of the seed: raise
awareness of the protocol), valued over the last twelve months from the escalation figures."""

from dataclasses import dataclass
from datetime import date

from assure.core.calendar import add_months
from assure.escalations import figures

PREFIX = "escalation:"
MEASURES = {
    f"{PREFIX}resolved_stage_1": "Escalations: share of those resolved at stage 1",
    f"{PREFIX}stages_on_time": "Escalations: share of stages resolved within their timescale",
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
    return {i: EscalationMeasure(i, MEASURES[i], value[i], start, today) for i in wanted}
