"""The assurance report's self-assessment section for 2026-Q3 (1 July to 30 September 2026),
made on Monday 5 October 2026, so as at Wednesday 30 September, against hand-built rounds:

- "Section 11 2025-26" (opened 12 January, due 31 March, submitted and challenged in March):
  nothing in Q3, and not the latest Section 11 round: left out.
- "Schools 2025-26" (Section 175, opened 2 February, due 31 March, nothing since): left out
  of the quarter but the latest round of its framework, so shown as that.
- "Section 11 2026-27" (opened Wednesday 1 July, due Wednesday 30 September) for the police,
  the council and health. The police submit on 20 August: partly met throughout but standard
  5, not met; the learning group challenges on 10 September, changing standard 1 to not met
  ("No board minutes show it") and accepting the rest. The council submit on 25 September,
  fully met throughout, and are challenged on Friday 2 October, after the as-at day: not yet
  challenged in the report. Health rate a draft and never submit: nothing shown.
  Improvement actions: the police's for standard 5 (due 15 September, not started: overdue at
  30 September) and for standard 1 (due 31 December, in progress since 1 September); the
  council's made on 2 October comes after the as-at day. On 3 October the learning group
  challenges the police again and accepts standard 1 as partly met: after the as-at day too.
- "Section 11 2027-28", opened 2 October: after the as-at day, left out.
"""

from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assure.accounts.models import Agency, Partnership, Role
from assure.core.viewer import Viewer
from assure.reports import build, render
from assure.reports.periods import Quarter
from assure.reviews.models import Action, ActionStatus, ActionUpdate
from assure.selfassessment import services
from assure.selfassessment.models import (
    ChallengeDecision,
    Framework,
    Rating,
    Round,
    StandardRating,
    Submission,
)
from assure.selfassessment.services import Challenged, Rated

Q3 = Quarter(2026, 3)
TODAY = date(2026, 10, 5)
F, P, N = Rating.FULLY_MET, Rating.PARTLY_MET, Rating.NOT_MET


def at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10))


def section(data: build.ReportData) -> dict[str, Any]:
    return next(s["content"] for s in data.sections if s["key"] == "selfassessment")


@pytest.fixture
def people(make_user: Any, partnership_agency: Any, police: Any, council: Any) -> dict[str, Any]:
    health = Agency.objects.create(
        partnership=police.partnership, name="Testshire ICB", agency_type=Agency.Type.ICB
    )
    return {
        "manager": make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="m"),
        "learning": make_user(Role.LEARNING_GROUP_MEMBER, agency=partnership_agency, username="l"),
        "police": make_user(Role.AGENCY_LEAD, agency=police, username="p"),
        "council": make_user(Role.AGENCY_LEAD, agency=council, username="c"),
        "health": make_user(Role.AGENCY_LEAD, agency=health, username="h"),
        "health_agency": health,
    }


def open_round(people: dict[str, Any], key: str, name: str, on: date, due: date, agencies):
    with time_machine.travel(at(on), tick=False):
        viewer = Viewer.of(people["manager"])
        services.ensure_builtin_frameworks(viewer.required_partnership())
        framework = Framework.objects.get(key=key, version=1)
        return services.open_round(
            viewer, name=name, framework=framework, agencies=agencies, due_date=due
        )


def rate(lead: Any, submission: Submission, on: date, ratings: dict[int, str], submit=True):
    standards = {s.number: s.pk for s in submission.round.framework.standards.all()}
    with time_machine.travel(at(on), tick=False):
        services.save_ratings(
            Viewer.of(lead),
            submission,
            {standards[n]: Rated(r) for n, r in ratings.items()},
            submit=submit,
        )


def challenge(learning: Any, submission: Submission, on: date, changed: dict[int, tuple]):
    submission.refresh_from_db()
    with time_machine.travel(at(on), tick=False):
        services.challenge(
            Viewer.of(learning),
            submission,
            {
                r.standard_id: Challenged(*changed.get(r.standard.number, (r.rating, "")))
                for r in submission.ratings.select_related("standard")
            },
        )


