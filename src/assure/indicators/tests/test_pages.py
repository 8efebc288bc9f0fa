"""Tracker pages: who sees what, audit of child-level views, charts, weekly tracker, window form."""

import re
from datetime import date
from pathlib import Path
from urllib.parse import quote_plus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from markupsafe import escape

from assure.accounts.models import Agency, Partnership, Role, RoleGrant
from assure.casedata import synth
from assure.casedata.importer.run import import_tables
from assure.core.models import AuditEvent, ChildView
from assure.core.viewer import Viewer
from assure.indicators import selectors
from assure.indicators.engine import REGISTRY, compute, load_catalogue

AS_OF = date(2026, 10, 31)


@pytest.fixture
def loaded(partnership: Partnership, tmp_path: Path) -> Partnership:
    """A synthetic authority of 200 children, imported as the current extract."""
    synth.generate(tmp_path, children=200, seed=1, as_of=AS_OF)
    result = import_tables(
        partnership,
        {p.stem: p for p in tmp_path.glob("*.csv")},
        actor=None,
        extract_date=AS_OF,
    )
    assert result.ok, result
    return partnership


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def audit_actions(record_type: str) -> list[tuple[str, str, str]]:
    return list(
        AuditEvent.objects.filter(record_type=record_type)
        .order_by("pk")
        .values_list("action", "record_id", "actor_username")
    )


def an_indicator_with_obligations(partnership: Partnership) -> str:
    """A dated indicator with counted obligations in the default window."""
    start = selectors.twelve_months_to(AS_OF)
    for indicator_id in ("core_group_interval", "cp_visit_10wd", *load_catalogue()):
        result = compute(indicator_id, partnership.pk, start, AS_OF)
        if result.denominator and all(o.due for o in result.obligations):
            return indicator_id
    raise AssertionError("no indicator has obligations in the synthetic data")


def test_catalogue_for_a_partner_agency_shows_aggregates_only(loaded, make_user, police) -> None:
    lead = make_user(Role.AGENCY_LEAD, agency=police)
    response = client_for(lead).get("/trackers/")
    assert response.status_code == 200
    html = response.content.decode()
    for indicator in load_catalogue().values():
        assert str(escape(indicator.title)) in html
        assert f"/trackers/{indicator.id}/" in html
    assert re.search(r"Meets target|Below target|No data", html)
    assert "/children/" not in html
    assert "/trackers/weekly/" not in html
    assert "1 November 2025 to 31 October 2026" in html

    indicator_id = an_indicator_with_obligations(loaded)
    page = client_for(lead).get(f"/trackers/{indicator_id}/").content.decode()
    assert "behind this figure" not in page
    assert "/children/" not in page
    assert 'role="img"' in page  # aggregates, chart and breakdowns are for everyone


