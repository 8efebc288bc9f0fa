"""The stored tallies the results page counts from: each answer adds to them in its own
transaction, an import makes them from its answers, and they always say what counting every
answer says."""

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assure.surveys import selectors, services
from assure.surveys.models import Answer, PractitionerRole, Response, Survey, Tally
from assure.surveys.tests.conftest import link_of

LATER = date(2100, 1, 1)  # counting the answers themselves: every answer is given by then


def tallies(survey: Survey) -> dict[tuple[int, str, int | None, str], int]:
    rows = Tally.objects.filter(survey=survey).values_list(
        "question__number", "value", "agency_id", "role", "n"
    )
    return {(number, value, agency, role): n for number, value, agency, role, n in rows}


def test_each_answer_adds_to_its_tallies(survey: Any, give: Any, council: Any, police: Any) -> None:
    give(council, 3, ticks=("Training", "Website"))
    give(police, 2, yes="no", likert="2", ticks=("Manager",), role=PractitionerRole.POLICE)
    give(council, 1, text="More time")
    sw, pol = PractitionerRole.SOCIAL_WORKER, PractitionerRole.POLICE
    assert tallies(survey) == {
        # Question 1 (yes or no): "" counts the responses that answered it.
        (1, "yes", council.pk, sw): 4,
        (1, "", council.pk, sw): 4,
        (1, "no", police.pk, pol): 2,
        (1, "", police.pk, pol): 2,
        (2, "4", council.pk, sw): 4,
        (2, "", council.pk, sw): 4,
        (2, "2", police.pk, pol): 2,
        (2, "", police.pk, pol): 2,
        # Several choices: a count per option ticked, one respondent per response.
        (3, "Training", council.pk, sw): 4,
        (3, "Website", council.pk, sw): 3,
        (3, "", council.pk, sw): 4,
        (3, "Manager", police.pk, pol): 2,
        (3, "", police.pk, pol): 2,
        # Free text is never tallied.
    }
    assert selectors._counted(survey) == selectors._counted(survey, LATER)


def test_an_import_is_tallied_from_its_answers(
    survey: Any, manager: Any, council: Any, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Agency,Role,Are you aware of the escalation protocol?,How did you learn of it?\n"
        "Testshire Police,Police officer or staff,Yes,Training;Website\n"
        ",,no,Manager\n"
        "Testshire Police,,,\n",
        encoding="utf-8",
    )
    call_command(
        "import_survey", str(path), survey=survey.title, date="2025-03-01", as_username="manager"
    )
    imported = Survey.objects.get(imported=True)
    assert tallies(imported)[(1, "", None, PractitionerRole.NOT_SAID)] == 1
    assert sum(n for (number, value, _, _), n in tallies(imported).items() if not value) == 4
    assert selectors._counted(imported) == selectors._counted(imported, LATER)


def test_tallies_made_again_are_the_same(survey: Any, give: Any, council: Any, police: Any) -> None:
    give(council, 6, ticks=("Training", "Manager"))
    give(police, 5, yes="no", role=PractitionerRole.HEALTH)
    kept = tallies(survey)
    Tally.objects.filter(survey=survey, question__number=3).update(n=99)
    services.recount(survey)
    assert tallies(survey) == kept


def test_a_refused_answer_adds_nothing(survey: Any, council: Any, settings: Any) -> None:
    settings.SURVEY_ANSWERS_PER_LINK_WINDOW = 1
    link = link_of(survey, council)
    q = {question.number: question.pk for question in survey.questions.all()}
    answers = {q[1]: ["yes"], q[2]: ["4"], q[3]: ["Training"], q[4]: []}
    services.answer(link, answers, PractitionerRole.OTHER)
    kept = tallies(survey)
    link.refresh_from_db()
    with pytest.raises(services.RateLimited):
        services.answer(link, answers, PractitionerRole.OTHER)
    assert tallies(survey) == kept


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes in one statement")
def test_on_postgresql_an_answer_is_written_in_one_statement(survey: Any, council: Any) -> None:
    """The rate count, response, answers and tallies in one round trip: the link's row is
    locked only while the server itself writes (see services._write_in_one_statement)."""
    link = link_of(survey, council)
    q = {question.number: question.pk for question in survey.questions.all()}
    answers = {q[1]: ["yes"], q[2]: ["4"], q[3]: ["Training", "Website"], q[4]: ["a note"]}
    questions = list(survey.questions.all())
    with CaptureQueriesContext(connection) as sent:
        response = services.answer(link, answers, PractitionerRole.POLICE, questions)
    assert len(sent) == 1
    kept = Response.objects.get()
    assert (kept.pk, kept.agency_id, kept.role) == (response.pk, council.pk, "police")
    assert sorted(Answer.objects.values_list("question__number", "value")) == [
        (1, "yes"), (2, "4"), (3, "Training"), (3, "Website"), (4, "a note")
    ]  # fmt: skip
    assert tallies(survey)[(3, "Training", council.pk, "police")] == 1
    assert tallies(survey)[(3, "", council.pk, "police")] == 1
    assert (4, "", council.pk, "police") not in tallies(survey)  # free text is not counted
    link.refresh_from_db()
    assert link.window_count == 1
