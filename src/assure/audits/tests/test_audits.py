"""Audit tools and versions, programmes and assignment, doing an audit, blind moderation,
permissions and the dashboard."""

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assure.accounts.models import Role
from assure.audits import services
from assure.audits.models import (
    Audit,
    AuditVersion,
    Moderation,
    PracticeAction,
    Programme,
    Question,
    Tool,
)
from assure.audits.services import Given, QuestionSpec
from assure.audits.tools import BUILT_IN_SLUGS, ensure_builtin_tools
from assure.core.models import AuditEvent
from assure.core.permissions import Scope, scope_for
from assure.core.viewer import Viewer
from assure.reviews.models import Theme

ALL_GOOD = "good"


def answer_all(record: Audit, grade: str = ALL_GOOD, answer: str = "yes") -> dict[int, Given]:
    return {
        q.pk: Given(grade=grade, answer=answer)
        for q in record.programme.tool_version.questions.all()
    }


def finish(record: Audit, grade: str = ALL_GOOD, **kwargs) -> Audit:
    return services.save_audit(
        Viewer.of(record.auditor),
        record,
        answer_all(record, grade),
        overall_grade=grade,
        findings="Plan actions lack timeframes.",
        finish=True,
        **kwargs,
    )


# ---- tools -----------------------------------------------------------------------------------


def test_built_in_tools_are_created_once_with_guidance(partnership) -> None:
    ensure_builtin_tools(partnership)
    ensure_builtin_tools(partnership)
    tools = Tool.objects.filter(partnership=partnership)
    assert sorted(tools.values_list("slug", flat=True)) == sorted(BUILT_IN_SLUGS)
    plan = tools.get(slug="cp-plan-quality").latest_version()
    texts = [q.text for q in plan.questions.all()]
    assert any("outcome" in t for t in texts)
    assert any("responsible" in t for t in texts)
    assert any("pace" in t for t in texts)
    assert all(q.guidance for q in Question.objects.filter(version__tool__partnership=partnership))


def test_a_new_version_leaves_audits_with_theirs(manager, confirmed, plan_tool) -> None:
    new = services.publish_tool(
        Viewer.of(manager),
        [QuestionSpec("graded", "Is the plan written for the family to understand?")],
        tool=plan_tool,
    )
    assert new.number == 2
    assert plan_tool.latest_version() == new
    record = confirmed[0]
    record.refresh_from_db()
    assert record.programme.tool_version.number == 1
    assert record.programme.tool_version.questions.count() == 6


def test_a_manager_adds_a_tool_from_lines(client, manager) -> None:
    client.force_login(manager)
    response = client.post(
        reverse("audits:new-tool"),
        {
            "name": "PLO thematic",
            "questions": "yes/no: Was the letter before proceedings sent? | Check the date\n"
            "How purposeful was the pre-proceedings work?",
        },
    )
    assert response.status_code == 302
    tool = Tool.objects.get(slug="plo-thematic")
    kinds = [(q.kind, q.guidance) for q in tool.latest_version().questions.all()]
    assert kinds == [("yes_no", "Check the date"), ("graded", "")]


# ---- programmes and assignment ---------------------------------------------------------------


def test_spread_gives_each_child_to_the_least_loaded_auditor(auditors) -> None:
    ann, bob, cat = auditors
    chosen = services.spread([ann, bob, cat], 5, {ann.pk: 2, bob.pk: 0})
    # bob 0, cat 0 -> bob, cat, then bob 1 / cat 1 / ann 2 -> bob, cat, then all 2 -> ann
    assert [a.username for a in chosen] == ["bob", "cat", "bob", "cat", "ann"]


def test_confirming_creates_audits_spread_and_due_in_working_days(
    confirmed, programme, auditors
) -> None:
    programme.refresh_from_db()
    assert programme.status == Programme.Status.CONFIRMED
    assert [(a.person_id, a.team) for a in confirmed] == [
        ("P1", "East"),
        ("P2", "East"),
        ("P3", "West"),
        ("P4", "West"),
    ]
    assert [a.auditor.username for a in confirmed] == ["ann", "bob", "ann", "bob"]
    # Friday 19 Dec 2025 + 10 working days (25, 26 Dec and 1 Jan are holidays)
    assert {a.due_date for a in confirmed} == {date(2026, 1, 7)}
    with pytest.raises(ValidationError):
        services.confirm(Viewer.of(programme.created_by), programme, date(2025, 12, 19))


