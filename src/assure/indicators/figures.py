"""Tracker figures per snapshot and window: computed once, stored, then read.

`catalogue_figures` returns the engine's `Figures` (a `Result` without the obligations, which
only the child-level pages need); `indicator_figures` an indicator page's figures before
disclosure, with its trend charts drawn for both kinds of viewer. The worker stores the
default window's after each import (`prepare_default_figures`) and at start (`warm`), so
people's page views read them; any other window is computed and stored by its first view.
"""

import hashlib
import io
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.tasks import task

from assure.casedata.models import ImportSnapshot
from assure.core import timescales
from assure.indicators import charts
from assure.indicators.disclosure import Disclosure
from assure.indicators.engine import (
    REGISTRY,
    Figures,
    Indicator,
    compute_all,
    load_catalogue,
    with_target,
)
from assure.indicators.models import CatalogueFigures, IndicatorFigures, WeeklyFigures

if TYPE_CHECKING:
    from assure.indicators import selectors
    from assure.indicators.selectors import ReportWindow

COUNTS = ("met", "late", "overdue", "breach", "upcoming", "void")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The indicators' code, the calendar and the timescales' defaults (a deployment changing
    any of them changes how figures come out)."""
    package = Path(__file__).resolve().parent
    core = package.parent / "core"
    files = [
        *sorted(package.glob("*.py")),
        *sorted((package / "catalogue").glob("*.py")),
        core / "calendar.py",
        core / "timescales.py",
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def version() -> str:
    """What stored figures were computed with: the code and the timescales in force. Figures
    of another version are not read: the worker's start, or the next view, computes them again."""
    shown = f"{_code_digest()}\n{timescales.all_timescales()!r}"
    return hashlib.sha256(shown.encode()).hexdigest()[:16]


def _replace(model: type[models.Model], key: dict[str, Any], **values: Any) -> None:
    """Store a row of figures under `key`, in place of one of another version."""
    try:
        with transaction.atomic():
            model._default_manager.filter(**key).exclude(version=values["version"]).delete()
            model._default_manager.create(**key, **values)
    except IntegrityError:
        pass  # another request or the worker stored the same figures first


def _stored(snapshot: ImportSnapshot, start: date, end: date) -> list[dict[str, Any]]:
    results = compute_all(snapshot.partnership_id, start, end)
    rows = [
        {"id": r.indicator.id, "value": r.value, "has_data": r.has_data}
        | {name: getattr(r, name) for name in COUNTS}
        for r in results
    ]
    _replace(
        CatalogueFigures,
        {"snapshot": snapshot, "start": start, "end": end},
        partnership_id=snapshot.partnership_id,
        figures=rows,
        version=version(),
    )
    return rows


def catalogue_figures(snapshot: ImportSnapshot, start: date, end: date) -> list[Figures]:
    """Every indicator's figures for the window, computing and storing them the first time."""
    found = CatalogueFigures.objects.filter(
        snapshot=snapshot, start=start, end=end, version=version()
    ).first()
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


def indicator_figures(
    snapshot: ImportSnapshot, indicator: Indicator, window: "ReportWindow"
) -> IndicatorFigures:
    """An indicator page's stored figures for the window, computing and storing them first
    when nobody has."""
    found = IndicatorFigures.objects.filter(
        snapshot=snapshot,
        indicator=indicator.id,
        start=window.start,
        end=window.end,
        version=version(),
    ).first()
    return found or _store_page(snapshot, indicator, window)


def _store_page(
    snapshot: ImportSnapshot, indicator: Indicator, window: "ReportWindow"
) -> IndicatorFigures:
    from assure.indicators import selectors

    figures = selectors.page_figures(indicator, snapshot.partnership_id, window)
    drawn = {}
    if figures.has_data:  # the chart as child-level viewers see it, and as everyone else does
        for exact in (True, False):
            disclosure = Disclosure(exact=exact, threshold=settings.SMALL_COUNT_THRESHOLD)
            page = selectors.indicator_page(indicator, window, figures, None, disclosure)
            points, target, label = charts.trend_inputs(page)
            drawn[charts.trend_digest(points, target, label)] = str(
                charts.trend_svg(points, target, label)
            )
    record = IndicatorFigures(
        partnership_id=snapshot.partnership_id,
        snapshot=snapshot,
        indicator=indicator.id,
        start=window.start,
        end=window.end,
        figures=figures.to_json(),
        charts=drawn,
        version=version(),
    )
    _replace(
        IndicatorFigures,
        {"snapshot": snapshot, "indicator": indicator.id, "start": window.start, "end": window.end},
        partnership_id=snapshot.partnership_id,
        figures=record.figures,
        charts=drawn,
        version=record.version,
    )
    return record


