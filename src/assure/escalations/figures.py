"""Escalation figures for a reporting window (domain.md sections 3 and 8), computed in SQL
over all escalations at once: the dashboard, the exports, the command and the measures read
them, so they agree.

- raised: escalations raised in the window; ended: escalations ended in it (any outcome);
- resolved at stage 1: ended in the window, resolved (agreed or changed) without a stage 2;
- stages: each stage belongs to the window of its due date and is judged as at `to` (section
  3): met (ended on or before its due date), late (ended after it, on or before `to`), overdue
  (not ended by `to`); stages due after `to` are upcoming and not counted;
- median working days to resolve: from raised to ended, of those resolved in the window;
- counts by raising and receiving agency, category and month: escalations raised in the window.

Point in time: anything dated after `to` is ignored, as if it had not happened.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import median
from typing import Any

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncMonth

from assure.core import calendar
from assure.escalations.models import RESOLVED, STAGES, Category, Escalation, Stage

STATUSES = ("met", "late", "overdue")


def status(due: date, ended: date | None, to: date) -> str:
    """A stage's section 3 status as at `to` (dates after `to` count as not happened)."""
    done = ended if ended is not None and ended <= to else None
    if done is not None:
        return "met" if done <= due else "late"
    return "upcoming" if due > to else "overdue"


def stage_conditions(to: date) -> dict[str, Q]:
    """The same rule as `status`, as conditions on stages due on or before `to`."""
    return {
        "met": Q(ended__isnull=False, ended__lte=F("due")),
        "late": Q(ended__gt=F("due"), ended__lte=to),
        "overdue": Q(ended__isnull=True) | Q(ended__gt=to),
    }


@dataclass
class Figures:
    start: date
    end: date
    raised: int = 0
    ended: int = 0
    resolved: int = 0
    resolved_at_stage_1: int = 0
    stages: dict[int, dict[str, int]] = field(default_factory=dict)
    median_working_days_to_resolve: float | None = None
    by_raising_agency: list[tuple[str, int]] = field(default_factory=list)
    by_about_agency: list[tuple[str, int]] = field(default_factory=list)
    by_category: list[tuple[str, int]] = field(default_factory=list)  # (category value, count)
    by_month: list[tuple[date, int]] = field(default_factory=list)

    @property
    def share_resolved_at_stage_1(self) -> float | None:
        """Of those resolved in the window, the share resolved at stage 1."""
        return self.resolved_at_stage_1 / self.resolved if self.resolved else None

    @property
    def stages_on_time(self) -> float | None:
        counted = sum(sum(s.values()) for s in self.stages.values())
        met = sum(s["met"] for s in self.stages.values())
        return met / counted if counted else None

    def category_rows(self) -> list[tuple[str, int]]:
        return [(Category(value).label, count) for value, count in self.by_category]

    def to_json(self) -> dict:
        """The document `assure escalations --json` prints (keys are a public contract)."""
        return {
            "raised": self.raised,
            "ended": self.ended,
            "resolved_at_stage_1": self.resolved_at_stage_1,
            "stages": {str(n): dict(counts) for n, counts in self.stages.items()},
            "median_working_days_to_resolve": self.median_working_days_to_resolve,
            "by_about_agency": dict(self.by_about_agency),
            "by_category": dict(self.by_category),
        }


def _counts(rows: Iterable[Any], key: str) -> list[tuple[str, int]]:
    """(name, count) pairs, most first."""
    return sorted(((row[key], row["n"]) for row in rows), key=lambda r: (-r[1], r[0]))


def compute(partnership_id: int, start: date, end: date) -> Figures:
    """The window's figures in seven queries, however many escalations there are."""
    found = Figures(start, end)
    escalations = Escalation.objects.filter(partnership_id=partnership_id)
    raised = escalations.filter(raised_date__range=(start, end))
    ended = escalations.filter(ended_date__range=(start, end)).exclude(outcome="")
    found.raised = raised.count()
    resolved = ended.filter(outcome__in=RESOLVED).annotate(last=Max("stages__number"))
    pairs = list(resolved.values_list("raised_date", "ended_date", "last"))
    found.ended = ended.count()
    found.resolved = len(pairs)
    found.resolved_at_stage_1 = sum(1 for _, _, last in pairs if last == 1)
    if pairs:
        days = Counter((r, e) for r, e, _ in pairs if e is not None)
        spans: list[int] = []
        for (r, e), n in days.items():
            spans += [calendar.working_days_between(r, e)] * n
        found.median_working_days_to_resolve = float(median(spans))
    conditions = stage_conditions(end)
    by_stage: dict[int, dict[str, Any]] = {
        row["number"]: dict(row)
        for row in Stage.objects.filter(partnership_id=partnership_id, due__range=(start, end))
        .values("number")
        .annotate(**{name: Count("pk", filter=q) for name, q in conditions.items()})
        .order_by()
    }
    found.stages = {
        n: {s: by_stage.get(n, {}).get(s, 0) for s in STATUSES}
        for n in sorted(set(STAGES) | set(by_stage))
    }
    found.by_raising_agency = _counts(
        (raised.values(name=F("raised_by_agency__name")).annotate(n=Count("pk")).order_by()),
        "name",
    )
    found.by_about_agency = _counts(
        (raised.values(name=F("about_agency__name")).annotate(n=Count("pk")).order_by()),
        "name",
    )
    found.by_category = _counts(
        (raised.values("category").annotate(n=Count("pk")).order_by()), "category"
    )
    months = dict(
        raised.annotate(month=TruncMonth("raised_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("month", "n")
    )
    found.by_month = _month_rows(start, end, months)
    return found


def _month_rows(start: date, end: date, counts: dict) -> list[tuple[date, int]]:
    """Every calendar month of the window with its count (0 where none was raised)."""
    by_month = {(m.year, m.month): n for m, n in counts.items()}
    rows, first = [], start.replace(day=1)
    while first <= end:
        rows.append((first, by_month.get((first.year, first.month), 0)))
        first = calendar.add_months(first, 1)
    return rows
