"""Rounds, ratings, improvement actions and challenge, on a real database."""

from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.appendonly import AppendOnlyError
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import services as reviews
from assure.reviews.models import Action, ActionStatus, Review
from assure.selfassessment import selectors, services
from assure.selfassessment.models import Framework, Rating, Round, StandardRating, Submission
from assure.selfassessment.services import Challenged, Rated


@pytest.fixture
def manager(make_user: Any, partnership_agency: Any) -> Any:
    return make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="manager")


@pytest.fixture
def learning(make_user: Any, partnership_agency: Any) -> Any:
    return make_user(Role.LEARNING_GROUP_MEMBER, agency=partnership_agency, username="lg")


@pytest.fixture
def police_lead(make_user: Any, police: Any) -> Any:
    return make_user(Role.AGENCY_LEAD, agency=police, username="police1")


@pytest.fixture
def section_11(partnership: Any) -> Framework:
    services.ensure_builtin_frameworks(partnership)
    return Framework.objects.get(partnership=partnership, key="section-11")


def open_round(manager: Any, framework: Framework, agencies: list[Any], name: str) -> Round:
    return services.open_round(
        Viewer.of(manager),
        name=name,
        framework=framework,
        agencies=agencies,
        due_date=date(2026, 6, 30),
    )


@pytest.fixture
def round_(manager: Any, section_11: Framework, police: Any, council: Any) -> Round:
    return open_round(manager, section_11, [police, council], "Section 11 2026-27")


def submission_of(round_: Round, agency: Any) -> Submission:
    return round_.submissions.get(agency=agency)


def rate_all(
    lead: Any, submission: Submission, rating: str = Rating.PARTLY_MET, *, submit: bool = True
) -> None:
    standards = submission.round.framework.standards.all()
    services.save_ratings(
        Viewer.of(lead),
        submission,
        {
            s.pk: Rated(rating, "Policy reviewed in May", "https://example.org/s11")
            for s in standards
        },
        submit=submit,
    )


def test_built_in_frameworks_and_a_new_version_leave_open_rounds_alone(
    manager: Any, section_11: Framework, round_: Round
) -> None:
    assert [s.title for s in section_11.standards.all()][:2] == [
        "Senior management commitment",
        "Clear accountability",
    ]
    assert section_11.standards.count() == 8
    assert Framework.objects.filter(key="section-175", version=1).count() == 1
    services.ensure_builtin_frameworks(section_11.partnership)  # made once only
    assert Framework.objects.count() == 2

    v2 = services.new_framework_version(
        Viewer.of(manager),
        section_11,
        title="Section 11 standards (local)",
        standards=[("Leadership", "Leaders own it"), ("Training", "")],
    )
    assert (v2.version, v2.standards.count(), v2.based_on) == (2, 2, section_11)
    round_.refresh_from_db()
    assert round_.framework == section_11
    assert round_.framework.standards.count() == 8


def test_opening_a_round_makes_its_review_recommendations_and_submissions(
    round_: Round, police: Any, council: Any
) -> None:
    review = round_.review
    assert review.review_type == Review.Type.SELF_ASSESSMENT
    recommendations = list(review.recommendations.order_by("number"))
    assert [r.number for r in recommendations] == list(range(1, 9))
    assert recommendations[0].text.startswith("Senior management commitment: ")
    assert set(recommendations[0].agencies.all()) == {police, council}
    assert {s.agency for s in round_.submissions.all()} == {police, council}


def test_only_a_partnership_manager_opens_a_round(
    police_lead: Any, section_11: Framework, police: Any
) -> None:
    with pytest.raises(PermissionDenied):
        open_round(police_lead, section_11, [police], "Mine")
    assert not Round.objects.exists()


def test_lead_rates_saves_then_submits_and_it_is_then_fixed(
    round_: Round, police: Any, police_lead: Any
) -> None:
    submission = submission_of(round_, police)
    first = round_.framework.standards.first()
    assert first is not None
    services.save_ratings(Viewer.of(police_lead), submission, {first.pk: Rated(Rating.NOT_MET)})
    with pytest.raises(ValidationError, match="not yet rated 2, 3, 4, 5, 6, 7, 8"):
        services.save_ratings(
            Viewer.of(police_lead), submission, {first.pk: Rated(Rating.NOT_MET)}, submit=True
        )
    submission.refresh_from_db()
    assert submission.submitted_at is None

    rate_all(police_lead, submission, Rating.FULLY_MET)
    submission.refresh_from_db()
    assert submission.submitted_at is not None
    assert submission.submitted_by == police_lead
    rated = StandardRating.objects.filter(submission=submission)
    assert {r.rating for r in rated} == {Rating.FULLY_MET}
    assert rated.first().evidence_link == "https://example.org/s11"
    with pytest.raises(ValidationError, match="submitted"):
        rate_all(police_lead, submission, Rating.NOT_MET)
    assert {r.rating for r in rated.all()} == {Rating.FULLY_MET}


