"""Action plans as CSV and XLSX, safe to open in a spreadsheet (no formula injection).

Each row carries its recommendation's text and RAG rating, the action's evidence count and
its assurance decisions; an export of one agency's actions says so on its first line.
"""

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse

from assure.reviews import rag
from assure.reviews.models import Action, ActionUpdate, Evidence, Rag
from assure.reviews.report import DECISIONS

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
    "Recommendation text",
    "RAG",
    "Evidence",
    "Assurance decisions",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe(value: Any) -> str:
    """A cell value a spreadsheet will show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


@dataclass
class Extras:
    """What each row adds beyond the action itself, read in three queries for the whole export."""

    ratings: dict[int, Rag] = field(default_factory=dict)  # by recommendation
    evidence: dict[int, int] = field(default_factory=dict)  # by action
    decisions: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))


def extras(actions: QuerySet[Action], today: date) -> Extras:
    """RAG of every recommendation the export touches (from all its actions, whichever agency's
    are exported), evidence counts and assurance decisions of the exported actions."""
    found = Extras()
    chosen = actions.order_by().values("pk")
    recommendations = actions.order_by().values("recommendation_id")
    siblings: dict[int, list[Action]] = defaultdict(list)
    for action in Action.objects.filter(recommendation__in=recommendations).only(
        "recommendation_id", "status", "due_date"
    ):
        siblings[action.recommendation_id].append(action)
    found.ratings = {pk: rag.rating(items, today) for pk, items in siblings.items()}
    found.evidence = dict(
        Evidence.objects.filter(update__action__in=chosen)
        .values_list("update__action_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    updates = (
        ActionUpdate.objects.filter(action__in=chosen, kind__in=DECISIONS)
        .select_related("author")
        .order_by("created_at", "id")
    )
    for update in updates:
        who = update.author.get_full_name() or update.author.get_username()
        examined = update.evidence_examined or update.narrative
        found.decisions[update.action_id].append(
            f"{update.get_kind_display()} by {who} on {update.created_at.date().isoformat()}: "
            f"{examined}"
        )
    return found


def rows(actions: QuerySet[Action], today: date) -> Iterator[list[str]]:
    more = extras(actions, today)
    for action in actions.iterator(chunk_size=500):
        latest = action.latest_update
        rating = more.ratings.get(action.recommendation_id, Rag.RED)
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
                action.recommendation.text,
                rating.label,
                more.evidence.get(action.pk, 0),
                "; ".join(more.decisions.get(action.pk, [])),
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(lines: Iterable[list[str]], title: str) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel reads UTF-8
    if title:
        yield writer.writerow([safe(title)])
    yield writer.writerow(HEADERS)
    for line in lines:
        yield writer.writerow(line)


def scope_title(agency_name: str) -> str:
    """The first line of an export holding one agency's actions (empty when it holds all)."""
    return f"Actions of {agency_name} only" if agency_name else ""


def response(
    actions: QuerySet[Action], fmt: str, today: date, agency_name: str = ""
) -> HttpResponse | StreamingHttpResponse:
    """The export; `agency_name` names the one agency whose actions it holds, if it is one."""
    name = f"action-plan-{today.isoformat()}"
    title = scope_title(agency_name)
    if fmt == "csv":
        lines = _csv_lines(rows(actions, today), title)
        streamed = StreamingHttpResponse(lines, content_type="text/csv")
        streamed["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return streamed
    if fmt == "xlsx":
        from openpyxl import Workbook  # here: only an XLSX download needs it

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Action plan")
        if title:
            sheet.append([safe(title)])
        sheet.append(HEADERS)
        for line in rows(actions, today):
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
