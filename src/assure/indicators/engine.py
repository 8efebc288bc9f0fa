"""The indicator engine: obligations, windows, results and the catalogue registry.

Every indicator of docs/domain.md section 4 is declared once, in its own module of
`assure.indicators.catalogue`, as an `Indicator` whose `compute` turns the partnership's case
data into `Obligation`s (section 3). The engine keeps those that belong to the reporting window
and counts them. The same results drive the command line, the JSON and the pages.
"""

from __future__ import annotations

import contextvars
import dataclasses
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import polars as pl
from django.conf import settings

from assure.casedata.models import ImportSnapshot

__all__ = [
    "DEFAULT_TARGET",
    "LISTING",
    "REGISTRY",
    "STATUSES",
    "Columns",
    "Figures",
    "Indicator",
    "Obligation",
    "Result",
    "Status",
    "Window",
    "cached",
    "compute",
    "compute_all",
    "current_snapshot",
    "listing_of",
    "load_catalogue",
    "obligations_of",
    "register",
    "reported",
    "shared_rows",
    "with_target",
]

Status = Literal["met", "late", "overdue", "breach", "upcoming", "void"]
STATUSES: tuple[Status, ...] = ("met", "late", "overdue", "breach", "upcoming", "void")
# The columns of an indicator's obligations as a frame (`Result.listing`): an `Obligation`'s,
# and `ended`, the date on or before `to` that its reason went (the plan ended, the child
# died), for an obligation that cannot be met once that happens; null for others.
OBLIGATION = ("person_id", "ref", "due", "done", "status")
LISTING = {
    "person_id": pl.String,
    "ref": pl.String,
    "due": pl.Date,
    "done": pl.Date,
    "status": pl.String,
    "ended": pl.Date,
}
DEFAULT_TARGET = 0.9
THREADS = 2  # indicators computed at once by `compute_all`


@dataclass(frozen=True, slots=True)
class Obligation:
    """Something that had to happen by a due date, for one child, and what became of it."""

    person_id: str  # the case system's person id (Person.ssd_id)
    ref: str  # names the plan, conference, meeting or assessment
    due: date | None  # None for checks without a due date (breach or met at `to`)
    done: date | None
    status: Status

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "ref": self.ref,
            "due": self.due.isoformat() if self.due else None,
            "done": self.done.isoformat() if self.done else None,
            "status": self.status,
        }


@dataclass(frozen=True)
class Window:
    """The reporting window [start, end]: `end` is the `to` date everything is judged at."""

    partnership_id: int
    start: date
    end: date


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    measures: str
    basis: str  # statutory or local, in words
    timescale_key: str | None  # the versioned timescale it reads
    target: float  # default 0.9; ASSURE_INDICATOR_TARGETS overrides it
    tables: tuple[str, ...]  # contract tables it needs
    compute: Callable[[Window], Columns]
    # Whose obligations these are: "child" (`person_id` is the child's), or "worker" for a
    # staff indicator, whose `person_id` is the professional's id in the case system.
    subject: Literal["child", "worker"] = "child"
    # For a worker indicator: (partnership id, frame with `person_id`) -> the frame with the
    # `team` and `worker` of each professional (children are allocated by `obligations.allocate`).
    assign: Callable[[int, pl.DataFrame], pl.DataFrame] | None = None


_new = object.__new__
_SET = tuple(
    getattr(Obligation, name).__set__ for name in ("person_id", "ref", "due", "done", "status")
)


def _make(
    person_id: str, ref: str, due: date | None, done: date | None, status: Status
) -> Obligation:
    """An Obligation built through its slots (the frozen dataclass's __init__ costs more)."""
    made = _new(Obligation)
    set_person, set_ref, set_due, set_done, set_status = _SET
    set_person(made, person_id)
    set_ref(made, ref)
    set_due(made, due)
    set_done(made, done)
    set_status(made, status)
    return made


def reported(start: date, end: date) -> pl.Expr:
    """Whether an obligation is reported for the window [start, end]: due in it, a check
    without a due date, or upcoming after it."""
    due = pl.col("due")
    return (
        due.is_null()
        | due.is_between(start, end)
        | ((pl.col("status") == "upcoming") & (due > end))
    )


