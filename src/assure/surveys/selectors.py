"""Survey reads, scoped to the viewer's partnership, and results with small numbers hidden.

Every count shown (page, chart, export) comes from `results`: a count from 1 to 4 reads
"fewer than 5", and further counts are "not shown" so that none can be worked out from the
totals by subtraction (`indicators.disclosure.suppress_table`). Practitioners are anonymous,
so nobody sees exact small counts.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count as Counted
from django.db.models import Q, QuerySet

from assure.accounts.models import Agency
from assure.core.viewer import Viewer
from assure.indicators.disclosure import NOT_SHOWN, Cell, Count, suppress_table
from assure.surveys import stats
from assure.surveys.models import (
    AGREEING,
    Answer,
    Kind,
    PractitionerRole,
    Question,
    Response,
    Survey,
    SurveyLink,
    Tally,
)

BREAKDOWNS = {"agency": "By agency", "role": "By role"}


def surveys_for(viewer: Viewer) -> QuerySet[Survey]:
    viewer.require("survey", "view", record_type="surveys.survey")
    return Survey.objects.filter(partnership_id=viewer.partnership_id).annotate(
        response_count=Counted("responses")
    )


def survey_for(viewer: Viewer, pk: int) -> Survey | None:
    viewer.require("survey", "view", record_type="surveys.survey", record_id=pk)
    return Survey.objects.filter(partnership_id=viewer.partnership_id, pk=pk).first()


def links_for(viewer: Viewer, survey: Survey) -> list[SurveyLink]:
    """The answer links the viewer may give out: all for a manager, their own agency's for
    anyone else who may see the survey."""
    links = survey.links.select_related("agency")
    if viewer.can("survey", "manage"):
        return list(links)
    return [link for link in links if link.agency_id == viewer.agency_id]


def link_for_manager(viewer: Viewer, pk: int) -> SurveyLink | None:
    viewer.require("survey", "manage", record_type="surveys.surveylink", record_id=pk)
    return (
        SurveyLink.objects.select_related("survey", "agency")
        .filter(survey__partnership_id=viewer.partnership_id, pk=pk)
        .first()
    )


def open_link(token: str) -> SurveyLink | None:
    """The link a practitioner followed (open or closed), with its survey and agency; None for
    an unknown token."""
    try:
        return SurveyLink.objects.select_related("survey", "agency").get(token=token)
    except SurveyLink.DoesNotExist:
        return None


def link_known(token: str) -> bool:
    """Whether a token is an answer link's, open or closed (all the thank-you page asks)."""
    return SurveyLink.objects.filter(token=token).exists()


def other_runs(viewer: Viewer, survey: Survey) -> QuerySet[Survey]:
    return surveys_for(viewer).exclude(pk=survey.pk)


# ---- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    count: Count
    percent: float | None  # of the column's respondents; None when either is hidden or 0


@dataclass
class QuestionResult:
    question: Question
    columns: list[str]  # the breakdown's groups, then "All"
    rows: list[tuple[str, list[Figure]]]  # per answer
    respondents: list[Count]  # per column
    texts: list[str] = field(default_factory=list)  # free text, for those who may read it

    @property
    def overall(self) -> list[tuple[str, Figure]]:
        return [(label, figures[-1]) for label, figures in self.rows]


@dataclass
class Results:
    survey: Survey
    by: str
    responses: Count
    by_group: list[tuple[str, Count]]
    questions: list[QuestionResult]


def _answers(survey: Survey, until: date | None) -> QuerySet[Answer]:
    """The survey's answers, or those given on or before `until`."""
    found = Answer.objects.filter(survey=survey)
    return found if until is None else found.filter(response__answered_on__lte=until)


def _groups(
    survey: Survey, until: date | None = None
) -> tuple[list[tuple[int | None, str]], list[tuple[str, str]]]:
    """The survey's agencies (those with a link or a response; "not given" for imports
    without an agency column) and the practitioner roles."""
    responses = Response.objects.filter(survey=survey)
    if until is not None:
        responses = responses.filter(answered_on__lte=until)
    answered = responses.values("agency_id")
    agencies: list[tuple[int | None, str]] = [
        (a.pk, a.name)
        for a in Agency.objects.filter(
            Q(pk__in=survey.links.values("agency_id")) | Q(pk__in=answered)
        ).order_by("name")
    ]
    if survey.imported and responses.filter(agency=None).exists():
        agencies.append((None, "Agency not given"))
    return agencies, [(r.value, r.label) for r in PractitionerRole]


ByAnswer = dict[tuple[int, str], dict[str, int]]  # (question, answer) -> {"a<agency>": n, …}
Respondents = dict[int, dict[str, int]]  # question -> {"a<agency>": n, "r<role>": n}


