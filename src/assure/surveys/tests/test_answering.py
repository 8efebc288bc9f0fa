"""The public answer page: no sign-in, nothing identifying kept, closed and unknown links,
rate limit per link, oversized posts refused."""

import fcntl
import re
from typing import Any

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.surveys import services, views
from assure.surveys.models import Answer, Kind, Response, Tally
from assure.surveys.templates import QuestionSpec
from assure.surveys.tests.conftest import link_of


def form_data(survey: Any, **extra: Any) -> dict[str, Any]:
    q = {question.number: question.pk for question in survey.questions.all()}
    data = {
        "role": "police",
        f"q{q[1]}": "yes",
        f"q{q[2]}": "5",
        f"q{q[3]}": ["Training", "Website"],
        f"q{q[4]}": "More time with my manager",
    }
    return data | extra


def test_a_practitioner_answers_without_signing_in_and_nothing_names_them(
    survey: Any, police: Any
) -> None:
    link = link_of(survey, police)
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Phone")
    url = reverse("surveys:answer", args=[link.token])
    page = client.get(url)
    assert page.status_code == 200
    assert "Do not name or describe any child" in page.content.decode()
    events_before = AuditEvent.objects.count()
    with time_machine.travel("2026-03-06 16:45Z"):
        sent = client.post(
            url, form_data(survey, csrfmiddlewaretoken=client.cookies["assure_csrf"].value)
        )
    assert sent.status_code == 302
    assert sent["Location"] == reverse("surveys:thanks", args=[link.token])
    response = Response.objects.get()
    # The rows hold the agency, the chosen role and the day: no person, time, address or
    # browser, and no audit event (which would keep the address).
    assert {f.name for f in Response._meta.get_fields()} == {
        "id",
        "survey",
        "agency",
        "role",
        "answered_on",
        "answers",
    }
    assert (response.agency, response.role, str(response.answered_on)) == (
        police,
        "police",
        "2026-03-06",
    )
    assert {f.name for f in Answer._meta.get_fields()} == {
        "id",
        "response",
        "question",
        "survey",
        "agency",
        "role",
        "value",
    }
    # The tallies the results page counts from keep no day at all.
    assert {f.name for f in Tally._meta.get_fields()} == {
        "id",
        "survey",
        "question",
        "agency",
        "role",
        "value",
        "n",
    }
    assert sorted(response.answers.values_list("value", flat=True)) == sorted(
        ["yes", "5", "Training", "Website", "More time with my manager"]
    )
    assert AuditEvent.objects.count() == events_before
    assert not Session.objects.exists()
    assert "203.0.113.9" not in str(list(Response.objects.values())) + str(
        list(Answer.objects.values())
    ) + str(list(Tally.objects.values()))


