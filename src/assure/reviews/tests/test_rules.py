"""The review timeline and the SMART check, on hand-worked dates."""

from datetime import date
from types import SimpleNamespace

from assure.reviews.rules import review_timeline, smart_problems


def timeline(today: date, **dates: date) -> dict[str, tuple]:
    fields = [
        "incident_known",
        "notification_sent",
        "rapid_review_held",
        "decision_date",
        "final_received",
        "final_sent_to_panel",
        "published",
    ]
    review = SimpleNamespace(**{f: dates.get(f) for f in fields})
    return {m.name: (m.due, m.status) for m in review_timeline(review, today)}


def test_notification_within_five_working_days_over_christmas() -> None:
    # Known Tue 23 Dec 2025: 24 Dec is day 1; 25, 26 Dec and weekend skipped; 29, 30, 31 Dec;
    # 1 Jan is a holiday; Fri 2 Jan is day 5.
    result = timeline(date(2026, 1, 10), incident_known=date(2025, 12, 23))
    assert result["Notification to the Panel"] == (date(2026, 1, 2), "overdue")
    met = timeline(
        date(2026, 1, 10), incident_known=date(2025, 12, 23), notification_sent=date(2026, 1, 2)
    )
    assert met["Notification to the Panel"] == (date(2026, 1, 2), "met")


def test_rapid_review_within_fifteen_working_days_over_easter() -> None:
    # Notified Wed 1 Apr 2026: Good Friday 3 Apr and Easter Monday 6 Apr are holidays.
    # Days: 2 Apr (1), 7-10 Apr (2-5), 13-17 (6-10), 20-24 (11-15) -> Fri 24 Apr.
    late = timeline(
        date(2026, 6, 1), notification_sent=date(2026, 4, 1), rapid_review_held=date(2026, 4, 27)
    )
    assert late["Rapid review"] == (date(2026, 4, 24), "late")
    upcoming = timeline(date(2026, 4, 10), notification_sent=date(2026, 4, 1))
    assert upcoming["Rapid review"] == (date(2026, 4, 24), "upcoming")


def test_final_report_six_months_after_decision_clamps_to_month_end() -> None:
    result = timeline(date(2026, 1, 1), decision_date=date(2025, 8, 31))
    assert result["Final report"] == (date(2026, 2, 28), "upcoming")


def test_panel_notice_seven_working_days_before_publication() -> None:
    # Published Wed 6 Jan 2027: back over 5, 4 Jan, 1 Jan (holiday), 31, 30, 29 Dec,
    # 28 and 27 Dec (substitute holidays), 24 Dec (day 6), 23 Dec (day 7).
    result = timeline(
        date(2027, 1, 10), published=date(2027, 1, 6), final_sent_to_panel=date(2026, 12, 22)
    )
    assert result["Final report sent to the Panel before publication"] == (
        date(2026, 12, 23),
        "met",
    )


def test_nothing_due_without_a_start_date() -> None:
    result = timeline(date(2026, 1, 1))
    assert result["Rapid review"] == (None, "waiting")


def test_smart_action_passes() -> None:
    assert (
        smart_problems(
            "Deliver training to all MASH staff",
            has_owner=True,
            due_date=date(2026, 1, 1),
            success_measure="90% trained",
        )
        == []
    )


def test_not_smart_action_lists_every_gap() -> None:
    problems = smart_problems(
        "Consider raising awareness", has_owner=False, due_date=None, success_measure=" "
    )
    assert problems == [
        "No owner: name the person responsible",
        "No due date",
        "No success measure: say how you will know it worked",
        "Vague verb “consider” with no output: say what will be produced",
    ]


def test_vague_verb_with_an_output_is_fine() -> None:
    problems = smart_problems(
        "Review the escalation protocol and publish a revised protocol",
        has_owner=True,
        due_date=date(2026, 1, 1),
        success_measure="x",
    )
    assert problems == []
