"""Journey: a partnership manager links recommendation 8 to the awareness survey's question
with a target of 80%; a learning-group member sees the share on the recommendation (12 of
15 practitioners answering yes = 80%, met) and marks the assured action embedded by it. Each
page passes axe."""

from datetime import date

import time_machine
from playwright.sync_api import Page, expect

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, ActionStatus, Recommendation, Review
from assure.surveys import services as surveys
from assure.surveys.models import PractitionerRole
from assure.surveys.templates import TEMPLATES
from tests.browser.test_foundation import sign_in, sign_out

DESCRIPTION = "Brief every police safeguarding team on the escalation protocol"
QUESTION = "Are you aware of the partnership's escalation protocol?"


def test_learning_group_embeds_an_action_by_a_survey_measure(
    page: Page, axe, make_user, partnership, police, council
) -> None:
    with time_machine.travel("2026-01-15 11:00Z"):
        manager = make_user(Role.PARTNERSHIP_MANAGER, username="manager", agency=council)
        lead = make_user(Role.AGENCY_LEAD, username="police", agency=police)
        learning = make_user(Role.LEARNING_GROUP_MEMBER, username="learning", agency=council)
        review = services.save_review(
            Viewer.of(manager), Review(), {"review_type": "lcspr", "pseudonym": "Sam"}
        )
        recommendation = services.save_recommendation(
            Viewer.of(manager),
            Recommendation(review=review),
            agencies=[police],
            number=8,
            text="Raise awareness of the professional challenge and escalation protocol.",
        )
        action = services.save_action(
            Viewer.of(manager),
            Action(recommendation=recommendation, agency=police),
            description=DESCRIPTION,
            due_date=date(2026, 3, 31),
        )
        seen = services.SeenNote("Briefing register", "D. Sergeant", date(2026, 1, 9))
        services.move_action(
            Viewer.of(lead), action, "implement", services.MoveDetails("Done", notes=[seen])
        )
        services.move_action(
            Viewer.of(learning), action, "assure", services.MoveDetails(evidence_examined="Seen")
        )
    template = TEMPLATES["escalation-awareness"]
    survey = surveys.create_survey(
        Viewer.of(manager),
        title="Escalation awareness 2026",
        introduction="",
        questions=template.questions,
        template=template.key,
        today=date(2026, 2, 2),
    )
    aware = survey.questions.get(number=1).pk
    for n in range(15):  # 12 of 15 answering yes
        surveys.answer(
            survey.links.get(agency=police),
            {aware: ["yes" if n < 12 else "no"]},
            PractitionerRole.POLICE,
        )

    with time_machine.travel("2026-03-10 09:00Z"):
        sign_in(page, "manager")
        page.goto(f"/reviews/{review.pk}/recommendations/{recommendation.pk}/edit/")
        survey_group = page.get_by_role("group", name="Live measures: Survey")
        survey_group.get_by_label(f"{QUESTION} (Escalation awareness 2026)").check()
        page.get_by_label("Target for its survey and escalation measures (%)").fill("80")
        axe.check(page)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Has the change stuck?")).to_be_visible()
        sign_out(page)

        sign_in(page, "learning")
        page.get_by_role("link", name="Reviews", exact=True).first.click()
        page.get_by_role("link", name="Sam").first.click()
        measure = page.get_by_role("listitem").filter(has_text=f"Survey: {QUESTION}")
        expect(measure).to_contain_text("80% against a target of 80%")
        expect(measure).to_contain_text("Meets target")
        expect(measure.get_by_role("link")).to_have_text(
            "Escalation awareness 2026, 2 February 2026: 12 of 15 answering yes"
        )
        axe.check(page)
        page.get_by_role("link", name=DESCRIPTION).click()
        expect(page.locator("#measure ~ p").nth(1)).to_contain_text("enough to mark it embedded")
        page.get_by_label("Embedded: practice has changed and stayed changed").check()
        page.get_by_label("Its measure stayed at or above target").check()
        axe.check(page)
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Decision recorded.")).to_be_visible()
        axe.check(page)
        sign_out(page)
    assert Action.objects.get().status == ActionStatus.EMBEDDED