def test_recently_audited_children_are_excluded(manager, confirmed, auditors, plan_tool) -> None:
    def later(month: date) -> Programme:
        return services.create_programme(
            Viewer.of(manager),
            tool_version=plan_tool.latest_version(),
            month=month,
            per_team=1,
            auditors=auditors,
            due_working_days=5,
        )

    # November's audited children are excluded in December to February, not in March
    assert services.recently_audited(later(date(2026, 2, 1))) == {"P1", "P2", "P3", "P4"}
    assert services.recently_audited(later(date(2026, 3, 1))) == frozenset()


def test_only_people_who_may_audit_can_be_auditors(manager, plan_tool, make_user) -> None:
    board = make_user(Role.BOARD_MEMBER)
    with pytest.raises(ValidationError):
        services.create_programme(
            Viewer.of(manager),
            tool_version=plan_tool.latest_version(),
            month=date(2025, 11, 1),
            per_team=1,
            auditors=[board],
            due_working_days=5,
        )


def test_drawing_the_sample_from_case_data(manager, auditors, plan_tool, partnership) -> None:
    from assure.indicators.tests.builders import Case

    case = Case()
    for n in range(1, 6):
        case.plan(f"CPP{n}", f"P{n}", "2025-10-01")
        case.involvement(f"I{n}", f"P{n}", "W1", "East" if n < 4 else "West", "2025-10-01")
    case.load(partnership, extract_date=date(2025, 12, 1))
    made = services.create_programme(
        Viewer.of(manager),
        tool_version=plan_tool.latest_version(),
        month=date(2025, 11, 1),
        per_team=2,
        auditors=auditors,
        due_working_days=10,
        seed=11,
    )
    services.draw(Viewer.of(manager), made)
    assert made.drawn["eligible_by_team"] == {"East": 3, "West": 2}
    assert len(made.drawn["sample"]) == 4
    first = made.drawn["sample"]
    services.draw(Viewer.of(manager), made)
    assert made.drawn["sample"] == first  # same snapshot and seed: the same children


# ---- doing an audit --------------------------------------------------------------------------


def test_save_for_later_then_finish_then_change_only_by_a_new_version(confirmed) -> None:
    record = confirmed[0]
    services.save_audit(
        Viewer.of(record.auditor), record, {}, overall_grade="", findings="Started", finish=False
    )
    assert record.status == Audit.Status.IN_PROGRESS
    with pytest.raises(ValidationError) as missing:
        services.save_audit(
            Viewer.of(record.auditor), record, {}, overall_grade="", findings="", finish=True
        )
    assert "overall_grade" in missing.value.message_dict
    finish(record)
    assert (record.status, record.version) == (Audit.Status.FINISHED, 1)
    with pytest.raises(ValidationError):  # no saving a finished audit for later
        services.save_audit(
            Viewer.of(record.auditor), record, {}, overall_grade="good", findings="", finish=False
        )
    with pytest.raises(ValidationError) as no_reason:
        finish(record, "inadequate")
    assert "reason" in no_reason.value.message_dict
    finish(record, "inadequate", reason="Missed that the plan had no pace")
    versions = list(AuditVersion.objects.filter(audit=record).order_by("number"))
    assert [(v.number, v.overall_grade) for v in versions] == [(1, "good"), (2, "inadequate")]
    assert versions[1].reason == "Missed that the plan had no pace"
    assert AuditEvent.objects.filter(
        record_type="audits.audit", summary="Audit changed after finishing: version 2"
    ).exists()


def test_a_team_manager_sees_only_their_teams_audits(client, make_user, confirmed) -> None:
    east = make_user(Role.CHILDRENS_SERVICES_MANAGER, scope="team", scope_name="East")
    client.force_login(east)
    assert client.get(reverse("audits:audit", args=[confirmed[0].pk])).status_code == 200
    assert client.get(reverse("audits:audit", args=[confirmed[2].pk])).status_code == 404


def test_only_the_assigned_auditor_answers(confirmed, auditors) -> None:
    record = confirmed[0]  # ann's
    with pytest.raises(PermissionDenied):
        services.save_audit(
            Viewer.of(auditors[1]), record, {}, overall_grade="", findings="", finish=False
        )


