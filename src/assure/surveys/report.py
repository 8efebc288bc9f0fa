"""The assurance report's surveys section: surveys run or closed in the quarter, each question's
share agreeing over everyone (small numbers hidden as on the results page) and its change
since the previous run with the two-proportion test in words. Free text never appears.

A survey counts for the quarter when it was made, answered or had a link closed in it; answers
given after the report's as-at day are left out, so a past quarter made again says the same.
The previous run is the latest survey made before it that asks at least one of its
agree-or-disagree or yes-or-no questions in the same words.
"""

from typing import Any

from django.db.models import Q

from assure.reports.build import Context, section
from assure.surveys import selectors
from assure.surveys.models import Kind, Question, Survey

COMPARED = (Kind.LIKERT, Kind.YES_NO)


def in_quarter(ctx: Context) -> list[Survey]:
    start, end = ctx.quarter.start, ctx.as_at
    return list(
        Survey.objects.filter(partnership=ctx.partnership, created_on__lte=end)
        .filter(
            Q(created_on__gte=start)
            | Q(responses__answered_on__range=(start, end))
            | Q(links__closed_on__range=(start, end))
        )
        .distinct()
        .order_by("created_on", "id")
    )


def previous_run(survey: Survey) -> Survey | None:
    texts = Question.objects.filter(survey=survey, kind__in=COMPARED).values("text")
    return (
        Survey.objects.filter(partnership_id=survey.partnership_id)
        .filter(
            Q(created_on__lt=survey.created_on) | Q(created_on=survey.created_on, id__lt=survey.pk)
        )
        .filter(questions__kind__in=COMPARED, questions__text__in=texts)
        .distinct()
        .order_by("-created_on", "-id")
        .first()
    )


def _count(count: selectors.Count) -> dict[str, Any]:
    return {"value": count.value, "words": str(count)}


@section("surveys", "Practitioner surveys")
def surveys(ctx: Context) -> dict[str, Any] | None:
    found = in_quarter(ctx)
    if not found:
        return None
    out = []
    for survey in found:
        before = previous_run(survey)
        changes = (
            {c.text: c for c in selectors.compare(None, before, survey, ctx.as_at)}
            if before
            else {}
        )
        questions = []
        for share in selectors.shares_agreeing(survey, ctx.as_at):
            change = changes.get(share.question.text)
            questions.append(
                {
                    "number": share.question.number,
                    "text": share.question.text,
                    "measure": share.measure,
                    "agreeing": _count(share.agreeing),
                    "answering": _count(share.answering),
                    "share": share.value,
                    "previous": _change(change) if change else None,
                }
            )
        responses = survey.responses.filter(answered_on__lte=ctx.as_at).count()
        threshold = ctx.disclosure.threshold
        out.append(
            {
                "title": survey.title,
                "made": survey.created_on,
                "responses": (
                    f"fewer than {threshold}" if 0 < responses < threshold else str(responses)
                ),
                "previous": (
                    {"title": before.title, "made": before.created_on} if before else None
                ),
                "questions": questions,
            }
        )
    return {"surveys": out}


def _change(change: selectors.Change) -> dict[str, Any]:
    test = change.test
    return {
        "agreeing": _count(change.before[0]),
        "answering": _count(change.before[1]),
        "share": test.before if test else None,
        "change_points": test.change_points if test else None,
        "z": test.z if test else None,
        "p_value": test.p_value if test else None,
        "words": (
            f"A two-proportion z-test (z = {test.z:.2f}). {test.words}"
            if test
            else "Not tested: a count is too small to show, or the test cannot be done "
            "(no answers, or everyone or no one agreeing in both runs)."
        ),
    }
