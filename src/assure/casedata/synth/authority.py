"""The synthetic authority: one seeded generator, its staff, then its children one at a time."""

import random
from collections.abc import Iterator
from datetime import date, timedelta

from assure.casedata.contract import TABLES
from assure.casedata.synth.child import ChildBuilder
from assure.casedata.synth.dates import DEFAULT_AS_OF, awd
from assure.casedata.synth.records import ChildRecord
from assure.casedata.synth.staff import Professional, Team
from assure.casedata.synth.vocabulary import FORENAMES, SURNAMES
from assure.core.calendar import add_months


class _Counter:
    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        n = self.counts.get(prefix, 0) + 1
        self.counts[prefix] = n
        return f"{prefix}-{n:06d}"


class Synthesiser:
    """Generates the authority's staff, then its children one at a time."""

    def __init__(self, children: int, seed: int, as_of: date = DEFAULT_AS_OF) -> None:
        if children < 1:
            raise ValueError("children must be at least 1")
        self.children = children
        self.seed = seed
        self.as_of = as_of
        # One seeded generator drives everything: reproducible, never the global random state.
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
        self.ids = _Counter()
        # The contract's tables, in its order: each child's rows are kept by table.
        self.tables = tuple(t.name for t in TABLES)
        self.window_start = add_months(as_of, -36)
        self.teams: list[Team] = []
        self.professionals: list[Professional] = []
        self._make_staff()

    # ---- staff ---------------------------------------------------------------------------

    def _make_staff(self) -> None:
        rng = self.rng
        n = self.children
        teams_each = max(3, min(40, n // 4000 + 2))
        services = (
            ("S01", "Assessment and Front Door Service", "assessment", "Assessment Team"),
            ("S02", "Protection and Court Service", "protection", "Protection and Court Team"),
        )
        for parent_id, parent_name, kind, label in services:
            for k in range(1, teams_each + 1):
                self.teams.append(
                    Team(
                        f"T{len(self.teams) + 1:03d}", f"{label} {k}", parent_id, parent_name, kind
                    )
                )
        self.teams.append(
            Team(
                f"T{len(self.teams) + 1:03d}",
                "Conference and Review Team",
                "S03",
                "Safeguarding Quality Service",
                "conference",
            )
        )
        self.teams.append(
            Team(
                f"T{len(self.teams) + 1:03d}",
                "Legal Gateway Team",
                "S02",
                "Protection and Court Service",
                "legal",
            )
        )

        def person_name() -> str:
            return f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"

        def add(title: str, team: Team) -> Professional:
            prof = Professional(
                f"PR{len(self.professionals) + 1:05d}", person_name(), title, team.team_id
            )
            self.professionals.append(prof)
            return prof

        self.workers: dict[str, list[Professional]] = {}
        workers_per_team = max(4, n // (teams_each * 2 * 60))
        for team in self.teams:
            if team.kind in ("assessment", "protection"):
                add("Team Manager", team)
                self.workers[team.team_id] = [
                    add("Social Worker", team) for _ in range(workers_per_team)
                ]
        conference = next(t for t in self.teams if t.kind == "conference")
        self.chairs = [
            add("Independent Conference Chair", conference) for _ in range(max(4, n // 1500))
        ]
        self.advisers = [
            add("Child Protection Adviser", conference) for _ in range(max(2, n // 8000))
        ]
        self.assessment_teams = [t for t in self.teams if t.kind == "assessment"]
        self.protection_teams = [t for t in self.teams if t.kind == "protection"]

    def staff_rows(self) -> dict[str, list[dict[str, str]]]:
        return {
            "ssd_department": [
                {
                    "dept_team_id": t.team_id,
                    "dept_team_name": t.name,
                    "dept_team_parent_id": t.parent_id,
                    "dept_team_parent_name": t.parent_name,
                }
                for t in self.teams
            ],
            "ssd_professionals": [
                {
                    "prof_professional_id": p.prof_id,
                    "prof_professional_name": p.name,
                    "prof_professional_job_title": p.job_title,
                    "prof_professional_department": p.team_id,
                }
                for p in self.professionals
            ],
        }

    # ---- helpers --------------------------------------------------------------------------

    def _weighted(self, pairs: tuple[tuple[str, int], ...]) -> str:
        total = sum(w for _, w in pairs)
        r = self.rng.random() * total
        for value, weight in pairs:
            r -= weight
            if r < 0:
                return value
        return pairs[-1][0]

    def _days(self, lo: int, hi: int) -> timedelta:
        return timedelta(days=self.rng.randint(lo, hi))

    def _after(
        self, d: date, met: float, late: float, ok: tuple[int, int], slow: tuple[int, int]
    ) -> date | None:
        """A follow-up `ok` working days after d (probability met), `slow` (late) or never."""
        r = self.rng.random()
        if r < met:
            return awd(d, self.rng.randint(*ok))
        if r < met + late:
            return awd(d, self.rng.randint(*slow))
        return None

    def _known(self, d: date | None) -> date | None:
        """A date as the extract knows it: nothing after the as-of date has happened yet."""
        return d if d is not None and d <= self.as_of else None

    # ---- children -------------------------------------------------------------------------

    def children_records(self) -> Iterator[ChildRecord]:
        for i in range(1, self.children + 1):
            yield ChildBuilder(self, i).build()
