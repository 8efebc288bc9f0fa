"""The weekly tracker lists only what can still be done: not items whose plan has ended."""

from datetime import date

from django.test import Client

from assure.accounts.models import Role
from assure.indicators import selectors
from assure.indicators.tests.builders import Case, run, statuses

AS_OF = date(2026, 12, 1)  # Tuesday: the extract's date


def test_overdue_items_whose_plan_ended_or_child_died_are_not_listed(
    partnership, make_user
) -> None:
    case = Case()
    # Every plan starts Mon 2 Nov 2026: first core group and first visit due 10 working days
    # later, Mon 16 Nov; none is held unless said.
    # CPP1 ends Fri 20 Nov, after they fell due: overdue in the figures, but no longer doable.
    case.plan("CPP1", "P1", "2026-11-02", end="2026-11-20")
    # CPP2 is still open: overdue, and listed.
    case.plan("CPP2", "P2", "2026-11-02")
    # P3 died on Wed 25 Nov: nothing more can be done for CPP3.
    case.person("P3", death="2026-11-25")
    case.plan("CPP3", "P3", "2026-11-02")
    # CPP5's first core group met on Mon 9 Nov, its record (due Mon 16 Nov) is not written up
    # and the plan ended Fri 20 Nov: a record is still needed, so it stays listed.
    case.plan("CPP5", "P5", "2026-11-02", end="2026-11-20")
    case.core_group("CG5", "P5", "CPP5", "2026-11-09")
    case.load(partnership, extract_date=AS_OF)

    first = statuses(run("core_group_first_10wd", partnership, "2026-01-01", "2026-12-01"))
    assert first["plan CPP1 first core group"] == ("2026-11-16", None, "overdue")
    assert first["plan CPP3 first core group"] == ("2026-11-16", None, "overdue")

    weekly = selectors.weekly(partnership.pk, AS_OF, None)
    listed = {row.ref for team in weekly.teams for row in team.overdue}
    assert listed == {
        "plan CPP2 first core group",
        "plan CPP2 visit after 2026-11-02",
        "plan CPP5 core group CG5 record",
    }
    assert weekly.overdue == 3

    client = Client()
    client.force_login(make_user(Role.CONFERENCE_CHAIR))
    html = client.get("/trackers/weekly/").content.decode()
    assert "plan CPP2 first core group" in html
    assert "CPP1" not in html
    assert "CPP3" not in html
    assert "it can no longer be done" in html
