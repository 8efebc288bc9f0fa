"""The progress report of a review: one page per recommendation, its RAG rule, its stamp, and
the PDF. Today is Monday 2 March 2026."""

import csv
import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assure.accounts.models import Role
from assure.core.models import AuditEvent
from assure.core.viewer import Viewer
from assure.reviews import rag
from assure.reviews.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Evidence,
    Rag,
    Recommendation,
)
from assure.reviews.report import digest, progress_report
from assure.workforce.models import Course
from assure.workforce.services import declare_workforce, import_training
from assure.workforce.tests.conftest import csv_file

S = ActionStatus
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def fixed_day():
    with time_machine.travel(timezone.make_aware(datetime(2026, 3, 2, 9, 30)), tick=False):
        yield


def act(rec, agency, description, **fields) -> Action:
    return Action.objects.create(
        partnership=rec.partnership,
        recommendation=rec,
        agency=agency,
        description=description,
        **fields,
    )


def decide(action, author, kind, status, narrative="", examined="", links=()) -> ActionUpdate:
    update = ActionUpdate.objects.create(
        partnership=action.partnership,
        action=action,
        kind=kind,
        narrative=narrative,
        evidence_examined=examined,
        status=status,
        author=author,
    )
    for link in links:
        Evidence.objects.create(partnership=action.partnership, update=update, link=link)
    Action.objects.filter(pk=action.pk).update(status=status, latest_update=update)
    return update


@pytest.fixture
def plan(review, recommendation, police, council, police_lead, learning):
    """Four recommendations, one of each RAG case (and a red one with no action)."""
    learning.first_name, learning.last_name = "Lee", "Group"
    learning.save()
    police_lead.first_name, police_lead.last_name = "Pat", "Lead"
    police_lead.save()
    assured = act(recommendation, police, "Audit police notifications", owner=police_lead)
    decide(assured, police_lead, "implemented", S.IMPLEMENTED, "Done", links=["https://e.org/a"])
    decide(
        assured,
        learning,
        ActionUpdate.Kind.ASSURED,
        S.ASSURED,
        "Assured",
        examined="The audit of 20 notifications, dated 12 February",
    )
    act(recommendation, council, "Council overdue action", due_date=date(2026, 2, 27))
    second = Recommendation.objects.create(
        partnership=review.partnership, review=review, number=2, text="Embed the protocol."
    )
    embedded = act(second, council, "Protocol embedded", owner=police_lead)
    decide(embedded, learning, ActionUpdate.Kind.EMBEDDED, S.EMBEDDED, "Held for 3 months")
    act(second, police, "Withdrawn and overdue", due_date=date(2026, 1, 1), status=S.WITHDRAWN)
    Recommendation.objects.create(
        partnership=review.partnership, review=review, number=3, text="Nobody has acted yet."
    )
    fourth = Recommendation.objects.create(
        partnership=review.partnership,
        review=review,
        number=4,
        text="Train every sergeant.",
        measures=["core_group_interval"],
    )
    act(fourth, police, "Training in hand", due_date=date(2026, 3, 2), status=S.IN_PROGRESS)
    return review


def test_rag_rule() -> None:
    def a(status, due=None) -> Action:
        return Action(status=status, due_date=due)

    assert rag.rating([], TODAY) == Rag.RED
    assert rag.rating([a(S.WITHDRAWN)], TODAY) == Rag.RED  # nothing counted: no action
    assert rag.rating([a(S.ASSURED), a(S.IN_PROGRESS, date(2026, 3, 1))], TODAY) == Rag.RED
    assert rag.rating([a(S.ASSURED), a(S.IN_PROGRESS, TODAY)], TODAY) == Rag.AMBER
    assert rag.rating([a(S.ASSURED), a(S.EMBEDDED), a(S.MERGED)], TODAY) == Rag.GREEN
    # Implemented late is not overdue: the agency has done its part.
    assert rag.rating([a(S.IMPLEMENTED, date(2026, 1, 1))], TODAY) == Rag.AMBER


