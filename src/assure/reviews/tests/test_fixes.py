"""Fixes from trying the service as its people do: duplicate numbers, links a person may not
follow, errors that say what to do, and evidence links that open directly."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Recommendation

LINK = "https://intranet.example/synthetic-audit-report.pdf"


def test_duplicate_recommendation_number_is_a_form_error_keeping_what_was_typed(
    client, manager, review, recommendation
) -> None:
    services.save_recommendation(
        Viewer.of(manager), Recommendation(review=review), number=2, text="Two"
    )
    client.force_login(manager)
    typed = "Make supervision records show the child's voice (synthetic)."
    response = client.post(
        reverse("reviews:add-recommendation", args=[review.pk]),
        {"version": "0", "number": "1", "text": typed, "to_partnership": "on"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Recommendation 1 is already in this review: the next free number is 3" in page
    assert '<a href="#id_number">' in page
    assert "Make supervision records show the child&#39;s voice (synthetic)." in page
    assert review.recommendations.count() == 2


def test_the_save_service_refuses_a_duplicate_number_too(manager, review, recommendation) -> None:
    with pytest.raises(ValidationError, match="the next free number is 2"):
        services.save_recommendation(
            Viewer.of(manager), Recommendation(review=review), number=1, text="x"
        )
    # Keeping its own number is no duplicate.
    services.save_recommendation(Viewer.of(manager), recommendation, number=1, text="Changed")


@pytest.mark.parametrize(
    ("role", "shown"),
    [(Role.LEARNING_GROUP_MEMBER, True), (Role.AGENCY_LEAD, False), (Role.BOARD_MEMBER, False)],
)
def test_assurance_queue_link_only_for_those_who_may_open_it(client, make_user, role, shown):
    client.force_login(make_user(role))
    page = client.get(reverse("reviews:overview")).content.decode()
    assert ("Go to the assurance queue" in page) is shown
    assert (f'href="{reverse("reviews:queue")}"' in page) is shown


def test_evidence_links_open_directly_marked_as_leaving_assure(
    client, police_lead, police_action, learning
) -> None:
    services.add_update(
        Viewer.of(police_lead), police_action, narrative="done", status="implemented", links=[LINK]
    )
    client.force_login(learning)
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    (anchor,) = re.findall(rf'<a [^>]*href="{re.escape(LINK)}"[^>]*>[^<]*</a>', page)
    assert 'rel="noopener noreferrer"' in anchor
    assert "(opens a website outside Assure)" in anchor
    assert "/reviews/evidence/" not in page


def test_evidence_download_no_longer_redirects_to_links(client, police_lead, police_action) -> None:
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="done",
        status="implemented",
        files=[SimpleUploadedFile("register.txt", b"synthetic register")],
        links=[LINK],
    )
    link = police_action.updates.get().evidence.get(link=LINK)
    document = police_action.updates.get().evidence.exclude(link=LINK).get()
    client.force_login(police_lead)
    assert client.get(reverse("reviews:evidence", args=[link.pk])).status_code == 404
    response = client.get(reverse("reviews:evidence", args=[document.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="view", record_type="reviews.evidence", record_id=str(document.pk)
    ).exists()


def test_radio_errors_link_to_the_first_radio(client, police_lead, police_action) -> None:
    client.force_login(police_lead)
    response = client.post(
        reverse("reviews:action", args=[police_action.pk]),
        {"update-move": "", "update-narrative": "", "update-evidence_links": ""},
    )
    page = response.content.decode()
    assert '<a href="#id_update-move">Select what has happened</a>' in page
    assert '<input class="govuk-radios__input" id="id_update-move" name="update-move"' in page
    assert '<a href="#id_update-narrative">Enter what has happened' in page
    assert "This field is required" not in page
