"""Overall grades of finished audits by tool and month, as a viewer may see them.

Used by the QA dashboard (its chart and table) and by a recommendation linked to an audit tool
(`"audit:<slug>"` in `Recommendation.measures`): has the change stuck, by the share of audits
graded good or outstanding.

Small numbers, as the trackers' (indicators.disclosure): people without child-level audit
access see a count from 1 to `SMALL_COUNT_THRESHOLD - 1` as "fewer than 5"; a second count of
the line is then hidden ("not shown") so the first cannot be worked out from the total; the
share good-or-better is hidden when it rests on fewer audits than the threshold or would give
away a hidden count.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count as Counted
from django.db.models import QuerySet

from assure.audits.models import GRADE_ORDER, Audit, Grade, Tool

MEASURE_PREFIX = "audit:"
GOOD_OR_BETTER = (Grade.OUTSTANDING.value, Grade.GOOD.value)
TARGET = 0.8  # share graded good or outstanding that a month should reach
MONTHS_SHOWN = 6
NOT_SHOWN = "not shown"
# Grades whose hidden-ness must match for the share not to give one away: the share tells
# outstanding + good, and so requires improvement + inadequate.
_PAIRS = ((0, 1), (2, 3))


def measure_id(slug: str) -> str:
    return f"{MEASURE_PREFIX}{slug}"


def slugs_in(measures: Iterable[str]) -> list[str]:
    """The audit tool slugs among a recommendation's measures, in order."""
    return [m.removeprefix(MEASURE_PREFIX) for m in measures if m.startswith(MEASURE_PREFIX)]


def count_words(value: int, *, exact: bool, threshold: int) -> str:
    """A count standing alone (no total to work it out from), as the viewer may see it."""
    return f"fewer than {threshold}" if not exact and 0 < value < threshold else str(value)


@dataclass(frozen=True)
class GradeLine:
    """One tool's month: each grade's count (in GRADE_ORDER) and the number finished, as words
    the viewer may see, the exact figures drawn only when shown (None: hidden), and the share
    graded good or outstanding (None: none finished, or `share_hidden`)."""

    month: str  # YYYY-MM
    counts: list[str]
    values: list[int | None]
    finished: str
    share: float | None
    share_hidden: bool

    @property
    def at_target(self) -> bool:
        return self.share is not None and self.share >= TARGET


def disclose(month: str, counts: Mapping[str, int], *, exact: bool, threshold: int) -> GradeLine:
    """A line of grade counts as a viewer may see it (`exact`: child-level access)."""
    values = [counts.get(grade, 0) for grade in GRADE_ORDER]
    total = sum(values)
    better = values[0] + values[1]

    def small(value: int) -> bool:
        return not exact and 0 < value < threshold

    hidden = [small(v) for v in values]
    if sum(hidden) == 1:
        # One hidden count is the total minus the others: hide another, its pair first (so the
        # share can stay), else the smallest.
        lone = hidden.index(True)
        partner = next(b if a == lone else a for a, b in _PAIRS if lone in (a, b))
        shown = [i for i, v in enumerate(values) if not hidden[i] and v > 0]
        if shown:
            pick = partner if partner in shown else min(shown, key=lambda i: (values[i], i))
            hidden[pick] = True
    share_hidden = (
        not exact
        and total > 0
        and (
            total < threshold
            or small(better)
            or small(total - better)
            or any(hidden[a] != hidden[b] for a, b in _PAIRS)
        )
    )

    def words(index: int) -> str:
        if not hidden[index]:
            return str(values[index])
        return f"fewer than {threshold}" if small(values[index]) else NOT_SHOWN

    return GradeLine(
        month=month,
        counts=[words(i) for i in range(len(values))],
        values=[None if hidden[i] else v for i, v in enumerate(values)],
        finished=f"fewer than {threshold}" if small(total) else str(total),
        share=None if share_hidden or not total else better / total,
        share_hidden=share_hidden,
    )


def grade_counts(audits: QuerySet[Audit]) -> dict[tuple[str, str, str], dict[str, int]]:
    """{(tool slug, tool name, YYYY-MM): {grade: count}} over the finished ones (one query)."""
    finished = audits.filter(status=Audit.Status.FINISHED)
    cells: dict[tuple[str, str, str], dict[str, int]] = defaultdict(dict)
    for row in (
        finished.values(
            "programme__tool_version__tool__slug",
            "programme__tool_version__tool__name",
            "programme__month",
            "overall_grade",
        )
        .annotate(n=Counted("id"))
        .order_by()
    ):
        key = (
            row["programme__tool_version__tool__slug"],
            row["programme__tool_version__tool__name"],
            f"{row['programme__month']:%Y-%m}",
        )
        grade = row["overall_grade"]
        cells[key][grade] = cells[key].get(grade, 0) + row["n"]
    return cells


@dataclass(frozen=True)
class AuditTrend:
    """A linked audit tool's latest months, as the viewer may see them."""

    id: str  # "audit:<slug>"
    title: str
    target: float
    months: list[GradeLine]

    @property
    def latest(self) -> GradeLine | None:
        return self.months[-1] if self.months else None


def audit_trends(partnership_id: int, measures: Iterable[str], *, exact: bool) -> list[AuditTrend]:
    """Each audit tool among `measures` (known to the partnership), with its latest months that
    have finished audits, in two queries however many audits there are."""
    slugs = list(dict.fromkeys(slugs_in(measures)))
    if not slugs:
        return []
    names = dict(
        Tool.objects.filter(partnership_id=partnership_id, slug__in=slugs).values_list(
            "slug", "name"
        )
    )
    by_tool: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for (slug, _, month), counts in grade_counts(
        Audit.objects.filter(
            partnership_id=partnership_id, programme__tool_version__tool__slug__in=list(names)
        )
    ).items():
        by_tool[slug][month] = counts
    threshold = settings.SMALL_COUNT_THRESHOLD
    trends = []
    for slug in slugs:
        if slug not in names:
            continue
        months = sorted(by_tool[slug])[-MONTHS_SHOWN:]
        trends.append(
            AuditTrend(
                measure_id(slug),
                names[slug],
                TARGET,
                [disclose(m, by_tool[slug][m], exact=exact, threshold=threshold) for m in months],
            )
        )
    return trends
