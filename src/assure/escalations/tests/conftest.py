"""An escalation world: council, police and health, a lead of each, and the partnership's
manager, learning group member and board member."""

from datetime import date
from typing import Any

import pytest

from assure.accounts.models import Agency, Partnership, Role, User
from assure.core.viewer import Viewer
from assure.escalations import services
from assure.escalations.models import Escalation


@pytest.fixture
def health(partnership: Partnership) -> Agency:
    return Agency.objects.create(
        partnership=partnership,
        name="Testshire NHS Trust",
        agency_type=Agency.Type.NHS_TRUST,
        aliases=["Trust", "TNT"],
    )


@pytest.fixture
def people(make_user: Any, council: Agency, police: Agency, health: Agency) -> dict[str, User]:
    return {
        "manager": make_user(Role.PARTNERSHIP_MANAGER, username="manager"),
        "council": make_user(Role.CHILDRENS_SERVICES_MANAGER, username="council"),
        "police": make_user(Role.AGENCY_LEAD, agency=police, username="police"),
        "health": make_user(Role.AGENCY_LEAD, agency=health, username="health"),
        "learning": make_user(Role.LEARNING_GROUP_MEMBER, username="learning"),
        "board": make_user(Role.BOARD_MEMBER, agency=health, username="board"),
        "chair": make_user(Role.CONFERENCE_CHAIR, username="chair"),
    }


def raise_one(
    person: User,
    raised_by: Agency,
    about: Agency,
    raised: date,
    *,
    category: str = "threshold",
    child_id: str = "",
) -> Escalation:
    return services.record_escalation(
        Viewer.of(person),
        raised_by_agency=raised_by,
        about_agency=about,
        category=category,
        raised_date=raised,
        child_id=child_id,
        raised_by_role="Social worker",
        concern="Synthetic: the referral was declined below threshold.",
        today=date(2027, 12, 31),
    )
