"""Review pages for each role, exports, evidence downloads and constant query counts."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, Recommendation


def test_overview_counts(client, manager, police_action, council_action, police_lead) -> None:
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="done",
        status="implemented",
        files=[SimpleUploadedFile("a.txt", b"evidence")],
    )
    client.force_login(manager)
    page = client.get(reverse("reviews:overview")).content.decode()
    assert '<p class="govuk-heading-xl govuk-!-margin-bottom-1" id="awaiting-count">1</p>' in page
    assert "Alex" in page


def test_overdue_counts_follow_the_due_date(client, manager, police_action, time_machine) -> None:
    time_machine.move_to(date(2026, 4, 1))
    client.force_login(manager)
    page = client.get(reverse("reviews:overview")).content.decode()
    assert 'id="overdue-count">1</p>' in page


def test_agency_lead_sees_update_form_only_for_own_agency(
    client, police_lead, police_action, council_action
) -> None:
    client.force_login(police_lead)
    own = client.get(reverse("reviews:action", args=[police_action.pk])).content.decode()
    other = client.get(reverse("reviews:action", args=[council_action.pk])).content.decode()
    assert "Add an update" in own
    assert "Add an update" not in other
    assert "Learning group decision" not in own


def test_not_smart_action_is_flagged(client, manager, council_action) -> None:
    client.force_login(manager)
    page = client.get(reverse("reviews:action", args=[council_action.pk])).content.decode()
    assert "This action is not SMART yet" in page
    assert "No owner" in page


def test_update_form_posts_an_update_with_evidence(client, police_lead, police_action) -> None:
    client.force_login(police_lead)
    response = client.post(
        reverse("reviews:action", args=[police_action.pk]),
        {
            "update-narrative": "Trained 30 staff",
            "update-move": "implement",
            "update-rag": "green",
            "update-evidence_file": SimpleUploadedFile("register.csv", b"name,date\n"),
            "update-evidence_links": "",
        },
    )
    assert response.status_code == 302
    police_action.refresh_from_db()
    assert police_action.status == "implemented"


def test_update_form_explains_missing_evidence(client, police_lead, police_action) -> None:
    client.force_login(police_lead)
    response = client.post(
        reverse("reviews:action", args=[police_action.pk]),
        {"update-narrative": "Done", "update-move": "implement", "update-evidence_links": ""},
    )
    assert response.status_code == 200
    assert "or say why no evidence is possible, to mark the action implemented." in (
        response.content.decode()
    )


def test_evidence_download_is_checked_and_audited(
    client, police_lead, police_action, make_user, council
) -> None:
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="done",
        status="implemented",
        files=[SimpleUploadedFile("register.txt", b"synthetic register")],
    )
    evidence = police_action.updates.get().evidence.get()
    url = reverse("reviews:evidence", args=[evidence.pk])
    client.force_login(make_user(Role.AGENCY_LEAD, agency=council))
    assert client.get(url).status_code == 403
    client.force_login(police_lead)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"synthetic register"
    assert 'filename="register.txt"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(
        action="view", record_type="reviews.evidence", actor_username="policelead"
    ).exists()


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.QUALITY_AUDITOR, Role.AGENCY_LEAD])
def test_evidence_is_not_shown_to_people_who_may_not_open_it(
    client, police_lead, police_action, make_user, council, role
) -> None:
    link = "https://intranet.example/synthetic-audit-report.pdf"
    services.add_update(
        Viewer.of(police_lead),
        police_action,
        narrative="done",
        status="implemented",
        files=[SimpleUploadedFile("register.txt", b"synthetic register")],
        links=[link],
    )
    page_url = reverse("reviews:action", args=[police_action.pk])
    client.force_login(make_user(role, agency=council))
    page = client.get(page_url).content.decode()
    assert link not in page
    assert "register.txt" not in page
    assert "A link (open to Testshire Police" in page
    client.force_login(police_lead)
    page = client.get(page_url).content.decode()
    assert link in page
    assert "register.txt" in page


def test_export_is_safe_from_formula_injection(client, manager, recommendation, police) -> None:
    services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=police),
        description='=HYPERLINK("http://evil.example","click")',
        success_measure="+1",
    )
    client.force_login(manager)
    response = client.get(reverse("reviews:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][3] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][6] == "'+1"
    response = client.get(reverse("reviews:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=4).value.startswith("'=")
    assert sheet.cell(row=2, column=4).data_type == "s"
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_agency_lead_exports_only_own_agency(
    client, police_lead, police_action, council_action
) -> None:
    client.force_login(police_lead)
    response = client.get(reverse("reviews:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert police_action.description in text
    assert council_action.description not in text


def test_filters(client, manager, police_action, council_action, police) -> None:
    client.force_login(manager)
    url = reverse("reviews:actions")
    page = client.get(url, {"agency": police.pk}).content.decode()
    assert police_action.description in page
    assert council_action.description not in page
    page = client.get(url, {"q": "consider"}).content.decode()
    assert council_action.description in page
    assert police_action.description not in page
    page = client.get(url, {"due_to": "2026-01-01"}).content.decode()
    assert "0 actions" in page


def test_board_member_cannot_open_the_queue(client, make_user) -> None:
    client.force_login(make_user(Role.BOARD_MEMBER))
    assert client.get(reverse("reviews:queue")).status_code == 403


def _grow(manager, review, police, start: int, count: int) -> None:
    for number in range(start, start + count):
        rec = services.save_recommendation(
            Viewer.of(manager),
            Recommendation(review=review),
            agencies=[police],
            number=number,
            text="t",
        )
        action = services.save_action(
            Viewer.of(manager), Action(recommendation=rec, agency=police), description="Deliver x"
        )
        services.add_update(
            Viewer.of(manager), action, narrative="n", status="implemented", links=["https://e.org"]
        )


@pytest.mark.parametrize("name", ["reviews:overview", "reviews:queue", "reviews:actions"])
def test_query_count_does_not_grow_with_data(
    client, manager, learning, review, police, name
) -> None:
    user = learning if name == "reviews:queue" else manager
    client.force_login(user)
    _grow(manager, review, police, 1, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse(name)).status_code == 200
    _grow(manager, review, police, 3, 12)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse(name)).status_code == 200
    assert len(large) == len(small)


def test_review_page_query_count_is_constant(client, manager, review, police) -> None:
    client.force_login(manager)
    _grow(manager, review, police, 1, 2)
    url = reverse("reviews:detail", args=[review.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(manager, review, police, 3, 10)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)
