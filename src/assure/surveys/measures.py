"""A survey question as a measure ("survey:<question id>"): the share of practitioners
agreeing (4 or 5) or answering yes in the latest run asking that question.

Runs are matched by the question's words, as the comparison of two runs matches them, so a
measure chosen from one run follows the survey's later runs. The share is not shown when it
rests on fewer than SMALL_COUNT_THRESHOLD answers, or when the number agreeing is that small
(the comparison page's rule): nobody sees exact small counts of an anonymous survey.

`KIND` registers it with `reviews.measures` (when the app is ready): its latest figure judges
the embedded rule and the slip check; the assurance report compares the latest run on or
before the day the recommendations were accepted with the latest run since.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count as Counted
from django.db.models import Q
from django.urls import reverse

from assure.indicators.disclosure import Count
from assure.reports.impact import Side, compare
from assure.reviews import measures as registry
from assure.surveys.models import AGREEING, Answer, Kind, Question
from assure.surveys.templates import TEMPLATES

PREFIX = "survey:"
AWARENESS = "escalation-awareness"  # the built-in template the escalation figures show
MEASURED = (Kind.LIKERT, Kind.YES_NO)
AGREES = Q(question__kind=Kind.LIKERT, value__in=AGREEING) | Q(
    question__kind=Kind.YES_NO, value="yes"
)


def measure_id(question_id: int) -> str:
    return f"{PREFIX}{question_id}"


def question_ids(ids: list[str]) -> list[int]:
    """The question ids among measure ids (malformed ones are left out)."""
    found = []
    for measure in ids:
        number = measure.removeprefix(PREFIX)
        if measure.startswith(PREFIX) and number.isdigit():
            found.append(int(number))
    return found


@dataclass(frozen=True)
class Share:
    """One question's share agreeing in the latest run asking it, as anyone may see it."""

    text: str
    measure: str  # "agreeing (4 or 5)" or "answering yes"
    survey_id: int
    survey_title: str
    run_on: date
    agreeing: Count
    answering: Count

    @property
    def hidden(self) -> bool:
        return self.agreeing.hidden or self.answering.hidden

    @property
    def value(self) -> float | None:
        """The share agreeing, 0 to 1; None when hidden."""
        if self.hidden or not self.answering.value:
            return None
        return (self.agreeing.value or 0) / self.answering.value


def _shown(n: int, threshold: int) -> Count:
    return Count(None, f"fewer than {threshold}") if 0 < n < threshold else Count(n)


def latest_shares(partnership_id: int, texts: list[str], as_of: date) -> dict[str, Share]:
    """For each question text, its share in the latest run (by the run's date, then the
    newest) that has answers to it on or before `as_of`; texts never answered are left out.
    One query however many runs and answers there are."""
    if not texts:
        return {}
    rows = (
        Answer.objects.filter(
            survey__partnership_id=partnership_id,
            survey__created_on__lte=as_of,
            question__text__in=texts,
            question__kind__in=MEASURED,
        )
        .values_list(
            "question__text", "question__kind", "survey_id", "survey__title", "survey__created_on"
        )
        .annotate(agreeing=Counted("id", filter=AGREES), answering=Counted("id"))
        .order_by()
    )
    threshold = settings.SMALL_COUNT_THRESHOLD
    latest: dict[str, Share] = {}
    for text, kind, survey_id, title, run_on, agree, total in rows:
        current = latest.get(text)
        if current is not None and (current.run_on, current.survey_id) > (run_on, survey_id):
            continue
        latest[text] = Share(
            text,
            _measure_words(kind),
            survey_id,
            title,
            run_on,
            _shown(agree, threshold),
            _shown(total, threshold),
        )
    return latest


