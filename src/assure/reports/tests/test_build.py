"""The report's sections against the hand-built partnership (conftest), its digest, and the
impact statistic against hand-worked figures."""

import math
from datetime import date

import pytest
from django.conf import settings

from assure.indicators.disclosure import Disclosure
from assure.reports import build
from assure.reports.build import Context, MeasureMonths, _impact, _measure_table, _windows
from assure.reports.impact import Proportion, two_proportion_test
from assure.reports.periods import BadPeriod, Quarter, last_ended
from assure.reports.tests.conftest import TODAY, K, S, move

Q3 = Quarter(2026, 3)


def section(data: build.ReportData, key: str) -> dict:
    return next(s["content"] for s in data.sections if s["key"] == key)


def test_quarters() -> None:
    q = Quarter.parse(" 2026-q3 ")
    assert (q.start, q.end, q.label) == (
        date(2026, 7, 1),
        date(2026, 9, 30),
        "July to September 2026",
    )
    assert str(q.previous) == "2026-Q2"
    assert str(q.year_earlier) == "2025-Q3"
    assert str(Quarter(2026, 1).previous) == "2025-Q4"
    assert last_ended(date(2026, 10, 1)) == Q3
    assert last_ended(date(2026, 9, 30)) == Quarter(2026, 2)
    with pytest.raises(BadPeriod, match="YYYY-QN"):
        Quarter.parse("2026-Q5")


def test_summary_against_the_hand_built_partnership(partnership, quarter_data) -> None:
    data = build.build(partnership, Q3, TODAY)
    assert data.as_at == "2026-09-30"
    summary = section(data, "summary")
    assert [r["title"] for r in summary["open_reviews"]] == [
        "Local child safeguarding practice review: Alex"
    ]  # Sam was published on 30 June
    steps = {m["name"]: m for m in summary["open_reviews"][0]["milestones"]}
    notification = steps["Notification to the Panel"]
    assert (notification["due"], notification["status"]) == ("2026-04-10", "met")  # Easter
    rapid = steps["Rapid review"]
    assert (rapid["due"], rapid["status"]) == ("2026-04-28", "overdue")
    assert summary["milestones"] == {"met": 1, "late": 0, "overdue": 1}
    # Rec 1: the police action is overdue (red); rec 2: its action embedded (green).
    assert summary["recommendations"] == {"red": 1, "amber": 0, "green": 1}
    assert summary["overdue_by_agency"] == [{"agency": "Testshire Police", "actions": 1}]
    # Assured on 1 July and 5 August; embedded on 15 September (2 October is after it).
    assert (summary["assured_in_quarter"], summary["embedded_in_quarter"]) == (2, 1)


def test_reviews_section_reads_statuses_as_they_stood(partnership, quarter_data) -> None:
    reviews = section(build.build(partnership, Q3, TODAY), "reviews")
    alex = next(r for r in reviews["reviews"] if r["title"].endswith("Alex"))
    first, second = alex["recommendations"]
    assert first["rag"] == "red"
    # The council action was embedded on 2 October: in the Q3 report it is still assured.
    assert first["statuses"] == {"Assured": 1, "In progress": 1}
    assert first["owners"] == ["Test Person (Testshire Police)"]
    assert first["addressed_to"] == [
        "The partnership",
        "Testshire Police",
        "Testshire children's services",
    ]
    assert first["decisions_in_quarter"] == 1
    assert [
        (d["recommendation"], d["decision"], d["on"], d["examined"]) for d in alex["decisions"]
    ] == [
        (2, "Assured", "2026-07-01", "Minutes"),
        (1, "Assured", "2026-08-05", "The audit of 20"),
        (2, "Embedded", "2026-09-15", "embedded on 2026-09-15"),
    ]
    assert alex["earlier_decisions"] == 0
    assert second["rag"] == "green"
    assert second["statuses"] == {"Embedded": 1}
    # The quarter under way sees the embedding of 2 October.
    now = section(build.build(partnership, Quarter(2026, 4), TODAY), "reviews")
    alex_now = next(r for r in now["reviews"] if r["title"].endswith("Alex"))
    assert alex_now["recommendations"][0]["statuses"] == {"Embedded": 1, "In progress": 1}


def test_sections_without_content_are_left_out(partnership) -> None:
    data = build.build(partnership, Q3, TODAY)
    assert [s["key"] for s in data.sections] == ["summary"]  # no review, case data or audit
    assert data.snapshot == "No case data imported by then"


def test_digest_is_stable_and_changes_with_one_action(partnership, quarter_data, learning) -> None:
    q4 = Quarter(2026, 4)
    first = build.build(partnership, q4, TODAY)
    assert build.build(partnership, q4, TODAY).digest == first.digest
    move(quarter_data["police"], learning, K.IMPLEMENTED, S.IMPLEMENTED, TODAY)
    assert build.build(partnership, q4, TODAY).digest != first.digest