def improve(lead: Any, submission: Submission, number: int, due: date, on: date) -> Action:
    with time_machine.travel(at(on), tick=False):
        return services.add_improvement_action(
            Viewer.of(lead),
            submission,
            standard=submission.round.framework.standards.get(number=number),
            description=f"Improve standard {number}",
            owner=lead,
            due_date=due,
        )


@pytest.fixture
def rounds(people: dict[str, Any], police: Any, council: Any) -> dict[str, Round]:
    health = people["health_agency"]
    old = open_round(
        people, "section-11", "Section 11 2025-26", date(2026, 1, 12), date(2026, 3, 31), [police]
    )
    rate(people["police"], old.submissions.get(), date(2026, 3, 2), dict.fromkeys(range(1, 9), F))
    challenge(people["learning"], old.submissions.get(), date(2026, 3, 20), {})
    schools = open_round(
        people, "section-175", "Schools 2025-26", date(2026, 2, 2), date(2026, 3, 31), [council]
    )
    this = open_round(
        people,
        "section-11",
        "Section 11 2026-27",
        date(2026, 7, 1),
        date(2026, 9, 30),
        [police, council, health],
    )
    police_sub = this.submissions.get(agency=police)
    rate(
        people["police"],
        police_sub,
        date(2026, 8, 20),
        {n: N if n == 5 else P for n in range(1, 9)},
    )
    challenge(
        people["learning"], police_sub, date(2026, 9, 10), {1: (N, "No board minutes show it")}
    )
    council_sub = this.submissions.get(agency=council)
    rate(people["council"], council_sub, date(2026, 9, 25), dict.fromkeys(range(1, 9), F))
    challenge(people["learning"], council_sub, date(2026, 10, 2), {2: (P, "Later")})
    health_sub = this.submissions.get(agency=health)
    rate(people["health"], health_sub, date(2026, 9, 1), {1: N}, submit=False)

    improve(people["police"], police_sub, 5, date(2026, 9, 15), date(2026, 8, 21))
    started = improve(people["police"], police_sub, 1, date(2026, 12, 31), date(2026, 8, 21))
    update = ActionUpdate.objects.create(
        partnership=started.partnership,
        action=started,
        kind=ActionUpdate.Kind.PROGRESS,
        narrative="Board minutes now record safeguarding",
        status=ActionStatus.IN_PROGRESS,
        author=people["police"],
        created_at=at(date(2026, 9, 1)),
    )
    Action.objects.filter(pk=started.pk).update(
        status=ActionStatus.IN_PROGRESS, latest_update=update
    )
    improve(people["council"], council_sub, 2, date(2026, 12, 31), date(2026, 10, 2))
    # The learning group thinks again after the as-at day: the report keeps what it said then.
    challenge(people["learning"], police_sub, date(2026, 10, 3), {1: (P, "")})
    later = open_round(
        people, "section-11", "Section 11 2027-28", date(2026, 10, 2), date(2027, 3, 31), [police]
    )
    return {"old": old, "schools": schools, "this": this, "later": later}


def make_report() -> build.ReportData:
    with time_machine.travel(at(TODAY), tick=False):
        return build.build(Partnership.objects.get(), Q3, TODAY)


