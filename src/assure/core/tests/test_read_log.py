"""Who has seen which child (`assure audit-children`), audited searches and 404s."""

import getpass
import json
from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command
from django.urls import reverse

from assure.accounts.models import Role, RoleGrant
from assure.casedata.models import ImportSnapshot
from assure.core import audit
from assure.core.models import AuditEvent, ChildView


def audit_children(*args: str) -> str:
    out = StringIO()
    call_command("audit_children", *args, stdout=out)
    return out.getvalue()


def test_audit_children_says_who_saw_a_child_when_and_where(partnership, make_user) -> None:
    snapshot = ImportSnapshot.objects.create(
        partnership=partnership, extract_date=date(2026, 10, 31), imported_at="2026-11-01T06:00Z"
    )
    chair = make_user(Role.CONFERENCE_CHAIR, username="chair1")
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER,
        username="manager1",
        scope=RoleGrant.Scope.TEAM,
        scope_name="Team 2",
    )
    with time_machine.travel("2026-11-02 09:30Z", tick=False):
        audit.record_children(
            chair,
            audit.Action.VIEW,
            ["P1", "P2", "P1"],
            snapshot,
            team_scope=None,
            record_type="indicator.children",
            record_id="cp_visit_10wd",
        )
    with time_machine.travel("2026-11-03 14:00Z", tick=False):
        audit.record_children(
            manager,
            audit.Action.VIEW,
            ["P2"],
            snapshot,
            team_scope=frozenset({"team 2"}),
            record_type="tracker.weekly",
        )
    assert ChildView.objects.filter(person_id="P1").count() == 1  # once a page, not per row

    text = audit_children("P2")
    assert "P2 was shown 2 times:" in text
    first, second = text.splitlines()[1:]
    assert first.startswith("2026-11-02T09:30:00+00:00  chair1 (conference_chair; teams: every")
    assert "view indicator.children cp_visit_10wd" in first
    assert "extract of 2026-10-31 (snapshot" in first
    assert "manager1 (childrens_services_manager; teams: team 2)" in second
    assert "tracker.weekly" in second

    seen = json.loads(audit_children("P1", "--json"))
    assert len(seen) == 1
    assert seen[0]["user"] == "chair1"
    assert seen[0]["roles"] == ["conference_chair"]
    assert seen[0]["team_scope"] == "every team"
    assert seen[0]["page"] == "indicator.children"
    assert (seen[0]["snapshot_id"], seen[0]["extract_date"]) == (snapshot.pk, "2026-10-31")
    assert "No audited page or export has shown P9." in audit_children("P9")


def test_audit_trail_searches_are_audited(client, make_user) -> None:
    """The audit trail search is itself audited, with what was searched for."""
    admin = make_user(Role.SYSTEM_ADMINISTRATOR, username="sysadmin")
    client.force_login(admin)
    response = client.get(reverse("core:audit"), {"username": "chair1", "action": "view"})
    assert response.status_code == 200
    event = AuditEvent.objects.get(record_type="core.auditevent")
    assert event.actor_username == "sysadmin"
    assert event.changes["search"] == {"username": "chair1", "action": "view"}
    assert "username chair1" in event.summary


def test_a_signed_in_persons_not_found_is_audited(client, make_user) -> None:
    """A record outside the person's partnership answers 404; the 404 is in the trail."""
    client.get("/no-such-page/")
    assert not AuditEvent.objects.filter(record_type="page-not-found").exists()  # anonymous
    client.force_login(make_user(Role.CONFERENCE_CHAIR, username="chair1"))
    assert client.get("/reviews/999999/").status_code == 404
    event = AuditEvent.objects.get(record_type="page-not-found")
    assert (event.action, event.actor_username) == ("permission-denied", "chair1")
    assert event.summary.endswith(": /reviews/999999/")


def test_command_line_work_names_the_operating_system_user(make_user) -> None:
    with audit.command_line() as run_by:
        nobody = audit.record(None, audit.Action.IMPORT, record_type="x")
        someone = audit.record(make_user(username="ann"), audit.Action.IMPORT, record_type="x")
    outside = audit.record(None, audit.Action.IMPORT, record_type="x")
    assert run_by == getpass.getuser()
    assert nobody.actor_username == f"{run_by} (command line)"
    assert (someone.actor_username, someone.changes) == ("ann", {"command_line_user": run_by})
    assert outside.actor_username == ""
