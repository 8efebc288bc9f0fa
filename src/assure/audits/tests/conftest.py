"""People and a confirmed programme for the audit tests (no case data needed for most)."""

from datetime import date

import pytest
import time_machine

from assure.accounts.models import Role
from assure.audits import services
from assure.audits.models import Audit, Programme, Tool
from assure.audits.tools import ensure_builtin_tools
from assure.core.viewer import Viewer


@pytest.fixture
def manager(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, username="manager")


@pytest.fixture
def auditors(make_user):
    """Three people who may audit: a quality auditor, a manager of a team and a chair."""
    return [
        make_user(Role.QUALITY_AUDITOR, username="ann"),
        make_user(Role.CHILDRENS_SERVICES_MANAGER, username="bob"),
        make_user(Role.CONFERENCE_CHAIR, username="cat"),
    ]


@pytest.fixture
def plan_tool(partnership) -> Tool:
    ensure_builtin_tools(partnership)
    return Tool.objects.get(partnership=partnership, slug="cp-plan-quality")


def drawn(*children: tuple[str, str]) -> dict:
    """A sample as `services.draw` keeps it: the children and the eligible count per team."""
    teams: dict[str, int] = {}
    for _, team in children:
        teams[team] = teams.get(team, 0) + 1
    return {
        "eligible_by_team": teams,
        "sample": [{"person_id": p, "team": t} for p, t in children],
        "extract_date": "2025-12-01",
        "excluded": 0,
    }


@pytest.fixture
def programme(manager, auditors, plan_tool) -> Programme:
    """November 2025's plan-quality programme with four children drawn, not yet confirmed."""
    made = services.create_programme(
        Viewer.of(manager),
        tool_version=plan_tool.latest_version(),
        month=date(2025, 11, 1),
        per_team=2,
        auditors=auditors[:2],
        due_working_days=10,
        seed=7,
    )
    made.drawn = drawn(("P1", "East"), ("P2", "East"), ("P3", "West"), ("P4", "West"))
    made.save()
    return made


@pytest.fixture
def confirmed(manager, programme) -> list[Audit]:
    """Confirmed on Friday 19 Dec 2025: due 10 working days later, Wednesday 7 Jan 2026."""
    with time_machine.travel("2025-12-19 10:00Z", tick=False):
        return services.confirm(Viewer.of(manager), programme, date(2025, 12, 19))
