"""Case data from the children's social care system, as imported from the latest extract.

Only the latest snapshot's data is kept: each import replaces the rows of the one before
(see `importer`). Every row names its partnership and keeps the case system's own id
(`ssd_id`), unique within the partnership, plus `row_hash`, a fingerprint of the imported
values that lets the next import tell which rows changed without reading them.

Data minimisation: no child's name or address is ever stored; a date of birth is kept as its
month; plan actions are kept as four yes/no answers, never their text. Professionals' names
are staff data, kept so that chairs and workers can be shown in breakdowns.

Indexes lead with a reference to a person, plan or enquiry (then a date): a child's records
are read by person, and deleting a person or plan checks the rows that refer to it. None
leads with the partnership: the indicators read whole tables from stored columns
(`columnar`), and each index costs every import time (17 such went in December 2026).
"""

from typing import Any

from django.db import models


class CaseRow(models.Model):
    """What every imported row has."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    ssd_id = models.CharField("id in the case system", max_length=64)
    row_hash = models.BigIntegerField(default=0)

    class Meta:
        abstract = True
        # Written as columns (not `fields`) so that SQLite makes it a unique index of its own
        # rather than part of the table's definition: a first import's scratch copy of the
        # table can then build it once its rows are in, from sorted ids, where keeping it row
        # by row took a third of staging (see `importer.staging`). The same index either way.
        constraints = [
            models.UniqueConstraint(
                models.F("partnership"),
                models.F("ssd_id"),
                name="%(app_label)s_%(class)s_ssd_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.ssd_id}"


def _person() -> Any:
    return models.ForeignKey("Person", on_delete=models.CASCADE, related_name="+", db_index=False)


def _plan(null: bool = False) -> Any:
    return models.ForeignKey(
        "CPPlan",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=null,
        null=null,
        blank=null,
    )


def _professional() -> Any:
    return models.ForeignKey(
        "Professional", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )


def _text() -> Any:
    return models.CharField(max_length=200, blank=True, default="")


def _code() -> Any:
    return models.CharField(max_length=48, blank=True, default="")


def _index(model: str, *fields: str) -> models.Index:
    short = {"partnership": "p", "person": "pers"}
    name = f"cd_{model}_" + "_".join(short.get(f, f) for f in fields)
    return models.Index(fields=list(fields), name=name[:30])


class Person(CaseRow):
    """A child (or unborn child). No name, no address; date of birth reduced to the month."""

    sex = _code()
    ethnicity = _code()
    birth_month = models.DateField(null=True, blank=True, help_text="First day of the month.")
    expected_birth_month = models.DateField(
        null=True, blank=True, help_text="First day of the month."
    )
    death_date = models.DateField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "person"


class Team(CaseRow):
    name = _text()
    parent_ssd_id = models.CharField(max_length=64, blank=True, default="")
    parent_name = _text()

    class Meta(CaseRow.Meta):
        verbose_name = "team"


class Professional(CaseRow):
    name = _text()
    job_title = _text()
    team = _text()

    class Meta(CaseRow.Meta):
        verbose_name = "professional"


class Involvement(CaseRow):
    """A professional allocated to a child over a period."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="+")
    person = _person()
    role = _code()
    team = _text()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "involvement"
        indexes = [_index("invo", "person", "start_date")]


class S47Enquiry(CaseRow):
    person = _person()
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    nfa = models.BooleanField(null=True, blank=True)
    team = _text()
    worker = _professional()

    class Meta(CaseRow.Meta):
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"
        indexes = [
            _index("s47", "person", "start_date"),
        ]


