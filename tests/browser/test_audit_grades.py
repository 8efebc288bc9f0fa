"""Journey: a partnership manager links recommendation 3 to the plan-quality audit tool; the
review page then shows the audit grades beside the indicator: small numbers for the manager,
exact figures for a quality auditor; each page passes axe."""

from datetime import date

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.audits import services as audits
from assure.audits.models import Tool
from assure.audits.services import Given
from assure.audits.tools import ensure_builtin_tools
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Recommendation, Review
from tests.browser.test_foundation import sign_in, sign_out


def finished_audits(manager, auditor, partnership, grades: list[str]) -> None:
    """November 2025's plan-quality audits, one child each, finished with `grades`."""
    ensure_builtin_tools(partnership)
    version = Tool.objects.get(partnership=partnership, slug="cp-plan-quality").latest_version()
    programme = audits.create_programme(
        Viewer.of(manager),
        tool_version=version,
        month=date(2025, 11, 1),
        per_team=len(grades),
        auditors=[auditor],
        due_working_days=10,
        seed=1,
    )
    programme.drawn = {
        "eligible_by_team": {"East": len(grades)},
        "sample": [{"person_id": f"P{n}", "team": "East"} for n in range(len(grades))],
        "extract_date": "2025-12-01",
        "excluded": 0,
    }
    programme.save()
    records = audits.confirm(Viewer.of(manager), programme, date(2025, 12, 1))
    for record, grade in zip(records, grades, strict=True):
        given = {q.pk: Given(grade=grade, answer="yes") for q in version.questions.all()}
        audits.save_audit(
            Viewer.of(auditor), record, given, overall_grade=grade, findings="", finish=True
        )


def test_a_recommendation_shows_its_audit_grades(page: Page, axe, make_user, partnership) -> None:
    with time_machine.travel("2025-12-10 09:00Z"):
        manager = make_user(Role.PARTNERSHIP_MANAGER, username="manager")
        auditor = make_user(Role.QUALITY_AUDITOR, username="ann")
        finished_audits(manager, auditor, partnership, ["good"] * 3 + ["inadequate"])
        review = services.save_review(
            Viewer.of(manager), Review(), {"review_type": Review.Type.LCSPR, "pseudonym": "Sam"}
        )
        recommendation = services.save_recommendation(
            Viewer.of(manager),
            Recommendation(review=review),
            number=3,
            text="Child protection plans state the outcome, the risk, a timeframe and who acts.",
        )

        sign_in(page, "manager")
        page.goto(f"/reviews/{review.pk}/recommendations/{recommendation.pk}/edit/")
        grades = page.get_by_role("group", name="Live measures: Audit grades")
        grades.get_by_label("Child protection plan quality").check()
        axe.check(page)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Has the change stuck?")).to_be_visible()
        expect(page.get_by_text("fewer than 5 finished audits; the share graded")).to_be_visible()
        axe.check(page)
        sign_out(page)

        sign_in(page, "ann")
        page.goto(f"/reviews/{review.pk}/")
        expect(
            page.get_by_text("75% of 4 finished audits graded good or outstanding")
        ).to_be_visible()
        expect(page.get_by_role("row", name="2025-11 0 3 0 1 4 75% Below target")).to_be_visible()
        axe.check(page)
