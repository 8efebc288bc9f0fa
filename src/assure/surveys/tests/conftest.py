from collections.abc import Callable
from typing import Any

import pytest

from assure.accounts.models import Agency, Role
from assure.core.viewer import Viewer
from assure.surveys import services
from assure.surveys.models import Kind, PractitionerRole, Survey, SurveyLink
from assure.surveys.templates import QuestionSpec

QUESTIONS = [
    QuestionSpec(Kind.YES_NO, "Are you aware of the escalation protocol?"),
    QuestionSpec(Kind.LIKERT, "I feel confident to challenge another agency."),
    QuestionSpec(Kind.MULTIPLE, "How did you learn of it?", ["Training", "Manager", "Website"]),
    QuestionSpec(Kind.TEXT, "What would help?"),
]


@pytest.fixture
def manager(make_user: Any, partnership_agency: Any) -> Any:
    return make_user(Role.PARTNERSHIP_MANAGER, agency=partnership_agency, username="manager")


@pytest.fixture
def survey(manager: Any, council: Any, police: Any) -> Survey:
    return services.create_survey(
        Viewer.of(manager), title="Escalation 2026", introduction="", questions=QUESTIONS
    )


def link_of(survey: Survey, agency: Agency) -> SurveyLink:
    return survey.links.get(agency=agency)


Give = Callable[..., None]


@pytest.fixture
def give(survey: Survey) -> Give:
    """give(agency, n, yes=..., likert=..., role=...): n responses through the agency's link."""

    def answer(
        agency: Agency,
        n: int,
        *,
        yes: str = "yes",
        likert: str = "4",
        ticks: tuple[str, ...] = ("Training",),
        role: str = PractitionerRole.SOCIAL_WORKER,
        text: str = "",
    ) -> None:
        link = link_of(survey, agency)
        q = {question.number: question.pk for question in survey.questions.all()}
        for _ in range(n):
            services.answer(
                link,
                {q[1]: [yes], q[2]: [likert], q[3]: list(ticks), q[4]: [text] if text else []},
                role,
            )

    return answer
