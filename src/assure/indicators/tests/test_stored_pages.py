"""Indicator pages and the weekly tracker read figures stored once per extract (by the worker
after an import, or at its start), not computed on each view; their queries do not grow with
the children."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assure.accounts.models import Partnership, Role
from assure.casedata import synth
from assure.casedata.importer.run import import_tables
from assure.casedata.models import ImportSnapshot
from assure.core.viewer import Viewer
from assure.indicators import figures, selectors
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import REGISTRY, load_catalogue
from assure.indicators.models import CatalogueFigures, IndicatorFigures, WeeklyFigures

AS_OF = date(2026, 10, 30)  # a Friday
INDICATOR = "cp_visit_10wd"


def import_children(
    partnership: Partnership, folder: Path, children: int, as_of: date, capture
) -> ImportSnapshot:
    """Generate and import an extract; the post-import task runs as the worker would."""
    folder.mkdir()
    synth.generate(folder, children=children, seed=1, as_of=as_of)
    with capture(execute=True):
        result = import_tables(
            partnership,
            {p.stem: p for p in folder.glob("*.csv")},
            actor=None,
            extract_date=as_of,
        )
    assert result.ok, result
    assert result.snapshot is not None
    return result.snapshot


@pytest.fixture
def snapshot(partnership, tmp_path, django_capture_on_commit_callbacks) -> ImportSnapshot:
    return import_children(
        partnership, tmp_path / "a", 150, AS_OF, django_capture_on_commit_callbacks
    )


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_import_stores_every_indicator_page_and_the_weekly_tracker(snapshot) -> None:
    window = selectors.window_for(snapshot)
    stored = IndicatorFigures.objects.filter(snapshot=snapshot)
    assert sorted(stored.values_list("indicator", flat=True)) == sorted(load_catalogue())
    assert {(s.start, s.end) for s in stored} == {(window.start, window.end)}
    weekly = WeeklyFigures.objects.get(snapshot=snapshot)
    assert weekly.as_of == AS_OF
    # Charts are drawn for child-level viewers and for everyone else.
    assert all(len(s.charts) in (1, 2) for s in stored if s.figures["has_data"])


def test_stored_figures_are_what_a_fresh_computation_gives(snapshot) -> None:
    window = selectors.window_for(snapshot)
    indicator = REGISTRY[INDICATOR]
    stored = IndicatorFigures.objects.get(snapshot=snapshot, indicator=INDICATOR)
    fresh = selectors.page_figures(indicator, snapshot.partnership_id, window)
    assert selectors.PageFigures.from_json(stored.figures) == fresh
    assert fresh.summary.denominator > 0
    assert sum(t.denominator for t in fresh.teams) == fresh.summary.denominator

    rows = figures.weekly_rows(snapshot)
    computed = selectors.weekly_rows(snapshot.partnership_id, AS_OF)
    assert rows.frame.equals(computed.frame)
    assert [i.id for i in rows.indicators] == [i.id for i in computed.indicators]


def test_the_indicator_page_reads_the_stored_figures_and_charts(snapshot, make_user) -> None:
    """Altered stored figures and charts show on the page: nothing was computed or drawn."""
    stored = IndicatorFigures.objects.get(snapshot=snapshot, indicator=INDICATOR)
    stored.figures["summary"]["met"] = 4321
    stored.charts = dict.fromkeys(stored.charts, "<svg>drawn by the worker</svg>")
    stored.save()
    chair = make_user(Role.CONFERENCE_CHAIR)
    with CaptureQueriesContext(connection) as queries:
        page = client_for(chair).get(f"/trackers/{INDICATOR}/").content.decode()
    assert "4321" in page
    assert "drawn by the worker" in page
    # No case data read: no stored columns, no case tables.
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert "casedata_snapshotcolumns" not in read
    assert "casedata_person" not in read


def test_a_partner_agency_gets_its_own_chart_from_the_stored_ones(
    snapshot, make_user, police
) -> None:
    stored = IndicatorFigures.objects.get(snapshot=snapshot, indicator=INDICATOR)
    window = selectors.window_for(snapshot)
    figures_ = selectors.PageFigures.from_json(stored.figures)
    lead = make_user(Role.AGENCY_LEAD, agency=police)
    page = selectors.indicator_page(
        REGISTRY[INDICATOR], window, figures_, None, Disclosure.for_viewer(Viewer.of(lead))
    )
    from assure.indicators import charts

    points, target, label = charts.trend_inputs(page)
    assert charts.trend_digest(points, target, label) in stored.charts


def test_another_window_is_computed_once_then_stored(snapshot, make_user) -> None:
    chair = make_user(Role.CONFERENCE_CHAIR)
    address = f"/trackers/{INDICATOR}/?from=2026-04-01&to=2026-09-30"
    assert client_for(chair).get(address).status_code == 200
    assert client_for(chair).get(address).status_code == 200
    assert (
        IndicatorFigures.objects.filter(
            snapshot=snapshot, indicator=INDICATOR, start=date(2026, 4, 1), end=date(2026, 9, 30)
        ).count()
        == 1
    )


def pages_queries(user, snapshot) -> dict[str, int]:
    client = client_for(user)
    counts = {}
    for address in ("/trackers/", f"/trackers/{INDICATOR}/", "/trackers/weekly/", "/"):
        client.get(address)  # first view of each: anything per process is done
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        counts[address] = len(queries.captured_queries)
    return counts


def test_tracker_pages_queries_do_not_grow_with_the_children(
    partnership, tmp_path, make_user, django_capture_on_commit_callbacks
) -> None:
    chair = make_user(Role.CONFERENCE_CHAIR)
    small = import_children(
        partnership, tmp_path / "small", 60, AS_OF, django_capture_on_commit_callbacks
    )
    before = pages_queries(chair, small)
    large = import_children(
        partnership,
        tmp_path / "large",
        300,
        AS_OF + timedelta(days=3),
        django_capture_on_commit_callbacks,
    )
    assert ImportSnapshot.current(partnership.pk) == large
    # The superseded extract's figures are dropped; the new one's were stored by the import.
    assert not IndicatorFigures.objects.filter(snapshot=small).exists()
    assert not WeeklyFigures.objects.filter(snapshot=small).exists()
    assert IndicatorFigures.objects.filter(snapshot=large).count() == len(load_catalogue())
    assert pages_queries(chair, large) == before


def test_the_worker_stores_what_is_missing_at_start(snapshot) -> None:
    """After a restart following a purge or a migration that emptied them, the worker's start
    stores the default figures again, once."""
    IndicatorFigures.objects.all().delete()
    WeeklyFigures.objects.all().delete()
    CatalogueFigures.objects.all().delete()
    assert figures.warm() == 1
    assert IndicatorFigures.objects.filter(snapshot=snapshot).count() == len(load_catalogue())
    assert WeeklyFigures.objects.filter(snapshot=snapshot).count() == 1
    assert CatalogueFigures.objects.filter(snapshot=snapshot).count() == 1
    assert figures.warm() == 0


def test_warm_with_no_case_data_does_nothing(db) -> None:
    assert figures.warm() == 0


def test_a_purge_forgets_the_stored_pages(snapshot) -> None:
    from assure.casedata.signals import case_data_changed

    case_data_changed.send(sender=None, partnership_id=snapshot.partnership_id)
    assert not IndicatorFigures.objects.exists()
    assert not WeeklyFigures.objects.exists()


def test_figures_computed_by_other_code_or_timescales_are_computed_again(
    snapshot, make_user
) -> None:
    """A deployment changing an indicator, the calendar or the timescales changes the version:
    the page then computes afresh, and the worker's start stores the new figures."""
    stored = IndicatorFigures.objects.get(snapshot=snapshot, indicator=INDICATOR)
    assert stored.version == figures.version()
    stored.figures["summary"]["met"] = 4321
    stored.version = "older"
    stored.save()
    chair = make_user(Role.CONFERENCE_CHAIR)
    assert "4321" not in client_for(chair).get(f"/trackers/{INDICATOR}/").content.decode()
    replaced = IndicatorFigures.objects.get(snapshot=snapshot, indicator=INDICATOR)
    assert replaced.version == figures.version()

    for model in (IndicatorFigures, WeeklyFigures, CatalogueFigures):
        model.objects.update(version="older")
    assert figures.warm() == 1
    assert set(IndicatorFigures.objects.values_list("version", flat=True)) == {figures.version()}
    assert WeeklyFigures.objects.get().version == figures.version()


def test_the_version_follows_the_timescales(settings, tmp_path) -> None:
    from assure.core import timescales

    before = figures.version()
    local = tmp_path / "timescales.toml"
    local.write_text(
        '[[timescale]]\nkey = "cp_visit_wd"\namount = 5\nunit = "working_days"\n'
        'applies_from = 2026-01-01\nbasis = "Local: visits every 5 working days"\n'
    )
    settings.ASSURE_TIMESCALES_FILE = str(local)
    timescales.reset_cache()
    try:
        assert figures.version() != before
    finally:
        timescales.reset_cache()