def test_report_page_per_recommendation(client, manager, plan) -> None:
    client.force_login(manager)
    response = client.get(reverse("reviews:progress-report", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    sections = re.findall(r'<section class="app-report-recommendation".*?</section>', html, re.S)
    assert len(sections) == 4
    first, second, third, fourth = sections
    assert "Recommendation 1" in first
    assert "Improve information sharing between police and children" in first
    assert 'govuk-tag--red">Red</strong>' in first
    assert "Testshire Police, Testshire children" in first  # owning agencies, sorted
    assert "Pat Lead (Testshire Police)" in first
    assert "1 piece of evidence" in first
    assert "The audit of 20 notifications, dated 12 February" in first
    assert "Lee Group, Testshire children" in first  # who decided, and their agency
    assert "2026-03-02" in first
    assert 'govuk-tag--green">Green</strong>' in second
    assert "Withdrawn and overdue" not in second
    assert 'Actions</dt><dd class="govuk-summary-list__value">1:' in second
    assert 'govuk-tag--red">Red</strong>' in third
    assert "No assurance decision yet" in third
    assert 'govuk-tag--orange">Amber</strong>' in fourth
    assert "Core groups at most 6 weeks apart" in fourth
    assert "no case data has been imported" in fourth
    assert html.count(rag.RULE_TEXT.replace("'", "&#39;")) == 4  # the rule under each rating
    assert "Testshire Safeguarding Children Partnership" in html
    assert re.search(r'app-report-digest">[0-9a-f]{64}<', html)
    assert "No case data imported" in html
    assert AuditEvent.objects.filter(action="export", record_type="reviews.review").count() == 1


def test_review_page_links_to_the_report(client, police_lead, plan) -> None:
    client.force_login(police_lead)
    html = client.get(reverse("reviews:detail", args=[plan.pk])).content.decode()
    assert reverse("reviews:progress-report", args=[plan.pk]) in html
    assert reverse("reviews:progress-report-pdf", args=[plan.pk]) in html


def test_the_digest_is_the_same_for_the_same_inputs(manager, plan) -> None:
    first = progress_report(Viewer.of(manager), plan, TODAY, timezone.now())
    again = progress_report(Viewer.of(manager), plan, TODAY, timezone.now())
    assert first.stamp.digest == again.stamp.digest
    assert first.stamp.digest == digest(
        first.data()
        | {
            "as_at": "2026-03-02",
            "snapshot": first.stamp.snapshot,
            "timescales": first.stamp.timescales,
        }
    )
    later = progress_report(Viewer.of(manager), plan, date(2026, 3, 3), timezone.now())
    assert later.stamp.digest != first.stamp.digest  # the training is now overdue
    assert [p.rag for p in later.pages][3] == "red"


def test_pdf_has_one_page_per_recommendation(client, manager, plan) -> None:
    client.force_login(manager)
    response = client.get(reverse("reviews:progress-report-pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 4
    for number, page in enumerate(reader.pages, start=1):
        assert f"Recommendation {number}" in page.extract_text()
    assert "Red" in reader.pages[2].extract_text()
    assert AuditEvent.objects.filter(action="export", summary__startswith="Progress report as pdf")


def test_report_needs_review_view(client, make_user, plan) -> None:
    admin = make_user(Role.SYSTEM_ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("reviews:progress-report", args=[plan.pk])).status_code == 403
    assert client.get(reverse("reviews:progress-report-pdf", args=[plan.pk])).status_code == 403


def test_report_query_count_does_not_grow_with_actions(
    client, manager, learning, plan, police
) -> None:
    client.force_login(manager)
    recs = list(plan.recommendations.all())

    def grow(n: int) -> None:
        for i in range(n):
            rec = recs[i % len(recs)]
            action = act(rec, police, f"More {i}", owner=manager, due_date=date(2026, 6, 1))
            decide(action, manager, "implemented", S.IMPLEMENTED, "x", links=["https://e.org"])
            decide(action, learning, ActionUpdate.Kind.ASSURED, S.ASSURED, "y", examined="z")

    url = reverse("reviews:progress-report", args=[plan.pk])
    grow(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(20)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_exports_carry_recommendation_rag_evidence_and_decisions(client, manager, plan) -> None:
    client.force_login(manager)
    rows = _csv(client.get(reverse("reviews:export", args=["csv"])))
    header = rows[0]
    assert header[-4:] == ["Recommendation text", "RAG", "Evidence", "Assurance decisions"]
    by_action = {row[3]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    audit = by_action["Audit police notifications"]
    assert audit["Recommendation text"].startswith("Improve information sharing")
    assert audit["RAG"] == "Red"  # its recommendation has an overdue council action
    assert audit["Evidence"] == "1"
    assert audit["Assurance decisions"] == (
        "Assured by Lee Group on 2026-03-02: The audit of 20 notifications, dated 12 February"
    )
    assert by_action["Protocol embedded"]["RAG"] == "Green"
    assert by_action["Training in hand"]["RAG"] == "Amber"

    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reviews:export", args=["xlsx"])).content)
    ).active
    assert sheet.cell(row=1, column=1).value == "Review"  # all agencies: no scope line
    assert sheet.cell(row=1, column=len(header)).value == "Assurance decisions"


def test_an_agency_leads_export_says_whose_actions_it_holds(client, police_lead, plan) -> None:
    client.force_login(police_lead)
    rows = _csv(client.get(reverse("reviews:export", args=["csv"])))
    assert rows[0] == ["Actions of Testshire Police only"]
    assert rows[1][0] == "Review"
    assert {row[2] for row in rows[2:]} == {"Testshire Police"}
    # The RAG is the recommendation's, from every agency's actions.
    assert {row[3]: row[-3] for row in rows[2:]}["Audit police notifications"] == "Red"
    sheet = load_workbook(
        io.BytesIO(client.get(reverse("reviews:export", args=["xlsx"])).content)
    ).active
    assert sheet.cell(row=1, column=1).value == "Actions of Testshire Police only"
    assert sheet.cell(row=2, column=1).value == "Review"


def test_a_managers_export_filtered_to_one_agency_says_so(client, manager, plan, council) -> None:
    client.force_login(manager)
    rows = _csv(client.get(reverse("reviews:export", args=["csv"]), {"agency": council.pk}))
    assert rows[0] == ["Actions of Testshire children's services only"]


def test_a_linked_course_shows_its_reach_month_by_month(client, manager, review, police):
    """Recommendation 9 of the demo is linked to a course: the report reads its reach as the
    action page does (the registry's monthly values), over the latest complete months."""
    viewer = Viewer.of(manager)
    declare_workforce(
        viewer, agency=police, role="police_cae", headcount=10, as_of=date(2026, 1, 1)
    )
    rows = [f"CSAFE training,2026-01-15,Testshire Police,police_cae,B{i},Y,2,4" for i in range(6)]
    assert import_training(viewer, "a.csv", csv_file(*rows)).ok
    course = Course.objects.get()
    Recommendation.objects.create(
        partnership=review.partnership,
        review=review,
        number=9,
        text="Train front-line staff.",
        measures=[f"course:{course.pk}"],
    )
    (page,) = progress_report(viewer, review, TODAY, timezone.now()).pages
    (reach,) = page.measures
    assert reach.title == "Reach of the course “CSAFE training”"
    # Today is 2 March 2026: the six complete months to February; 6 of 10 staff since January.
    assert [(m.month, m.value) for m in reach.months] == [
        ("Sep 2025", None),
        ("Oct 2025", None),
        ("Nov 2025", None),
        ("Dec 2025", None),
        ("Jan 2026", 0.6),
        ("Feb 2026", 0.6),
    ]
    assert page.unshown == []
    client.force_login(manager)
    html = client.get(reverse("reviews:progress-report", args=[review.pk])).content.decode()
    assert "Reach of the course “CSAFE training” (target 80%)" in html
    assert "No measure is linked" not in html

    # A course no longer recorded is still said to be linked, not left out.
    Recommendation.objects.filter(number=9).update(measures=[f"course:{course.pk}", "course:0"])
    (page,) = progress_report(viewer, review, TODAY, timezone.now()).pages
    assert [m.id for m in page.measures] == [f"course:{course.pk}"]
    assert page.unshown == ["course:0"]