def test_a_past_quarter_keeps_its_digest_when_later_history_is_added(
    partnership, quarter_data, learning
) -> None:
    before = build.build(partnership, Q3, TODAY).digest
    move(quarter_data["police"], learning, K.IMPLEMENTED, S.IMPLEMENTED, TODAY)
    assert build.build(partnership, Q3, TODAY).digest == before


def test_canonical_form() -> None:
    data = {"b": 1 / 3, "a": [date(2026, 1, 2), None, True]}
    assert build.canonical(data) == {"b": "0.333333", "a": ["2026-01-02", None, True]}
    assert build.digest(build.canonical(data)) == build.digest(
        build.canonical({"a": [date(2026, 1, 2), None, True], "b": 1 / 3})
    )
    with pytest.raises(TypeError, match="no canonical form"):
        build.canonical({"a": object()})


# ---- impact ----------------------------------------------------------------------------------


def test_two_proportion_test_hand_worked() -> None:
    # Before 60 of 100, since 80 of 100. Pooled p = 140/200 = 0.7;
    # SE = sqrt(0.7 × 0.3 × (1/100 + 1/100)) = sqrt(0.0042) = 0.0648074;
    # z = (0.8 − 0.6) / 0.0648074 = 3.0861; two-sided p = erfc(3.0861/√2) = 0.00203.
    test = two_proportion_test(Proportion(60, 100), Proportion(80, 100))
    assert test is not None
    assert test.z == pytest.approx(3.0861, abs=1e-4)
    assert test.p_value == pytest.approx(0.002028, abs=2e-6)
    assert test.more_than_chance
    words = test.words()
    assert "went up from 60% (60 of 100) in the 12 months before to 80% (80 of 100) since" in words
    assert "z = 3.09, p = 0.002" in words
    assert "more than chance" in words
    assert "less than 1 time in 100" in words
    # 45 of 100 against 50 of 100: pooled 0.475, SE = 0.0706222, z = 0.708, p = 0.479.
    weak = two_proportion_test(Proportion(45, 100), Proportion(50, 100))
    assert weak is not None
    assert weak.z == pytest.approx(0.708, abs=1e-3)
    assert weak.p_value == pytest.approx(0.4790, abs=1e-3)
    assert not weak.more_than_chance
    assert "not more than chance" in weak.words()
    assert "about 48 times in 100" in weak.words()
    # Nothing to test: one side empty, or nothing varies.
    assert two_proportion_test(Proportion(0, 0), Proportion(5, 10)) is None
    assert two_proportion_test(Proportion(10, 10), Proportion(7, 7)) is None
    assert math.isclose(
        two_proportion_test(Proportion(80, 100), Proportion(60, 100)).z,  # type: ignore[union-attr]
        -3.0861,
        abs_tol=1e-4,
    )


def _context(partnership, threshold: int = 5) -> Context:
    return Context(partnership, Q3, date(2026, 9, 30), None, Disclosure(False, threshold))


def test_impact_months_before_and_since_acceptance(partnership) -> None:
    """Accepted 10 March 2026: before is March 2025 to February 2026 (12 months), since is
    April 2026 onwards (March, the month of acceptance, is neither)."""
    counts = {}
    for month in range(3, 13):  # 2025: 6 met and 4 late each month
        counts[date(2025, month, 1).isoformat()] = [6, 4, 0, 0]
    for month in (1, 2):
        counts[date(2026, month, 1).isoformat()] = [6, 4, 0, 0]
    counts["2026-03-01"] = [0, 10, 0, 0]  # the month of acceptance: left out
    for month in range(4, 10):  # since: 8 met, 1 late, 1 overdue
        counts[date(2026, month, 1).isoformat()] = [8, 1, 1, 0]
    found = MeasureMonths(0.9, counts)
    # Threshold 1: every count shown (small numbers are the next test's).
    ctx = _context(partnership, 1)
    impact = _impact(ctx, "core_group_interval", date(2026, 3, 10), found)
    assert (impact["before"], impact["since"]) == ("Mar 2025 to Feb 2026", "Apr 2026 to Sep 2026")
    # The months themselves, once per report: every month kept, the month of acceptance too.
    table = _measure_table(ctx, "core_group_interval", found, [_windows(date(2026, 3, 10), found)])
    assert table is not None
    months = table["months"]
    assert [m["month"] for m in months][:1] == ["Mar 2025"]
    assert len(months) == 19  # March 2025 to September 2026
    assert (months[12]["month"], months[12]["value"]) == ("Mar 2026", 0)
    assert (months[0]["year"], months[0]["number"]) == (2025, 3)
    assert months[0]["value"] == pytest.approx(0.6)
    assert months[-1]["value"] == pytest.approx(0.8)
    assert impact["pooled"] == [
        {"period": "12 months before", "met": "72", "counted": "120", "value": 0.6, "words": ""},
        {"period": "Since", "met": "48", "counted": "60", "value": 0.8, "words": ""},
    ]
    # Hand-worked: pooled p = 120/180 = 0.6667; SE = sqrt(0.6667 × 0.3333 × (1/120 + 1/60))
    # = 0.074536; z = 0.2 / 0.074536 = 2.683; p = 0.0073.
    assert impact["test"]["z"] == pytest.approx(2.683, abs=1e-3)
    assert impact["test"]["p_value"] == pytest.approx(0.0073, abs=1e-4)
    assert impact["test"]["more_than_chance"] is True
    assert impact["statement"] == (
        "Up 20 points: z = 2.68, p = 0.007, more than chance (by chance alone less than 1 time "
        "in 100)."
    )


