"""`assure import-survey FILE.csv|xlsx --survey NAME --as USERNAME [--title T] [--date D]`.

Reads results of a survey run elsewhere into a new imported run of the survey NAME (an
existing survey's title, or a built-in template's key), so that earlier years can be compared.
Unknown answers are reported per row and nothing is written.
"""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone

from assure.core.commandline import AuditedCommand, acting_viewer, add_as_argument
from assure.surveys.importer import ImportProblems, import_results
from assure.surveys.models import Survey
from assure.surveys.templates import TEMPLATES, QuestionSpec


class Command(AuditedCommand):
    help = (
        "Import an online form's export of a practitioner survey (one row a response, one "
        "column a question, optional Agency and Role columns) as an earlier run to compare."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--survey",
            required=True,
            help="The survey whose questions the columns are: a survey's title, or a template "
            f"({', '.join(TEMPLATES)})",
        )
        parser.add_argument("--title", default="", help="The imported run's title")
        parser.add_argument("--date", default="", help="When it was run, YYYY-MM-DD")
        add_as_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        viewer = acting_viewer(options["as_username"])
        if viewer is None:
            raise CommandError("Give --as USERNAME: the partnership manager the import is for.")
        if not viewer.can("survey", "manage"):
            raise CommandError(
                f"--as {viewer.user.username}: only a partnership manager imports surveys."
            )
        name = options["survey"]
        questions: list[QuestionSpec]
        existing = Survey.objects.filter(partnership_id=viewer.partnership_id, title=name).first()
        if existing is not None:
            questions = [
                QuestionSpec(q.kind, q.text, list(q.options)) for q in existing.questions.all()
            ]
        elif name in TEMPLATES:
            questions = TEMPLATES[name].questions
            name = TEMPLATES[name].title
        else:
            raise CommandError(
                f"--survey {name}: no survey has that title, and no template that key."
            )
        try:
            answered_on = (
                date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}.") from None
        if not options["file"].is_file():
            raise CommandError(f"{options['file']}: no such file.")
        title = options["title"] or f"{name} (imported {answered_on:%B %Y})"
        try:
            done = import_results(
                viewer,
                options["file"],
                questions=questions,
                title=title,
                answered_on=answered_on,
            )
        except ImportProblems as error:
            raise CommandError("Nothing was imported:\n" + "\n".join(error.problems)) from None
        self.stdout.write(f"Imported {done.responses} responses as '{done.survey.title}'.")
        if done.ignored_columns:
            self.stdout.write("Ignored columns (not stored): " + ", ".join(done.ignored_columns))
        if done.missing_questions:
            self.stdout.write("Questions not in the file: " + "; ".join(done.missing_questions))
