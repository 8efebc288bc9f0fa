"""`parse_document`: a review document or action-plan table turned into a draft."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .agencies import AgencyMatcher, AgencyName
from .blocks import Block, lines_to_blocks, plain
from .dates import document_date
from .draft import Draft, Recommendation, Response, Unparsed
from .errors import ReviewDocumentError
from .extract import Item, extract
from .responses import build_responses
from .structure import find_sections
from .tables import RawTable, TableResult, cell_text, find_header, read_table

_TABLE_EXPECTED = (
    "expected an action-plan table with a header row naming columns such as "
    "Recommendation, Action, Lead agency, Timescale and Status"
)


def parse_document(
    path: Path, agencies: Sequence[AgencyName], *, source_name: str | None = None
) -> Draft:
    """Parse a review document (.txt .md .docx .pdf) or action plan (.csv .xlsx .docx).

    `source_name` is the name people know the file by (an upload's original name); it
    decides the format when given and is used in error messages. Raises
    ReviewDocumentError for a file that cannot be read.
    """
    name = source_name or path.name
    extracted = extract(path, name)
    matcher = AgencyMatcher(agencies)
    tables = [item for item in extracted.items if isinstance(item, RawTable)]
    if extracted.kind == "table":
        return _from_tables(tables, matcher, name)
    return _from_document(extracted.items, matcher)


def _from_tables(tables: list[RawTable], matcher: AgencyMatcher, name: str) -> Draft:
    results: list[TableResult] = []
    leftovers: list[Unparsed] = []
    for table in tables:
        header = find_header(table)
        if header is None:
            leftovers.extend(_table_rows_unparsed(table))
        else:
            results.append(read_table(table, header, matcher))
    if not results:
        raise ReviewDocumentError(f"{name}: no action-plan header row found; {_TABLE_EXPECTED}")
    draft = _assemble([], results, None)
    draft.unparsed.extend(leftovers)
    return draft


def _table_rows_unparsed(table: RawTable) -> list[Unparsed]:
    reason = "table has no action-plan header row"
    found = []
    for index, row in enumerate(table.rows):
        text = " | ".join(cell for value in row if (cell := cell_text(value)))
        if text:
            found.append(Unparsed(table.where(index), text, reason))
    return found


def _from_document(items: list[Item], matcher: AgencyMatcher) -> Draft:
    blocks: list[Block] = []
    results: list[TableResult] = []
    for item in items:
        if isinstance(item, Block):
            blocks.append(item)
        elif (header := find_header(item)) is not None:
            results.append(read_table(item, header, matcher))
        else:
            blocks.extend(_table_blocks(item))
    doc_date, date_where = _document_date(blocks)
    outline = find_sections(blocks, frozenset({date_where}) if date_where else frozenset())
    recs = [
        Recommendation(s.number, s.text, build_responses(s.body, matcher, doc_date), s.where)
        for s in outline.sections
    ]
    draft = _assemble(recs, results, outline.title)
    draft.unparsed[:0] = outline.unparsed
    return draft


def _table_blocks(table: RawTable) -> list[Block]:
    """A table that is not an action plan, read cell by cell as text."""
    blocks: list[Block] = []
    for index, row in enumerate(table.rows):
        seen: list[str] = []
        for value in row:
            text = cell_text(value)
            if text and text not in seen:
                seen.append(text)
                lines = [(table.where(index), line) for line in text.splitlines()]
                blocks.extend(lines_to_blocks(lines))
    return blocks


def _document_date(blocks: list[Block]) -> tuple[date | None, str | None]:
    for block in blocks:
        text = plain(block.text)
        if block.kind != "bullet" and len(text) <= 100 and (found := document_date([text])):
            return found, block.where
    return None, None


def _assemble(recs: list[Recommendation], results: list[TableResult], title: str | None) -> Draft:
    merged: dict[int, Recommendation] = {}
    for rec in [*recs, *(rec for result in results for rec in result.recommendations)]:
        _merge_into(merged, rec)
    ordered = sorted(merged.values(), key=lambda rec: rec.number)
    table_title = next((result.title for result in results if result.title), None)
    draft = Draft(title or table_title, ordered)
    for result in results:
        draft.unparsed.extend(result.unparsed)
    draft.unparsed.extend(
        Unparsed(rec.where, f"Recommendation {rec.number}", "recommendation has no text")
        for rec in ordered
        if not rec.text
    )
    return draft


def _merge_into(merged: dict[int, Recommendation], rec: Recommendation) -> None:
    existing = merged.get(rec.number)
    if existing is None:
        merged[rec.number] = rec
        return
    existing.text = existing.text or rec.text
    for response in rec.responses:
        _merge_response(existing.responses, response)


def _merge_response(responses: list[Response], new: Response) -> None:
    for response in responses:
        if response.agency == new.agency:
            response.text = "\n".join(filter(None, [response.text, new.text]))
            response.actions.extend(new.actions)
            return
    responses.append(new)
