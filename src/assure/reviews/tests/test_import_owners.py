"""The confirm step: owners guessed and flagged, past work unticked, owners and dates in bulk."""

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assure.accounts.models import Agency, Role
from assure.reviews.models import Action

from .test_import_and_remind import SEED, _demo_agencies, _form_fields

POLICE = "Hampshire Constabulary"


def _check_page(client, review) -> tuple[str, str]:
    upload = SimpleUploadedFile("freddie.txt", SEED.read_bytes(), "text/plain")
    url = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})["Location"]
    return url, client.get(url).content.decode()


def test_bulk_owner_and_date_flagged_owners_and_past_work(client, manager, review, make_user):
    _demo_agencies(review.partnership)
    police = Agency.objects.get(name=POLICE)
    lead = make_user(Role.AGENCY_LEAD, agency=police, username="sarah")
    client.force_login(manager)
    url, page = _check_page(client, review)
    assert "Check the owner" in page
    assert "Reads as a report of past work, not a commitment." in page
    assert "Owner: nobody in Assure works for Education yet." in page

    form = _form_fields(page)
    form[f"bulk-{police.pk}-owner"] = str(lead.pk)
    form[f"bulk-{police.pk}-due"] = "2026-09-30"
    assert client.post(url, form).status_code == 302

    numbers = set(Action.objects.values_list("recommendation__number", flat=True))
    assert numbers == set(range(1, 13)), "every recommendation with a response has an action"
    police_actions = Action.objects.filter(agency=police)
    assert police_actions
    assert all(a.owner == lead for a in police_actions)
    assert {a.due_date for a in police_actions} == {date(2026, 9, 30)}
    assert not Action.objects.filter(description__startswith="This scenario has been rectified")
    own = Agency.objects.get(partnership=review.partnership, agency_type=Agency.Type.PARTNERSHIP)
    assert own.name.endswith(": learning group and business unit")
    guessed = Action.objects.filter(recommendation__number=2).get()
    assert (guessed.agency, guessed.owner_needs_check) == (own, True)
    assert "Check the owner" in client.get(reverse("reviews:action", args=[guessed.pk])).text

    no_owner = Action.objects.filter(owner=None).count()
    no_due = Action.objects.filter(due_date=None).count()
    assert 0 < no_due < no_owner
    detail = client.get(reverse("reviews:detail", args=[review.pk])).content.decode()
    assert f"{no_owner} actions have no owner, {no_due} have no due date." in detail


def test_a_person_who_changes_a_guessed_agency_has_checked_it(client, manager, review) -> None:
    _demo_agencies(review.partnership)
    client.force_login(manager)
    url, page = _check_page(client, review)
    form = _form_fields(page)
    police = Agency.objects.get(name=POLICE)
    assert form["rec-1-action-0-guess"] == form["rec-1-action-0-agency"]
    form["rec-1-action-0-agency"] = str(police.pk)
    form[f"bulk-{police.pk}-owner"] = "999999"
    page = client.post(url, form).content.decode()
    assert "Choose an owner who works for the agency, or leave the owner blank." in page
    form[f"bulk-{police.pk}-owner"] = ""
    assert client.post(url, form).status_code == 302
    action = Action.objects.get(recommendation__number=2)
    assert (action.agency, action.owner_needs_check) == (police, False)
