"""Who each built-in tool may sample in a month, their teams, and the seeded draw.

The month is March 2026 throughout: 1 to 31 March. A plan or flag is open from its start date up
to the day before its end date (so one ending on 1 March was last open on 28 February).
"""

from datetime import date

import pytest

from assure.audits.sampling import (
    MissingData,
    SampledChild,
    UnknownTool,
    draw_sample,
    eligible_people,
)
from assure.casedata.models import ImportSnapshot
from assure.indicators.tests.builders import Case

MARCH = date(2026, 3, 1)
PLAN_TOOLS = ("cp-plan-quality", "core-groups", "management-oversight")


def current(partnership) -> ImportSnapshot:
    snapshot = ImportSnapshot.current(partnership)
    assert snapshot is not None
    return snapshot


@pytest.mark.parametrize("tool", PLAN_TOOLS)
def test_plan_tools_take_children_with_a_plan_open_in_the_month(partnership, tool):
    case = Case()
    case.team("T-A", "Assessment team A")
    case.plan("CPP1", "P1", "2026-02-10")  # open all March
    case.involvement("I1", "P1", "W1", "T-A", "2026-01-01")  # team id: named by ssd_department
    case.plan("CPP2", "P2", "2025-06-01", end="2026-03-01")  # last open 28 Feb: not eligible
    case.plan("CPP3", "P3", "2026-03-31")  # opens on the month's last day
    case.involvement("I3", "P3", "W1", "Team B", "2026-04-01")  # allocated after: Unallocated
    # Ends Sun 15 March, so last open Sat 14 March: the team on that day counts, not later ones.
    case.plan("CPP4", "P4", "2025-01-01", end="2026-03-15")
    case.involvement("I4a", "P4", "W1", "Team A", "2025-01-01", end="2026-03-10")
    case.involvement("I4b", "P4", "W2", "Team B", "2026-03-12")
    case.involvement("I4c", "P4", "W3", "Team C", "2026-03-20")
    case.plan("CPP5", "P5", "2026-04-01")  # starts after March
    case.person("P6", death="2026-02-20")
    case.plan("CPP6", "P6", "2025-01-01")  # never ended, but the child died in February
    case.plan("CPP7", "P7", "2025-01-01", end="2026-02-28")
    # Two plans in March: the later last day (31 March) decides the team (Team C).
    case.plan("CPP8a", "P8", "2025-01-01", end="2026-03-05")
    case.plan("CPP8b", "P8", "2026-03-20")
    case.involvement("I8a", "P8", "W1", "Team A", "2025-01-01", end="2026-03-10")
    case.involvement("I8b", "P8", "W3", "Team C", "2026-03-11")
    case.load(partnership)

    assert eligible_people(current(partnership), tool, MARCH) == {
        "P1": "Assessment team A",
        "P3": "Unallocated",
        "P4": "Team B",
        "P8": "Team C",
    }


