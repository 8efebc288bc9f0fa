"""Each professional with allocated children has formal supervision at least every 4 weeks.

A chain per professional with any allocation (`ssd_involvements`) started on or before `to`
(docs/domain.md section 9): it starts at their earliest allocation's start; each next formal
supervision dated after the previous event is due 28 days after it, and the chain stops at the
first one not held by `to`. Reflective and group supervision do not count, nor anything dated
on or before the chain's start or after `to`. A link whose due date falls when none of the
professional's allocations is open (start <= due <= end; an end after `to` is not known yet)
is void, and the chain ends there.

The obligations are a worker's, not a child's: `person_id` is the professional's id, and the
team and worker breakdowns are the professional's own team and name.
"""

from datetime import date

import polars as pl

from assure.casedata.models import Involvement, Professional, Supervision, Team
from assure.indicators.engine import (
    DEFAULT_TARGET,
    Columns,
    Indicator,
    Window,
    register,
    shared_rows,
)
from assure.indicators.obligations import (
    day_of,
    due_column,
    iso,
    judged,
    links,
    plan_day,
    table,
)

KEY = "supervision_days"
FORMAL = "formal"
FOREVER = date(9999, 12, 31)


def _reach(allocations: pl.DataFrame) -> pl.DataFrame:
    """Each professional's allocations (`plan`, `start`, `end`) sorted by professional and start,
    with `key` (their `plan_day` by start) and `reach`: the latest end of the professional's
    allocations sorted so far. A day is within an allocation of the professional's exactly when
    `reach` is on or after it at the last allocation started on or before it."""
    plans = allocations["plan"]
    return allocations.sort(plan_day(plans, pl.col("start"))).with_columns(
        key=plan_day(plans, pl.col("start")),
        reach=day_of(plan_day(plans, pl.col("end")).cum_max()),
    )


def compute(window: Window) -> Columns:
    to = window.end
    end = pl.col("end_date")
    allocations = _reach(
        table(window, Involvement, "professional_id", "start_date", "end_date")
        .filter(pl.col("start_date") <= to)
        .select(
            plan="professional_id",
            start="start_date",
            # point in time: an end after `to` is not known yet
            end=pl.when(end.is_null() | (end > to)).then(pl.lit(FOREVER)).otherwise(end),
        )
    )
    plan = pl.col("plan")
    starts = allocations.filter(plan.ne_missing(plan.shift(1))).select("plan", first="start")
    sessions = (
        table(window, Supervision, "professional_id", "date", "type")
        .filter(pl.col("type") == FORMAL, pl.col("date") <= to)
        .select(plan="professional_id", date="date")
        .join(starts, on="plan")
        .filter(pl.col("date") > pl.col("first"))
        .select("plan", "date")
    )
    events = pl.concat([starts.select("plan", date="first"), sessions])
    chained = links(events.with_columns(ended=pl.lit(None, dtype=pl.Date)))
    chained = chained.with_columns(due=due_column(KEY, chained["previous"]))
    # The last allocation of the professional started on or before each due date (a chain's
    # links are due after its first allocation started): void unless its reach covers it.
    due_key = chained.select(plan_day(allocations["plan"], pl.col("due"))).to_series()
    last = (allocations["key"].search_sorted(due_key, side="right").cast(pl.Int64) - 1).clip(0)
    found = allocations.select(found="plan", reach="reach")[last]
    chained = pl.concat([chained, found], how="horizontal").with_columns(
        void=~((pl.col("found") == plan) & (pl.col("reach") >= pl.col("due"))).fill_null(False)
    )
    # The chain ends at its first void link (links come by professional, then date).
    voids = pl.col("void").cast(pl.UInt32)
    before = voids.cum_sum() - voids
    at_start = pl.when(plan.ne_missing(plan.shift(1))).then(before).forward_fill()
    chained = chained.filter(before == at_start, pl.col("due") >= window.start)
    chained = chained.with_columns(
        status=pl.when(pl.col("void")).then(pl.lit("void")).otherwise(judged(to))
    )
    ref = pl.concat_str(
        pl.lit("worker "), "person_id", pl.lit(" supervision after "), iso("previous")
    )
    workers = table(window, Professional, "id", "ssd_id").rename(
        {"id": "plan", "ssd_id": "person_id"}
    )
    return Columns(chained, ref, to, people=lambda: workers)


def assign(partnership_id: int, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with each professional's (`person_id`) own `team` (its name in
    `ssd_department` when the professional's department is a team id there) and name."""
    window = Window(partnership_id, date.min, date.max)
    with shared_rows():
        workers = table(window, Professional, "ssd_id", "name", "team")
        teams = table(window, Team, "ssd_id", "name")
    named = workers.join(
        teams.select(team="ssd_id", team_name="name"), on="team", how="left"
    ).select(
        person_id="ssd_id",
        team=pl.when(pl.col("team_name").is_not_null() & (pl.col("team_name") != ""))
        .then(pl.col("team_name"))
        .otherwise(pl.col("team")),
        worker=pl.col("name"),
    )
    return frame.join(named, on="person_id", how="left", maintain_order="left")


INDICATOR = register(
    Indicator(
        id="supervision_4w",
        title="Formal supervision at least every 4 weeks",
        measures=(
            "Formal supervision sessions of professionals with allocated children held within "
            "28 days of their previous session (or of their first allocation)"
        ),
        basis="Local default: formal supervision at least every 4 weeks",
        timescale_key=KEY,
        target=DEFAULT_TARGET,
        tables=("ssd_involvements", "assure_supervision"),
        compute=compute,
        subject="worker",
        assign=assign,
    )
)
