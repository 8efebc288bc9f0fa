"""Results: counts and percentages overall, by agency and by role, small numbers suppressed
on the page and in exports; free text for the manager and learning group only; comparison."""

import csv
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.surveys import selectors, services
from assure.surveys.models import PractitionerRole
from assure.surveys.tests.conftest import QUESTIONS


def figures(result: Any) -> dict[str, list[str]]:
    return {label: [str(f.count) for f in row] for label, row in result.rows}


def test_a_small_count_and_the_cell_that_would_give_it_away_are_hidden(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    # Yes: council 10, police 3 (all 13). No: council 8, police 6 (all 14).
    give(council, 10, yes="yes")
    give(council, 8, yes="no")
    give(police, 3, yes="yes")
    give(police, 6, yes="no")
    results = selectors.results(Viewer.of(manager), survey, "agency")
    aware = results.questions[0]
    assert aware.columns == ["Testshire Police", "Testshire children's services", "All"]
    # Police's 3 reads "fewer than 5"; 13 - 10 would give it away, so council's 10 is not
    # shown, and down each column (3 + 6 = 9, 10 + 8 = 18) the "no" counts go too.
    assert figures(aware) == {
        "Yes": ["fewer than 5", "not shown", "13"],
        "No": ["not shown", "not shown", "14"],
    }
    assert [str(c) for c in aware.respondents] == ["9", "18", "27"]
    assert [f.percent for _, row in aware.rows for f in row] == [
        None,
        None,
        pytest.approx(100 * 13 / 27),
        None,
        None,
        pytest.approx(100 * 14 / 27),
    ]


def test_by_role_counts_and_the_same_rule(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    give(council, 6, role=PractitionerRole.SOCIAL_WORKER)
    give(police, 7, role=PractitionerRole.POLICE)
    results = selectors.results(Viewer.of(manager), survey, "role")
    aware = results.questions[0]
    assert aware.columns == [label for _, label in PractitionerRole.choices] + ["All"]
    assert figures(aware)["Yes"] == ["6", "0", "7", "0", "0", "0", "0", "13"]
    assert [str(c) for _, c in results.by_group][:3] == ["6", "0", "7"]


def test_fewer_than_5_responses_in_all_shows_no_count(
    survey: Any, give: Any, council: Any, manager: Any
) -> None:
    give(council, 3)
    results = selectors.results(Viewer.of(manager), survey, "agency")
    assert str(results.responses) == "fewer than 5"
    assert figures(results.questions[0])["Yes"] == ["0", "fewer than 5", "fewer than 5"]


@pytest.mark.parametrize(
    ("role", "reads"),
    [
        (Role.PARTNERSHIP_MANAGER, True),
        (Role.LEARNING_GROUP_MEMBER, True),
        (Role.AGENCY_LEAD, False),
        (Role.BOARD_MEMBER, False),
    ],
)
def test_written_answers_are_for_the_manager_and_the_learning_group(
    survey: Any, give: Any, council: Any, make_user: Any, role: str, reads: bool
) -> None:
    give(council, 5, text="Clearer contact list for the police")
    client = Client()
    client.force_login(make_user(role))
    page = client.get(reverse("surveys:survey", args=[survey.pk])).content.decode()
    assert ("Clearer contact list for the police" in page) is reads


def test_the_export_has_the_same_suppression(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    give(council, 10, yes="yes")
    give(council, 8, yes="no")
    give(police, 3, yes="yes")
    give(police, 6, yes="no", text="Name of a colleague")
    client = Client()
    client.force_login(manager)
    export = client.get(reverse("surveys:export", args=[survey.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == ["Question", "Answer", "Group", "Count", "Percent of respondents"]
    found = {(r[0][:2], r[1], r[2]): r[3] for r in rows[1:]}
    assert found[("1.", "Yes", "Testshire Police")] == "fewer than 5"
    assert found[("1.", "Yes", "Testshire children's services")] == "not shown"
    assert found[("1.", "Yes", "All")] == "13"
    assert "Name of a colleague" not in export.content.decode()
    xlsx = client.get(reverse("surveys:export", args=[survey.pk, "xlsx"]))
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"


def test_the_results_page_reads_the_same_number_of_queries_however_many_answers(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    client = Client()
    client.force_login(manager)
    url = reverse("surveys:survey", args=[survey.pk])
    give(council, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    give(police, 30, yes="no", likert="2", ticks=("Manager", "Website"), text="More help")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


def test_two_runs_compared_with_the_change_and_whether_it_is_chance(
    survey: Any, give: Any, council: Any, police: Any, manager: Any
) -> None:
    # Before: 6 of 20 agree with question 2 (30%). After: 16 of 20 (80%).
    give(council, 6, likert="5")
    give(council, 14, likert="2")
    after = services.create_survey(
        Viewer.of(manager), title="Escalation 2027", introduction="", questions=QUESTIONS
    )
    link = after.links.get(agency=police)
    q = {question.number: question.pk for question in after.questions.all()}
    for likert in ["4"] * 16 + ["3"] * 4:
        services.answer(link, {q[1]: ["yes"], q[2]: [likert], q[3]: ["Training"]}, "police")
    client = Client()
    client.force_login(manager)
    page = client.get(reverse("surveys:compare", args=[after.pk]), {"before": survey.pk})
    text = page.content.decode()
    assert "6 of 20" in text
    assert "16 of 20" in text
    assert "+50 points" in text
    # By hand: pooled 22/40 = 0.55; se = sqrt(0.55 * 0.45 * 0.1) = 0.157321;
    # z = 0.5 / 0.157321 = 3.178; two-sided p = 0.0015.
    assert "Unlikely to be chance" in text
    assert "(p = 0.001)" in text
    changes = selectors.compare(Viewer.of(manager), survey, after)
    assert [c.text for c in changes] == [QUESTIONS[0].text, QUESTIONS[1].text]
    assert changes[1].test is not None
    assert changes[1].test.z == pytest.approx(3.178, abs=1e-3)
    # Question 1: all 20 said yes in both runs: no test can be done.
    assert changes[0].test is None


def test_a_manager_builds_a_survey_from_a_template(manager: Any, council: Any) -> None:
    client = Client()
    client.force_login(manager)
    form = client.get(reverse("surveys:new"), {"template": "escalation-awareness"})
    assert "likert: I know where to find the escalation protocol." in form.content.decode()
    made = client.post(
        reverse("surveys:new"),
        {
            "title": "Escalation 2026",
            "introduction": "",
            "questions": "yes_no: Aware?\nsingle: Team? | Early help | CP\nmultiple: broken",
        },
    )
    assert "Line 3: give at least two options" in made.content.decode()
    made = client.post(
        reverse("surveys:new"),
        {"title": "Escalation 2026", "questions": "yes_no: Aware?\ntext: Anything else?"},
    )
    assert made.status_code == 302
    page = client.get(made["Location"]).content.decode()
    assert "Answer links" in page
    assert "/surveys/answer/" in page
