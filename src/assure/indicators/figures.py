"""Catalogue figures per snapshot and window: computed once, stored, then read.

`catalogue_figures` returns the engine's `Figures` (a `Result` without the obligations, which
only the child-level pages need).
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.tasks import task

from assure.casedata.models import ImportSnapshot
from assure.indicators.engine import REGISTRY, Figures, compute_all
from assure.indicators.models import CatalogueFigures

COUNTS = ("met", "late", "overdue", "breach", "upcoming", "void")


def _stored(snapshot: ImportSnapshot, start: date, end: date) -> list[dict[str, Any]]:
    results = compute_all(snapshot.partnership_id, start, end)
    rows = [
        {"id": r.indicator.id, "value": r.value, "has_data": r.has_data}
        | {name: getattr(r, name) for name in COUNTS}
        for r in results
    ]
    try:
        with transaction.atomic():
            CatalogueFigures.objects.create(
                partnership_id=snapshot.partnership_id,
                snapshot=snapshot,
                start=start,
                end=end,
                figures=rows,
            )
    except IntegrityError:
        pass  # another request stored the same figures first
    return rows


def catalogue_figures(snapshot: ImportSnapshot, start: date, end: date) -> list[Figures]:
    """Every indicator's figures for the window, computing and storing them the first time."""
    found = CatalogueFigures.objects.filter(snapshot=snapshot, start=start, end=end).first()
    rows = found.figures if found else _stored(snapshot, start, end)
    return [
        Figures(
            indicator=REGISTRY[row["id"]],
            value=row["value"],
            has_data=row["has_data"],
            **{name: row[name] for name in COUNTS},
        )
        for row in rows
        if row["id"] in REGISTRY
    ]


@task()
def prepare_default_figures(snapshot_id: int, start: str, end: str) -> None:
    """Background: store the default window's figures as soon as an extract is imported."""
    snapshot = ImportSnapshot.objects.get(pk=snapshot_id)
    catalogue_figures(snapshot, date.fromisoformat(start), date.fromisoformat(end))


def forget_figures(sender: Any, partnership_id: int, **kwargs: Any) -> None:
    """The case data changed in place (a purge): stored figures no longer match it."""
    CatalogueFigures.objects.filter(partnership_id=partnership_id).delete()


def prepare_after_import(sender: Any, snapshot: ImportSnapshot, **kwargs: Any) -> None:
    """Queue the new snapshot's default figures (`assure db_worker` computes them)."""
    from assure.indicators.selectors import window_for

    window = window_for(snapshot)
    transaction.on_commit(
        lambda: prepare_default_figures.enqueue(
            snapshot.pk, window.start.isoformat(), window.end.isoformat()
        )
    )
