"""The indicators read each snapshot's case data from stored columns, built once, dropped when
the data changes (ADR 5)."""

from datetime import date
from io import StringIO
from pathlib import Path

import polars as pl
import pytest
from django.core.management import call_command

from assure.casedata import columnar
from assure.casedata.importer.run import import_tables
from assure.casedata.models import CPVisit, ImportSnapshot, Person, SnapshotColumns, Team
from assure.casedata.synth import generate
from assure.indicators.engine import Window, compute, compute_all
from assure.indicators.figures import catalogue_figures
from assure.indicators.models import CatalogueFigures
from assure.indicators.obligations import offline, prefetch, shared_rows, table

AS_OF = date(2026, 10, 31)
WINDOW = (date(2025, 11, 1), AS_OF)


def load(partnership, folder: Path, seed: int, extract_date: date = AS_OF) -> ImportSnapshot:
    generate(folder, children=120, seed=seed, as_of=AS_OF)
    tables = {p.stem: p for p in folder.glob("*.csv")}
    result = import_tables(partnership, tables, actor=None, extract_date=extract_date)
    assert result.ok
    assert result.snapshot is not None
    return result.snapshot


def counts(partnership) -> list[tuple[str, int, int, int, int]]:
    return [
        (r.indicator.id, r.met, r.late, r.overdue, r.breach)
        for r in compute_all(partnership.pk, *WINDOW)
    ]


@pytest.mark.django_db
def test_columns_are_built_on_first_use_and_read_back_the_same(partnership, tmp_path) -> None:
    snapshot = load(partnership, tmp_path, seed=5)
    assert not SnapshotColumns.objects.exists()
    first = counts(partnership)
    built = dict(SnapshotColumns.objects.values_list("table", "rows"))
    assert built["casedata.cpvisit"] == CPVisit.objects.count()
    assert built["casedata.person"] == Person.objects.count()
    assert set(SnapshotColumns.objects.values_list("snapshot", flat=True)) == {snapshot.pk}
    assert counts(partnership) == first
    assert SnapshotColumns.objects.count() == len(built)


@pytest.mark.django_db
def test_columns_hold_every_field_but_the_partnership_and_fingerprint(partnership, tmp_path):
    snapshot = load(partnership, tmp_path, seed=5)
    visits = columnar.read(columnar.stored(snapshot, CPVisit))
    assert visits.schema == {
        "id": pl.Int64,
        "ssd_id": pl.String,
        "person_id": pl.Int64,
        "plan_id": pl.Int64,
        "date": pl.Date,
        "seen": pl.Boolean,
        "seen_alone": pl.Boolean,
    }
    first = CPVisit.objects.order_by("pk")[0]
    assert visits.row(0) == (
        first.pk,
        first.ssd_id,
        first.person_id,
        first.plan_id,
        first.date,
        first.seen,
        first.seen_alone,
    )
    assert visits["id"].is_sorted()


@pytest.mark.django_db
def test_a_newer_extract_drops_the_old_columns(partnership, tmp_path) -> None:
    load(partnership, tmp_path / "a", seed=5)
    counts(partnership)
    newer = load(partnership, tmp_path / "b", seed=6, extract_date=date(2026, 11, 1))
    assert not SnapshotColumns.objects.exists()
    figures = counts(partnership)
    assert set(SnapshotColumns.objects.values_list("snapshot", flat=True)) == {newer.pk}
    SnapshotColumns.objects.all().delete()
    assert counts(partnership) == figures  # the same as reading the tables afresh


@pytest.mark.django_db
def test_a_purge_drops_stored_columns_and_figures(partnership, tmp_path) -> None:
    snapshot = load(partnership, tmp_path, seed=5)
    catalogue_figures(snapshot, *WINDOW)
    assert SnapshotColumns.objects.exists()
    assert CatalogueFigures.objects.exists()
    out = StringIO()
    call_command("purge_cases", "--older-than-years", "1", stdout=out)
    assert "Deleted" in out.getvalue()
    assert not SnapshotColumns.objects.exists()
    assert not CatalogueFigures.objects.exists()


@pytest.mark.django_db
def test_the_catalogue_on_threads_equals_each_indicator_alone(partnership, tmp_path) -> None:
    load(partnership, tmp_path, seed=7)
    together = counts(partnership)
    alone = []
    for indicator_id, *_ in together:
        r = compute(indicator_id, partnership.pk, *WINDOW)
        alone.append((r.indicator.id, r.met, r.late, r.overdue, r.breach))
    assert together == alone
    assert sum(met for _, met, *_ in together) > 0


@pytest.mark.django_db
def test_an_indicator_thread_never_reads_a_table_not_prefetched(partnership, tmp_path) -> None:
    load(partnership, tmp_path, seed=5)
    window = Window(partnership.pk, *WINDOW)
    with shared_rows():
        prefetch(window)
        with offline():
            assert table(window, CPVisit, "date").height == CPVisit.objects.count()
            with pytest.raises(RuntimeError, match="Team is read by an indicator"):
                table(window, Team, "id")
        assert table(window, Team, "id").height == Team.objects.count()
