"""Small numbers and named workers: who sees exact tracker figures, on every output."""

import re
from types import SimpleNamespace

import pytest
from django.test import Client

from assure.accounts.models import Partnership, Role
from assure.indicators.disclosure import MET, TOTAL, Disclosure, Sum
from assure.indicators.tests.builders import Case

INDICATOR = "core_group_first_10wd"
PAGE = f"/trackers/{INDICATOR}/?from=2026-01-01&to=2026-12-31"
CATALOGUE = "/trackers/?from=2026-01-01&to=2026-12-31"


def counts(met: int, late: int = 0, overdue: int = 0, breach: int = 0) -> SimpleNamespace:
    return SimpleNamespace(met=met, late=late, overdue=overdue, breach=breach)


def words(row) -> list[str]:
    """A row's counts and total as shown."""
    return [str(c) for c in (*row.counts, row.total)]


# ---- the rule on its own (hand-worked tables) -------------------------------------------------

PARTNER = Disclosure(exact=False, threshold=5)
CHAIR = Disclosure(exact=True, threshold=5)


def test_counts_from_1_to_4_are_fewer_than_5_and_0_is_shown() -> None:
    row = PARTNER.row(counts(met=3))
    # met 3 and its total 3 are both small: nothing else needs hiding.
    assert words(row) == ["fewer than 5", "0", "0", "0", "fewer than 5"]
    assert row.value is None
    assert row.value_hidden
    assert words(PARTNER.row(counts(met=5, late=9))) == ["5", "9", "0", "0", "14"]
    assert words(CHAIR.row(counts(met=3))) == ["3", "0", "0", "0", "3"]
    assert CHAIR.row(counts(met=3)).value == 1.0


def test_a_lone_small_count_takes_another_with_it() -> None:
    # 40 met, 3 late, 7 overdue of 50: showing 40, 7 and 50 would give late = 3. The next
    # cheapest count is hidden too (overdue, not met or the total, which the share needs).
    row = PARTNER.row(counts(met=40, late=3, overdue=7))
    assert words(row) == ["40", "fewer than 5", "not shown", "0", "50"]
    assert row.value == 40 / 50
    # 50 met, 3 late, nothing else: the share itself would give late away, so the total goes.
    row = PARTNER.row(counts(met=50, late=3))
    assert words(row) == ["50", "fewer than 5", "0", "0", "not shown"]
    assert row.value is None
    assert row.value_hidden


def test_a_table_hides_a_second_cell_in_each_row_and_column() -> None:
    teams = [counts(met=12, late=3), counts(met=20, overdue=6)]
    total = counts(met=32, late=3, overdue=6)
    names = [("Alpha", ""), ("Bravo", "")]
    rows = PARTNER.table(teams, names, [Sum(total, range(2))])
    # The partnership: late 3 is small, so overdue goes with it (see the test above).
    assert words(PARTNER.row(total)) == ["32", "fewer than 5", "not shown", "0", "41"]
    # Alpha's late 3 is small: Alpha's total goes too (else 15 - 12 = 3). Bravo's overdue 6
    # would give the partnership's hidden overdue, and then Bravo's total would give it back.
    assert words(rows[0]) == ["12", "fewer than 5", "0", "0", "not shown"]
    assert words(rows[1]) == ["20", "0", "not shown", "0", "not shown"]
    assert [r.value for r in rows] == [None, None]
    # Without the partnership's figures (nothing adds up to them), only each row counts.
    assert words(PARTNER.table(teams, names)[1]) == ["20", "0", "6", "0", "26"]
    assert words(CHAIR.table(teams, names, [Sum(total, range(2))])[0]) == [
        "12",
        "3",
        "0",
        "0",
        "15",
    ]


