"""Every cell of docs/permissions.md holds for a real person holding that role."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from assure.accounts.models import Agency, Role
from assure.core.models import AuditEvent
from assure.core.permissions import MATRIX, ROLE_ORDER, Scope, can, matrix_markdown, scope_for

DOC = Path(__file__).resolve().parents[4] / "docs" / "permissions.md"
LABEL_TO_SCOPE = {s.label: s for s in Scope}


def documented_cells() -> list[tuple[str, str, str, Scope]]:
    """(role, resource, action, scope) for every cell of the documented table."""
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- matrix:start -->")[1].split("<!-- matrix:end -->")[0]
    rows = [line for line in table.strip().splitlines() if line.startswith("| `")]
    cells = []
    for row in rows:
        parts = [p.strip() for p in row.strip("|").split("|")]
        resource, action = re.fullmatch(r"`(\w+)\.(\w+)`", parts[0]).groups()  # type: ignore[union-attr]
        for role, label in zip(ROLE_ORDER, parts[2:], strict=True):
            cells.append((role.value, resource, action, LABEL_TO_SCOPE[label]))
    return cells


CELLS = documented_cells()


def test_document_shows_the_code_matrix() -> None:
    assert matrix_markdown() in DOC.read_text(encoding="utf-8")
    assert len(CELLS) == len(MATRIX) * len(ROLE_ORDER)


@pytest.mark.parametrize(("role", "resource", "action", "expected"), CELLS)
def test_each_cell(make_user, council, role, resource, action, expected) -> None:
    person = make_user(role, agency=council)
    assert scope_for(person, resource, action) == expected


def test_child_level_needs_a_childrens_services_agency(make_user, police) -> None:
    misplaced = make_user(Role.CONFERENCE_CHAIR, agency=police)
    assert scope_for(misplaced, "case_data", "view") == Scope.PARTNERSHIP
    assert not can(misplaced, "case_data", "view", child_level=True)
    assert can(misplaced, "case_data", "view")


def test_own_agency_scope_limits_to_that_agency(make_user, police, council) -> None:
    lead = make_user(Role.AGENCY_LEAD, agency=police)
    assert can(lead, "action", "update", agency_id=police.pk)
    assert not can(lead, "action", "update", agency_id=council.pk)


def test_widest_role_wins(make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, Role.QUALITY_AUDITOR)
    assert scope_for(person, "case_data", "view") == Scope.CHILD_LEVEL


def test_inactive_and_anonymous_people_have_nothing(make_user) -> None:
    person = make_user(Role.PARTNERSHIP_MANAGER)
    person.is_active = False
    assert scope_for(person, "review", "view") == Scope.NONE


def test_refusal_is_a_403_page_and_an_audit_event(client, make_user) -> None:
    person = make_user(Role.BOARD_MEMBER, username="boardy")
    client.force_login(person)
    response = client.get(reverse("core:audit"))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert event.actor_username == "boardy"
    assert event.agency_name == person.agency.name


def test_partner_agency_types_exist() -> None:
    assert {t.value for t in Agency.Type} >= {"police", "icb", "nhs_trust", "education"}
