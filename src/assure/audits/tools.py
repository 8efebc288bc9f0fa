"""The six built-in audit tools of domain.md section 7, written from the seed's own words.

Slugs are a public contract. `ensure_builtin_tools` creates any that a partnership lacks
(version 1); it never changes a tool that exists, so a partnership's own versions stay.
"""

from dataclasses import dataclass

from django.db import transaction

from assure.accounts.models import Partnership
from assure.audits.models import Question, Tool, ToolVersion

G, Y = Question.Kind.GRADED, Question.Kind.YES_NO


@dataclass(frozen=True)
class BuiltIn:
    slug: str
    name: str
    purpose: str
    eligible: str  # who can be sampled in month M, in words
    questions: tuple[tuple[str, str, str], ...]  # (kind, text, guidance)


BUILT_IN = (
    BuiltIn(
        "cp-plan-quality",
        "Child protection plan quality",
        "Monthly dip-sampling of plans: do they address the risks, with pace (seed, rec 3).",
        "Children with a child protection plan open on any day of the month",
        (
            (
                Y,
                "Does each plan action state the outcome it is meant to achieve?",
                "Look for the change for the child, not the service offered.",
            ),
            (
                Y,
                "Does each plan action name the risk it addresses?",
                "The risk should match the category and the conference's analysis.",
            ),
            (
                Y,
                "Does each plan action have a clear timeframe?",
                "A date or an interval; 'ongoing' is not a timeframe.",
            ),
            (
                Y,
                "Does each plan action say who is responsible for it?",
                "A named role or agency, not 'professionals'.",
            ),
            (
                G,
                "Does the plan have pace: are actions progressing between conferences?",
                "Compare the plan with core group records and the last review conference.",
            ),
            (
                G,
                "How well does the plan address the risks identified?",
                "Think about whether the plan would reduce risk if every action were done.",
            ),
        ),
    ),
    BuiltIn(
        "core-groups",
        "Core groups",
        "Core group recording and effectiveness, audited monthly (seed, rec 4).",
        "Children with a child protection plan open on any day of the month",
        (
            (
                Y,
                "Did the first core group meet within 10 working days of the initial conference?",
                "Check the date of the first core group against the conference date.",
            ),
            (
                Y,
                "Have core groups met at least every six weeks since?",
                "Count the gaps between meetings in the file.",
            ),
            (
                Y,
                "Is every core group written up on the case system?",
                "A record should be on file within 5 working days of the meeting.",
            ),
            (Y, "Do the right agencies attend?", "Health, education and police where involved."),
            (
                G,
                "How well does the core group develop and review the plan?",
                "Look for actions updated, not just read out.",
            ),
        ),
    ),
    BuiltIn(
        "conference-minutes",
        "Conference minutes and decisions",
        "Dip-sampling of conference minutes: consistency and decisions to start or end plans "
        "(seed, rec 3).",
        "Children with an initial or review conference held in the month",
        (
            (
                Y,
                "Were the minutes distributed within the expected time?",
                "Use the local standard for sending minutes.",
            ),
            (
                G,
                "Is the decision to start, continue or end the plan clearly reasoned?",
                "The reasons should follow from the risks and strengths discussed.",
            ),
            (
                Y,
                "Is the child's voice recorded in the minutes?",
                "Their wishes and feelings, in their own words where possible.",
            ),
            (Y, "Was the conference quorate?", "Children's services and two other agencies."),
            (
                G,
                "How consistent is this conference with practice across the team?",
                "Compare with similar children seen this month.",
            ),
        ),
    ),
    BuiltIn(
        "csafe",
        "Child sexual abuse within the family (CSAFE)",
        "Thematic audit of cases flagged CSAFE, tracked by the child protection adviser "
        "(seed, recs 5 and 10).",
        "Children with a CSAFE flag open on any day of the month",
        (
            (
                Y,
                "Is the CSAFE flag on the file, with the date it was identified?",
                "The flag starts the adviser's tracking.",
            ),
            (
                G,
                "How well has the impact of the work on every family member been considered?",
                "Includes siblings and the non-abusing parent.",
            ),
            (
                Y,
                "Has the manager recorded oversight specific to the sexual abuse concerns?",
                "Look for management decisions, not only case notes.",
            ),
            (
                Y,
                "Has specialist advice been sought where needed?",
                "The independent specialist assessor or the adviser.",
            ),
            (
                G,
                "How good is the quality of reflective supervision on this case?",
                "Supervision records should show reflection, not only tasks.",
            ),
        ),
    ),
    BuiltIn(
        "legal-planning",
        "Legal planning",
        "Legal gateway and pre-proceedings decisions recorded and fed back (seed, rec 6).",
        "Children with a legal planning request or pre-proceedings decision in the month",
        (
            (
                Y,
                "Is the legal planning decision recorded on the child's file within two weeks?",
                "Including a decision not to hold a meeting.",
            ),
            (
                Y,
                "Was the decision fed back to the core group?",
                "Look for it in the next core group record.",
            ),
            (
                G,
                "How clear is the reasoning about whether the threshold is met?",
                "The record should say what would change the decision.",
            ),
            (
                Y,
                "If pre-proceedings started, was the letter before proceedings sent promptly?",
                "Answer not applicable when pre-proceedings did not start.",
            ),
        ),
    ),
    BuiltIn(
        "management-oversight",
        "Management oversight",
        "Management oversight and supervision, monthly case file audits (seed, rec 10).",
        "Children with a child protection plan open on any day of the month",
        (
            (
                Y,
                "Is there a recorded management decision at each key point?",
                "Strategy discussion, conference and any change of plan.",
            ),
            (
                G,
                "How well does management oversight drive the plan forward?",
                "Look for challenge and direction, not just sign-off.",
            ),
            (
                Y,
                "Is supervision up to date and recorded on the file?",
                "Against the local supervision standard.",
            ),
            (
                Y,
                "Has drift been identified and acted on?",
                "Compare due dates in the plan with what happened.",
            ),
        ),
    ),
)

BUILT_IN_SLUGS = tuple(b.slug for b in BUILT_IN)
ELIGIBILITY = {b.slug: b.eligible for b in BUILT_IN}


def ensure_builtin_tools(partnership: Partnership) -> None:
    """Create the built-in tools a partnership lacks (idempotent; existing tools untouched)."""
    have = set(Tool.objects.filter(partnership=partnership).values_list("slug", flat=True))
    missing = [b for b in BUILT_IN if b.slug not in have]
    if not missing:
        return
    with transaction.atomic():
        for spec in missing:
            tool = Tool.objects.create(
                partnership=partnership,
                slug=spec.slug,
                name=spec.name,
                purpose=spec.purpose,
                built_in=True,
            )
            version = ToolVersion.objects.create(tool=tool, number=1)
            Question.objects.bulk_create(
                Question(version=version, order=i, kind=kind, text=text, guidance=guidance)
                for i, (kind, text, guidance) in enumerate(spec.questions, start=1)
            )