class StrategyDiscussion(CaseRow):
    person = _person()
    s47 = models.ForeignKey(
        S47Enquiry,
        on_delete=models.CASCADE,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    date = models.DateField()

    class Meta(CaseRow.Meta):
        verbose_name = "strategy discussion"
        indexes = [
            _index("stra", "s47", "date"),
            _index("stra", "person", "date"),
        ]


class CPPlan(CaseRow):
    """A child protection plan. `icpc_ref` is the case system's id of the ICPC that started it."""

    person = _person()
    icpc_ref = models.CharField(max_length=64, blank=True, default="")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    initial_category = _code()
    latest_category = _code()

    class Meta(CaseRow.Meta):
        verbose_name = "child protection plan"
        indexes = [
            _index("cppl", "person", "start_date"),
        ]


class InitialConference(CaseRow):
    person = _person()
    meeting_id = models.CharField(max_length=64, blank=True, default="")
    s47 = models.ForeignKey(
        S47Enquiry, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    plan = _plan(null=True)
    transfer_in = models.BooleanField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    outcome_cp = models.BooleanField(null=True, blank=True)
    team = _text()
    worker = _professional()

    class Meta(CaseRow.Meta):
        verbose_name = "initial child protection conference"
        indexes = [
            _index("icpc", "person", "date"),
        ]


class ReviewConference(CaseRow):
    person = _person()
    plan = _plan()
    due_date = models.DateField(null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    meeting_id = models.CharField(max_length=64, blank=True, default="")
    outcome_continue_cp = models.BooleanField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "review child protection conference"
        indexes = [
            _index("cppr", "plan", "date"),
            _index("cppr", "person", "date"),
        ]


class ConferenceChair(CaseRow):
    """Who chaired a conference. `ssd_id` is the meeting id (an ICPC's or a review's)."""

    chair = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="+")

    class Meta(CaseRow.Meta):
        verbose_name = "conference chair"


class CoreGroup(CaseRow):
    person = _person()
    plan = _plan()
    date = models.DateField()
    recorded_date = models.DateField(null=True, blank=True, help_text="Blank: not written up.")

    class Meta(CaseRow.Meta):
        verbose_name = "core group meeting"
        indexes = [
            _index("cogr", "plan", "date"),
            _index("cogr", "person", "date"),
        ]


class MidwayReview(CaseRow):
    person = _person()
    plan = _plan()
    date = models.DateField()
    chair = _professional()

    class Meta(CaseRow.Meta):
        verbose_name = "mid-way review"
        indexes = [
            _index("midw", "plan", "date"),
            _index("midw", "person", "date"),
        ]


class CPVisit(CaseRow):
    person = _person()
    plan = _plan()
    date = models.DateField()
    seen = models.BooleanField(null=True, blank=True)
    seen_alone = models.BooleanField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "child protection visit"
        indexes = [
            _index("cppv", "plan", "date"),
            _index("cppv", "person", "date"),
        ]


class PlanAction(CaseRow):
    """An action of a plan: only whether each of its four elements is present, never the text."""

    plan = models.ForeignKey("CPPlan", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("Person", on_delete=models.CASCADE, related_name="+")
    has_outcome = models.BooleanField(default=False)
    has_risk = models.BooleanField(default=False)
    has_timeframe = models.BooleanField(default=False)
    has_responsible = models.BooleanField(default=False)

    class Meta(CaseRow.Meta):
        verbose_name = "plan action"


class LegalPlanning(CaseRow):
    class Route(models.TextChoices):
        MEETING = "meeting", "Meeting held"
        DECLINED = "declined", "Declined"

    class Decision(models.TextChoices):
        ISSUE = "issue", "Issue proceedings"
        PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"
        NO_ORDER = "no_order", "No order"
        ASSESSMENT = "assessment", "Assessment"
        OTHER = "other", "Other"

    person = _person()
    requested_date = models.DateField()
    route = models.CharField(max_length=10, choices=Route.choices)
    decision_date = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True, default="")
    recorded_date = models.DateField(null=True, blank=True)
    threshold_disagreement = models.BooleanField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "legal planning decision"
        indexes = [
            _index("lgpl", "person", "requested_date"),
        ]


class PreProceedings(CaseRow):
    """A PLO pre-proceedings episode, with its filing dates from `assure_plo_filing`."""

    person = _person()
    decision_date = models.DateField(null=True, blank=True)
    letter_date = models.DateField(null=True, blank=True)
    initial_meeting_date = models.DateField(null=True, blank=True)
    outcome = _code()
    stepdown_issue_date = models.DateField(null=True, blank=True)
    letter_filed_date = models.DateField(null=True, blank=True)
    meeting_filed_date = models.DateField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "pre-proceedings episode"
        verbose_name_plural = "pre-proceedings episodes"
        indexes = [
            _index("prep", "person", "decision_date"),
        ]


class ViabilityAssessment(CaseRow):
    class Outcome(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        WITHDRAWN = "withdrawn", "Withdrawn"

    person = _person()
    requested_date = models.DateField()
    completed_date = models.DateField(null=True, blank=True)
    qa_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default="")
    team = _text()

    class Meta(CaseRow.Meta):
        verbose_name = "viability assessment"
        indexes = [
            _index("viab", "person", "requested_date"),
        ]


class CaseFlag(CaseRow):
    person = _person()
    code = models.CharField(max_length=48)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    last_review_date = models.DateField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "case flag"
        indexes = [
            _index("flag", "person", "start_date"),
        ]


class Supervision(CaseRow):
    """A professional's supervision session (docs/domain.md section 9). Only `formal` counts
    for `supervision_4w`."""

    class Type(models.TextChoices):
        FORMAL = "formal", "Formal"
        REFLECTIVE = "reflective", "Reflective"
        GROUP = "group", "Group"

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    type = models.CharField(max_length=10, choices=Type.choices, blank=True, default="")
    welfare_discussed = models.BooleanField(null=True, blank=True)

    class Meta(CaseRow.Meta):
        verbose_name = "supervision session"


class CaseOversight(CaseRow):
    """A manager's oversight recorded on a child's file (docs/domain.md section 9)."""

    person = _person()
    date = models.DateField()
    professional = _professional()

    class Meta(CaseRow.Meta):
        verbose_name = "case oversight"
        indexes = [_index("over", "person", "date")]


class ImportSnapshot(models.Model):
    """One import of an extract. The latest (`current`) is the one whose rows are in the tables.

    `tables_present` lists the tables the extract included: a table not listed is unknown, not
    empty, and indicators that need it say they have no data.
    """

    class Status(models.TextChoices):
        CURRENT = "current", "Current"
        SUPERSEDED = "superseded", "Superseded"

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="+"
    )
    extract_date = models.DateField()
    imported_at = models.DateTimeField()
    imported_by_id = models.BigIntegerField(null=True, blank=True)
    imported_by_username = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="File or folder name.")
    checksum = models.CharField(max_length=64, help_text="SHA-256 over the files, in table order.")
    row_counts = models.JSONField(default=dict, blank=True)
    tables_present = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CURRENT)

    class Meta:
        ordering = ["-imported_at", "-id"]
        get_latest_by = ["imported_at", "id"]
        indexes = [models.Index(fields=["partnership", "status"], name="casedata_snapshot_status")]

    def __str__(self) -> str:
        return f"Extract of {self.extract_date:%Y-%m-%d} imported {self.imported_at:%Y-%m-%d %H:%M}"

    def has_table(self, name: str) -> bool:
        """Whether the extract included this table (a missing table is unknown, not empty)."""
        return name in self.tables_present

    @classmethod
    def current(cls, partnership: Any) -> "ImportSnapshot | None":
        return (
            cls.objects.filter(partnership=partnership, status=cls.Status.CURRENT)
            .order_by("-imported_at", "-id")
            .first()
        )


class SnapshotColumns(models.Model):
    """One table of a snapshot's case data as Arrow IPC columns, for the indicators.

    Derived from the table rows and rebuilt whenever missing (see `columnar`); an import or a
    purge deletes them. `format` changes when the layout of the columns does.
    """

    snapshot = models.ForeignKey(ImportSnapshot, on_delete=models.CASCADE, related_name="+")
    table = models.CharField(max_length=64, help_text="The model's label, e.g. casedata.cpvisit.")
    format = models.PositiveSmallIntegerField()
    rows = models.PositiveIntegerField()
    data = models.BinaryField()
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "snapshot columns"
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "table", "format"], name="casedata_one_columns_per_table"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table} of snapshot {self.snapshot_id} ({self.rows} rows)"
