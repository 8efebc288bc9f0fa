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
ANSWER_COLUMNS = ["response_id", "question_id", "survey_id", "agency_id", "role", "value"]
TALLY_COLUMNS = ["survey_id", "question_id", "agency_id", "role", "value", "n"]


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


def _turn(link: SurveyLink) -> tuple[str, list[Any]]:
    """The statement counting one answer against the link's window (it changes no row when
    the window is full): it adds to a window begun less than RATE_WINDOW ago, or begins a new
    one. Only the current window's start and count are kept, so nothing dates an earlier
    answer."""
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
    return sql, [*params, settings.SURVEY_ANSWERS_PER_LINK_WINDOW]


def take_turn(link: SurveyLink) -> None:
    """Count one answer against the link's window, or raise RateLimited."""
    with connection.cursor() as cursor:
        cursor.execute(*_turn(link))
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
    # A box ticked twice (a hand-made post) is one answer.
    given = {q: list(dict.fromkeys(v for v in values if v != "")) for q, values in answers.items()}
    response = Response(
        survey=link.survey, agency_id=link.agency_id, role=role, answered_on=timezone.localdate()
    )
    chosen = [(q, value) for q, kept in given.items() for value in kept]
    counted = _counted(given, by_id)
    if connection.vendor == "postgresql":
        _write_in_one_statement(link, response, chosen, counted)
        return response
    # Everything is made ready before the turn: answers wait for each other only while one
    # writes (a burst of 50: 7 ms a turn, nearly all of it waiting for the processor).
    response_id = _pk(response)
    day = connection.ops.adapt_datefield_value(response.answered_on)
    answer_rows = [(response_id, q, link.survey_id, link.agency_id, role, v) for q, v in chosen]
    tally_rows = [(link.survey_id, q, link.agency_id, role, v, n) for (q, v), n in counted.items()]
    with _one_writer(), transaction.atomic():
        take_turn(link)
        _insert(
            Response._meta.db_table,
            ["id", "survey_id", "agency_id", "role", "answered_on"],
            [(response_id, link.survey_id, link.agency_id, role, day)],
        )
        _insert(Answer._meta.db_table, ANSWER_COLUMNS, answer_rows)
        _insert(Tally._meta.db_table, TALLY_COLUMNS, tally_rows, _add_to_tally())
    return response


def _pk(response: Response) -> Any:
    return Response._meta.pk.get_db_prep_value(response.pk, connection)


def _counted(given: Mapping[int, list[str]], questions: Mapping[int, Question]) -> Counter:
    """What one response adds to the survey's tallies: one for each value chosen, and one for
    the question's respondents (value ""); free text is not counted."""
    return Counter(
        (question_id, value)
        for question_id, values in given.items()
        if values and questions[question_id].kind != Kind.TEXT
        for value in [*values, ""]
    )


def _add_to_tally() -> str:
    """The clause that adds a response's counts to the tally rows already there."""
    table = connection.ops.quote_name(Tally._meta.db_table)
    key = "question_id, agency_id, role, value"
    return f"ON CONFLICT ({key}) DO UPDATE SET n = {table}.n + excluded.n"


def _write_in_one_statement(
    link: SurveyLink,
    response: Response,
    values: list[tuple[int, str]],
    counted: Counter,
) -> None:
    """PostgreSQL: the rate count, the response, its answers and the tallies in one statement
    (one round trip, its own transaction). The link's row and the tallies' rows are locked
    from the first write to the commit, so every answer through a link waits for the one
    before it: written as several statements, that wait spanned each round trip and the
    server process's other threads; in one, it is the server's own work. When the window is
    full, the count changes no row and nothing is written."""
    quote = connection.ops.quote_name
    turn_sql, params = _turn(link)
    parts = [f"turn AS ({turn_sql} RETURNING id)"]
    parts.append(
        f"response AS (INSERT INTO {quote(Response._meta.db_table)} "  # noqa: S608
        "(id, survey_id, agency_id, role, answered_on) "
        "SELECT %s, %s, %s, %s, %s FROM turn RETURNING id)"
    )
    params += [_pk(response), link.survey_id, link.agency_id, response.role, response.answered_on]
    fixed = [link.survey_id, link.agency_id, response.role]
    if values:
        answers = _insert_joined(
            Answer, ANSWER_COLUMNS, "response.id, v.question_id, %s, %s, %s, v.value",
            "response", {"question_id": "integer", "value": "text"}, len(values),
        )  # fmt: skip
        parts.append(f"answers AS ({answers})")
        params += fixed + [item for row in values for item in row]
    if counted:
        tallies = _insert_joined(
            Tally, TALLY_COLUMNS, "%s, v.question_id, %s, %s, v.value, v.n",
            "turn", {"question_id": "integer", "value": "text", "n": "integer"}, len(counted),
        )  # fmt: skip
        parts.append(f"tallies AS ({tallies} {_add_to_tally()})")
        params += fixed + [item for (q, v), n in counted.items() for item in (q, v, n)]
    with connection.cursor() as cursor:
        # Tables and columns are ours; every value is a parameter.
        sql = f"WITH {', '.join(parts)} SELECT count(*) FROM response"  # noqa: S608
        cursor.execute(sql, params)
        (written,) = cursor.fetchone()
    if written != 1:
        raise RateLimited


def _insert_joined(
    model: type[Answer] | type[Tally],
    columns: list[str],
    select: str,
    source: str,
    given: dict[str, str],
    count: int,
) -> str:
    """An INSERT of `count` rows given as VALUES (`given`: their names and types, read as
    `v.name` in `select`), each joined to the one row of the statement's `source` part."""
    row = "(" + ", ".join(f"%s::{kind}" for kind in given.values()) + ")"
    return (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(columns)}) SELECT {select} FROM {source} "
        f"CROSS JOIN (VALUES {', '.join([row] * count)}) AS v ({', '.join(given)})"
    )


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
