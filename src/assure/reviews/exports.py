"""Action plans as CSV and XLSX, safe to open in a spreadsheet (no formula injection)."""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from assure.reviews.models import Action

HEADERS = [
    "Review",
    "Recommendation",
    "Agency",
    "Action",
    "Owner",
    "Outcome sought",
    "Success measure",
    "Due",
    "Status",
    "Latest update",
    "Updated on",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe(value: Any) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def rows(actions: QuerySet[Action]) -> Iterator[list[str]]:
    for action in actions.iterator(chunk_size=500):
        latest = action.latest_update
        yield [
            safe(x)
            for x in (
                str(action.recommendation.review),
                action.recommendation.number,
                action.agency.name,
                action.description,
                action.owner.get_full_name() if action.owner else "",
                action.outcome_sought,
                action.success_measure,
                action.due_date.isoformat() if action.due_date else "",
                action.get_status_display(),
                latest.narrative if latest else "",
                latest.created_at.date().isoformat() if latest else "",
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(lines: Iterable[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel reads UTF-8
    yield writer.writerow(HEADERS)
    for line in lines:
        yield writer.writerow(line)


def response(
    actions: QuerySet[Action], fmt: str, today: date
) -> HttpResponse | StreamingHttpResponse:
    name = f"action-plan-{today.isoformat()}"
    if fmt == "csv":
        streamed = StreamingHttpResponse(_csv_lines(rows(actions)), content_type="text/csv")
        streamed["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return streamed
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Action plan")
        sheet.append(HEADERS)
        for line in rows(actions):
            sheet.append(line)
        buffer = io.BytesIO()
        book.save(buffer)
        result = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        result["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return result
    raise Http404("Export as csv or xlsx")