def test_a_small_cell_in_a_column_takes_another_row_with_it() -> None:
    months = [counts(met=22, overdue=9), counts(met=2), counts(met=8)]
    window = counts(met=32, late=3, overdue=6)  # met and the total are the months' sums
    names = [("Mar", ""), ("Jun", ""), ("Sep", "")]
    march, june, september = PARTNER.table(months, names, [Sum(window, range(3), (MET, TOTAL))])
    assert words(june) == ["fewer than 5", "0", "0", "0", "fewer than 5"]
    # 32 - 22 - 8 would give June's 2: the smaller of the other two goes, then its total.
    assert words(september) == ["not shown", "0", "0", "0", "not shown"]
    assert words(march) == ["22", "0", "9", "0", "31"]
    assert march.value == 22 / 31


def test_workers_only_for_child_level() -> None:
    lines = [counts(met=1), counts(met=30)]
    names = [("Ann Able", "Alpha"), ("Bob Baker", "Bravo")]
    assert PARTNER.workers(lines, names) == []
    assert [words(r) for r in CHAIR.workers(lines, names)] == [
        ["1", "0", "0", "0", "1"],
        ["30", "0", "0", "0", "30"],
    ]


def test_the_threshold_changes_what_is_small() -> None:
    assert words(Disclosure(False, 3).row(counts(met=40, late=3))) == ["40", "3", "0", "0", "43"]
    assert words(Disclosure(False, 10).row(counts(met=40, late=9)))[1] == "fewer than 10"
    assert words(Disclosure(False, 1).row(counts(met=1))) == ["1", "0", "0", "0", "1"]


# ---- every output, for each kind of viewer ----------------------------------------------------


@pytest.fixture
def small_numbers(partnership: Partnership) -> Partnership:
    """First core groups in 2026 (plans start + 10 working days; no bank holiday falls in).

    Alpha Team (Ann Able): plans from Mon 2 Mar (due Mon 16 Mar), 10 met on 10 Mar and 3 late
    on 20 Apr; plans from Mon 1 Jun (due Mon 15 Jun), 2 met on 5 Jun.
    Bravo Team (Bob Baker): from 2 Mar, 12 met and 6 never held (overdue); plans from Tue 1 Sep
    (due Tue 15 Sep), 8 met on 8 Sep.
    For 2026: Alpha 12 met, 3 late; Bravo 20 met, 6 overdue; together 32, 3, 6 of 41.
    By month (as at each month's end, the 3 late are overdue in March): Mar 22 met, 9 overdue;
    Jun 2 met; Sep 8 met.
    """
    case = Case()
    case.team("TA", "Alpha Team")
    case.team("TB", "Bravo Team")
    case.professional("PA", "Ann Able", "TA")
    case.professional("PB", "Bob Baker", "TB")
    batches = [
        ("A", "TA", "PA", "2026-03-02", ["2026-03-10"] * 10 + ["2026-04-20"] * 3),
        ("A", "TA", "PA", "2026-06-01", ["2026-06-05"] * 2),
        ("B", "TB", "PB", "2026-03-02", ["2026-03-10"] * 12 + [""] * 6),
        ("B", "TB", "PB", "2026-09-01", ["2026-09-08"] * 8),
    ]
    n = 0
    for team, team_id, worker, start, held in batches:
        for when in held:
            n += 1
            child, plan = f"{team}{n}", f"CPP{n}"
            case.involvement(f"INV{n}", child, worker, team_id, "2026-01-01")
            case.plan(plan, child, start)
            if when:
                case.core_group(f"CG{n}", child, plan, when)
    case.load(partnership)
    return partnership


def page_for(make_user, role, agency=None, path: str = PAGE) -> str:
    client = Client()
    client.force_login(make_user(role, agency=agency) if agency else make_user(role))
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def table_rows(html: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption: header cell -> the other cells' text."""
    start = html.index(caption)
    body = html[start : html.index("</table>", start)]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0]:
            rows[cells[0]] = cells[1:]
    return rows


def chart_points(html: str) -> int:
    symbols = re.search(r'<g class="mark-symbol[^"]*">(.*?)</g>', html, re.S)
    return 0 if symbols is None else symbols.group(1).count("<path")