def test_a_lead_cannot_rate_another_agencys_submission(
    round_: Round, council: Any, police_lead: Any
) -> None:
    with pytest.raises(PermissionDenied):
        rate_all(police_lead, submission_of(round_, council))
    assert not StandardRating.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PERMISSION_DENIED).exists()


def test_improvement_actions_join_the_agencys_actions_and_follow_the_lifecycle(
    client: Any, round_: Round, police: Any, police_lead: Any, learning: Any
) -> None:
    submission = submission_of(round_, police)
    training = round_.framework.standards.get(number=5)
    action = services.add_improvement_action(
        Viewer.of(police_lead),
        submission,
        standard=training,
        description="Train all response officers in the escalation protocol",
        owner=police_lead,
        due_date=date(2026, 9, 30),
    )
    assert (action.agency, action.status, action.recommendation.number) == (
        police,
        ActionStatus.NOT_STARTED,
        5,
    )
    assert action.recommendation.review_id == round_.review_id

    client.force_login(police_lead)
    page = client.get(reverse("reviews:my-actions"))
    assert "Train all response officers in the escalation protocol" in page.content.decode()

    reviews.move_action(
        Viewer.of(police_lead),
        action,
        "implement",
        reviews.MoveDetails(narrative="All trained", links=["https://example.org/register"]),
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IMPLEMENTED
    assert action in selectors.actions_of(Viewer.of(learning), submission)


def test_an_improvement_action_needs_an_owner_of_the_agency(
    round_: Round, police: Any, police_lead: Any, manager: Any
) -> None:
    with pytest.raises(ValidationError, match="owner"):
        services.add_improvement_action(
            Viewer.of(police_lead),
            submission_of(round_, police),
            standard=round_.framework.standards.first(),  # type: ignore[arg-type]
            description="x",
            owner=manager,
            due_date=date(2026, 9, 30),
        )
    assert not Action.objects.exists()


def test_challenge_keeps_both_ratings_and_needs_reasons_for_a_change(
    round_: Round, police: Any, police_lead: Any, learning: Any
) -> None:
    submission = submission_of(round_, police)
    standards = list(round_.framework.standards.all())
    with pytest.raises(ValidationError, match="not submitted"):
        services.challenge(Viewer.of(learning), submission, {})
    rate_all(police_lead, submission, Rating.FULLY_MET)
    submission.refresh_from_db()

    with pytest.raises(PermissionDenied):
        services.challenge(Viewer.of(police_lead), submission, {})
    decisions = {s.pk: Challenged(Rating.FULLY_MET) for s in standards}
    decisions[standards[4].pk] = Challenged(Rating.PARTLY_MET)
    with pytest.raises(ValidationError) as refused:
        services.challenge(Viewer.of(learning), submission, decisions)
    assert refused.value.message_dict == {
        f"reason_{standards[4].pk}": ["Say why standard 5 is partly met rather than fully met"]
    }
    assert not StandardRating.objects.exclude(challenged_rating="").exists()

    decisions[standards[4].pk] = Challenged(Rating.PARTLY_MET, "Only 60% of staff trained")
    services.challenge(Viewer.of(learning), submission, decisions)
    fifth = StandardRating.objects.get(submission=submission, standard=standards[4])
    assert (fifth.rating, fifth.challenged_rating, fifth.challenge_reason) == (
        Rating.FULLY_MET,
        Rating.PARTLY_MET,
        "Only 60% of staff trained",
    )
    assert fifth.disagreed
    assert fifth.challenged_by == learning
    first = StandardRating.objects.get(submission=submission, standard=standards[0])
    assert (first.rating, first.challenged_rating, first.disagreed) == (
        Rating.FULLY_MET,
        Rating.FULLY_MET,
        False,
    )

    # Thinking again adds to each rating's history, which keeps the first decision.
    decisions[standards[4].pk] = Challenged(Rating.FULLY_MET)
    services.challenge(Viewer.of(learning), submission, decisions)
    assert [(d.decided, d.reason) for d in fifth.decisions.all()] == [
        (Rating.PARTLY_MET, "Only 60% of staff trained"),
        (Rating.FULLY_MET, ""),
    ]
    with pytest.raises(AppendOnlyError):
        fifth.decisions.update(reason="")


def test_dashboard_compares_with_the_previous_round_and_marks_disagreement(
    client: Any,
    manager: Any,
    section_11: Framework,
    police: Any,
    council: Any,
    police_lead: Any,
    learning: Any,
) -> None:
    with time_machine.travel("2025-05-01 09:00Z"):
        last_year = open_round(manager, section_11, [police], "Section 11 2025-26")
        rate_all(police_lead, submission_of(last_year, police), Rating.NOT_MET)
    with time_machine.travel("2026-05-01 09:00Z"):
        this_year = open_round(manager, section_11, [police, council], "Section 11 2026-27")
        submission = submission_of(this_year, police)
        rate_all(police_lead, submission, Rating.FULLY_MET)
        standards = list(this_year.framework.standards.all())
        decisions = {s.pk: Challenged(Rating.FULLY_MET) for s in standards}
        decisions[standards[0].pk] = Challenged(Rating.PARTLY_MET, "No board minutes seen")
        services.challenge(Viewer.of(learning), submission_of(this_year, police), decisions)

    board = selectors.dashboard(this_year)
    assert board.previous == last_year
    assert board.disagreements == 1
    police_row = next(r for r in board.rows if r.submission.agency == police)
    assert [c.previous for c in police_row.cells] == [Rating.NOT_MET] * 8
    council_row = next(r for r in board.rows if r.submission.agency == council)
    assert [c.rating for c in council_row.cells] == [None] * 8

    client.force_login(learning)
    page = client.get(reverse("selfassessment:round", args=[this_year.pk])).content.decode()
    assert "Changed at challenge" in page
    assert "Fully met" in page
    assert "Partly met" in page
    assert "Last round: Not met" in page
    assert "No board minutes seen" in page


def test_the_dashboard_does_not_grow_in_queries_with_agencies(
    client: Any,
    manager: Any,
    section_11: Framework,
    police: Any,
    council: Any,
    partnership_agency: Any,
    django_assert_max_num_queries: Any,
) -> None:
    open_round(manager, section_11, [police], "Earlier")  # both below have a previous round
    small = open_round(manager, section_11, [police], "Small")
    big = open_round(manager, section_11, [police, council, partnership_agency], "Big")
    client.force_login(manager)
    client.get(reverse("selfassessment:round", args=[small.pk]))  # warm the session's caches
    with django_assert_max_num_queries(40) as counted:
        client.get(reverse("selfassessment:round", args=[small.pk]))
    with django_assert_max_num_queries(len(counted.captured_queries)):
        client.get(reverse("selfassessment:round", args=[big.pk]))


def test_pages_rate_and_challenge_through_forms(
    client: Any, round_: Round, police: Any, police_lead: Any, learning: Any
) -> None:
    submission = submission_of(round_, police)
    standards = list(round_.framework.standards.all())
    client.force_login(police_lead)
    url = reverse("selfassessment:rate", args=[submission.pk])
    data: dict[str, Any] = {f"rating_{s.pk}": Rating.PARTLY_MET for s in standards[:7]}
    page = client.post(url, data | {"submit": ""})
    assert "Rate every standard before you submit" in page.content.decode()
    data[f"rating_{standards[7].pk}"] = Rating.NOT_MET
    data[f"link_{standards[7].pk}"] = "not a link"
    assert (
        "as a web address, like https://"
        in client.post(url, data | {"submit": ""}).content.decode()
    )
    data.pop(f"link_{standards[7].pk}")
    assert client.post(url, data | {"submit": ""}).status_code == 302
    submission.refresh_from_db()
    assert submission.submitted_at is not None

    client.force_login(learning)
    url = reverse("selfassessment:challenge", args=[submission.pk])
    decisions: dict[str, Any] = {f"decision_{s.pk}": Rating.PARTLY_MET for s in standards}
    decisions[f"decision_{standards[7].pk}"] = Rating.PARTLY_MET
    page = client.post(url, decisions)
    assert "Say why standard 8 is partly met rather than not met" in page.content.decode()
    decisions[f"reason_{standards[7].pk}"] = "Supervision records seen for most staff"
    assert client.post(url, decisions).status_code == 302
    eighth = StandardRating.objects.get(submission=submission, standard=standards[7])
    assert (eighth.rating, eighth.challenged_rating) == (Rating.NOT_MET, Rating.PARTLY_MET)


def test_a_rounds_standards_without_actions_are_not_a_gap_in_the_managers_plan(
    manager: Any, round_: Round
) -> None:
    from assure.reviews.todo import manager_work

    work = manager_work(Viewer.of(manager), date(2026, 5, 4))
    assert all(gap.review != round_.review for gap in work.gaps)


def test_evidence_files_are_checked_kept_and_downloaded_by_whom_the_matrix_says(
    client: Any,
    settings: Any,
    tmp_path: Any,
    round_: Round,
    police: Any,
    council: Any,
    police_lead: Any,
    learning: Any,
    make_user: Any,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    submission = submission_of(round_, police)
    first, second = list(round_.framework.standards.all())[:2]
    client.force_login(police_lead)
    url = reverse("selfassessment:rate", args=[submission.pk])
    page = client.post(
        url,
        {
            f"rating_{first.pk}": Rating.FULLY_MET,
            f"file_{first.pk}": SimpleUploadedFile("policy.pdf", b"%PDF-1.4 synthetic"),
            f"rating_{second.pk}": Rating.FULLY_MET,
            f"file_{second.pk}": SimpleUploadedFile("minutes.pdf", b"not a pdf at all"),
        },
    )
    assert "“minutes.pdf” does not look like a .pdf file." in page.content.decode()
    assert not StandardRating.objects.exists()  # nothing written when any file is bad

    page = client.post(
        url,
        {
            f"rating_{first.pk}": Rating.FULLY_MET,
            f"file_{first.pk}": SimpleUploadedFile("policy.pdf", b"%PDF-1.4 synthetic"),
        },
    )
    assert page.status_code == 302
    kept = StandardRating.objects.get()
    assert kept.evidence_name == "policy.pdf"
    assert "policy" not in str(kept.evidence_file.name)  # the server chose the stored name
    download = reverse("selfassessment:evidence", args=[kept.pk])
    assert b"".join(client.get(download).streaming_content) == b"%PDF-1.4 synthetic"

    client.force_login(learning)
    assert client.get(download).status_code == 200
    for role, agency in ((Role.AGENCY_LEAD, council), (Role.BOARD_MEMBER, police)):
        client.force_login(make_user(role, agency=agency))
        assert client.get(download).status_code == 403
    assert AuditEvent.objects.filter(summary="Downloaded policy.pdf").count() == 2


def test_a_round_takes_only_the_partnerships_own_framework_and_agencies(
    manager: Any, section_11: Framework, police: Any
) -> None:
    from assure.accounts.models import Agency, Partnership

    other = Partnership.objects.create(name="Otherton Safeguarding Children Partnership")
    theirs = Agency.objects.create(partnership=other, name="Otherton Police")
    services.ensure_builtin_frameworks(other)
    their_framework = Framework.objects.get(partnership=other, key="section-11")
    with pytest.raises(ValidationError, match="agencies of your partnership"):
        open_round(manager, section_11, [police, theirs], "Mixed")
    with pytest.raises(ValidationError, match="your partnership's frameworks"):
        open_round(manager, their_framework, [police], "Theirs")
    assert not Round.objects.exists()


def test_manager_edits_the_partnerships_copy_as_a_new_version(
    client: Any, manager: Any, section_11: Framework
) -> None:
    client.force_login(manager)
    url = reverse("selfassessment:edit-framework", args=[section_11.pk])
    page = client.get(url).content.decode()
    assert "Senior management commitment: Senior leaders make" in page
    refused = client.post(url, {"title": "Local", "standards": "Leadership: ok\n: no title"})
    assert "Line 2: give the standard a title" in refused.content.decode()
    assert Framework.objects.filter(key="section-11").count() == 1
    saved = client.post(url, {"title": "Local", "standards": "Leadership: ok\n\nTraining"})
    assert saved.status_code == 302
    made = Framework.objects.get(key="section-11", version=2)
    assert [(s.number, s.title, s.description) for s in made.standards.all()] == [
        (1, "Leadership", "ok"),
        (2, "Training", ""),
    ]
    assert "Local (version 2)" in client.get(reverse("selfassessment:frameworks")).content.decode()
