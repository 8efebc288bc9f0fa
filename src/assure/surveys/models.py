"""Practitioner surveys (issue 12): a survey's questions, one answer link per agency, and the
anonymous responses given through it.

A response names no one: it keeps the agency whose link was used, the role the practitioner
chose, the day (never the time) and its answers. Its id is random, so neither its id nor its
row order tells when it was given. Nothing of the request (address, browser, session) is kept.
"""

import uuid

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    LIKERT = "likert", "Agree or disagree (1 to 5)"
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    YES_NO = "yes_no", "Yes or no"
    TEXT = "text", "Free text"


# The Likert scale's answers, stored as "1" to "5"; "agreeing" is 4 or 5.
LIKERT = [
    ("1", "Strongly disagree"),
    ("2", "Disagree"),
    ("3", "Neither agree nor disagree"),
    ("4", "Agree"),
    ("5", "Strongly agree"),
]
AGREEING = ("4", "5")
YES_NO = [("yes", "Yes"), ("no", "No")]


class PractitionerRole(models.TextChoices):
    """The roles a practitioner picks from (results can be shown by role)."""

    SOCIAL_WORKER = "social_worker", "Social worker or social care practitioner"
    MANAGER = "manager", "Team manager or senior manager"
    POLICE = "police", "Police officer or staff"
    HEALTH = "health", "Health practitioner"
    EDUCATION = "education", "Teacher, school or early years staff"
    OTHER = "other", "Other role"
    NOT_SAID = "not_said", "Prefer not to say"


class Survey(models.Model):
    """One run of a survey (e.g. before a campaign); a later run is a survey of its own that
    can be compared with it question by question."""

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    template = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_on = models.DateField()
    imported = models.BooleanField(default=False)  # results of a survey run elsewhere

    class Meta:
        ordering = ["-created_on", "title"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    options = models.JSONField(default=list, blank=True)  # for one and several choices

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_question_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text}"

    def choices(self) -> list[tuple[str, str]]:
        """(stored value, words) of each possible answer, in order; none for free text."""
        if self.kind == Kind.LIKERT:
            return list(LIKERT)
        if self.kind == Kind.YES_NO:
            return list(YES_NO)
        return [(option, option) for option in self.options]


class SurveyLink(models.Model):
    """An agency's own answer link. Its token is the only key to the answer page; closing the
    link stops answers. `window_started`/`window_count` count the current rate window only."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="links")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    closed_on = models.DateField(null=True, blank=True)
    window_started = models.DateTimeField(null=True, blank=True)
    window_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "agency"], name="survey_link_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.agency}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Response(models.Model):
    """One practitioner's answers. Never edited; no person, address or time is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, choices=PractitionerRole.choices, blank=True)
    answered_on = models.DateField()

    class Meta:
        # Responses by agency and by role are counted from this index alone.
        indexes = [models.Index(fields=["survey", "agency", "role"])]

    def __str__(self) -> str:
        return f"A response to {self.survey_id} on {self.answered_on}"


class Answer(models.Model):
    """One answer (one per option ticked for several choices). The response's survey, agency
    and role are repeated here so results count answers without joining responses."""

    response = models.ForeignKey(Response, on_delete=models.PROTECT, related_name="answers")
    # No index of their own: the index below leads with both, and each more index is more
    # pages written while an answer holds the database's one write lock.
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+", db_index=False)
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    value = models.TextField()

    class Meta:
        indexes = [models.Index(fields=["survey", "question", "value"])]

    def __str__(self) -> str:
        return self.value


class Tally(models.Model):
    """How many answers one question has had with one answer, from one agency and role; with
    `value` empty, how many responses answered the question at all. The results page counts
    from these rather than from every answer, so it takes the same time at 10 or 10,000
    responses. Written in the same transaction as the answers they count (`services.answer`,
    `services.recount`); they carry no day, so nothing here dates an answer."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=20, blank=True)
    value = models.TextField(blank=True)  # empty: the question's respondents
    n = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "agency", "role", "value"], name="survey_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id} {self.value or 'answered'}: {self.n}"