def weekly_rows(snapshot: ImportSnapshot) -> "selectors.WeeklyRows":
    """The weekly tracker's rows as at the snapshot's extract date, computing and storing them
    first when nobody has."""
    from assure.indicators import selectors

    found = (
        WeeklyFigures.objects.filter(
            snapshot=snapshot, as_of=snapshot.extract_date, version=version()
        )
        .values_list("rows", "indicators", "missing")
        .first()
    )
    if found is not None:
        data, indicator_ids, missing = found
        frame = pl.read_ipc(io.BytesIO(bytes(data)))
        indicators = [with_target(REGISTRY[i]) for i in indicator_ids]
        return selectors.WeeklyRows(frame, indicators, missing)
    rows = selectors.weekly_rows(snapshot.partnership_id, snapshot.extract_date)
    buffer = io.BytesIO()
    rows.frame.write_ipc(buffer, compression="zstd")
    _replace(
        WeeklyFigures,
        {"snapshot": snapshot, "as_of": snapshot.extract_date},
        partnership_id=snapshot.partnership_id,
        rows=buffer.getvalue(),
        indicators=[i.id for i in rows.indicators],
        missing=rows.missing,
        version=version(),
    )
    return rows


def prepare_window(snapshot: ImportSnapshot, start: date, end: date) -> None:
    """Store the catalogue's figures, every indicator page's for the window and the weekly
    tracker's rows."""
    from assure.indicators.selectors import window_for

    catalogue_figures(snapshot, start, end)
    weekly_rows(snapshot)
    window = window_for(snapshot, start, end)
    for indicator in load_catalogue().values():
        indicator_figures(snapshot, indicator, window)


@task()
def prepare_default_figures(snapshot_id: int, start: str, end: str) -> None:
    """Background: store the default window's figures as soon as an extract is imported."""
    snapshot = ImportSnapshot.objects.get(pk=snapshot_id)
    prepare_window(snapshot, date.fromisoformat(start), date.fromisoformat(end))


def warm() -> int:
    """Store each partnership's default figures for its current snapshot where they are
    missing (the worker does this at start); returns how many snapshots needed it."""
    from assure.indicators.selectors import window_for

    prepared = 0
    partnerships = ImportSnapshot.objects.values_list("partnership_id", flat=True).distinct()
    for partnership_id in sorted(set(partnerships)):
        snapshot = ImportSnapshot.current(partnership_id)
        if snapshot is None:
            continue
        window = window_for(snapshot)
        current = {"snapshot": snapshot, "version": version()}
        stored = IndicatorFigures.objects.filter(
            **current, start=window.start, end=window.end
        ).count()
        if (
            stored < len(load_catalogue())
            or not CatalogueFigures.objects.filter(
                snapshot=snapshot, start=window.start, end=window.end
            ).exists()
        ):
            prepare_window(snapshot, window.start, window.end)
            prepared += 1
    return prepared


def forget_figures(sender: Any, partnership_id: int, **kwargs: Any) -> None:
    """The case data changed in place (a purge): stored figures no longer match it."""
    CatalogueFigures.objects.filter(partnership_id=partnership_id).delete()
    IndicatorFigures.objects.filter(partnership_id=partnership_id).delete()
    WeeklyFigures.objects.filter(partnership_id=partnership_id).delete()


def prepare_after_import(sender: Any, snapshot: ImportSnapshot, **kwargs: Any) -> None:
    """Queue the new snapshot's default figures (`assure db_worker` computes them), and drop
    the figures of the snapshots it supersedes (no page reads them again)."""
    for model in (CatalogueFigures, IndicatorFigures, WeeklyFigures):
        model.objects.filter(partnership_id=snapshot.partnership_id).exclude(
            snapshot=snapshot
        ).delete()
    from assure.indicators.selectors import window_for

    window = window_for(snapshot)
    transaction.on_commit(
        lambda: prepare_default_figures.enqueue(
            snapshot.pk, window.start.isoformat(), window.end.isoformat()
        )
    )