def test_every_choice_question_must_be_answered(survey: Any, police: Any) -> None:
    link = link_of(survey, police)
    q1 = survey.questions.get(number=1).pk
    page = Client().post(reverse("surveys:answer", args=[link.token]), {f"q{q1}": "yes"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Select your role" in text
    assert "Answer question 2" in text
    assert not Response.objects.exists()


def test_an_answer_not_offered_is_refused(survey: Any, police: Any) -> None:
    link = link_of(survey, police)
    q2 = survey.questions.get(number=2).pk
    page = Client().post(
        reverse("surveys:answer", args=[link.token]), form_data(survey) | {f"q{q2}": "9"}
    )
    assert page.status_code == 200
    assert not Response.objects.exists()


def test_a_closed_or_unknown_link_says_so(survey: Any, police: Any, manager: Any) -> None:
    link = link_of(survey, police)
    services.close_link(Viewer.of(manager), link)
    closed = Client().get(reverse("surveys:answer", args=[link.token]))
    assert closed.status_code == 410
    assert "This survey link is closed" in closed.content.decode()
    posted = Client().post(reverse("surveys:answer", args=[link.token]), form_data(survey))
    assert posted.status_code == 410
    unknown = Client().get(reverse("surveys:answer", args=["not-a-real-token"]))
    assert unknown.status_code == 404
    assert "This survey link is not recognised" in unknown.content.decode()
    assert not Response.objects.exists()


def test_a_link_takes_a_limited_number_of_answers_in_ten_minutes(
    survey: Any, police: Any, council: Any, settings: Any
) -> None:
    settings.SURVEY_ANSWERS_PER_LINK_WINDOW = 2
    link = link_of(survey, police)
    url = reverse("surveys:answer", args=[link.token])
    with time_machine.travel("2026-03-06 10:00Z", tick=False):
        assert Client().post(url, form_data(survey)).status_code == 302
        assert Client().post(url, form_data(survey)).status_code == 302
        refused = Client().post(url, form_data(survey))
        assert refused.status_code == 429
        assert "Wait 10 minutes" in refused.content.decode()
        # Another agency's link has its own count.
        other = reverse("surveys:answer", args=[link_of(survey, council).token])
        assert Client().post(other, form_data(survey)).status_code == 302
    with time_machine.travel("2026-03-06 10:10:01Z", tick=False):
        assert Client().post(url, form_data(survey)).status_code == 302
    assert Response.objects.count() == 4


def test_an_oversized_post_is_refused_before_it_is_read(survey: Any, police: Any) -> None:
    link = link_of(survey, police)
    q4 = survey.questions.get(number=4).pk
    page = Client().post(
        reverse("surveys:answer", args=[link.token]),
        form_data(survey) | {f"q{q4}": "x" * 70_000},
    )
    assert page.status_code == 413
    assert "64 KB" in page.content.decode()
    assert not Response.objects.exists()


def test_a_long_written_answer_is_refused_with_a_reason(survey: Any, police: Any) -> None:
    link = link_of(survey, police)
    q4 = survey.questions.get(number=4).pk
    page = Client().post(
        reverse("surveys:answer", args=[link.token]), form_data(survey) | {f"q{q4}": "x" * 2001}
    )
    assert page.status_code == 200
    assert not Response.objects.exists()


def test_the_access_log_does_not_keep_the_token(survey: Any, police: Any, caplog: Any) -> None:
    link = link_of(survey, police)
    with caplog.at_level("INFO", logger="assure.access"):
        Client(REMOTE_ADDR="203.0.113.9").get(reverse("surveys:answer", args=[link.token]))
    logged = " ".join(str(r.__dict__) for r in caplog.records if r.name == "assure.access")
    assert "/surveys/answer/[token]/" in logged
    assert link.token not in logged
    assert "203.0.113.9" not in logged


def test_answers_take_turns_on_a_lock_beside_a_sqlite_file(tmp_path: Any, monkeypatch: Any) -> None:
    """On a SQLite file, an answer holds a lock beside it while it writes: another process or
    thread waits there (woken at once) rather than in SQLite's sleeping retries."""
    if connection.vendor != "sqlite":
        return
    monkeypatch.setitem(connection.settings_dict, "NAME", str(tmp_path / "assure.sqlite3"))
    lock = tmp_path / "assure.sqlite3-answers.lock"
    with services._one_writer(), lock.open("a") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with lock.open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # let go once written


def test_each_survey_shows_its_own_blank_form_drawn_once(
    survey: Any, police: Any, manager: Any
) -> None:
    other = services.create_survey(
        Viewer.of(manager),
        title="Training 2026",
        introduction="",
        questions=[QuestionSpec(Kind.YES_NO, "Did the training help you?")],
    )

    def page(of: Any) -> str:
        return (
            Client()
            .get(reverse("surveys:answer", args=[link_of(of, police).token]))
            .content.decode()
        )

    def after_token(text: str) -> str:
        return text.split('name="csrfmiddlewaretoken"', 1)[1].split(">", 1)[1]

    first, again, theirs = page(survey), page(survey), page(other)
    assert "escalation protocol" in first
    assert "Did the training help you?" not in first
    assert "Did the training help you?" in theirs
    assert "escalation protocol" not in theirs
    assert after_token(first) == after_token(again)  # the same fields; only the token differs
    assert len(views._BLANK_FIELDS) >= 2


def test_an_edited_question_is_shown_and_checked_as_it_now_reads(survey: Any, police: Any) -> None:
    """The form's fields are kept between requests by what the questions say, so a question
    changed after a first answer is never shown or checked as it was."""
    link = link_of(survey, police)
    url = reverse("surveys:answer", args=[link.token])
    assert Client().post(url, form_data(survey)).status_code == 302
    q3 = survey.questions.get(number=3)
    q3.text = "Where did you hear of it?"
    q3.options = [*q3.options, "A colleague"]
    q3.save()
    assert "Where did you hear of it?" in Client().get(url).content.decode()
    sent = Client().post(url, form_data(survey) | {f"q{q3.pk}": ["A colleague"]})
    assert sent.status_code == 302
    assert Tally.objects.get(question=q3, value="A colleague").n == 1


def test_a_box_ticked_twice_in_a_made_up_post_counts_once(survey: Any, police: Any) -> None:
    link = link_of(survey, police)
    q3 = survey.questions.get(number=3).pk
    data = form_data(survey) | {f"q{q3}": ["Training", "Training"]}
    assert Client().post(reverse("surveys:answer", args=[link.token]), data).status_code == 302
    assert Answer.objects.filter(question_id=q3).count() == 1
    assert Tally.objects.get(question_id=q3, value="Training").n == 1
    assert Tally.objects.get(question_id=q3, value="").n == 1


def test_an_answer_takes_the_same_statements_however_many_questions(
    survey: Any, police: Any, manager: Any
) -> None:
    """Link, questions, rate count, response, answers, tallies: one statement each, for 4
    questions or 40 (and the thank-you page one)."""
    long = services.create_survey(
        Viewer.of(manager),
        title="Long",
        introduction="",
        questions=[QuestionSpec(Kind.LIKERT, f"Statement {n}") for n in range(1, 41)],
    )

    def statements(of: Any, data: dict[str, Any]) -> tuple[int, int]:
        client = Client()
        token = link_of(of, police).token
        with CaptureQueriesContext(connection) as sent:
            assert client.post(reverse("surveys:answer", args=[token]), data).status_code == 302
        with CaptureQueriesContext(connection) as thanked:
            assert client.get(reverse("surveys:thanks", args=[token])).status_code == 200
        return len(sent), len(thanked)

    long_data = {"role": "police"} | {f"q{q.pk}": "4" for q in long.questions.all()}
    assert statements(survey, form_data(survey)) == statements(long, long_data)
    assert statements(long, long_data)[1] == 1
    assert Tally.objects.get(question__survey=long, question__number=40, value="4").n == 2


def test_each_thank_you_page_carries_its_own_nonce(survey: Any, police: Any) -> None:
    """The thank-you page is drawn once and kept: each visitor's copy still has the nonce its
    own Content-Security-Policy names."""
    url = reverse("surveys:thanks", args=[link_of(survey, police).token])
    seen = set()
    for _ in range(2):
        page = Client().get(url)
        assert page.status_code == 200
        nonce = re.search(r"'nonce-([^']+)'", page["Content-Security-Policy"])
        assert nonce
        assert f'nonce="{nonce.group(1)}"' in page.content.decode()
        assert "\x00" not in page.content.decode()
        assert "Your answers have been sent" in page.content.decode()
        seen.add(nonce.group(1))
    assert len(seen) == 2
    assert Client().get(reverse("surveys:thanks", args=["not-a-real-token"])).status_code == 404