def test_catalogue_and_indicator_page_for_a_conference_chair(loaded, make_user) -> None:
    chair = make_user(Role.CONFERENCE_CHAIR)
    client = client_for(chair)
    html = client.get("/trackers/").content.decode()
    assert "/trackers/weekly/" in html

    indicator_id = an_indicator_with_obligations(loaded)
    response = client.get(f"/trackers/{indicator_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    match = re.search(r"See the (\d+) child(?:ren)? behind this figure", page)
    assert match
    assert int(match.group(1)) > 0
    assert f"/trackers/{indicator_id}/children/?from=2025-11-01&amp;to=2026-10-31" in page


def test_chart_svg_and_its_data_table(loaded, make_user) -> None:
    indicator_id = an_indicator_with_obligations(loaded)
    page = client_for(make_user(Role.CONFERENCE_CHAIR)).get(f"/trackers/{indicator_id}/")
    html = page.content.decode()
    svg = re.search(r"<svg\b[^>]*>", html)
    assert svg is not None
    assert 'role="img"' in svg.group(0)
    assert 'aria-label="Line chart: ' in svg.group(0)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in chart
    assert "<style" not in chart
    assert " style=" not in chart
    # The same figures as a table: one row per month, Nov 2025 to Oct 2026.
    table = html[html.index("Done on time each month") :]
    months = re.findall(r'<th scope="row" class="govuk-table__header">(\w{3} \d{4})</th>', table)
    assert months[:12] == [
        "Nov 2025", "Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026",
        "May 2026", "Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026",
    ]  # fmt: skip
    assert "By team" in html
    assert "By worker" in html


def test_trend_bucketing_matches_computing_each_month(loaded) -> None:
    months = selectors.trend_months(AS_OF)
    checked = 0
    for indicator_id in load_catalogue():
        overall = compute(indicator_id, loaded.pk, months[0].start, AS_OF)
        bucketed = selectors.trend(indicator_id, loaded.pk, months, overall)
        checked += any(o.due is not None for o in overall.obligations)
        for month, tally in zip(months, bucketed, strict=True):
            alone = compute(indicator_id, loaded.pk, month.start, month.end)
            got = (tally.met, tally.late, tally.overdue, tally.breach)
            want = (alone.met, alone.late, alone.overdue, alone.breach)
            assert got == want, (indicator_id, month.label)
    assert checked >= 5


def test_child_level_list_is_refused_to_a_partner_agency_and_audited(
    loaded, make_user, police
) -> None:
    lead = make_user(Role.AGENCY_LEAD, agency=police, username="police1")
    indicator_id = an_indicator_with_obligations(loaded)
    response = client_for(lead).get(f"/trackers/{indicator_id}/children/")
    assert response.status_code == 403
    assert audit_actions("indicator.children") == [("permission-denied", indicator_id, "police1")]
    assert client_for(lead).get("/trackers/weekly/").status_code == 403


def test_child_level_list_for_a_chair_is_audited_on_every_view(loaded, make_user) -> None:
    chair = make_user(Role.CONFERENCE_CHAIR, username="chair1")
    client = client_for(chair)
    indicator_id = an_indicator_with_obligations(loaded)
    response = client.get(f"/trackers/{indicator_id}/children/")
    assert response.status_code == 200
    html = response.content.decode()
    result = compute(indicator_id, loaded.pk, selectors.twelve_months_to(AS_OF), AS_OF)
    some = next(o for o in result.obligations if o.status in selectors.COUNTED)
    assert some.person_id in html
    assert f"{result.denominator} obligation" in html

    overdue = client.get(f"/trackers/{indicator_id}/children/?status=overdue").content.decode()
    assert f"{result.overdue} obligation" in overdue
    assert ">Met</strong>" not in overdue
    assert audit_actions("indicator.children") == [
        ("view", indicator_id, "chair1"),
        ("view", indicator_id, "chair1"),
    ]
    assert client.get("/trackers/no_such_indicator/children/").status_code == 404


def test_weekly_tracker_groups_by_team_and_a_team_manager_sees_their_team(
    loaded, make_user
) -> None:
    data = selectors.weekly(loaded.pk, AS_OF, None)
    teams = [t.name for t in data.teams]
    assert teams, "the synthetic data has something due or overdue"
    assert len(teams) > 1
    chair = make_user(Role.CONFERENCE_CHAIR, username="chair1")
    client = client_for(chair)
    html = client.get("/trackers/weekly/").content.decode()
    assert "Summary by team" in html
    assert "Choose a team" in html
    for team in data.teams:  # one team's children at a time
        assert f"?team={quote_plus(team.name)}#team" in html
        assert f">{escape(team.name)}</h2>" not in html
    html = client.get("/trackers/weekly/", {"team": teams[1]}).content.decode()
    assert f">{escape(teams[1])}</h2>" in html
    assert f">{escape(teams[0])}</h2>" not in html
    for team in data.teams:
        for row in team.due_soon:
            assert row.due is not None
            assert AS_OF < row.due <= date(2026, 11, 7)
            assert row.status == "upcoming"
        for row in team.overdue:
            assert row.due is not None
            assert row.due <= AS_OF

    mine = teams[0]
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER,
        username="manager1",
        scope=RoleGrant.Scope.TEAM,
        scope_name=mine,
    )
    html = client_for(manager).get("/trackers/weekly/").content.decode()
    assert f">{escape(mine)}</h2>" in html
    for other in teams[1:]:
        assert f">{escape(other)}</h2>" not in html
    assert audit_actions("tracker.weekly") == [
        ("view", "", "chair1"),
        ("view", "", "chair1"),
        ("view", "", "manager1"),
    ]