def _counted(survey: Survey, until: date | None = None) -> tuple[ByAnswer, Respondents]:
    """Per question and answer, how many gave it, and per question how many responses
    answered it, each by agency ("a…") and role ("r…"): from the survey's stored tallies (one
    query of a few thousand rows however many answered), or, for the answers given by
    `until`, from the answers themselves."""
    if until is None:
        tallies = Tally.objects.filter(survey=survey).values_list(
            "question_id", "value", "agency_id", "role", "n"
        )
        answer_rows = [row for row in tallies if row[1]]
        respondent_rows = [(q, a, r, n) for q, value, a, r, n in tallies if not value]
    else:
        given = _answers(survey, until).exclude(question__kind=Kind.TEXT).order_by()
        answer_rows = list(
            given.values_list("question_id", "value", "agency_id", "role").annotate(n=Counted("id"))
        )
        respondent_rows = list(
            given.values_list("question_id", "agency_id", "role").annotate(
                n=Counted("response_id", distinct=True)
            )
        )
    counted: ByAnswer = defaultdict(lambda: defaultdict(int))
    for question_id, value, agency_id, role, n in answer_rows:
        cell = counted[(question_id, value)]
        cell[f"a{agency_id}"] += n
        cell[f"r{role}"] += n
    respondents: Respondents = defaultdict(lambda: defaultdict(int))
    for question_id, agency_id, role, n in respondent_rows:
        respondents[question_id][f"a{agency_id}"] += n
        respondents[question_id][f"r{role}"] += n
    return counted, respondents


def results(viewer: Viewer, survey: Survey, by: str = "agency") -> Results:
    """Per question, counts and percentages overall and by agency or role, as anyone may see
    them. Suppression is worked out over agencies and roles together, so the two views cannot
    be set side by side to give a hidden count away."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    agencies, roles = _groups(survey)
    keys = [f"a{pk}" for pk, _ in agencies] + [f"r{value}" for value, _ in roles]
    counted, respondents = _counted(survey)
    questions = list(survey.questions.all())
    texts: dict[int, list[str]] = defaultdict(list)
    if viewer.can("survey", "free_text"):
        written = [q.pk for q in questions if q.kind == Kind.TEXT]
        for question_id, value in Answer.objects.filter(
            survey=survey, question__in=written
        ).values_list("question_id", "value"):
            texts[question_id].append(value)
    shown_keys = keys[: len(agencies)] if by == "agency" else keys[len(agencies) :]
    names = [name for _, name in agencies] if by == "agency" else [label for _, label in roles]
    shown_columns = [keys.index(k) for k in shown_keys]
    question_results = []
    for question in questions:
        if question.kind == Kind.TEXT:
            question_results.append(
                QuestionResult(question, [], [], [], sorted(texts.get(question.pk, [])))
            )
            continue
        choices = question.choices()
        grid, hidden = _table(question, len(agencies), keys, counted, respondents, threshold)
        total_column = len(keys)
        columns = [*shown_columns, total_column]

        def figure(r: int, c: int, hidden: list[list[bool]] = hidden, grid: list = grid) -> Count:
            if not hidden[r][c]:
                return Count(grid[r][c])
            small = 0 < grid[r][c] < threshold
            return Count(None, f"fewer than {threshold}" if small else NOT_SHOWN)

        base = len(grid) - 1
        rows = []
        for r, (_, words) in enumerate(choices):
            figures = []
            for c in columns:
                count, whole = figure(r, c), figure(base, c)
                percent = (
                    None
                    if count.hidden or whole.hidden or not whole.value
                    else 100 * (count.value or 0) / whole.value
                )
                figures.append(Figure(count, percent))
            rows.append((words, figures))
        question_results.append(
            QuestionResult(question, [*names, "All"], rows, [figure(base, c) for c in columns])
        )
    return Results(
        survey,
        by,
        _responses(survey, threshold),
        _responses_by(survey, by, agencies, roles, threshold),
        question_results,
    )


def _table(
    question: Question,
    agencies: int,
    keys: list[str],
    counted: ByAnswer,
    respondents: Respondents,
    threshold: int,
) -> tuple[list[list[int]], list[list[bool]]]:
    """A question's counts (a row per answer, then its respondents; a column per agency and
    role, then "All") and which of them are hidden."""
    answered = respondents.get(question.pk, {})
    grid = [
        [counted.get((question.pk, v), {}).get(k, 0) for k in keys] for v, _ in question.choices()
    ]
    grid.append([answered.get(k, 0) for k in keys])
    for row in grid:
        row.append(sum(row[:agencies]))  # "All"
    return grid, suppress_table(grid, _lines(len(grid), agencies, len(keys)), threshold)


@dataclass(frozen=True)
class Share:
    """A question's share agreeing (or answering yes) over everyone, as anyone may see it."""

    question: Question
    measure: str  # "agreeing (4 or 5)" or "answering yes"
    agreeing: Count
    answering: Count

    @property
    def value(self) -> float | None:
        if self.agreeing.hidden or self.answering.hidden or not self.answering.value:
            return None
        return (self.agreeing.value or 0) / self.answering.value


