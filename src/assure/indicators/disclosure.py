"""What a viewer may see of the trackers' figures: small numbers and named workers.

Figures by worker, and exact counts below `SMALL_COUNT_THRESHOLD` (default 5), are for people
with child-level case data access. Everyone else sees team and partnership figures in which a
count from 1 to 4 reads "fewer than 5", further counts are hidden ("not shown") so that none of
those can be worked out from a total minus the others, and a share is hidden when its
numerator or denominator is (docs/permissions.md, "Small numbers and named workers").

Every tracker output (pages, the charts and their tables) gets its figures from a
`Disclosure`; a hidden count never leaves this module, so no template can show it by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from assure.core.viewer import Viewer

__all__ = ["MET", "TOTAL", "Count", "Counts", "Disclosure", "Row", "Sum"]

COLUMNS = ("met", "late", "overdue", "breach")
MET = 0
TOTAL = len(COLUMNS)  # the index of a line's total (the share's denominator) after its counts
NOT_SHOWN = "not shown"


class Counts(Protocol):
    """Anything with the four counted statuses: a tally, an indicator's figures."""

    @property
    def met(self) -> int: ...
    @property
    def late(self) -> int: ...
    @property
    def overdue(self) -> int: ...
    @property
    def breach(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Count:
    """A count as the viewer may see it: `value` is None when it is hidden, and `words` say why."""

    value: int | None
    words: str = ""

    def __str__(self) -> str:
        return self.words if self.value is None else str(self.value)

    @property
    def hidden(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    """One line of figures (the partnership, a month, a team or a worker) as the viewer sees it.

    `value` is the share done on time, None when nothing was counted or when it is hidden
    (`value_hidden`: it rests on a hidden count).
    """

    name: str
    team: str
    met: Count
    late: Count
    overdue: Count
    breach: Count
    total: Count
    value: float | None
    value_hidden: bool

    @property
    def counts(self) -> tuple[Count, Count, Count, Count]:
        return (self.met, self.late, self.overdue, self.breach)


def _values(counts: Counts) -> list[int]:
    values = [getattr(counts, name) for name in COLUMNS]
    return [*values, sum(values)]


@dataclass(frozen=True)
class Sum:
    """Published figures that some lines of a table add up to, in some of the columns."""

    figures: Counts
    lines: Sequence[int]  # the lines' positions in the table
    columns: Sequence[int] = tuple(range(TOTAL + 1))  # of met, late, overdue, breach, total


@dataclass(frozen=True)
class Disclosure:
    """The rule for one viewer: `exact` (child-level access) sees every figure as it is."""

    exact: bool
    threshold: int

    @classmethod
    def for_viewer(cls, viewer: Viewer) -> Disclosure:
        return cls(
            exact=viewer.can("case_data", "view", child_level=True),
            threshold=settings.SMALL_COUNT_THRESHOLD,
        )

    @property
    def shows_workers(self) -> bool:
        """Figures by named worker are staff performance data: child-level roles only."""
        return self.exact

    @property
    def small(self) -> str:
        """How a small count reads: "fewer than 5"."""
        return f"fewer than {self.threshold}"

    def row(self, counts: Counts, name: str = "", team: str = "") -> Row:
        """One line on its own (the partnership's figures for an indicator)."""
        values = _values(counts)
        return self._row(name, team, values, self._alone(values))

    def table(
        self,
        lines: Sequence[Counts],
        names: Sequence[tuple[str, str]],
        sums: Sequence[Sum] = (),
    ) -> list[Row]:
        """Lines (months, teams) named by `names` (name, team). No hidden count can be worked
        out from its line's total, nor from a published sum of several lines (`sums`)."""
        grid = [_values(line) for line in lines]
        hidden = self._grid(grid, sums)
        return [
            self._row(name, team, values, mask)
            for (name, team), values, mask in zip(names, grid, hidden, strict=True)
        ]

    def workers(self, lines: Sequence[Counts], names: Sequence[tuple[str, str]]) -> list[Row]:
        """Lines by worker, exact, for child-level viewers; nothing for anyone else."""
        if not self.shows_workers:
            return []
        return [self.row(line, name, team) for line, (name, team) in zip(lines, names, strict=True)]

    # ---- suppression -----------------------------------------------------------------------

    def _small(self, value: int) -> bool:
        return not self.exact and 0 < value < self.threshold

    def _alone(self, values: list[int]) -> list[bool]:
        return self._grid([values], ())[0]

    def _grid(self, grid: list[list[int]], sums: Sequence[Sum]) -> list[list[bool]]:
        """Which cells to hide: the counts below the threshold, then more (complementary
        suppression) until no line exposes one, each time hiding the shown cell of that line
        that costs least. A line is a row (its counts and total), or a column of a `Sum`'s
        lines, whose total is published elsewhere: a lone hidden cell there could be worked
        out from that total when shown, and when the total is hidden, it needs two."""
        hidden = [[self._small(v) for v in row] for row in grid]
        if self.exact:
            return hidden
        # Each line: its cells, and whether its total outside the table is hidden (None: a
        # row, whose total is one of its cells).
        lines: list[tuple[list[tuple[int, int]], bool | None]] = [
            ([(r, c) for c in range(TOTAL + 1)], None) for r in range(len(grid))
        ]
        for total in sums:
            published = self.row(total.figures)
            kept = [*(count.hidden for count in published.counts), published.total.hidden]
            lines += [([(r, c) for r in total.lines], kept[c]) for c in total.columns]
        through: dict[tuple[int, int], list[int]] = {}
        for index, (cells, _) in enumerate(lines):
            for cell in cells:
                through.setdefault(cell, []).append(index)

        def exposed(cells: list[tuple[int, int]], outside: bool | None) -> bool:
            found = sum(hidden[r][c] for r, c in cells)
            return found == 1 or (found == 0 and bool(outside))

        def crossing(cell: tuple[int, int], line: int) -> int:
            """0: the other lines through the cell keep two hidden when it is hidden; 1: one
            of them would expose it, but has a cell to pair it with; 2: it has none."""
            worst = 0
            for other in through[cell]:
                if other == line:
                    continue
                rest = [o for o in lines[other][0] if o != cell]
                if any(hidden[r][c] for r, c in rest):
                    continue
                worst = max(worst, 1 if any(grid[r][c] > 0 for r, c in rest) else 2)
            return worst

        def cost(cell: tuple[int, int], line: int) -> tuple[int, ...]:
            r, c = cell
            # Then spare the share (met and the total), then the smallest count.
            return (crossing(cell, line), c in (MET, TOTAL), c != TOTAL, grid[r][c], r, c)

        changed = True
        while changed:
            changed = False
            for index, (cells, outside) in enumerate(lines):
                if not exposed(cells, outside):
                    continue
                shown = [(r, c) for r, c in cells if not hidden[r][c] and grid[r][c] > 0]
                if shown:
                    r, c = min(shown, key=lambda cell: cost(cell, index))
                    hidden[r][c] = True
                    changed = True
        return hidden

    def _row(self, name: str, team: str, values: list[int], hidden: list[bool]) -> Row:
        def count(index: int) -> Count:
            value = values[index]
            if not hidden[index]:
                return Count(value)
            return Count(None, self.small if self._small(value) else NOT_SHOWN)

        total = values[TOTAL]
        value_hidden = hidden[MET] or hidden[TOTAL]
        return Row(
            name,
            team,
            met=count(0),
            late=count(1),
            overdue=count(2),
            breach=count(3),
            total=count(TOTAL),
            value=None if value_hidden or not total else values[MET] / total,
            value_hidden=value_hidden,
        )


# ---- tables of any shape (survey results) ----------------------------------------------------

Cell = tuple[int, int]


def suppress_table(
    grid: Sequence[Sequence[int]], lines: Sequence[Sequence[Cell]], threshold: int
) -> list[list[bool]]:
    """Which cells of a published table to hide for people without exact access.

    `lines` are the groups of cells that add up (each with its total cell among them): a
    count from 1 to `threshold - 1` is hidden, then, while a line has a single hidden cell
    (which its total, or its parts, would give away), the smallest other non-zero cell of that
    line is hidden too, sparing totals while a part can be hidden instead."""
    hidden = [[0 < value < threshold for value in row] for row in grid]
    totals = {line[-1] for line in lines}
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[r][c] for r, c in line) != 1:
                continue
            shown = [(r, c) for r, c in line if not hidden[r][c] and grid[r][c] > 0]
            if shown:
                r, c = min(shown, key=lambda cell: (cell in totals, grid[cell[0]][cell[1]], cell))
                hidden[r][c] = True
                changed = True
    return hidden