def test_team_manager_sees_only_their_teams_children(loaded, make_user) -> None:
    indicator_id = an_indicator_with_obligations(loaded)
    everyone = make_user(Role.CONFERENCE_CHAIR)
    window = selectors.window_for(None, selectors.twelve_months_to(AS_OF), AS_OF)
    _, rows = selectors.child_rows(REGISTRY[indicator_id], loaded.pk, window, None)
    mine = rows[0].team
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER, scope=RoleGrant.Scope.TEAM, scope_name=mine
    )
    html = client_for(manager).get(f"/trackers/{indicator_id}/children/").content.decode()
    own = [r for r in rows if r.team == mine]
    assert f"{len(own)} obligation" in html
    others = {r.team for r in rows} - {mine}
    for team in others:
        assert f">{escape(team)}</td>" not in html
    everyone_html = client_for(everyone).get(f"/trackers/{indicator_id}/children/").content
    assert f"{len(rows)} obligation" in everyone_html.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "From must be a real date"),
        ("to=tomorrow", "To must be a real date"),
        ("from=2026-06-01&to=2026-01-01", "To must be the same as or after from"),
        ("from=2027-01-01", "From must be on or before 31 October 2026"),
    ],
)
def test_bad_window_dates_give_an_error_message(loaded, make_user, query, message) -> None:
    indicator_id = an_indicator_with_obligations(loaded)
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    for path in ("/trackers/", f"/trackers/{indicator_id}/", f"/trackers/{indicator_id}/children/"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, path
        html = response.content.decode()
        assert "There is a problem" in html
        assert "govuk-error-summary" in html
        assert "govuk-error-message" in html
        assert message in html, path
        assert "<title>Error: " in html


def test_a_bad_status_keeps_the_window_and_says_what_is_wrong(loaded, make_user) -> None:
    indicator_id = an_indicator_with_obligations(loaded)
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    response = client.get(f"/trackers/{indicator_id}/children/?from=2026-01-01&status=bogus")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a status from the list" in html
    assert "1 January 2026 to 31 October 2026" in html


def test_a_chosen_window_is_used(loaded, make_user) -> None:
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    html = client.get("/trackers/?from=2026-04-01&to=2026-06-30").content.decode()
    assert "1 April 2026 to 30 June 2026" in html
    indicator_id = an_indicator_with_obligations(loaded)
    result = compute(indicator_id, loaded.pk, date(2026, 4, 1), date(2026, 6, 30))
    page = client.get(f"/trackers/{indicator_id}/?from=2026-04-01&to=2026-06-30").content
    assert f"({result.met} of {result.denominator})" in page.decode()


def test_pages_without_case_data(partnership, make_user) -> None:
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    for path in ("/trackers/", "/trackers/weekly/", "/trackers/cp_visit_10wd/"):
        response = client.get(path)
        if response.status_code == 404:  # the indicator is not in the catalogue yet
            continue
        assert response.status_code == 200, path
        assert "No case data has been imported yet" in response.content.decode(), path
    assert client.get("/trackers/no_such_indicator/").status_code == 404


def test_a_manager_scoped_to_a_service_sees_its_teams(loaded, make_user) -> None:
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER,
        scope=RoleGrant.Scope.SERVICE,
        scope_name="Protection and Court Service",
    )
    scope = Viewer.of(manager).team_scope
    assert scope is not None
    assert "protection and court team 1" in scope
    assert not any(name.startswith("assessment") for name in scope)
    chair_and_manager = make_user(Role.CONFERENCE_CHAIR)
    RoleGrant.objects.create(
        user=chair_and_manager,
        role=Role.CHILDRENS_SERVICES_MANAGER,
        scope=RoleGrant.Scope.TEAM,
        scope_name="Protection and Court Team 1",
    )
    assert Viewer.of(chair_and_manager).team_scope is None


def test_partner_agency_manager_role_is_still_aggregates_only(loaded, make_user) -> None:
    health = Agency.objects.create(
        partnership=loaded, name="Testshire ICB", agency_type=Agency.Type.ICB
    )
    user = make_user(Role.CHILDRENS_SERVICES_MANAGER, agency=health)
    assert client_for(user).get("/trackers/").status_code == 200
    assert client_for(user).get("/trackers/weekly/").status_code == 403


def test_teams_sort_by_number_then_name() -> None:
    names = ["Team 11", "Team 2", "team 1", "Court Team 20", "Court Team 3", "Not known"]
    assert sorted(names, key=selectors.natural) == [
        "Court Team 3",
        "Court Team 20",
        "Not known",
        "team 1",
        "Team 2",
        "Team 11",
    ]


def test_child_rows_are_made_a_page_at_a_time(loaded, make_user) -> None:
    window = selectors.window_for(None, selectors.twelve_months_to(AS_OF), AS_OF)
    _, rows = selectors.child_rows(REGISTRY["cp_visit_10wd"], loaded.pk, window, None)
    assert len(rows) > 150
    every = list(rows)
    assert rows[100:150] == every[100:150]
    assert rows[-1] == every[-1]
    assert rows[0] == every[0]
    dues = [r.due for r in every if r.due is not None]
    assert len(dues) == len(every)
    assert dues == sorted(dues)
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    second = client.get("/trackers/cp_visit_10wd/children/", {"page": 2}).content.decode()
    assert f"{len(rows)} obligation" in second
    assert escape(every[100].ref) in second
    assert escape(every[0].ref) not in second