def test_impact_hides_small_numbers_and_does_not_test_them(partnership) -> None:
    counts = {date(2025, m, 1).isoformat(): [0, 0, 0, 0] for m in range(3, 13)}
    counts["2025-06-01"] = [2, 1, 0, 0]
    counts["2026-05-01"] = [1, 0, 0, 0]
    found = MeasureMonths(0.9, counts)
    impact = _impact(_context(partnership), "core_group_interval", date(2026, 3, 10), found)
    windows = [_windows(date(2026, 3, 10), found)]
    table = _measure_table(_context(partnership), "core_group_interval", found, windows)
    assert table is not None
    june = next(m for m in table["months"] if m["month"] == "Jun 2025")
    assert (june["shown"], june["counted"]) == (False, "fewer than 5")
    # The 12 months before pool to 3, shown as "fewer than 5": no other month is left as the
    # only hidden one of that sum (here every other month counted none).
    assert impact["pooled"][0]["counted"] == "fewer than 5"
    assert impact["pooled"][0]["words"] == "not shown"
    assert impact["test"] is None
    assert impact["statement"] == (
        "Too few obligations to compare without revealing small numbers."
    )
    # With every count shown (threshold 1) the same figures are tested.
    exact = _impact(
        _context(partnership, 1),
        "core_group_interval",
        date(2026, 3, 10),
        MeasureMonths(0.9, counts),
    )
    assert exact["test"] is not None
    assert settings.SMALL_COUNT_THRESHOLD == 5


def test_audits_section_counts_the_quarter_and_hides_small_numbers(
    partnership, make_user, quarter_data
) -> None:
    """Six audits of the plan tool in August 2026, finished by 30 September: 4 good and 2
    outstanding (each fewer than 5, so a second count of the month is hidden); one more
    finished in October, after the quarter, is not counted."""
    from assure.accounts.models import Role
    from assure.audits.models import Audit, Programme, Tool
    from assure.audits.tools import ensure_builtin_tools
    from assure.reports.tests.conftest import at

    ensure_builtin_tools(partnership)
    tool = Tool.objects.get(partnership=partnership, slug="cp-plan-quality")
    auditor = make_user(Role.QUALITY_AUDITOR, username="ann")
    programme = Programme.objects.create(
        partnership=partnership,
        tool_version=tool.latest_version(),
        month=date(2026, 8, 1),
        per_team=2,
        seed=1,
        created_by=auditor,
    )
    grades = ["good"] * 4 + ["outstanding"] * 2 + ["inadequate"]
    for n, grade in enumerate(grades):
        Audit.objects.create(
            programme=programme,
            partnership=partnership,
            person_id=f"P{n}",
            team="East",
            auditor=auditor,
            due_date=date(2026, 9, 15),
            status=Audit.Status.FINISHED,
            overall_grade=grade,
            finished_at=at(date(2026, 9, 10) if n < 6 else date(2026, 10, 2)),
        )
    audits = section(build.build(partnership, Q3, TODAY), "audits")
    (line,) = audits["tools"][0]["months"]
    assert line["month"] == "2026-08"
    assert line["finished"] == "6"
    assert line["grades"]["good"] == "fewer than 5"
    assert line["grades"]["inadequate"] == "0"
    assert line["share_good"] == 1.0


def test_measure_table_hides_what_any_review_s_pooled_figures_would_give_away(partnership) -> None:
    """Two reviews, accepted 10 March and 10 May 2026, publish pooled "12 months before"
    figures over March 2025 to February 2026 and May 2025 to April 2026. June 2025 counts 2:
    hidden, and each of those sums must hide a second month, or its total less the months
    shown would give June away."""
    counts = {date(2025, m, 1).isoformat(): [10, 0, 0, 0] for m in range(3, 13)}
    counts |= {date(2026, m, 1).isoformat(): [10, 0, 0, 0] for m in range(1, 10)}
    counts["2025-06-01"] = [2, 0, 0, 0]
    found = MeasureMonths(0.9, counts)
    windows = [_windows(date(2026, 3, 10), found), _windows(date(2026, 5, 10), found)]
    table = _measure_table(_context(partnership), "core_group_interval", found, windows)
    assert table is not None
    hidden = {m["start"] for m in table["months"] if not m["shown"]}
    assert "2025-06-01" in hidden
    for window in windows:
        assert len(hidden & set(window.before)) >= 2
