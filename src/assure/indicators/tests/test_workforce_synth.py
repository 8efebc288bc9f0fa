"""The synthetic authority's supervision and oversight give every status of both indicators."""

from datetime import date

import time_machine

from assure.casedata.contract import TABLES
from assure.casedata.importer.run import import_tables
from assure.casedata.synth import DEFAULT_AS_OF, generate
from assure.indicators.engine import compute


def test_synth_gives_every_status(partnership, tmp_path):
    generate(tmp_path, 1500, 7, DEFAULT_AS_OF)
    sources = {t.name: tmp_path / t.file_name for t in TABLES if (tmp_path / t.file_name).exists()}
    with time_machine.travel(DEFAULT_AS_OF, tick=False):
        result = import_tables(partnership, sources, actor=None, extract_date=DEFAULT_AS_OF)
    assert result.ok, [str(p) for p in result.problems[:5]]
    start = date(2024, 11, 1)
    for indicator in ("supervision_4w", "csafe_oversight_4w"):
        figures = compute(indicator, partnership.pk, start, DEFAULT_AS_OF)
        counts = {s: getattr(figures, s) for s in ("met", "late", "overdue", "void")}
        assert all(counts.values()), (indicator, counts)
        assert counts["met"] > counts["late"], (indicator, counts)