def test_the_audit_page_shows_the_tool_and_every_view_is_audited(client, confirmed) -> None:
    record = confirmed[0]
    client.force_login(record.auditor)
    page = client.get(reverse("audits:audit", args=[record.pk])).content.decode()
    assert "Does each plan action state the outcome" in page
    assert "Look for the change for the child" in page  # guidance beside the question
    assert "Do not type the child" in page
    assert "Child P1: case data" in page
    event = AuditEvent.objects.get(action="view", record_type="audits.audit")
    assert event.record_id == str(record.pk)
    assert list(event.children.values_list("person_id", flat=True)) == [record.person_id]
    assert event.changes["team_scope"] == "audits of the partnership"


def test_the_programme_page_records_the_children_sampled(client, make_user, programme) -> None:
    client.force_login(make_user(Role.PARTNERSHIP_MANAGER, Role.QUALITY_AUDITOR))
    assert client.get(reverse("audits:programme", args=[programme.pk])).status_code == 200
    event = AuditEvent.objects.get(action="view", record_type="audits.programme")
    assert sorted(event.children.values_list("person_id", flat=True)) == ["P1", "P2", "P3", "P4"]


def test_practice_actions_are_followed_up_to_done(confirmed, auditors) -> None:
    record = confirmed[0]
    action = services.add_practice_action(
        Viewer.of(record.auditor),
        record,
        text="Add timeframes",
        owner=auditors[1],
        due_date=date(2026, 2, 1),
    )
    services.update_practice_action(
        Viewer.of(auditors[1]), action, text="Plan rewritten", done=True
    )
    action.refresh_from_db()
    assert action.status == PracticeAction.Status.DONE
    assert action.updates.get().marks_done
    with pytest.raises(ValidationError):
        services.update_practice_action(Viewer.of(auditors[1]), action, text="Again", done=True)


# ---- moderation ------------------------------------------------------------------------------


@pytest.fixture
def moderated(manager, programme, confirmed) -> list[Moderation]:
    for record in confirmed:
        finish(record)
    return services.offer_moderation(Viewer.of(manager), programme)


def test_moderation_takes_one_per_auditor_and_never_the_auditor(moderated, auditors) -> None:
    assert len(moderated) == 2  # 10% of 4 rounds to 1, but ann and bob each need one
    assert {m.audit.auditor.username for m in moderated} == {"ann", "bob"}
    assert all(m.moderator_id != m.audit.auditor_id for m in moderated)


def test_picks_make_up_a_tenth(auditors) -> None:
    audits = [Audit(pk=n, auditor=auditors[0]) for n in range(1, 31)]
    assert len(services.moderation_picks(audits, set(), seed=1)) == 3


def test_moderator_grades_blind(client, moderated) -> None:
    moderation = moderated[0]
    record = moderation.audit
    client.force_login(moderation.moderator)
    # Their own copy of the audit is hidden until they have graded
    assert client.get(reverse("audits:audit", args=[record.pk])).status_code == 404
    page = client.get(reverse("audits:moderation", args=[moderation.pk])).content.decode()
    assert "Plan actions lack timeframes" not in page
    assert "Auditor's and moderator's grades" not in page
    questions = record.programme.tool_version.questions.filter(kind="graded")
    post = {"step": "grades", "overall_grade": "inadequate"}
    post |= {f"q{q.pk}": "good" for q in questions}
    response = client.post(reverse("audits:moderation", args=[moderation.pk]), post)
    assert response.status_code == 302
    moderation.refresh_from_db()
    assert moderation.flagged  # good against inadequate: two grades apart
    page = client.get(reverse("audits:moderation", args=[moderation.pk])).content.decode()
    assert "Auditor's and moderator's grades" in page
    services.record_conversation(
        Viewer.of(moderation.moderator), moderation, notes="Talked it through", outcome="Regraded"
    )
    assert Moderation.objects.get(pk=moderation.pk).outcome == "Regraded"


def test_within_one_grade_is_not_flagged(moderated) -> None:
    moderation = moderated[0]
    questions = moderation.audit.programme.tool_version.questions.filter(kind="graded")
    services.moderate(
        Viewer.of(moderation.moderator),
        moderation,
        {q.pk: "requires improvement" for q in questions},
        "outstanding",
    )
    assert not moderation.flagged


def test_an_auditor_cannot_moderate_their_own(moderated) -> None:
    moderation = moderated[0]
    moderation.moderator = moderation.audit.auditor
    with pytest.raises(PermissionDenied):
        services.moderate(Viewer.of(moderation.audit.auditor), moderation, {}, "good")
    assert AuditEvent.objects.filter(action="permission-denied").exists()


