"""QA dashboard exports and the moderation sheet, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Sequence

from django.http import Http404, HttpResponse

from assure.audits.models import GRADE_ORDER
from assure.audits.selectors import SHEET_COLUMNS, Dashboard, SheetRow
from assure.reviews.exports import safe

GRADES_HEADERS = ["Tool", "Month", *[g.capitalize() for g in GRADE_ORDER], "Finished audits"]


def grade_rows(data: Dashboard) -> list[list[str]]:
    """The grade distribution per tool and month: counts only, no child or person, small
    numbers as the viewer may see them."""
    return [[safe(tool), line.month, *line.counts, line.finished] for tool, line in data.grades]


def sheet_rows(rows: Sequence[SheetRow]) -> list[list[str]]:
    return [[safe(getattr(row, column)) for column in SHEET_COLUMNS] for row in rows]


def table_response(headers: list[str], rows: list[list[str]], fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # so Excel reads UTF-8
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    elif fmt == "xlsx":
        from openpyxl import Workbook  # here: only an XLSX download needs it

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404("Export as csv or xlsx")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
