"""Audit grades by tool and month: small numbers, the dashboard's chart and table, and a
recommendation linked to an audit tool (its review page, form and progress report)."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assure.accounts.models import Role
from assure.audits import charts, grades, services
from assure.audits.grades import disclose
from assure.audits.models import Tool
from assure.audits.services import Given
from assure.audits.tests.conftest import drawn
from assure.audits.tests.test_audits import finish
from assure.core.viewer import Viewer
from assure.reviews import services as review_services
from assure.reviews.measures import measure_ids
from assure.reviews.models import Action, Recommendation, Review

LINK = "audit:cp-plan-quality"


def line(outstanding: int, good: int, improve: int, inadequate: int, *, exact: bool = False):
    counts = {
        "outstanding": outstanding,
        "good": good,
        "requires improvement": improve,
        "inadequate": inadequate,
    }
    return disclose("2025-11", counts, exact=exact, threshold=5)


# ---- small numbers ---------------------------------------------------------------------------


def test_child_level_viewers_see_every_figure() -> None:
    seen = line(2, 10, 6, 0, exact=True)
    assert seen.counts == ["2", "10", "6", "0"]
    assert seen.finished == "18"
    assert seen.share == pytest.approx(12 / 18)


def test_a_small_count_hides_its_pair_too_and_the_share_can_stay() -> None:
    # 2 outstanding is small; hiding good as well leaves 12 good or better = 18 - 6 - 0,
    # which the row already gives, so the share (12 of 18) stays.
    seen = line(2, 10, 6, 0)
    assert seen.counts == ["fewer than 5", "not shown", "6", "0"]
    assert seen.values == [None, None, 6, 0]
    assert seen.finished == "18"
    assert seen.share == pytest.approx(12 / 18)
    assert not seen.share_hidden


def test_a_share_that_would_give_away_a_hidden_count_is_not_shown() -> None:
    # 3 good is small and outstanding (0) cannot pair with it: the smallest other count
    # (7 inadequate) is hidden, and the share (3 of 20) would tell the 3.
    seen = line(0, 3, 10, 7)
    assert seen.counts == ["0", "fewer than 5", "10", "not shown"]
    assert seen.share is None
    assert seen.share_hidden


def test_a_share_resting_on_fewer_than_five_audits_is_not_shown() -> None:
    seen = line(0, 4, 0, 0)
    assert seen.counts == ["0", "fewer than 5", "0", "0"]
    assert seen.finished == "fewer than 5"
    assert seen.share_hidden
    assert line(0, 0, 0, 0).share is None
    assert not line(0, 0, 0, 0).share_hidden


def test_large_counts_are_shown_with_the_share_against_the_target() -> None:
    seen = line(5, 11, 0, 0)
    assert seen.counts == ["5", "11", "0", "0"]
    assert seen.share == 1.0
    assert seen.at_target
    assert not line(5, 6, 9, 0).at_target  # 11 of 20 = 55%, below 80%


# ---- the dashboard ---------------------------------------------------------------------------


def test_dashboard_chart_and_table_by_who_is_looking(client, make_user, police, confirmed) -> None:
    for record in confirmed[:3]:
        finish(record, "good")
    finish(confirmed[3], "inadequate")
    client.force_login(make_user(Role.QUALITY_AUDITOR))
    page = client.get(reverse("audits:dashboard")).content.decode()
    assert '<svg role="img" aria-label="Chart of overall grades' in page
    assert "<script" not in page.split('<svg role="img"')[1].split("</svg>")[0]
    row = page.split("Child protection plan quality</th>")[1].split("</tr>")[0]
    cells = [c.split(">")[1] for c in row.split("</td>")[:-1]]
    assert cells == ["2025-11", "0", "3", "0", "1", "4", "75%"]

    client.force_login(make_user(Role.BOARD_MEMBER, agency=police))
    page = client.get(reverse("audits:dashboard")).content.decode()
    row = page.split("Child protection plan quality</th>")[1].split("</tr>")[0]
    cells = [c.split(">")[1] for c in row.split("</td>")[:-1]]
    assert cells == [
        "2025-11", "0", "fewer than 5", "0", "fewer than 5", "fewer than 5", "not shown"
    ]  # fmt: skip
    assert '<svg role="img"' not in page  # nothing the board may see to draw


def test_the_chart_draws_only_counts_the_viewer_may_see() -> None:
    lines = [("Tool", line(2, 10, 6, 0)), ("Tool", line(0, 0, 8, 9))]
    values = charts.grades_spec(charts.drawn_values(lines))["data"]["values"]
    drawn = [(v["month"], v["grade"], v["count"]) for v in values]
    assert sorted(drawn) == [
        ("2025-11", "Inadequate", 9),
        ("2025-11", "Requires improvement", 6),
        ("2025-11", "Requires improvement", 8),
    ]


def test_dashboard_queries_do_not_grow_with_tools_or_months(
    client, manager, auditors, confirmed, partnership
) -> None:
    client.force_login(manager)
    finish(confirmed[0], "good")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audits:dashboard"))
    for record in confirmed[1:]:
        finish(record, "outstanding")
    core_groups = Tool.objects.get(partnership=partnership, slug="core-groups")
    later = services.create_programme(
        Viewer.of(manager),
        tool_version=core_groups.latest_version(),
        month=date(2025, 12, 1),
        per_team=1,
        auditors=auditors[:1],
        due_working_days=10,
        seed=3,
    )
    later.drawn = drawn(("P9", "East"))
    later.save()
    with time_machine.travel("2026-01-05 10:00Z", tick=False):
        (record,) = services.confirm(Viewer.of(manager), later, date(2026, 1, 5))
    finish(record, "requires improvement")
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("audits:dashboard")).content.decode()
    assert "2025-12" in page
    assert len(more) == len(few)


def test_no_answers_are_counted_with_small_numbers(client, make_user, police, confirmed) -> None:
    record = confirmed[0]
    services.save_audit(
        Viewer.of(record.auditor),
        record,
        {
            q.pk: Given(grade="good", answer="no")
            for q in record.programme.tool_version.questions.all()
        },
        overall_grade="good",
        findings="",
        finish=True,
    )
    client.force_login(make_user(Role.BOARD_MEMBER, agency=police))
    page = " ".join(client.get(reverse("audits:dashboard")).content.decode().split())
    no_cell = 'quality</td> <td class="govuk-table__cell app-table-numeric">'
    assert f"{no_cell}fewer than 5</td>" in page
    client.force_login(make_user(Role.QUALITY_AUDITOR))
    page = " ".join(client.get(reverse("audits:dashboard")).content.decode().split())
    assert f"{no_cell}1</td>" in page


# ---- a recommendation linked to an audit tool ------------------------------------------------


@pytest.fixture
def linked(manager, confirmed) -> Recommendation:
    """Recommendation 3 of a review, linked to the plan-quality tool; 3 of its 4 November audits
    graded good, 1 inadequate."""
    for record in confirmed[:3]:
        finish(record, "good")
    finish(confirmed[3], "inadequate")
    review = review_services.save_review(
        Viewer.of(manager), Review(), {"review_type": Review.Type.LCSPR, "pseudonym": "Sam"}
    )
    return review_services.save_recommendation(
        Viewer.of(manager),
        Recommendation(review=review),
        number=3,
        text="Child protection plans state the outcome, the risk, a timeframe and who acts.",
        measures=[LINK, "core_group_interval"],
    )


def test_the_recommendation_form_offers_the_partnership_audit_tools(
    client, manager, plan_tool
) -> None:
    review = review_services.save_review(
        Viewer.of(manager), Review(), {"review_type": Review.Type.LCSPR, "pseudonym": "Sam"}
    )
    client.force_login(manager)
    url = reverse("reviews:add-recommendation", args=[review.pk])
    form = client.get(url).content.decode()
    assert f'value="{LINK}"' in form
    grades = form.split("Live measures: Audit grades")[1].split("</fieldset>")[0]
    assert "Child protection plan quality" in grades
    response = client.post(url, {"number": 3, "text": "Plans have pace.", "measures": [LINK]})
    assert response.status_code == 302
    assert Recommendation.objects.get(review=review).measures == [LINK]


def test_the_review_page_shows_audit_grades_beside_the_indicator(
    client, make_user, manager, linked
) -> None:
    client.force_login(make_user(Role.QUALITY_AUDITOR))
    page = client.get(reverse("reviews:detail", args=[linked.review_id])).content.decode()
    assert "Has the change stuck?" in page
    assert (
        "2025-11: 75% of 4 finished audits graded good or outstanding against a target of 80%"
        in " ".join(page.split())
    )
    assert "Below target" in page
    assert "core_group_interval</a>: no figure yet" in " ".join(page.split())  # still listed

    client.force_login(manager)  # no child-level audit access: small numbers
    page = " ".join(
        client.get(reverse("reviews:detail", args=[linked.review_id])).content.decode().split()
    )
    assert (
        "2025-11: fewer than 5 finished audits; the share graded good or outstanding is not "
        "shown (small numbers)" in page
    )
    assert "75%" not in page


def test_the_progress_report_lists_the_audit_grades(client, make_user, linked) -> None:
    client.force_login(make_user(Role.QUALITY_AUDITOR))
    url = reverse("reviews:progress-report", args=[linked.review_id])
    page = client.get(url).content.decode()
    assert "Child protection plan quality: audit grades (target 80% good or outstanding)" in page
    assert "75%" in page


def test_embedding_by_indicator_ignores_audit_links(linked, manager, police) -> None:
    action = review_services.save_action(
        Viewer.of(manager),
        Action(recommendation=linked, agency=police),
        description="Plan quality workshop",
    )
    assert measure_ids(action) == ["core_group_interval"]
    assert grades.slugs_in(linked.measures) == ["cp-plan-quality"]