def test_conference_minutes_takes_conferences_held_in_the_month(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-03-05")
    case.icpc("ICPC1", "P1", "2026-03-05", plan="CPP1")  # initial conference in March
    case.plan("CPP2", "P2", "2025-10-01")
    case.review("R2", "P2", "CPP2", "2026-03-31")  # review conference on the last day
    case.plan("CPP3", "P3", "2025-10-01")
    case.icpc("ICPC3", "P3", "2026-02-28")  # February
    case.review("R3", "P3", "CPP3", "2026-04-01")  # April
    case.icpc("ICPC4", "P4", "2026-03-02", transfer_in=True)  # a transfer-in conference counts
    case.involvement("I2", "P2", "W1", "Team B", "2025-01-01")
    case.load(partnership)

    assert eligible_people(current(partnership), "conference-minutes", MARCH) == {
        "P1": "Unallocated",
        "P2": "Team B",
        "P4": "Unallocated",
    }


def test_csafe_takes_children_with_a_csafe_flag_open_in_the_month(partnership):
    case = Case()
    case.flag("F1", "P1", "2026-01-01")
    case.flag("F2", "P2", "2026-01-01", code="MISSING")  # another flag
    # Ends Mon 2 March: open on 1 March only, so the team on 1 March counts.
    case.flag("F3", "P3", "2025-06-01", end="2026-03-02")
    case.involvement("I3a", "P3", "W1", "Team A", "2025-06-01", end="2026-03-01")
    case.involvement("I3b", "P3", "W2", "Team B", "2026-03-02")
    case.flag("F4", "P4", "2026-03-10", code="csafe")  # code in any case
    case.flag("F5", "P5", "2025-06-01", end="2026-03-01")  # last open 28 February
    case.load(partnership)

    assert eligible_people(current(partnership), "csafe", MARCH) == {
        "P1": "Unallocated",
        "P3": "Team A",
        "P4": "Unallocated",
    }


def test_legal_planning_takes_requests_and_pre_proceedings_decisions_in_the_month(partnership):
    case = Case()
    case.legal("L1", "P1", "2026-03-10")
    case.pre_proceedings("PP2", "P2", "2026-03-20")
    # Requested in February, decided in March: the request is what counts.
    case.legal("L3", "P3", "2026-02-27", decision_date="2026-03-03")
    case.pre_proceedings("PP4", "P4", "2026-04-01")
    case.involvement("I1", "P1", "W1", "Team A", "2026-01-01")
    case.load(partnership)

    assert eligible_people(current(partnership), "legal-planning", MARCH) == {
        "P1": "Team A",
        "P2": "Unallocated",
    }


def test_any_day_of_the_month_names_it(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-03-31")
    case.load(partnership)
    snapshot = current(partnership)
    assert eligible_people(snapshot, "cp-plan-quality", date(2026, 3, 17)) == {"P1": "Unallocated"}
    assert draw_sample(snapshot, "cp-plan-quality", date(2026, 3, 31), 1, 1).month == "2026-03"


def test_unknown_tool_and_missing_table(partnership):
    case = Case()
    case.plan("CPP1", "P1", "2026-03-01")
    case.load(partnership, missing=("assure_case_flags",))
    snapshot = current(partnership)
    with pytest.raises(UnknownTool, match=r"no built-in audit tool 'cp-plans'.*cp-plan-quality"):
        eligible_people(snapshot, "cp-plans", MARCH)
    with pytest.raises(MissingData, match="no assure_case_flags file"):
        draw_sample(snapshot, "csafe", MARCH, 2, 1)


# ---- the draw ---------------------------------------------------------------------------------


@pytest.fixture
def pool(partnership) -> ImportSnapshot:
    """30 children with plans open in March in Team A, 5 in Team B, 2 allocated to no team."""
    case = Case()
    teams = ["Team A"] * 30 + ["Team B"] * 5 + [""] * 2
    for n, team in enumerate(teams, start=1):
        pid = f"P{n:02}"
        case.plan(f"CPP{n}", pid, "2026-01-05")
        if team:
            case.involvement(f"I{n}", pid, "W1", team, "2026-01-05")
    case.load(partnership)
    return current(partnership)


def test_draw_takes_up_to_the_number_per_team(pool):
    sample = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=7)
    assert (sample.tool, sample.month, sample.seed) == ("core-groups", "2026-03", 7)
    assert sample.eligible_by_team == {"Team A": 30, "Team B": 5, "Unallocated": 2}
    teams = [child.team for child in sample.sample]
    assert teams == ["Team A"] * 3 + ["Team B"] * 3 + ["Unallocated"] * 2
    assert len({child.person_id for child in sample.sample}) == 8  # without replacement
    assert [c.person_id for c in sample.sample if c.team == "Unallocated"] == ["P36", "P37"]
    team_a = [c.person_id for c in sample.sample if c.team == "Team A"]
    assert team_a == sorted(team_a)
    assert all("P01" <= p <= "P30" for p in team_a)


def test_draw_is_reproducible_and_the_seed_changes_it(pool):
    first = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=1)
    assert draw_sample(pool, "core-groups", MARCH, per_team=3, seed=1) == first
    other = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=2)
    assert other.sample != first.sample
    # The tool and month are part of the seed too: another tool draws its own children.
    assert draw_sample(pool, "cp-plan-quality", MARCH, 3, 1).sample != first.sample


def test_one_teams_draw_does_not_depend_on_another_team(pool, partnership):
    before = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=1)
    excluded = frozenset({"P31", "P32"})  # Team B children
    after = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=1, exclude=excluded)
    team_a = [c for c in before.sample if c.team == "Team A"]
    assert [c for c in after.sample if c.team == "Team A"] == team_a


def test_excluded_children_are_never_drawn(pool):
    exclude = frozenset({"P31", "P32", "P33"})
    sample = draw_sample(pool, "core-groups", MARCH, per_team=3, seed=1, exclude=exclude)
    team_b = [c for c in sample.sample if c.team == "Team B"]
    assert team_b == [SampledChild("P34", "Team B"), SampledChild("P35", "Team B")]
    assert sample.eligible_by_team["Team B"] == 5  # eligible, though not all could be drawn
    everyone = frozenset(f"P{n:02}" for n in range(1, 38))
    assert draw_sample(pool, "core-groups", MARCH, 3, 1, exclude=everyone).sample == []


def test_no_one_eligible_gives_an_empty_sample(pool):
    sample = draw_sample(pool, "cp-plan-quality", date(2025, 12, 1), per_team=3, seed=1)
    assert (sample.eligible_by_team, sample.sample) == ({}, [])
