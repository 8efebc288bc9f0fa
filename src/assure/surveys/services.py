"""Survey writes: building a survey with a link per agency, closing a link, and taking an
anonymous practitioner's answers.

Signed-in writes check the permission first, then write in one transaction with their audit
event. An anonymous answer writes no audit event: an event keeps the request's address, and
an answer must not be traceable to anyone.
"""

import fcntl
import secrets
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.backends.sqlite3.creation import DatabaseCreation
from django.db.models import Count
from django.utils import timezone

from assure.accounts.models import Agency
from assure.core import audit
from assure.core.viewer import Viewer
from assure.surveys.models import Answer, Kind, Question, Response, Survey, SurveyLink, Tally
from assure.surveys.templates import QuestionSpec

RATE_WINDOW = timedelta(minutes=10)


def new_token() -> str:
    """An unguessable link token (192 random bits)."""
    return secrets.token_urlsafe(24)


def create_survey(
    viewer: Viewer,
    *,
    title: str,
    introduction: str,
    questions: list[QuestionSpec],
    template: str = "",
    today: date | None = None,
    imported: bool = False,
) -> Survey:
    """A survey with its questions and one open link for each of the partnership's agencies
    but its own business unit (none for results imported from elsewhere)."""
    viewer.require("survey", "manage", record_type="surveys.survey")
    with transaction.atomic():
        survey = Survey.objects.create(
            partnership_id=viewer.partnership_id,
            title=title,
            introduction=introduction,
            template=template,
            created_by=viewer.user,
            created_on=today or timezone.localdate(),
            imported=imported,
        )
        Question.objects.bulk_create(
            Question(survey=survey, number=n, kind=q.kind, text=q.text, options=q.options)
            for n, q in enumerate(questions, 1)
        )
        if not imported:
            agencies = Agency.objects.filter(partnership_id=viewer.partnership_id).exclude(
                agency_type=Agency.Type.PARTNERSHIP  # its business unit has no practitioners
            )
            SurveyLink.objects.bulk_create(
                SurveyLink(survey=survey, agency=agency, token=new_token()) for agency in agencies
            )
        audit.record(
            viewer.user,
            audit.Action.CREATE,
            survey,
            summary=f"Survey '{title}' with {len(questions)} questions",
        )
    return survey


def close_link(viewer: Viewer, link: SurveyLink, today: date | None = None) -> None:
    """Stop a link taking answers (for good: a new survey run gets new links)."""
    viewer.require("survey", "manage", record_type="surveys.surveylink", record_id=link.pk)
    if link.closed_on is not None:
        return
    with transaction.atomic():
        link.closed_on = today or timezone.localdate()
        link.save(update_fields=["closed_on"])
        audit.record(
            viewer.user,
            audit.Action.UPDATE,
            link,
            summary=f"Closed the answer link of {link.agency} for '{link.survey}'",
        )


class RateLimited(Exception):
    """Too many answers through one link in the current window."""


