"""Editing an action's owner, due date and text: who may, what they may change, and when."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, ActionStatus


def edit_url(action: Action) -> str:
    return reverse("reviews:edit-action", args=[action.recommendation_id, action.pk])


def edit_form(action: Action, **changes: object) -> dict[str, object]:
    """The edit form as an agency lead posts it: the saved values, then `changes`."""
    data: dict[str, object] = {
        "version": action.version,
        "description": action.description,
        "owner": action.owner_id or "",
        "outcome_sought": action.outcome_sought,
        "success_measure": action.success_measure,
        "due_date": action.due_date.isoformat() if action.due_date else "",
    }
    return data | changes


@pytest.fixture
def police_officer(make_user, police):
    return make_user(username="officer", agency=police)


def test_agency_lead_sets_owner_and_due_date_of_own_action(
    client, police_lead, police_action, police_officer
) -> None:
    client.force_login(police_lead)
    form = edit_form(police_action, owner=police_officer.pk, due_date="2026-06-30")
    response = client.post(edit_url(police_action), form)
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:action", args=[police_action.pk])
    police_action.refresh_from_db()
    assert (police_action.owner, police_action.due_date) == (police_officer, date(2026, 6, 30))
    event = AuditEvent.objects.filter(record_type="reviews.action", action="update").last()
    assert event is not None
    assert event.actor_username == "policelead"
    assert event.changes["due_date"] == ["2026-03-31", "2026-06-30"]
    assert event.changes["owner"] == [police_lead.pk, police_officer.pk]


def test_agency_lead_cannot_edit_another_agencys_action(
    client, police_lead, council_action
) -> None:
    client.force_login(police_lead)
    assert client.get(edit_url(council_action)).status_code == 403
    assert client.post(edit_url(council_action), edit_form(council_action)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_action(Viewer.of(police_lead), council_action, due_date=date(2026, 5, 1))
    council_action.refresh_from_db()
    assert council_action.due_date is None


def test_agency_lead_cannot_move_an_action_to_another_agency(
    client, police_lead, police_action, council
) -> None:
    client.force_login(police_lead)
    page = client.get(edit_url(police_action)).content.decode()
    assert 'name="agency"' not in page
    form = edit_form(police_action, agency=council.pk, due_date="2026-05-01")
    assert client.post(edit_url(police_action), form).status_code == 302
    police_action.refresh_from_db()
    assert police_action.due_date == date(2026, 5, 1)  # the agency posted is ignored
    assert police_action.agency.name == "Testshire Police"
    with pytest.raises(PermissionDenied):
        services.save_action(Viewer.of(police_lead), police_action, agency=council)
    assert Action.objects.get(pk=police_action.pk).agency.name == "Testshire Police"


def test_manager_moves_an_action_and_its_owner_must_then_be_of_the_new_agency(
    client, manager, police_action, council
) -> None:
    client.force_login(manager)
    url = edit_url(police_action)
    assert 'name="agency"' in client.get(url).content.decode()
    response = client.post(url, edit_form(police_action, agency=council.pk))
    assert response.status_code == 200
    assert "Select someone who works for the action&#39;s agency" in response.content.decode()
    moved = edit_form(police_action, agency=council.pk, owner=manager.pk)
    assert client.post(url, moved).status_code == 302
    police_action.refresh_from_db()
    assert (police_action.agency, police_action.owner) == (council, manager)


def test_owner_choices_are_active_people_of_the_actions_agency(
    client, police_lead, police_action, make_user, police, manager
) -> None:
    leaver = make_user(agency=police)
    leaver.last_name, leaver.is_active = "Leaver", False
    leaver.save()
    colleague = make_user(agency=police)
    colleague.first_name, colleague.last_name = "Cara", "Colleague"
    colleague.save()
    client.force_login(police_lead)
    page = client.get(edit_url(police_action)).content.decode()
    assert "Cara Colleague (Testshire Police)" in page
    assert "Leaver" not in page  # no longer works here
    assert f'value="{manager.pk}"' not in page  # works for another agency


def test_editing_confirms_an_owner_flagged_for_checking(
    manager, police_action, police_lead
) -> None:
    Action.objects.filter(pk=police_action.pk).update(owner_needs_check=True)
    police_action.refresh_from_db()
    services.save_action(Viewer.of(police_lead), police_action, owner=police_lead)
    police_action.refresh_from_db()
    assert not police_action.owner_needs_check


@pytest.mark.parametrize("status", [ActionStatus.ASSURED, ActionStatus.EMBEDDED])
def test_an_assured_or_embedded_action_cannot_be_edited(
    client, police_lead, police_action, status
) -> None:
    Action.objects.filter(pk=police_action.pk).update(status=status)
    police_action.refresh_from_db()
    client.force_login(police_lead)
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert "Edit this action" not in page
    response = client.get(edit_url(police_action), follow=True)
    assert "its owner, due date and text can no longer change" in response.content.decode()
    with pytest.raises(ValidationError, match="can no longer change"):
        services.save_action(Viewer.of(police_lead), police_action, due_date=date(2026, 9, 1))


@pytest.mark.parametrize(
    ("who", "sees_link"),
    [("police_lead", True), ("manager", True), ("learning", False), ("other_lead", False)],
)
def test_edit_link_shows_only_to_whoever_may_edit(
    client, request, police_action, make_user, council, who, sees_link
) -> None:
    person = (
        make_user(Role.AGENCY_LEAD, agency=council)
        if who == "other_lead"
        else request.getfixturevalue(who)
    )
    client.force_login(person)
    page = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    assert ("Edit this action" in page) is sees_link
    assert (f'href="{edit_url(police_action)}#id_owner"' in page) is sees_link


def test_childrens_services_manager_edits_own_agencys_actions(
    client, make_user, council_action, police_action
) -> None:
    manager = make_user(Role.CHILDRENS_SERVICES_MANAGER, username="hos")
    client.force_login(manager)
    assert client.get(edit_url(council_action)).status_code == 200
    assert client.get(edit_url(police_action)).status_code == 403


def test_action_lists_say_no_owner_and_no_due_date(
    client, manager, council_action, police_action
) -> None:
    client.force_login(manager)
    for url in (
        reverse("reviews:actions"),
        reverse("reviews:detail", args=[council_action.recommendation.review_id]),
    ):
        page = client.get(url).content.decode()
        assert '<td class="govuk-table__cell">No owner</td>' in page
        assert "No due date" in page
        assert "Test Person" in page  # the police action's owner


def test_an_action_assured_while_its_form_was_open_is_not_changed(
    client, police_lead, police_action
) -> None:
    client.force_login(police_lead)
    form = edit_form(police_action, due_date="2026-08-31")
    Action.objects.filter(pk=police_action.pk).update(status=ActionStatus.ASSURED)
    response = client.post(edit_url(police_action), form, follow=True)
    assert "can no longer change" in response.content.decode()
    police_action.refresh_from_db()
    assert police_action.due_date == date(2026, 3, 31)


def test_due_date_is_three_boxes_and_a_wrong_one_is_linked_from_the_summary(
    client, police_lead, police_action
) -> None:
    client.force_login(police_lead)
    page = client.get(edit_url(police_action)).content.decode()
    for box in ("day", "month", "year"):
        assert f'name="due_date-{box}"' in page
    assert 'value="31"' in page
    assert 'type="date"' not in page
    form = edit_form(police_action, due_date="")
    form |= {"due_date-day": "31", "due_date-month": "2", "due_date-year": "2026"}
    response = client.post(edit_url(police_action), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Due date must be a real date" in page
    assert 'href="#id_due_date-day"' in page
    assert 'id="id_due_date-day"' in page
    assert 'value="31"' in page
    police_action.refresh_from_db()
    assert police_action.due_date == date(2026, 3, 31)