class Columns:
    """An indicator's obligations as columns, made into `Obligation`s only when listed.

    `frame` has a `due` and a `done` date column and a `status` text column, and either the
    child's `person_id` or a key to it. `people` gives, when the obligations are listed, a
    frame whose first column is that key (`person_pk`, or `plan`, ...) and the others the text
    the listing needs: the case system's `person_id` and any column `ref` names that `frame`
    lacks. `ref` is the expression naming each obligation, worked out only when they are
    listed. Counting needs none of these, so the catalogue's figures never carry the text, nor
    build the hundreds of thousands of objects, behind them. `ended` names the frame's column
    of the date (on or before `to`) the obligations' reason went, when they cannot be met after
    it (`LISTING`).
    """

    def __init__(
        self,
        frame: pl.DataFrame,
        ref: pl.Expr,
        to: date,
        people: Callable[[], pl.DataFrame] | None = None,
        ended: str | None = None,
    ) -> None:
        self.frame = frame
        self.ref = ref
        self.to = to
        self.people = people
        self.ended = ended

    def counts(self, where: pl.Expr | None = None) -> dict[str, int]:
        """How many obligations (those `where` is true for, when given) have each status."""
        frame = self.frame.lazy()
        if where is not None:
            frame = frame.filter(where)
        return dict(frame.group_by("status").len().collect().iter_rows())

    def listing(self, where: pl.Expr | None = None) -> pl.DataFrame:
        """The obligations (those `where` is true for, when given) as a `LISTING` frame in the
        engine's order: by due date (checks last), child and ref."""
        frame = self.frame if where is None else self.frame.filter(where)
        if self.people is not None:
            people = self.people()
            frame = frame.join(people, on=people.columns[0], how="left", maintain_order="left")
        if "person_id" not in frame.columns:
            frame = frame.with_columns(person_id=pl.lit(None, dtype=pl.String))
        ended = pl.col(self.ended) if self.ended else pl.lit(None, dtype=pl.Date)
        # A done date after `to` had not happened yet.
        frame = frame.with_columns(
            ref=self.ref,
            ended=pl.when(ended <= self.to).then(ended),
            done=pl.when(pl.col("done") <= self.to).then(pl.col("done")),
            person_id=pl.col("person_id").fill_null(""),
        )
        return (
            frame.select(list(LISTING))
            .cast(LISTING)  # type: ignore[arg-type]
            .sort("due", "person_id", "ref", nulls_last=True)
        )


def listing_of(obligations: Iterable[Obligation]) -> pl.DataFrame:
    """Obligations as a `LISTING` frame, in the order given (with no `ended` dates)."""
    rows = [(o.person_id, o.ref, o.due, o.done, o.status, None) for o in obligations]
    return pl.DataFrame(rows, schema=LISTING, orient="row")


def obligations_of(listing: pl.DataFrame) -> list[Obligation]:
    """The rows of a `LISTING` frame as `Obligation`s."""
    return [_make(*row) for row in listing.select(OBLIGATION).iter_rows()]


@dataclass
class Figures:
    """An indicator's counts and value for a window (what the catalogue stores and shows)."""

    indicator: Indicator
    met: int
    late: int
    overdue: int
    breach: int
    upcoming: int
    void: int
    value: float | None  # met / (met + late + overdue + breach); None when 0 or no data
    has_data: bool  # False when a table it needs is not in the current snapshot

    @property
    def denominator(self) -> int:
        return self.met + self.late + self.overdue + self.breach


class Result(Figures):
    """Figures with the obligations behind them, listed when first asked for."""

    def __init__(
        self,
        indicator: Indicator,
        met: int,
        late: int,
        overdue: int,
        breach: int,
        upcoming: int,
        void: int,
        value: float | None,
        has_data: bool,
        obligations: pl.DataFrame | Callable[..., pl.DataFrame],
    ) -> None:
        super().__init__(indicator, met, late, overdue, breach, upcoming, void, value, has_data)
        self._obligations: list[Obligation] | None = None
        self._listing: pl.DataFrame | None = None
        if isinstance(obligations, pl.DataFrame):
            self._listing = obligations
            obligations = obligations.filter
        self._make_listing = obligations  # called with a `where` expression, or none

    def listing(self, where: pl.Expr | None = None) -> pl.DataFrame:
        """The obligations (those `where` is true for, when given) as a `LISTING` frame: pages
        regroup these without making objects. `where` may use `due`, `done` and `status`."""
        if self._listing is None:
            if where is not None:
                return self._make_listing(where)
            self._listing = self._make_listing()
        return self._listing if where is None else self._listing.filter(where)

    @property
    def obligations(self) -> list[Obligation]:
        """In the window (due in [from, to]), checks, and upcoming; listed when first asked."""
        if self._obligations is None:
            self._obligations = obligations_of(self.listing())
        return self._obligations

    def to_json(self, detail: bool) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.indicator.id,
            "title": self.indicator.title,
            "met": self.met,
            "late": self.late,
            "overdue": self.overdue,
            "breach": self.breach,
            "upcoming": self.upcoming,
            "value": self.value,
            "target": self.indicator.target,
        }
        if detail:
            data["obligations"] = [o.to_json() for o in self.obligations]
        return data


