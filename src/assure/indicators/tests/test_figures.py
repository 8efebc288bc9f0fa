"""Catalogue figures are prepared after each import and read back unchanged."""

from datetime import date
from pathlib import Path

import pytest

from assure.casedata.importer.run import import_tables
from assure.casedata.synth import generate
from assure.indicators.engine import compute_all
from assure.indicators.figures import catalogue_figures
from assure.indicators.models import CatalogueFigures
from assure.indicators.selectors import window_for

AS_OF = date(2026, 10, 31)


@pytest.fixture
def snapshot(partnership, tmp_path: Path, django_capture_on_commit_callbacks):
    generate(tmp_path, children=150, seed=3, as_of=AS_OF)
    tables = {p.stem: p for p in tmp_path.glob("*.csv")}
    with django_capture_on_commit_callbacks(execute=True):
        result = import_tables(partnership, tables, actor=None, extract_date=AS_OF)
    assert result.ok
    return result.snapshot


def test_an_import_prepares_the_default_window(snapshot) -> None:
    window = window_for(snapshot)
    stored = CatalogueFigures.objects.get(snapshot=snapshot)
    assert (stored.start, stored.end) == (window.start, window.end)


def test_stored_figures_equal_a_fresh_computation(snapshot) -> None:
    window = window_for(snapshot)
    stored = catalogue_figures(snapshot, window.start, window.end)
    fresh = compute_all(snapshot.partnership_id, window.start, window.end)
    assert [(f.indicator.id, f.met, f.late, f.overdue, f.breach, f.value) for f in stored] == [
        (r.indicator.id, r.met, r.late, r.overdue, r.breach, r.value) for r in fresh
    ]
    assert CatalogueFigures.objects.filter(snapshot=snapshot).count() == 1