# ---- read log: which children each page showed ------------------------------------------------


def children_shown(record_type: str) -> list[str]:
    return sorted(
        ChildView.objects.filter(event__record_type=record_type).values_list("person_id", flat=True)
    )


def test_a_child_list_records_the_children_of_the_page_shown(loaded, make_user) -> None:
    window = selectors.window_for(None, selectors.twelve_months_to(AS_OF), AS_OF)
    _, rows = selectors.child_rows(REGISTRY["cp_visit_10wd"], loaded.pk, window, None)
    client = client_for(make_user(Role.CONFERENCE_CHAIR, username="chair1"))
    assert client.get("/trackers/cp_visit_10wd/children/", {"page": 2}).status_code == 200
    assert children_shown("indicator.children") == sorted({r.person_id for r in rows[100:200]})
    assert rows[0].person_id not in {r.person_id for r in rows[100:200]}
    assert not ChildView.objects.filter(person_id=rows[0].person_id).exists()
    view = ChildView.objects.first()
    assert view is not None
    snapshot = selectors.current_snapshot(loaded.pk)
    assert snapshot is not None
    assert (view.snapshot_id, view.extract_date) == (snapshot.pk, AS_OF)
    changes = view.event.changes
    assert changes["roles"] == [Role.CONFERENCE_CHAIR]
    assert changes["team_scope"] == "every team"
    assert changes["extract_date"] == "2026-10-31"


def test_the_weekly_tracker_records_the_chosen_teams_children_under_the_scope(
    loaded, make_user
) -> None:
    data = selectors.weekly(loaded.pk, AS_OF, None)
    team = data.teams[0]
    manager = make_user(
        Role.CHILDRENS_SERVICES_MANAGER, scope=RoleGrant.Scope.TEAM, scope_name=team.name
    )
    assert client_for(manager).get("/trackers/weekly/").status_code == 200
    expected = sorted({r.person_id for r in (*team.due_soon, *team.overdue)})
    assert expected
    assert children_shown("tracker.weekly") == expected
    event = AuditEvent.objects.get(record_type="tracker.weekly")
    assert event.changes["team_scope"] == [team.name.casefold()]
    # The summary by team names no child, so it records none.
    chair = make_user(Role.CONFERENCE_CHAIR)
    client_for(chair).get("/trackers/weekly/")
    assert AuditEvent.objects.filter(record_type="tracker.weekly").count() == 2
    assert children_shown("tracker.weekly") == expected


def test_recording_the_children_shown_does_not_grow_the_queries(loaded, make_user) -> None:
    window = selectors.window_for(None, selectors.twelve_months_to(AS_OF), AS_OF)
    _, rows = selectors.child_rows(REGISTRY["cp_visit_10wd"], loaded.pk, window, None)
    last = (len(rows) - 1) // 100 + 1
    assert len(rows) - (last - 1) * 100 < 100, "the last page is shorter than the first"
    client = client_for(make_user(Role.CONFERENCE_CHAIR))
    client.get("/trackers/cp_visit_10wd/children/")  # the case data's columns, built once
    before = ChildView.objects.count()
    counts = []
    for page in (1, last):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/trackers/cp_visit_10wd/children/", {"page": page})
            assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert ChildView.objects.count() - before == len({r.person_id for r in rows[:100]}) + len(
        {r.person_id for r in rows[(last - 1) * 100 :]}
    )


def test_supervision_page_shows_workers_to_child_level_roles_only(
    loaded, make_user, police
) -> None:
    chair = client_for(make_user(Role.CONFERENCE_CHAIR)).get("/trackers/supervision_4w/")
    page = chair.content.decode()
    assert chair.status_code == 200
    assert "workers behind this figure" in page
    assert "Protection and Court Team 1" in page  # the workers' own teams
    listing = client_for(make_user(Role.CONFERENCE_CHAIR)).get("/trackers/supervision_4w/children/")
    assert "Workers behind this figure" in listing.content.decode()
    assert "worker PR" in listing.content.decode()
    lead = client_for(make_user(Role.AGENCY_LEAD, agency=police)).get("/trackers/supervision_4w/")
    assert lead.status_code == 200
    assert "behind this figure" not in lead.content.decode()
    assert "Protection and Court Team 1" in lead.content.decode()  # teams, not workers
    for indicator_id in ("supervision_4w", "csafe_oversight_4w"):
        assert (
            client_for(make_user(Role.BOARD_MEMBER, agency=police))
            .get(f"/trackers/{indicator_id}/")
            .status_code
            == 200
        )
