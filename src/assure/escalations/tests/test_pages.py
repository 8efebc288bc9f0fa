"""The two-agency rule, the child's id, notes, the dashboard and its exports, the to-do list."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assure.core.models import AuditEvent, ChildView
from assure.core.viewer import Viewer
from assure.escalations.models import Note
from assure.escalations.tests.conftest import raise_one
from assure.reviews.todo import count_for, todo_for


def _client(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture
def escalation(people, council, police):
    return raise_one(people["council"], council, police, date(2026, 1, 5), child_id="CHILD-77")


def test_only_the_two_agencies_and_the_manager_see_it_and_its_notes(people, escalation) -> None:
    url = f"/escalations/{escalation.pk}/"
    for name in ("council", "police", "manager"):
        page = _client(people[name]).get(url)
        assert page.status_code == 200, name
    for name in ("learning", "board", "chair"):
        assert _client(people[name]).get(url).status_code == 403, name
    # the lead of a third agency is refused it, in the log and by its address
    health = _client(people["health"])
    assert health.get(url).status_code == 404
    assert escalation.reference not in health.get("/escalations/?show=all").content.decode()
    assert health.post(url, {"text": "Trying"}).status_code == 404
    police = _client(people["police"])
    response = police.post(url, {"text": "Synthetic: we will review the decision."})
    assert response.status_code == 302
    assert Note.objects.get().author == people["police"]
    assert "we will review" in _client(people["council"]).get(url).content.decode()
    assert escalation.reference in police.get("/escalations/").content.decode()


def test_the_childs_id_is_child_level_and_read_logged(people, escalation) -> None:
    council = _client(people["council"]).get(f"/escalations/{escalation.pk}/").content.decode()
    assert "CHILD-77" in council
    view = ChildView.objects.get()
    assert view.person_id == "CHILD-77"
    assert view.event.actor_id == people["council"].pk
    for name in ("police", "manager"):
        page = _client(people[name]).get(f"/escalations/{escalation.pk}/").content.decode()
        assert "CHILD-77" not in page, name
    assert ChildView.objects.count() == 1


def test_recording_through_the_page(people, council, police) -> None:
    client = _client(people["police"])
    page = client.get("/escalations/new/").content.decode()
    assert "Testshire Police" in page
    with time_machine.travel("2026-01-07 10:00Z"):
        response = client.post(
            "/escalations/new/",
            {
                "raised_by_agency": police.pk,
                "about_agency": council.pk,
                "category": "closure",
                "raised_date": "2026-01-06",
                "concern": "Synthetic: case closed too soon.",
            },
        )
        assert response.status_code == 302
        escalation = people["police"].agency.escalations_raised.get()
        detail = client.get(response["Location"]).content.decode()
    assert "13 Jan 2026" in detail  # stage 1 due 5 working days after Tue 6 Jan
    assert AuditEvent.objects.filter(
        record_type="escalations.escalation", record_id=str(escalation.pk)
    ).exists()
    refused = client.post(
        "/escalations/new/",
        {
            "raised_by_agency": council.pk,
            "about_agency": police.pk,
            "category": "closure",
            "raised_date": "2026-01-06",
        },
    )
    assert refused.status_code == 200
    assert "Select agency raising it from the list" in refused.content.decode()


def test_a_stage_past_due_is_on_both_leads_to_do_lists(people, escalation) -> None:
    today = date(2026, 1, 13)  # stage 1 was due Mon 12 Jan
    for name in ("council", "police"):
        todo = todo_for(Viewer.of(people[name]), today)
        assert todo.escalations is not None, name
        assert todo.escalations.count == 1, name
        assert count_for(Viewer.of(people[name]), today) == todo.count
    for person, day in ((people["health"], today), (people["council"], date(2026, 1, 12))):
        work = todo_for(Viewer.of(person), day).escalations
        assert work is not None
        assert work.count == 0
    with time_machine.travel("2026-01-13 09:00Z"):
        home = _client(people["police"]).get("/").content.decode()
    assert "Escalation stages past their due date" in home
    assert "was due 12 January 2026" in home


def test_dashboard_and_exports_show_counts_only(people, escalation, council, police) -> None:
    for n in range(3):
        raise_one(people["manager"], police, council, date(2026, 2, 2 + n), category="plan")
    client = _client(people["board"])
    with time_machine.travel("2026-03-01 09:00Z"):
        page = client.get("/escalations/figures/?start=2026-01-01&end=2026-02-28")
        text = page.content.decode()
        assert page.status_code == 200
        assert "CHILD-77" not in text
        assert "<svg" in text
        assert "A plan&#39;s adequacy" in text
        csv = client.get(
            "/escalations/figures.csv?start=2026-01-01&end=2026-02-28"
        ).content.decode()
        xlsx = client.get("/escalations/figures.xlsx?start=2026-01-01&end=2026-02-28")
    assert "Raised,,,,,4" in csv
    assert "Stage 1 timeliness,,0,0,4,4" in csv  # each due in the window and still open
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert _client(people["police"]).get("/escalations/figures/").status_code == 403


def test_dashboard_queries_do_not_grow_with_escalations(people, council, police) -> None:
    client = _client(people["manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert (
                client.get("/escalations/figures/?start=2026-01-01&end=2026-12-31").status_code
                == 200
            )
        return len(captured)

    raise_one(people["manager"], council, police, date(2026, 1, 5))
    few = queries()
    for n in range(10):
        raise_one(people["manager"], police, council, date(2026, 3, 2 + n), category="other")
    assert queries() == few


def test_the_log_pages_fifty_at_a_time_keeping_its_filter(people, council, police) -> None:
    for n in range(51):
        raise_one(people["manager"], council, police, date(2026, 1, 5 + n % 20))
    client = _client(people["manager"])
    first = client.get("/escalations/?show=all").content.decode()
    assert "51 escalations" in first
    assert first.count('href="/escalations/') - first.count('href="/escalations/new') >= 50
    assert "Page 1 of 2" in first
    assert "?show=all&amp;page=2" in first
    second = client.get("/escalations/?show=all&page=2").content.decode()
    assert "Page 2 of 2" in second
