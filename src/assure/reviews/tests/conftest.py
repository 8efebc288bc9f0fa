"""A review with one recommendation and actions for two agencies, and the people who work on it."""

from datetime import date

import pytest

from assure.accounts.models import Role
from assure.core.viewer import Viewer
from assure.reviews import services
from assure.reviews.models import Action, Recommendation, Review


@pytest.fixture
def manager(make_user):
    return make_user(Role.PARTNERSHIP_MANAGER, username="manager")


@pytest.fixture
def learning(make_user):
    return make_user(Role.LEARNING_GROUP_MEMBER, username="learning")


@pytest.fixture
def police_lead(make_user, police):
    return make_user(Role.AGENCY_LEAD, agency=police, username="policelead")


@pytest.fixture
def review(manager) -> Review:
    return services.save_review(
        Viewer.of(manager), Review(), {"review_type": Review.Type.LCSPR, "pseudonym": "Alex"}
    )


@pytest.fixture
def recommendation(manager, review, police, council) -> Recommendation:
    return services.save_recommendation(
        Viewer.of(manager),
        Recommendation(review=review),
        agencies=[police, council],
        number=1,
        text="Improve information sharing between police and children's services.",
    )


@pytest.fixture
def police_action(manager, recommendation, police, police_lead) -> Action:
    return services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=police),
        description="Deliver training on sharing safeguarding notifications to all MASH staff",
        owner=police_lead,
        success_measure="Audit of 20 notifications shows 90% shared within 24 hours",
        due_date=date(2026, 3, 31),
    )


@pytest.fixture
def council_action(manager, recommendation, council) -> Action:
    return services.save_action(
        Viewer.of(manager),
        Action(recommendation=recommendation, agency=council),
        description="Consider the process",
    )
