"""The workforce pages as each role uses them, and workforce measures of a recommendation."""

from datetime import date, datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from assure.accounts.models import Role
from assure.reviews.measures import measure_records
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.workforce.models import Course, Dissemination, LearningProduct, WorkforceDeclaration
from assure.workforce.services import declare_workforce, import_training
from assure.workforce.tests.conftest import TODAY, csv_file


@time_machine.travel(TODAY, tick=False)
def test_an_agency_lead_declares_and_shares_for_their_own_agency_only(
    client, make_user, manager, council, police
):
    product = LearningProduct.objects.create(
        partnership=police.partnership,
        title="Learning synopsis",
        kind="synopsis",
        link="https://example.org/synopsis",
        published_on=date(2026, 6, 1),
    )
    client.force_login(make_user(Role.AGENCY_LEAD, agency=police))
    overview = client.get(reverse("workforce:overview")).content.decode()
    assert "Learning synopsis" in overview
    assert "Publish a learning product" not in overview

    declare = reverse("workforce:declare")
    form = {"agency": police.pk, "role": "police_cae", "headcount": "20", "as_of": "2026-06-30"}
    assert client.post(declare, form).status_code == 302
    refused = client.post(declare, {**form, "agency": council.pk})
    assert "Select agency from the list" in refused.content.decode()
    assert list(WorkforceDeclaration.objects.values_list("agency", "headcount")) == [
        (police.pk, 20)
    ]

    page = client.get(reverse("workforce:product", args=[product.pk])).content.decode()
    assert "Not yet shared" in page
    shared = client.post(
        reverse("workforce:disseminate", args=[product.pk]),
        {
            "agency": police.pk,
            "date": "2026-06-20",
            "methods": ["team_meetings"],
            "staff_reached": 15,
        },
    )
    assert shared.status_code == 302
    page = client.get(reverse("workforce:product", args=[product.pk])).content.decode()
    assert "Team meetings (15)" in page
    assert "75%" in page  # 15 of the 20 declared
    recorder = Dissemination.objects.get().recorded_by
    assert recorder is not None
    assert recorder.agency == police


@time_machine.travel(TODAY, tick=False)
def test_those_who_only_see_cannot_record(client, make_user, police):
    client.force_login(make_user(Role.BOARD_MEMBER, agency=police))
    assert client.get(reverse("workforce:workforce")).status_code == 200
    form = {"agency": police.pk, "role": "police_cae", "headcount": "20", "as_of": "2026-06-30"}
    assert client.post(reverse("workforce:declare"), form).status_code == 403
    assert client.get(reverse("workforce:import")).status_code == 403
    assert not WorkforceDeclaration.objects.exists()


ROWS = [
    f"CSAFE training,2026-03-10,Testshire Police,police_cae,B{i},Y,{b},{a}"
    for i, (b, a) in enumerate([(2, 4), (3, 4), (2, 3), (1, 3), (3, 3), (2, 4)], start=1)
]


@time_machine.travel(TODAY, tick=False)
def test_the_recommendation_shows_reach_and_confidence_change(client, make_user, manager, police):
    review = Review.objects.create(
        partnership=police.partnership, review_type=Review.Type.LCSPR, pseudonym="Child T"
    )
    recommendation = Recommendation.objects.create(
        partnership=police.partnership, review=review, number=9, text="Train front-line staff."
    )
    declare_workforce(
        manager, agency=police, role="police_cae", headcount=20, as_of=date(2026, 1, 1)
    )
    assert import_training(manager, "a.csv", csv_file(*ROWS)).ok
    course = Course.objects.get()
    client.force_login(manager.user)
    edit = client.post(
        reverse("workforce:edit-course", args=[course.pk]),
        {"recommendations": [recommendation.pk], "target": "80"},
    )
    assert edit.status_code == 302
    page = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert "reach 30% (6 of 20 staff) against a target of 80%" in page
    assert "Below target" in page
    assert "confidence +1.3 on average over 6 paired answers" in page
    course_page = client.get(reverse("workforce:course", args=[course.pk])).content.decode()
    assert "6 paired answers" in course_page
    assert "p = 0.062" in course_page


def test_course_reach_is_a_measure_feeding_the_embedded_rule(manager, council, police):
    with time_machine.travel(TODAY, tick=False):
        declare_workforce(
            manager, agency=police, role="police_cae", headcount=10, as_of=date(2026, 1, 1)
        )
        assert import_training(manager, "a.csv", csv_file(*ROWS)).ok
    course = Course.objects.get()
    course.target = 0.5
    course.save()
    review = Review.objects.create(
        partnership=police.partnership, review_type=Review.Type.LCSPR, pseudonym="Child T"
    )
    recommendation = Recommendation.objects.create(
        partnership=police.partnership,
        review=review,
        number=9,
        text="Train.",
        measures=[f"course:{course.pk}"],
    )
    action = Action.objects.create(
        partnership=police.partnership,
        recommendation=recommendation,
        agency=police,
        description="Train police",
        status=ActionStatus.ASSURED,
        assured_at=timezone.make_aware(datetime(2026, 1, 20, 12)),
    )
    with time_machine.travel(date(2026, 5, 15), tick=False):
        (record,) = measure_records(action)
    assert record.indicator.id == f"course:{course.pk}"
    # Feb: nobody yet; Mar and Apr: 6 of 10 in the 12 months to the month's end.
    assert [(m.label, m.value, m.at_target) for m in record.months] == [
        ("Feb 2026", 0.0, False),
        ("Mar 2026", 0.6, True),
        ("Apr 2026", 0.6, True),
    ]
    assert record.run == 2