def shares_agreeing(survey: Survey, until: date) -> list[Share]:
    """Each agree-or-disagree and yes-or-no question's share agreeing over everyone who
    answered by `until`, hidden as on the results page: the share is not shown when any of
    its counts is (the sum of a hidden and a shown count would give the hidden one away)."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    agencies, roles = _groups(survey, until)
    keys = [f"a{pk}" for pk, _ in agencies] + [f"r{value}" for value, _ in roles]
    counted, respondents = _counted(survey, until)
    found = []
    for question in survey.questions.filter(kind__in=[Kind.LIKERT, Kind.YES_NO]):
        grid, hidden = _table(question, len(agencies), keys, counted, respondents, threshold)
        agree = AGREEING if question.kind == Kind.LIKERT else ("yes",)
        rows = [r for r, (value, _) in enumerate(question.choices()) if value in agree]
        base = len(grid) - 1

        def count(rows: list[int], hidden: list[list[bool]] = hidden, grid: list = grid) -> Count:
            values = [grid[r][-1] for r in rows]
            if any(hidden[r][-1] for r in rows):
                small = len(rows) == 1 and 0 < values[0] < threshold
                return Count(None, f"fewer than {threshold}" if small else NOT_SHOWN)
            return Count(sum(values))

        words = "agreeing (4 or 5)" if question.kind == Kind.LIKERT else "answering yes"
        found.append(Share(question, words, count(rows), count([base])))
    return found


def _lines(rows: int, agencies: int, keys: int) -> list[list[Cell]]:
    """The sums a question's table publishes: in each row the agencies add up to "All", and
    so do the roles; down each column the answers add up to the respondents (exactly for one
    answer each; for several choices this only hides more)."""
    total = keys
    lines: list[list[Cell]] = []
    for r in range(rows):
        lines.append([*((r, c) for c in range(agencies)), (r, total)])
        lines.append([*((r, c) for c in range(agencies, keys)), (r, total)])
    for c in range(keys + 1):
        lines.append([(r, c) for r in range(rows)])
    return lines


def _responses(survey: Survey, threshold: int) -> Count:
    n = survey.responses.count()
    return Count(None, f"fewer than {threshold}") if 0 < n < threshold else Count(n)


def _responses_by(
    survey: Survey,
    by: str,
    agencies: list[tuple[int | None, str]],
    roles: list[tuple[str, str]],
    threshold: int,
) -> list[tuple[str, Count]]:
    """Responses per agency or role; hidden like a question's respondents row."""
    field_name = "agency_id" if by == "agency" else "role"
    groups = agencies if by == "agency" else roles
    counts = dict(
        Response.objects.filter(survey=survey)
        .values_list(field_name)
        .annotate(n=Counted("*"))
        .order_by()
    )
    values = [counts.get(key, 0) for key, _ in groups]
    grid = [[*values, sum(values)]]
    hidden = suppress_table(grid, [[(0, c) for c in range(len(values) + 1)]], threshold)[0]
    found = []
    for (_, name), value, hide in zip(groups, values, hidden, strict=False):
        small = 0 < value < threshold
        words = f"fewer than {threshold}" if small else NOT_SHOWN
        found.append((name, Count(None, words) if hide else Count(value)))
    return found


# ---- comparing two runs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    text: str
    measure: str  # "agreeing (4 or 5)" or "answering yes"
    before: tuple[Count, Count]  # (agreeing, answering)
    after: tuple[Count, Count]
    test: stats.Comparison | None  # None when a share is hidden or the test cannot be done


def agreeing(survey: Survey, until: date | None = None) -> dict[str, tuple[str, int, int]]:
    """Per Likert or yes/no question (by its text): (measure words, agreeing, answering)."""
    found: dict[str, tuple[str, int, int]] = {}
    rows = (
        _answers(survey, until)
        .filter(question__kind__in=[Kind.LIKERT, Kind.YES_NO])
        .values_list("question__text", "question__kind", "value")
        .annotate(n=Counted("id"))
        .order_by()
    )
    for text, kind, value, n in rows:
        words, agree, total = found.get(text, ("", 0, 0))
        yes = value in AGREEING if kind == Kind.LIKERT else value == "yes"
        words = "agreeing (4 or 5)" if kind == Kind.LIKERT else "answering yes"
        found[text] = (words, agree + (n if yes else 0), total + n)
    return found


def compare(
    viewer: Viewer | None, before: Survey, after: Survey, until: date | None = None
) -> list[Change]:
    """The share agreeing for each question the two runs share, its change, and whether the
    change is more than chance; shares resting on a small count are not shown or tested.
    Counts answers given by `until` when given (the assurance report's as-at day)."""
    threshold = settings.SMALL_COUNT_THRESHOLD
    first, second = agreeing(before, until), agreeing(after, until)

    def shown(n: int) -> Count:
        return Count(None, f"fewer than {threshold}") if 0 < n < threshold else Count(n)

    changes = []
    for question in after.questions.filter(kind__in=[Kind.LIKERT, Kind.YES_NO]):
        if question.text not in first:
            continue
        words, agree_1, total_1 = first[question.text]
        _, agree_2, total_2 = second.get(question.text, (words, 0, 0))
        counts = [shown(agree_1), shown(total_1), shown(agree_2), shown(total_2)]
        test = (
            None
            if any(c.hidden for c in counts)
            else stats.two_proportion(agree_1, total_1, agree_2, total_2)
        )
        changes.append(
            Change(question.text, words, (counts[0], counts[1]), (counts[2], counts[3]), test)
        )
    return changes
