"""Nothing typed or uploaded is lost: concurrent edits, partial failures, over-long links."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.reviews.tests.test_import_and_remind import _form_fields


def opened(client, user, url: str) -> dict[str, str]:
    """The form as `user` sees it now, ready to be posted back."""
    client.force_login(user)
    return _form_fields(client.get(url).content.decode())


def test_a_recommendation_saved_from_an_older_form_is_refused_then_saved_on_purpose(
    client, manager, make_user, recommendation
) -> None:
    colleague = make_user(Role.PARTNERSHIP_MANAGER, username="colleague")
    url = reverse("reviews:edit-recommendation", args=[recommendation.review_id, recommendation.pk])
    mine = opened(client, manager, url)
    theirs = opened(client, colleague, url)
    assert client.post(url, theirs | {"text": "The colleague's wording"}).status_code == 302

    client.force_login(manager)
    response = client.post(url, mine | {"text": "My wording"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "colleague saved a change to this at" in page
    assert "My wording" in page  # what I typed is still in the form
    assert Recommendation.objects.get().text == "The colleague's wording"

    again = _form_fields(page)
    assert client.post(url, again).status_code == 302
    assert Recommendation.objects.get().text == "My wording"


def test_a_review_saved_from_an_older_form_is_refused(client, manager, review) -> None:
    url = reverse("reviews:edit", args=[review.pk])
    older = opened(client, manager, url)
    services.save_review(Viewer.of(manager), Review.objects.get(), {"title": "Saved meanwhile"})
    response = client.post(url, older | {"title": "From the older form"})
    assert response.status_code == 200
    assert "manager saved a change to this at" in response.content.decode()
    assert Review.objects.get().title == "Saved meanwhile"


def test_an_action_edit_never_undoes_its_status(manager, police_lead, police_action) -> None:
    loaded = Action.objects.get(pk=police_action.pk)  # as the edit page loaded it
    services.add_update(
        Viewer.of(police_lead), police_action, narrative="Training done", status="in_progress"
    )
    services.save_action(
        Viewer.of(manager), loaded, version=0, description="Train every MASH officer"
    )
    action = Action.objects.get(pk=police_action.pk)
    assert (action.description, action.status) == (
        "Train every MASH officer",
        ActionStatus.IN_PROGRESS,
    )
    assert action.latest_update is not None


def test_the_refusal_names_who_edited_not_who_updated_since(
    client, manager, make_user, police_lead, police_action
) -> None:
    colleague = make_user(Role.PARTNERSHIP_MANAGER, username="colleague")
    url = reverse("reviews:edit-action", args=[police_action.recommendation_id, police_action.pk])
    mine = opened(client, manager, url)
    services.save_action(Viewer.of(colleague), Action.objects.get(), description="Edited meanwhile")
    services.add_update(
        Viewer.of(police_lead), police_action, narrative="Progress", status="in_progress"
    )
    client.force_login(manager)
    page = client.post(url, mine | {"description": "Mine"}).content.decode()
    assert "colleague saved a change to this at" in page
    assert "policelead saved" not in page


def test_edits_record_what_each_field_was_and_became(client, manager, recommendation) -> None:
    url = reverse("reviews:edit-recommendation", args=[recommendation.review_id, recommendation.pk])
    old_text = recommendation.text
    form = opened(client, manager, url)
    assert client.post(url, form | {"text": "Clearer wording"}).status_code == 302
    event = AuditEvent.objects.filter(record_type="reviews.recommendation").latest("pk")
    assert event.changes["text"] == [old_text, "Clearer wording"]
    assert "number" not in event.changes  # unchanged fields are not listed


def test_evidence_files_are_removed_when_their_update_is_not_saved(
    police_lead, police_action, settings, tmp_path
) -> None:
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        }
    }
    upload = SimpleUploadedFile("register.txt", b"synthetic register")
    with pytest.raises(IntegrityError):
        # A link of None cannot be stored: the update fails after its file was written.
        services.add_update(
            Viewer.of(police_lead),
            police_action,
            narrative="Done",
            status="implemented",
            files=[upload],
            links=[None],  # type: ignore[list-item]
        )
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_an_evidence_link_too_long_to_store_is_a_form_error(
    client, police_lead, police_action
) -> None:
    client.force_login(police_lead)
    response = client.post(
        reverse("reviews:action", args=[police_action.pk]),
        {
            "update-narrative": "Done",
            "update-move": "progress",
            "update-evidence_links": "https://example.org/" + "a" * 500,
        },
    )
    assert response.status_code == 200
    assert "is longer than 500 characters" in response.content.decode()


def test_an_edit_posted_without_its_version_is_refused_like_a_stale_one(
    client, manager, recommendation
) -> None:
    url = reverse("reviews:edit-recommendation", args=[recommendation.review_id, recommendation.pk])
    form = opened(client, manager, url)
    del form["version"]
    page = client.post(url, form | {"text": "Without a version"}).content.decode()
    assert "did not say which version of the record it was opened at" in page
    assert Recommendation.objects.get().text == recommendation.text
    with pytest.raises(services.EditConflict):
        services.save_recommendation(
            Viewer.of(manager), Recommendation.objects.get(), version=None, text="x"
        )
    again = _form_fields(page)
    assert client.post(url, again).status_code == 302
    assert Recommendation.objects.get().text == "Without a version"


def test_who_saved_last_is_a_field_of_the_record(
    manager, make_user, review, recommendation, police_action
) -> None:
    colleague = make_user(Role.PARTNERSHIP_MANAGER, username="colleague")
    with time_machine.travel("2026-02-03 14:05Z", tick=False):
        services.save_action(Viewer.of(colleague), Action.objects.get(), description="Edited")
        services.save_review(Viewer.of(colleague), Review.objects.get(), {"title": "Retitled"})
        services.save_recommendation(
            Viewer.of(colleague), Recommendation.objects.get(), text="Reworded"
        )
    for model in (Action, Review, Recommendation):
        saved = model.objects.get()
        assert saved.updated_by == colleague
        assert saved.updated_at == datetime(2026, 2, 3, 14, 5, tzinfo=UTC)
