"""Importing the seed document through the page, and reminder digests."""

import tempfile
from datetime import date
from pathlib import Path

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assure.accounts.models import Agency, Partnership
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.demo import AGENCIES
from assure.reviews import services
from assure.reviews.models import Action, ReminderSent, Theme
from assure.reviews.views import DRAFT_KEY

SEED = Path(__file__).resolve().parents[2] / "demo_data" / "freddie-scr-response.txt"


def _demo_agencies(partnership) -> None:
    for spec in AGENCIES:
        Agency.objects.create(
            partnership=partnership,
            name=spec.name,
            agency_type=spec.agency_type,
            aliases=list(spec.aliases),
        )


def test_seed_document_becomes_a_draft_then_recommendations(client, manager, review) -> None:
    _demo_agencies(review.partnership)
    client.force_login(manager)
    upload = SimpleUploadedFile("freddie.txt", SEED.read_bytes(), "text/plain")
    response = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})
    assert response.status_code == 302
    check = client.get(response["Location"]).content.decode()
    assert "Recommendation 12" in check
    assert "did not understand" in check
    assert review.recommendations.count() == 0, "nothing is saved before the person confirms"

    form = _form_fields(check)
    form["rec-1-include"] = ""  # the person drops recommendation 2
    response = client.post(response["Location"], form)
    assert response.status_code == 302
    numbers = list(review.recommendations.values_list("number", flat=True))
    assert numbers == [1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    first = review.recommendations.get(number=1)
    assert first.text.startswith("To ensure the learning from this Review is disseminated")
    assert first.actions.values("agency").distinct().count() >= 5
    # A document saying "done" is no evidence: those actions wait for their agency's evidence.
    assert not Action.objects.filter(status="implemented").exists()
    reported_done = Action.objects.filter(updates__narrative__contains="reads as done")
    assert reported_done.exists()
    assert set(reported_done.values_list("status", flat=True)) == {"in_progress"}
    assert AuditEvent.objects.filter(action="import", record_type="reviews.review").exists()


def test_a_tampered_confirmation_form_is_a_problem_not_an_error(client, manager, review) -> None:
    _demo_agencies(review.partnership)
    elsewhere = Agency.objects.create(
        partnership=Partnership.objects.create(name="Otherplace partnership"),
        name="Otherplace Police",
        agency_type=Agency.Type.POLICE,
    )
    client.force_login(manager)
    upload = SimpleUploadedFile("freddie.txt", SEED.read_bytes(), "text/plain")
    url = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})["Location"]
    form = _form_fields(client.get(url).content.decode())
    form["rec-0-action-0-include"] = "on"
    form["rec-0-action-0-agency"] = str(elsewhere.pk)
    form["rec-1-action-count"] = "many"
    form["rec-2-action-count"] = "²"  # a digit to isdigit, not to int
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Recommendation 1: choose the agency for" in response.content.decode()
    assert review.recommendations.count() == 0


def _form_fields(page: str) -> dict[str, str]:
    """The confirmation form's fields as a browser would send them, unchanged."""
    import re

    fields: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page):
        fields[name] = value
    for name in re.findall(r'<input[^>]*name="([^"]+)"[^>]*type="checkbox" checked', page):
        fields[name] = "on"
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        fields[name] = body.replace("&#39;", "'").replace("&amp;", "&").replace("&#34;", '"')
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        fields[name] = chosen.group(1) if chosen else ""
    fields.pop("csrfmiddlewaretoken", None)
    return fields


def test_unreadable_document_is_explained(client, manager, review) -> None:
    client.force_login(manager)
    upload = SimpleUploadedFile("plan.docx", b"not really a word file")
    response = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_corrupt_document_is_named_without_the_server_path(client, manager, review) -> None:
    client.force_login(manager)
    upload = SimpleUploadedFile("Child D action plan.docx", b"not really a word file")
    response = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Child D action plan.docx: could not be read as a Word .docx document" in page
    assert tempfile.gettempdir() not in page
    assert "upload.docx" not in page


def test_impossible_dates_in_a_document_are_left_without_due_dates(client, manager, review) -> None:
    _demo_agencies(review.partnership)
    client.force_login(manager)
    text = (
        "Review of Child A\n\nRecommendation 1: Share learning.\n\n"
        "Hampshire Constabulary will brief staff by December 0000.\n\n"
        "Recommendation 2: Train staff.\n\n"
        "Hampshire Constabulary will train staff in winter 9999.\n"
    )
    upload = SimpleUploadedFile("review.txt", text.encode(), "text/plain")
    response = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})
    assert response.status_code == 302
    draft = client.session[DRAFT_KEY.format(review.pk)]["draft"]
    actions = [
        action
        for rec in draft["recommendations"]
        for reply in rec["responses"]
        for action in reply["actions"]
    ]
    assert [action["due"] for action in actions] == [None, None]
    assert client.get(response["Location"]).status_code == 200


def test_reminders_are_one_digest_a_day(manager, police_action, police_lead) -> None:
    police_lead.email = "lead@example.org"
    police_lead.save()
    services.save_action(Viewer.of(manager), police_action, due_date=date(2026, 3, 20))
    call_command("remind", "--today", "2026-03-10")
    assert len(mail.outbox) == 1
    assert "due 20 March 2026" in mail.outbox[0].body
    call_command("remind", "--today", "2026-03-10")
    assert len(mail.outbox) == 1, "nothing is sent twice on the same day"
    call_command("remind", "--today", "2026-03-25")
    assert len(mail.outbox) == 2
    assert "Overdue" in mail.outbox[1].body
    assert ReminderSent.objects.count() == 2


def test_no_reminder_beyond_fourteen_days(police_action, police_lead) -> None:
    police_lead.email = "lead@example.org"
    police_lead.save()
    call_command("remind", "--today", "2026-03-01")  # due 31 March: 30 days away
    assert mail.outbox == []


def test_importing_again_keeps_what_the_review_already_has(client, manager, review) -> None:
    _demo_agencies(review.partnership)

    def upload_and_check(tick_existing: bool) -> str:
        upload = SimpleUploadedFile("freddie.txt", SEED.read_bytes(), "text/plain")
        url = client.post(reverse("reviews:import", args=[review.pk]), {"document": upload})[
            "Location"
        ]
        page = client.get(url).content.decode()
        form = _form_fields(page)
        if tick_existing:
            form["rec-0-include"] = "on"
        assert client.post(url, form).status_code == 302
        return page

    client.force_login(manager)
    upload_and_check(tick_existing=False)
    first = review.recommendations.get(number=1)
    theme = Theme.objects.filter(partnership=review.partnership).first() or Theme.objects.create(
        partnership=review.partnership, name="Synthetic theme"
    )
    first.themes.add(theme)
    actions = Action.objects.filter(recommendation=first).count()

    page = upload_and_check(tick_existing=True)
    assert "Recommendation 1 is already in Assure, so it is not ticked." in page
    assert 'id="rec-0-include" name="rec-0-include" type="checkbox" >' in page
    first.refresh_from_db()
    assert list(first.themes.all()) == [theme]
    assert Action.objects.filter(recommendation=first).count() == actions
    assert review.recommendations.filter(number=1).count() == 1