def shares(partnership_id: int, ids: list[str], as_of: date) -> dict[str, Share]:
    """Each survey measure among `ids` (questions of the partnership's surveys) by id; a
    question no run has answered yet has a share of 0 answers in its own survey."""
    questions = Question.objects.filter(
        pk__in=question_ids(ids), survey__partnership_id=partnership_id, kind__in=MEASURED
    ).values_list("pk", "text", "kind", "survey_id", "survey__title", "survey__created_on")
    found = latest_shares(partnership_id, sorted({q[1] for q in questions}), as_of)
    none = Count(0)
    return {
        measure_id(pk): found.get(text)
        or Share(text, _measure_words(kind), survey_id, title, run_on, none, none)
        for pk, text, kind, survey_id, title, run_on in questions
    }


def _measure_words(kind: str) -> str:
    return "agreeing (4 or 5)" if kind == Kind.LIKERT else "answering yes"


def choices(partnership_id: int) -> list[tuple[str, str]]:
    """Each agree-or-disagree and yes-or-no question once (by its words), from the latest run
    asking it, to offer where measures are chosen."""
    seen: dict[str, tuple[str, str]] = {}
    for pk, text, title in (
        Question.objects.filter(survey__partnership_id=partnership_id, kind__in=MEASURED)
        .order_by("survey__created_on", "survey_id", "number")
        .values_list("pk", "text", "survey__title")
    ):
        seen[text] = (measure_id(pk), f"{text} ({title})")
    return sorted(seen.values(), key=lambda choice: choice[1])


def awareness(partnership_id: int, as_of: date) -> list[Share]:
    """The escalation-awareness template's agree-or-disagree and yes-or-no questions, each
    from the latest run asking it on or before `as_of` (none: no such survey answered)."""
    texts = [q.text for q in TEMPLATES[AWARENESS].questions if q.kind in MEASURED]
    found = latest_shares(partnership_id, texts, as_of)
    return [found[text] for text in texts if text in found]


def readings(partnership_id: int, ids: list[str], today: date) -> dict[str, registry.Reading]:
    """Each survey measure among `ids` as its latest figure (the default target)."""
    return {
        measure: registry.Reading(
            measure,
            f"Survey: {share.text}",
            share.value,
            share.hidden,
            share.run_on,
            f"{share.survey_title}, {share.run_on:%-d %B %Y}: {share.agreeing} of "
            f"{share.answering} {share.measure}",
            reverse("surveys:survey", args=[share.survey_id]),
        )
        for measure, share in shares(partnership_id, ids, today).items()
    }


def _side(share: Share | None) -> Side:
    if share is None:
        return Side("", words="no run")
    span = f"{share.survey_title}, {share.run_on:%-d %B %Y}"
    if share.hidden:
        return Side(
            span, hidden=True, words=f"not shown: {share.agreeing} of {share.answering} answering"
        )
    return Side(span, share.agreeing.value or 0, share.answering.value or 0)


def impact(partnership_id: int, measure: str, accepted: date, as_at: date) -> dict | None:
    """The latest run answering the question on or before `accepted` against the latest run
    after it (up to `as_at`): a two-proportion test of the share agreeing, unless either run
    rests on small numbers."""
    question = (
        Question.objects.filter(
            pk__in=question_ids([measure]), survey__partnership_id=partnership_id, kind__in=MEASURED
        )
        .values_list("text", flat=True)
        .first()
    )
    if question is None:
        return None
    before = latest_shares(partnership_id, [question], accepted).get(question)
    latest = latest_shares(partnership_id, [question], as_at).get(question)
    since = latest if latest is not None and latest.run_on > accepted else None
    found = before or since
    words = f" (share {found.measure})" if found else ""
    return compare(
        {"id": measure, "title": f"Survey: {question}{words}", "target": None},
        _side(before),
        _side(since),
        nothing_before="No test: no survey run asked this question before the recommendation "
        "was accepted.",
        nothing_since="No test: no survey run has asked this question since the recommendation "
        "was accepted.",
    )


KIND = registry.Kind(
    PREFIX, "Survey", ("survey", "view"), choices, readings=readings, impact=impact
)