# ---- permissions, dashboard and exports ------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.PARTNERSHIP_MANAGER, (Scope.NONE, Scope.PARTNERSHIP, Scope.PARTNERSHIP)),
        (Role.BOARD_MEMBER, (Scope.NONE, Scope.NONE, Scope.PARTNERSHIP)),
        (Role.QUALITY_AUDITOR, (Scope.CHILD_LEVEL, Scope.PARTNERSHIP, Scope.CHILD_LEVEL)),
        (Role.CONFERENCE_CHAIR, (Scope.CHILD_LEVEL, Scope.NONE, Scope.CHILD_LEVEL)),
        (Role.SYSTEM_ADMINISTRATOR, (Scope.NONE, Scope.NONE, Scope.NONE)),
    ],
)
def test_permissions_per_role(make_user, role, expected) -> None:
    person = make_user(role)
    assert tuple(scope_for(person, "audit", a) for a in ("do", "manage", "view")) == expected


def test_pages_per_role(client, make_user, police, confirmed) -> None:
    record = confirmed[0]
    board = make_user(Role.BOARD_MEMBER, agency=police)
    client.force_login(board)
    assert client.get(reverse("audits:dashboard")).status_code == 200
    assert client.get(reverse("audits:audit", args=[record.pk])).status_code == 403
    assert client.get(reverse("audits:programmes")).status_code == 403
    assert client.get(reverse("audits:moderation-sheet", args=["csv"])).status_code == 403
    manager = make_user(Role.PARTNERSHIP_MANAGER)
    client.force_login(manager)
    page = client.get(reverse("audits:programme", args=[record.programme_id])).content.decode()
    # Aggregates only: no cell of children's case numbers (tokens in the page may hold "P1").
    assert not re.search(r'<td class="govuk-table__cell">P\d', page)
    assert client.get(reverse("audits:audit", args=[record.pk])).status_code == 403


def test_navigation_offers_audits_by_role(client, make_user) -> None:
    client.force_login(make_user(Role.QUALITY_AUDITOR))
    page = client.get(reverse("core:home")).content.decode()
    for name in ("audits:mine", "audits:dashboard", "audits:programmes"):
        assert f'href="{reverse(name)}"' in page
    client.force_login(make_user(Role.BOARD_MEMBER))
    page = client.get(reverse("core:home")).content.decode()
    assert "QA dashboard" in page
    assert "Audit programmes" not in page


def test_dashboard_counts_and_does_not_grow_with_data(client, manager, confirmed) -> None:
    finish(confirmed[0], "good")
    finish(confirmed[1], "inadequate")
    client.force_login(manager)
    with time_machine.travel("2026-01-08 09:00Z"):
        with CaptureQueriesContext(connection) as few:
            page = client.get(reverse("audits:dashboard")).content.decode()
        assert '<span class="govuk-heading-l govuk-!-margin-bottom-0">2</span>Overdue' in page
        for record in confirmed[2:]:
            finish(record, "outstanding")
        with CaptureQueriesContext(connection) as more:
            client.get(reverse("audits:dashboard"))
    assert len(more) == len(few)


def test_exports_are_formula_safe_and_the_sheet_has_its_columns(
    client, manager, auditors, moderated
) -> None:
    record = moderated[0].audit
    record.team = "=HYPERLINK(1)"
    record.save()
    client.force_login(manager)
    grades = client.get(reverse("audits:export-grades", args=["csv"])).content.decode()
    # Four audits: small numbers for the partnership manager, exact for a quality auditor.
    assert "Child protection plan quality,2025-11,0,fewer than 5,0,0,fewer than 5" in grades
    assert client.get(reverse("audits:export-grades", args=["xlsx"])).status_code == 200
    client.force_login(auditors[0])
    grades = client.get(reverse("audits:export-grades", args=["csv"])).content.decode()
    assert "Child protection plan quality,2025-11,0,4,0,0,4" in grades
    sheet = client.get(reverse("audits:moderation-sheet", args=["csv"])).content.decode()
    lines = sheet.lstrip("\ufeff").splitlines()
    assert lines[0] == "audit_id,team,tool,question,auditor,auditor_grade,moderator_grade"
    assert "'=HYPERLINK(1)" in sheet
    assert lines[1].endswith(",good,")  # not moderated yet: the moderator's grade is blank