PARTNER_ROLES = [
    pytest.param(Role.AGENCY_LEAD, "police", id="police agency lead"),
    pytest.param(Role.BOARD_MEMBER, None, id="board member"),
    pytest.param(Role.LEARNING_GROUP_MEMBER, None, id="learning group member"),
]


@pytest.mark.parametrize(("role", "agency"), PARTNER_ROLES)
def test_partners_see_no_worker_and_no_small_count(
    small_numbers, make_user, police, role, agency
) -> None:
    html = page_for(make_user, role, police if agency else None)
    assert "Ann Able" not in html
    assert "Bob Baker" not in html
    assert "By worker" not in html
    assert "Alpha Team" in html  # team-level figures are for everyone
    assert "78% (32 of 41)" in " ".join(html.split())
    teams = table_rows(html, "Done on time by team")
    assert teams["Alpha Team"] == ["12", "fewer than 5", "0", "0", "not shown"]
    assert teams["Bravo Team"] == ["20", "0", "not shown", "0", "not shown"]
    # The chart's table and the chart: June's 2 and September's 8 are hidden, so only March
    # is drawn.
    months = table_rows(html, "Done on time each month")
    assert months["Mar 2026"] == ["22", "0", "9", "0", "71%"]
    assert months["Jun 2026"] == ["fewer than 5", "0", "0", "0", "not shown"]
    assert months["Sep 2026"] == ["not shown", "0", "0", "0", "not shown"]
    assert chart_points(html) == 1
    assert "Months with small numbers are left out." in html
    assert "figures by worker are for children" in html

    catalogue = table_rows(
        page_for(make_user, role, police if agency else None, CATALOGUE), "Obligations due"
    )
    row = next(cells for name, cells in catalogue.items() if name.startswith("First core group"))
    # What it measures, done on time, target, met, late, overdue, breach, status.
    assert row[1] == "78%"
    assert row[3:7] == ["32", "fewer than 5", "not shown", "0"]


def test_a_conference_chair_sees_workers_and_exact_counts(small_numbers, make_user) -> None:
    html = page_for(make_user, Role.CONFERENCE_CHAIR)
    assert "By worker" in html
    workers = table_rows(html, "Done on time by worker")
    assert workers["Ann Able"] == ["Alpha Team", "12", "3", "0", "0", "80%"]
    assert workers["Bob Baker"] == ["Bravo Team", "20", "0", "6", "0", "77%"]
    teams = table_rows(html, "Done on time by team")
    assert teams["Alpha Team"] == ["12", "3", "0", "0", "80%"]
    months = table_rows(html, "Done on time each month")
    assert months["Jun 2026"] == ["2", "0", "0", "0", "100%"]
    assert months["Sep 2026"] == ["8", "0", "0", "0", "100%"]
    assert chart_points(html) == 3
    assert "fewer than" not in html
    assert "not shown" not in html

    catalogue = table_rows(
        page_for(make_user, Role.CONFERENCE_CHAIR, path=CATALOGUE), "Obligations due"
    )
    row = next(cells for name, cells in catalogue.items() if name.startswith("First core group"))
    assert row[3:7] == ["32", "3", "6", "0"]


def test_the_threshold_setting_changes_the_pages(small_numbers, make_user, settings) -> None:
    settings.SMALL_COUNT_THRESHOLD = 3
    html = page_for(make_user, Role.BOARD_MEMBER)
    teams = table_rows(html, "Done on time by team")
    assert teams["Alpha Team"] == ["12", "3", "0", "0", "80%"]
    months = table_rows(html, "Done on time each month")
    assert months["Jun 2026"][0] == "fewer than 3"
    assert "Ann Able" not in html  # workers stay hidden whatever the threshold

    settings.SMALL_COUNT_THRESHOLD = 10
    html = page_for(make_user, Role.BOARD_MEMBER)
    teams = table_rows(html, "Done on time by team")
    assert teams["Bravo Team"][2] == "fewer than 10"
    assert "(32 of 41)" in " ".join(html.split())