REGISTRY: dict[str, Indicator] = {}


def register(indicator: Indicator) -> Indicator:
    """Add an indicator to the catalogue (its module calls this once, at import)."""
    if indicator.id in REGISTRY and REGISTRY[indicator.id] is not indicator:
        raise ValueError(f"Indicator {indicator.id!r} is registered twice")
    REGISTRY[indicator.id] = indicator
    return indicator


_SHARED: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar(
    "assure_indicator_rows", default=None
)


@contextmanager
def shared_rows() -> Iterator[None]:
    """Inside this block, `cached` rows are read once and shared between indicators (a block
    inside another shares the outer one's)."""
    if _SHARED.get() is not None:
        yield
        return
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def cached[T](key: tuple[Any, ...], load: Callable[[], T]) -> T:
    """load(), remembered under key for the current `shared_rows` block (if any)."""
    store = _SHARED.get()
    if store is None:
        return load()
    if key not in store:
        store[key] = load()
    return store[key]


def current_snapshot(partnership_id: int) -> ImportSnapshot | None:
    """The partnership's current snapshot (read once per `shared_rows` block)."""
    return cached(("snapshot", partnership_id), lambda: ImportSnapshot.current(partnership_id))


def with_target(indicator: Indicator) -> Indicator:
    """The indicator with its target from ASSURE_INDICATOR_TARGETS, if that setting names it."""
    targets = getattr(settings, "ASSURE_INDICATOR_TARGETS", {}) or {}
    if indicator.id in targets:
        return dataclasses.replace(indicator, target=float(targets[indicator.id]))
    return indicator


def _result(indicator: Indicator, window: Window, snapshot: ImportSnapshot | None) -> Result:
    indicator = with_target(indicator)
    if snapshot is None or not all(snapshot.has_table(t) for t in indicator.tables):
        return Result(indicator, 0, 0, 0, 0, 0, 0, None, False, listing_of([]))
    columns = indicator.compute(window)
    shown = reported(window.start, window.end)
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    counts.update(columns.counts(shown))
    denominator = counts["met"] + counts["late"] + counts["overdue"] + counts["breach"]
    value = counts["met"] / denominator if denominator else None

    def listing(where: pl.Expr | None = None) -> pl.DataFrame:
        """Those reported for the window (`reported`), picked out when they are listed."""
        return columns.listing(shown if where is None else shown & where)

    return Result(indicator, **counts, value=value, has_data=True, obligations=listing)


def _check_dates(start: date, end: date) -> None:
    if start > end:
        raise ValueError(
            f"The window starts ({start.isoformat()}) after it ends ({end.isoformat()})."
        )


def _indicator(indicator_id: str) -> Indicator:
    load_catalogue()
    try:
        return REGISTRY[indicator_id]
    except KeyError:
        raise KeyError(
            f"Unknown indicator {indicator_id!r}; known: {', '.join(REGISTRY)}"
        ) from None


def compute(indicator_id: str, partnership_id: int, start: date, end: date) -> Result:
    """One indicator for the window [start, end], judged as at `end`."""
    indicator = _indicator(indicator_id)
    _check_dates(start, end)
    window = Window(partnership_id, start, end)
    with shared_rows():
        return _result(indicator, window, current_snapshot(partnership_id))


def compute_all(partnership_id: int, start: date, end: date) -> list[Result]:
    """Every indicator in catalogue order; rows several indicators need are read once.

    The tables are fetched first, then the indicators are computed on `THREADS` threads
    (polars releases the interpreter while it works, and most steps are too small to use
    several cores on their own).
    """
    from assure.indicators.obligations import offline, prefetch

    _check_dates(start, end)
    window = Window(partnership_id, start, end)
    load_catalogue()

    with shared_rows():
        snapshot = current_snapshot(partnership_id)

        def one(indicator: Indicator) -> Result:
            with offline():
                return _result(indicator, window, snapshot)

        prefetch(window)
        # Each task runs in a copy of this context, sharing the rows read above.
        tasks = [(contextvars.copy_context(), indicator) for indicator in REGISTRY.values()]
        with ThreadPoolExecutor(THREADS, thread_name_prefix="indicators") as pool:
            return list(pool.map(lambda task: task[0].run(one, task[1]), tasks))


def load_catalogue() -> dict[str, Indicator]:
    """Import the catalogue (its modules register themselves, in order); the app does at start."""
    import assure.indicators.catalogue  # noqa: F401

    return REGISTRY