def test_agreement_page(client, auditors, moderated) -> None:
    for moderation in moderated:
        questions = moderation.audit.programme.tool_version.questions.filter(kind="graded")
        services.moderate(
            Viewer.of(moderation.moderator), moderation, {q.pk: "good" for q in questions}, "good"
        )
    client.force_login(auditors[2])
    page = client.get(reverse("audits:agreement")).content.decode()
    assert "All moderated grades" in page
    assert "100.0%" in page


def test_a_sample_behind_an_indicator_takes_the_children_not_meeting_it(
    manager, auditors, plan_tool, partnership
) -> None:
    """Plans start Mon 3 Nov 2025: a first core group is due by Mon 17 Nov. P1's meets it, P2's
    is late (20 Nov), P3 has none: the exceptions are P2 and P3."""
    from assure.indicators.tests.builders import Case

    case = Case()
    for n in (1, 2, 3):
        case.plan(f"CPP{n}", f"P{n}", "2025-11-03")
        case.involvement(f"I{n}", f"P{n}", "W1", "East", "2025-11-03")
    case.core_group("CG1", "P1", "CPP1", "2025-11-10")
    case.core_group("CG2", "P2", "CPP2", "2025-11-20")
    case.load(partnership, extract_date=date(2025, 12, 1))
    made = services.create_programme(
        Viewer.of(manager),
        tool_version=plan_tool.latest_version(),
        eligibility="indicator:core_group_first_10wd",
        month=date(2025, 11, 1),
        per_team=5,
        auditors=auditors,
        due_working_days=10,
        seed=3,
        thematic=True,
        title="Core groups not held in time",
    )
    services.draw(Viewer.of(manager), made)
    assert made.drawn["eligible_by_team"] == {"East": 2}
    assert sorted(c["person_id"] for c in made.drawn["sample"]) == ["P2", "P3"]


def test_the_demo_has_a_programme_with_finished_and_moderated_audits(
    db, settings, tmp_path
) -> None:
    from io import StringIO

    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--children", "120", stdout=StringIO())
    programme = Programme.objects.get()
    assert programme.audits.filter(status=Audit.Status.FINISHED).exists()
    assert Moderation.objects.filter(audit__programme=programme, finished_at__isnull=False).exists()


def test_the_sample_command_skips_children_audited_recently(confirmed, partnership) -> None:
    """P1-P4 were audited with the plan tool in November: December's sample skips them."""
    import json
    from io import StringIO

    from django.core.management import call_command

    from assure.indicators.tests.builders import Case

    case = Case()
    for n in range(1, 7):
        case.plan(f"CPP{n}", f"P{n}", "2025-10-01")
        case.involvement(f"I{n}", f"P{n}", "W1", "East", "2025-10-01")
    case.load(partnership, extract_date=date(2026, 1, 5))
    out = StringIO()
    args = ["--tool", "cp-plan-quality", "--per-team", "6", "--json", "--month"]
    call_command("audit_sample", *args, "2025-12", stdout=out)
    assert {c["person_id"] for c in json.loads(out.getvalue())["sample"]} == {"P5", "P6"}


def test_findings_name_themes_and_the_dashboard_counts_them(client, manager, confirmed) -> None:
    """Two finished audits name a theme: the manager (aggregates) reads "fewer than 5", the
    auditor (child-level) the count; an unfinished audit's themes are not counted."""
    from assure.reviews.themes import ensure_themes

    ensure_themes(manager.agency.partnership)
    planning = Theme.objects.get(
        partnership=manager.agency.partnership, name="Child protection planning"
    )
    finish(confirmed[0], themes=[planning])
    finish(confirmed[1], themes=[planning])
    services.save_audit(
        Viewer.of(confirmed[2].auditor),
        confirmed[2],
        {},
        overall_grade="",
        findings="",
        finish=False,
        themes=[planning],
    )
    assert list(confirmed[0].themes.all()) == [planning]
    event = AuditEvent.objects.filter(record_type="audits.audit", summary="Audit finished").first()
    assert event is not None
    assert event.changes["themes"] == [[], [planning.name]]

    client.force_login(manager)
    page = client.get(reverse("audits:dashboard")).content.decode()
    themes = page.split("Themes of the findings")[-1]
    assert planning.name in themes
    assert "fewer than 5" in themes
    client.force_login(confirmed[0].auditor)
    page = client.get(reverse("audits:dashboard")).content.decode()
    themes = page.split("Themes of the findings")[-1]
    assert '<td class="govuk-table__cell app-table-numeric">2</td>' in themes