def take_turn(link: SurveyLink) -> None:
    """Count one answer against the link's window, or raise RateLimited: one statement that
    adds to a window begun less than RATE_WINDOW ago, or begins a new one. Only the current
    window's start and count are kept, so nothing here dates an earlier answer."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    current, started_after = adapt(now), adapt(now - RATE_WINDOW)
    table = connection.ops.quote_name(SurveyLink._meta.db_table)
    within = "window_started IS NOT NULL AND window_started > %s"
    # The table and columns are ours; every value is a parameter.
    sql = (
        f"UPDATE {table} SET "  # noqa: S608
        f"window_count = CASE WHEN {within} THEN window_count + 1 ELSE 1 END, "
        f"window_started = CASE WHEN {within} THEN window_started ELSE %s END "
        f"WHERE id = %s AND (NOT ({within}) OR window_count < %s)"
    )
    params = [started_after, started_after, current, link.pk, started_after]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, settings.SURVEY_ANSWERS_PER_LINK_WINDOW])
        if cursor.rowcount != 1:
            raise RateLimited


def answer(
    link: SurveyLink,
    answers: Mapping[int, list[str]],
    role: str,
    questions: list[Question] | None = None,
) -> Response:
    """Keep one anonymous response: `answers` maps a question id to its answer values (empty:
    not answered). Only the agency of the link, the chosen role and the day are kept. The
    rate count and the response are one write (SQLite has one writer at a time)."""
    if not link.is_open:
        raise ValidationError("This survey link is closed")
    by_id = {q.pk: q for q in (questions or link.survey.questions.all())}
    problems = []
    for question_id, values in answers.items():
        question = by_id.get(question_id)
        if question is None:
            problems.append(f"Question {question_id} is not in this survey")
        elif question.kind != Kind.TEXT:
            allowed = {value for value, _ in question.choices()}
            problems += [
                f"'{v}' is not an answer to question {question.number}"
                for v in values
                if v not in allowed
            ]
    if problems:
        raise ValidationError(problems)
    survey = link.survey
    # A box ticked twice (a hand-made post) is one answer.
    given = {q: list(dict.fromkeys(v for v in values if v != "")) for q, values in answers.items()}
    with _one_writer(), transaction.atomic():
        take_turn(link)
        response = Response.objects.create(
            survey=survey, agency_id=link.agency_id, role=role, answered_on=timezone.localdate()
        )
        response_id = Response._meta.pk.get_db_prep_value(response.pk, connection)
        _insert(
            Answer._meta.db_table,
            ["response_id", "question_id", "survey_id", "agency_id", "role", "value"],
            [
                (response_id, question_id, survey.pk, link.agency_id, role, value)
                for question_id, values in given.items()
                for value in values
            ],
        )
        _add_to_tallies(survey, link.agency_id, role, given, by_id)
    return response


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]], then: str = "") -> None:
    """Rows into a table of ours in as few statements as the database's parameter limit
    allows (one for an answer). Django's bulk_create spent more CPU making and checking a
    model object a row than the database spent storing them."""
    per_statement = (connection.features.max_query_params or 65535) // len(columns)
    row = f"({', '.join(['%s'] * len(columns))})"
    quote = connection.ops.quote_name
    into = f"INSERT INTO {quote(table)} ({', '.join(quote(c) for c in columns)}) VALUES"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            batch = rows[start : start + per_statement]
            # The table and columns are ours; every value is a parameter.
            sql = f"{into} {', '.join([row] * len(batch))} {then}"
            cursor.execute(sql, [value for each in batch for value in each])


@contextmanager
def _one_writer() -> Iterator[None]:
    """On SQLite, answers take turns here, across the server's processes and threads, before
    they ask for the database's one write lock. SQLite makes a writer that finds the lock
    taken sleep and try again, up to 100 ms between tries, so under a burst of answers the
    database sat idle while they slept (50 at once: p95 3.5-4.9 s, then 1.9 s with this, on
    the same loaded machine). A lock on a file beside the database wakes the next one at
    once, and the system lets it go if its process dies."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or DatabaseCreation.is_in_memory_db(name):
        yield
        return
    with open(f"{name}-answers.lock", "a") as turn:
        fcntl.flock(turn, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(turn, fcntl.LOCK_UN)


def _add_to_tallies(
    survey: Survey,
    agency_id: int,
    role: str,
    given: Mapping[int, list[str]],
    questions: Mapping[int, Question],
) -> None:
    """Count one response's answers into the survey's tallies: one statement that adds to
    the rows already there and makes the missing ones (free text is not counted)."""
    added = Counter(
        (question_id, value)
        for question_id, values in given.items()
        if values and questions[question_id].kind != Kind.TEXT
        for value in [*values, ""]  # "": the question's respondents
    )
    table = connection.ops.quote_name(Tally._meta.db_table)
    key = "question_id, agency_id, role, value"
    _insert(
        Tally._meta.db_table,
        ["survey_id", "question_id", "agency_id", "role", "value", "n"],
        [
            (survey.pk, question_id, agency_id, role, value, n)
            for (question_id, value), n in added.items()
        ],
        f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n",
    )


def recount(survey: Survey) -> None:
    """Make the survey's tallies again from its answers (after an import writes them in
    bulk). Call it inside the transaction that wrote the answers."""
    Tally.objects.filter(survey=survey).delete()
    counted = Answer.objects.filter(survey=survey).exclude(question__kind=Kind.TEXT).order_by()
    by_answer = counted.values_list("question_id", "agency_id", "role", "value")
    by_question = counted.values_list("question_id", "agency_id", "role")
    Tally.objects.bulk_create(
        [
            Tally(survey=survey, question_id=q, agency_id=a, role=r, value=v, n=n)
            for q, a, r, v, n in by_answer.annotate(n=Count("id"))
        ]
        + [
            Tally(survey=survey, question_id=q, agency_id=a, role=r, value="", n=n)
            for q, a, r, n in by_question.annotate(n=Count("response_id", distinct=True))
        ],
        batch_size=2000,
    )