def test_section_shows_ratings_challenge_disagreements_and_actions(rounds) -> None:
    content = section(make_report())
    assert [(r["name"], r["in_quarter"]) for r in content["rounds"]] == [
        ("Schools 2025-26", False),
        ("Section 11 2026-27", True),
    ]
    schools, this = content["rounds"]
    assert (schools["agencies"], schools["submitted"], schools["challenged"]) == (1, 0, 0)
    assert schools["actions"] == {"total": 0, "by_status": [], "overdue": 0}

    assert this["framework"] == "Section 11 standards (version 1)"
    assert (this["opened"], this["due"]) == (date(2026, 7, 1), date(2026, 9, 30))
    assert (this["agencies"], this["submitted"], this["challenged"]) == (3, 2, 1)
    assert [s["number"] for s in this["standards"]] == list(range(1, 9))
    health, police, council = this["rows"]  # by agency name (capitals first)
    assert council["agency"] == "Testshire children's services"
    assert council["submitted"] == date(2026, 9, 25)
    assert {c["self"]["rating"] for c in council["cells"]} == {"Fully met"}
    assert {c["challenge"] is None for c in council["cells"]} == {True}  # challenged 2 October
    assert health["submitted"] is None
    assert {c["self"] is None for c in health["cells"]} == {True}  # its draft is not shown
    assert police["cells"][0] == {
        "self": {"rating": "Partly met", "rag": "amber"},
        "challenge": {"rating": "Not met", "rag": "red"},
    }
    assert police["cells"][4] == {
        "self": {"rating": "Not met", "rag": "red"},
        "challenge": {"rating": "Not met", "rag": "red"},
    }
    assert this["disagreements"] == [
        {
            "agency": "Testshire Police",
            "standard": 1,
            "title": "Senior management commitment",
            "self": "Partly met",
            "challenge": "Not met",
            "reason": "No board minutes show it",
        }
    ]
    assert this["actions"] == {
        "total": 2,
        "by_status": [
            {"status": "Not started", "actions": 1},
            {"status": "In progress", "actions": 1},
        ],
        "overdue": 1,
    }


def test_summary_leaves_the_round_out_of_reviews_but_counts_its_overdue_action(rounds) -> None:
    data = make_report()
    summary = next(s["content"] for s in data.sections if s["key"] == "summary")
    assert summary["open_reviews"] == []
    assert summary["open_without_timeline"] == []
    assert summary["milestones"] == {"met": 0, "late": 0, "overdue": 0}
    assert summary["recommendations"] == {"red": 0, "amber": 0, "green": 0}
    assert summary["overdue_by_agency"] == [{"agency": "Testshire Police", "actions": 1}]
    assert "reviews" not in [s["key"] for s in data.sections]


def test_report_with_the_section_is_the_same_made_twice(rounds) -> None:
    first, second = make_report(), make_report()
    assert first.digest == second.digest
    rendered = section(first)
    assert build.canonical(rendered)["rounds"][1]["opened"] == "2026-07-01"


def test_section_absent_without_rounds(people) -> None:
    assert "selfassessment" not in [s["key"] for s in make_report().sections]


def test_section_reads_in_words(rounds) -> None:
    data = make_report()
    page = render.html(data, "2026-10-05T10:00:00+01:00", data.digest)
    part = page.split(">Agency self-assessments</h2>")[1].split("<h2")[0]
    assert '<span class="tag tag-amber">Partly met</span>' in part
    assert '<strong>Challenge:</strong> <span class="tag tag-red">Not met</span>' in part
    assert "Not challenged yet" in part  # the council, challenged after the as-at day
    assert "No ratings yet: the agency had not submitted" in part  # health
    assert "No board minutes show it" in part
    assert "Improvement actions: 2, of which 1 not started, 1 in progress; 1 overdue." in part
    assert "it is the latest round of its framework" in part  # the schools' round


def test_section_queries_do_not_grow_with_agencies(people, police, council) -> None:
    this = open_round(
        people, "section-11", "Section 11 2026-27", date(2026, 7, 1), date(2026, 9, 30), [police]
    )
    rate(people["police"], this.submissions.get(), date(2026, 8, 20), dict.fromkeys(range(1, 9), P))
    challenge(people["learning"], this.submissions.get(), date(2026, 9, 1), {2: (N, "Why")})

    def queries() -> int:
        with CaptureQueriesContext(connection) as done:
            section(make_report())
        return len(done)

    few = queries()
    standards = list(this.framework.standards.all())
    for n in range(6):
        agency = Agency.objects.create(
            partnership=police.partnership, name=f"Agency {n}", agency_type=Agency.Type.OTHER
        )
        submission = Submission.objects.create(
            round=this, agency=agency, submitted_at=at(date(2026, 8, 3))
        )
        for standard in standards:
            rated = StandardRating.objects.create(
                submission=submission, standard=standard, rating=F
            )
            ChallengeDecision.objects.create(
                rating=rated, decided=P, reason="Less", decided_at=at(date(2026, 9, 2))
            )
    assert queries() == few
    assert len(section(make_report())["rounds"][0]["disagreements"]) == 1 + 6 * 8
