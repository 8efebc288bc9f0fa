"""Reading survey results run elsewhere (an online form's export) so earlier years can be
compared: one row a response, one column a question (its header the question's words, with or
without its number), and optionally an "Agency" and a "Role" column. Other columns (times,
names, emails) are ignored and never stored. Every problem is reported with its row, column,
value and what was expected, and nothing is written unless every row is right."""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from assure.accounts.models import Agency
from assure.core import audit
from assure.core.viewer import Viewer
from assure.surveys import services
from assure.surveys.models import (
    LIKERT,
    Answer,
    Kind,
    PractitionerRole,
    Question,
    Response,
    Survey,
)
from assure.surveys.templates import QuestionSpec

YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


class ImportProblems(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Imported:
    survey: Survey
    responses: int
    ignored_columns: list[str]
    missing_questions: list[str]


def read_rows(path: Path) -> list[list[str]]:
    """The file's rows (header first) as text."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # here: only a spreadsheet needs it

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    if path.suffix.lower() == ".csv":
        text = path.read_bytes().decode("utf-8-sig")
        return [[v.strip() for v in row] for row in csv.reader(io.StringIO(text))]
    raise ImportProblems([f"{path.name}: expected a .csv or .xlsx file"])


def _key(text: str) -> str:
    words = text.strip().lower()
    number, dot, rest = words.partition(". ")
    return rest.strip() if dot and number.isdigit() else words


def _value(question: Question | QuestionSpec, given: str) -> tuple[list[str], str]:
    """The stored values for an answer, or what was expected."""
    if question.kind == Kind.TEXT:
        return [given], ""
    if question.kind == Kind.YES_NO:
        low = given.lower()
        return (["yes"] if low in YES else ["no"] if low in NO else []), "yes or no"
    if question.kind == Kind.LIKERT:
        for value, words in LIKERT:
            if given.lower() in (value, words.lower()):
                return [value], ""
        return [], "1 to 5 or " + ", ".join(words for _, words in LIKERT)
    options = {o.lower(): o for o in question.options}
    parts = (
        [p.strip() for p in given.split(";") if p.strip()]
        if question.kind == Kind.MULTIPLE
        else [given]
    )
    found = [options.get(p.lower()) for p in parts]
    expected = "one of " + ", ".join(question.options)
    if question.kind == Kind.MULTIPLE:
        expected = "one or more of " + ", ".join(question.options) + " separated by ;"
    return ([f for f in found if f] if all(found) else []), expected


def import_results(
    viewer: Viewer, path: Path, *, questions: list[QuestionSpec], title: str, answered_on: date
) -> Imported:
    """A new imported survey run of `questions`, with the file's responses."""
    rows = read_rows(path)
    if not rows:
        raise ImportProblems([f"{path.name}: the file is empty"])
    header, body = rows[0], rows[1:]
    wanted = {_key(q.text): (n, q) for n, q in enumerate(questions)}
    columns: dict[int, QuestionSpec] = {}
    agency_column = role_column = None
    ignored = []
    for index, name in enumerate(header):
        if name.lower() == "agency":
            agency_column = index
        elif name.lower() == "role":
            role_column = index
        elif _key(name) in wanted:
            columns[index] = wanted[_key(name)][1]
        elif name:
            ignored.append(name)
    problems = [] if columns else [f"{path.name}: no column is headed by a survey question"]
    agencies = {}
    for agency in Agency.objects.filter(partnership_id=viewer.partnership_id):
        for name in [agency.name, *agency.aliases]:
            agencies[name.lower()] = agency.pk
    roles = {r.label.lower(): r.value for r in PractitionerRole} | {
        r.value: r.value for r in PractitionerRole
    }
    parsed = []
    for number, row in enumerate(body, 2):
        if not any(row):
            continue
        row = row + [""] * (len(header) - len(row))
        where = f"{path.name}, row {number}"
        agency_id = None
        if agency_column is not None and row[agency_column]:
            agency_id = agencies.get(row[agency_column].lower())
            if agency_id is None:
                problems.append(
                    f"{where}, column 'Agency': '{row[agency_column]}' is not an agency of "
                    "the partnership"
                )
        role = PractitionerRole.NOT_SAID.value
        if role_column is not None and row[role_column]:
            role = roles.get(row[role_column].lower(), "")
            if not role:
                problems.append(
                    f"{where}, column 'Role': '{row[role_column]}' is not a role; "
                    "expected one of " + ", ".join(PractitionerRole.labels)
                )
        answers: dict[int, list[str]] = {}
        for index, question in columns.items():
            given = row[index]
            if not given:
                continue
            values, expected = _value(question, given)
            if not values:
                problems.append(
                    f"{where}, column '{header[index]}': '{given}' is not an answer; "
                    f"expected {expected}"
                )
            answers[questions.index(question)] = values
        parsed.append((agency_id, role, answers))
    if not parsed and not problems:
        problems.append(f"{path.name}: no responses below the header")
    if problems:
        raise ImportProblems(problems)
    with transaction.atomic():
        survey = services.create_survey(
            viewer,
            title=title,
            introduction=f"Imported from {path.name}",
            questions=questions,
            today=answered_on,
            imported=True,
        )
        by_number = list(survey.questions.order_by("number"))
        responses, answers_rows = [], []
        for agency_id, role, answers in parsed:
            response = Response(
                id=uuid.uuid4(),
                survey=survey,
                agency_id=agency_id,
                role=role,
                answered_on=answered_on,
            )
            responses.append(response)
            answers_rows += [
                Answer(
                    response=response,
                    question=by_number[n],
                    survey=survey,
                    agency_id=agency_id,
                    role=role,
                    value=v,
                )
                for n, values in answers.items()
                for v in values
            ]
        Response.objects.bulk_create(responses)
        Answer.objects.bulk_create(answers_rows, batch_size=2000)
        services.recount(survey)
        audit.record(
            viewer.user,
            audit.Action.IMPORT,
            survey,
            summary=f"Imported {len(responses)} responses from {path.name}",
        )
    missing = [q.text for q in questions if q not in columns.values()]
    return Imported(survey, len(parsed), ignored, missing)
