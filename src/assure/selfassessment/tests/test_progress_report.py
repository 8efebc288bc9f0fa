"""The progress report of a self-assessment round's review judges each standard by its ratings,
as at Monday 14 September 2026, against a hand-built round "Section 11 2026-27" (opened
Wednesday 1 July, due Wednesday 30 September) for the police and the council:

- The police submit on Thursday 20 August: standard 2 partly met, standard 3 not met, the rest
  fully met. They add one improvement action, for standard 2 (due 30 November, not started):
  none for standard 3.
- The council submit on Tuesday 25 August, fully met throughout; the learning group challenges
  them on Tuesday 1 September, changing standard 4 to partly met ("No training records").

So: standard 1 is fully met by both with no action, "No action needed" (not red); standard 2
has the police's action on time but not assured, amber; standard 3 is not met with no action,
red naming the police; standard 4 counts the challenge, so red naming the council.
"""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews.models import Review
from assure.reviews.report import NOT_NEEDED, NOT_RATED, progress_report
from assure.selfassessment.models import Rating, Round
from assure.selfassessment.tests.test_report import at, challenge, improve, open_round, rate

TODAY = date(2026, 9, 14)
F, P, N = Rating.FULLY_MET, Rating.PARTLY_MET, Rating.NOT_MET


@pytest.fixture
def people(make_user: Any, partnership_agency: Any, police: Any, council: Any) -> dict[str, Any]:
    return {
        "manager": make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="m"),
        "learning": make_user(Role.LEARNING_GROUP_MEMBER, agency=partnership_agency, username="l"),
        "police": make_user(Role.AGENCY_LEAD, agency=police, username="p"),
        "council": make_user(Role.AGENCY_LEAD, agency=council, username="c"),
    }


@pytest.fixture
def round_(people: dict[str, Any], police: Any, council: Any) -> Round:
    made = open_round(
        people,
        "section-11",
        "Section 11 2026-27",
        date(2026, 7, 1),
        date(2026, 9, 30),
        [police, council],
    )
    police_sub = made.submissions.get(agency=police)
    police_ratings: dict[int, str] = {n: F for n in range(1, 9)}
    police_ratings |= {2: P, 3: N}
    rate(people["police"], police_sub, date(2026, 8, 20), police_ratings)
    improve(people["police"], police_sub, 2, date(2026, 11, 30), date(2026, 8, 20))
    council_sub = made.submissions.get(agency=council)
    rate(people["council"], council_sub, date(2026, 8, 25), dict.fromkeys(range(1, 9), F))
    challenge(people["learning"], council_sub, date(2026, 9, 1), {4: (P, "No training records")})
    return made


def pages(people: dict[str, Any], review: Review) -> dict[int, Any]:
    with time_machine.travel(at(TODAY), tick=False):
        report = progress_report(Viewer.of(people["manager"]), review, TODAY, timezone.now())
    return {page.number: page for page in report.pages}


def test_a_standard_fully_met_needs_no_action_and_is_not_red(people, round_) -> None:
    page = pages(people, round_.review)[1]
    assert page.actions == 0
    assert page.rag == NOT_NEEDED
    assert page.rag_label == "No action needed"
    assert page.rag_words == (
        "No action needed: rated fully met by each of the 2 agencies that submitted."
    )
    assert [(s.agency, s.rating, s.challenged) for s in page.standings] == [
        ("Testshire Police", "Fully met", ""),
        ("Testshire children's services", "Fully met", ""),
    ]


def test_a_standard_rated_below_fully_met_is_judged_by_its_actions(people, round_) -> None:
    found = pages(people, round_.review)
    assert (found[2].rag, found[2].actions) == ("amber", 1)
    assert found[3].rag == "red"
    assert found[3].rag_words == (
        "Red: rated below fully met with no improvement action (Testshire Police: not met)."
    )
    # The learning group's challenge is the rating that counts.
    assert found[4].rag == "red"
    assert "Testshire children's services: partly met" in found[4].rag_words
    assert [(s.agency, s.rating, s.challenged) for s in found[4].standings][1] == (
        "Testshire children's services",
        "Fully met",
        "Partly met",
    )
    assert {n: found[n].rag for n in range(5, 9)} == dict.fromkeys(range(5, 9), NOT_NEEDED)


def test_drafts_do_not_count_and_an_unsubmitted_round_is_not_rated(people, police, council) -> None:
    made = open_round(
        people, "section-11", "Section 11 2026-27", date(2026, 7, 1), date(2026, 9, 30), [police]
    )
    rate(people["police"], made.submissions.get(), date(2026, 8, 20), {1: N}, submit=False)
    found = pages(people, made.review)
    assert {page.rag for page in found.values()} == {NOT_RATED}
    assert found[1].rag_words == "Not rated yet: no agency has submitted its self-assessment."
    assert found[1].standings == []


def test_the_report_page_says_it_in_words(client, people, round_) -> None:
    client.force_login(people["manager"])
    with time_machine.travel(at(TODAY), tick=False):
        response = client.get(reverse("reviews:progress-report", args=[round_.review.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No action needed: rated fully met by each of the 2 agencies that submitted." in html
    assert "None: no action needed" in html
    assert "the learning group rated it partly met" in html
    assert "For a self-assessment round, each recommendation is one standard" in html
