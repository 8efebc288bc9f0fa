"""Reading files into blocks of text and raw tables, chosen by file extension."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assure.core.archives import zip_problem

from .blocks import Block, lines_to_blocks, plain, split_bullet
from .errors import ReviewDocumentError
from .pages import Line, drop_furniture, split_pages
from .tables import RawTable

Item = Block | RawTable
SUPPORTED = ".txt, .md, .docx, .pdf, .csv or .xlsx"
_TEXT = frozenset({".txt", ".text", ".md", ".markdown"})
_OLD_FORMATS = {
    ".doc": "an old Word .doc file: save it as .docx",
    ".xls": "an old Excel .xls file: save it as .xlsx",
    ".rtf": "a rich-text file: save it as .docx",
    ".odt": "an OpenDocument file: save it as .docx",
}


@dataclass
class Extracted:
    """A file's content: prose documents give blocks (and tables); spreadsheets give tables."""

    kind: Literal["document", "table"]
    items: list[Item] = field(default_factory=list)


def suffix_of(path: Path, name: str) -> str:
    """The extension that decides the format: the source name's, else the path's."""
    return (Path(name).suffix or path.suffix).lower()


def extract(path: Path, name: str) -> Extracted:
    """Read `path` (shown to people as `name`) by its extension."""
    suffix = suffix_of(path, name)
    reader = _READERS.get(suffix)
    if reader is None:
        why = _OLD_FORMATS.get(suffix, f"an unsupported file type ({suffix or 'no extension'})")
        raise ReviewDocumentError(f"{name}: {why}; expected a {SUPPORTED} file")
    if not path.is_file():
        raise ReviewDocumentError(f"{name}: file not found")
    if path.stat().st_size == 0:
        raise ReviewDocumentError(f"{name}: the file is empty; expected a {suffix} file")
    what, read = reader
    try:
        return read(path)
    except ReviewDocumentError as exc:
        raise ReviewDocumentError(f"{name}: {exc}") from None
    except Exception as exc:  # third-party readers raise many kinds of error on bad files
        # Their messages may hold the path the file was saved to: never show them to people.
        raise ReviewDocumentError(
            f"{name}: could not be read as {what}: it is damaged or in another format; "
            f"expected {what} that opens in its usual program"
        ) from exc


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ReviewDocumentError("looks like a binary file; expected plain text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_text(path: Path) -> Extracted:
    lines: list[Line] = []
    for page in drop_furniture(split_pages(_decode(path.read_bytes()))):
        if lines:
            lines.append((lines[-1][0], ""))  # a page break separates like a blank line
        lines.extend(page)
    return Extracted("document", list(lines_to_blocks(lines)))


def _read_pdf(path: Path) -> Extracted:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ReviewDocumentError("the PDF is password-protected; expected an unlocked PDF")
    pages = [
        [(f"page {page_no}, line {i}", line) for i, line in enumerate(text.splitlines(), 1)]
        for page_no, text in enumerate((page.extract_text() or "" for page in reader.pages), 1)
    ]
    lines: list[Line] = []
    for page_no, page in enumerate(drop_furniture(pages), 1):
        lines.extend(page)
        lines.append((f"page {page_no}", ""))
    if not any(line.strip() for _, line in lines):
        raise ReviewDocumentError(
            "the PDF has no text layer (a scanned image?); expected a PDF with selectable text"
        )
    return Extracted("document", list(lines_to_blocks(lines, wrapped=True)))


def _read_csv(path: Path) -> Extracted:
    text = _decode(path.read_bytes())
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [tuple(row) for row in csv.reader(io.StringIO(text), dialect)]
    return Extracted("table", [RawTable(list(rows))])


def _refuse_oversized(path: Path) -> None:
    """A .docx or .xlsx is a zip: refuse one that unpacks to too much before reading it."""
    if problem := zip_problem(path):
        raise ReviewDocumentError(problem)


def _read_xlsx(path: Path) -> Extracted:
    from openpyxl import load_workbook

    _refuse_oversized(path)
    book = load_workbook(str(path), read_only=True, data_only=True)
    try:
        sheets = list(book.worksheets)
        tables = [
            RawTable(
                [tuple(row) for row in sheet.iter_rows(min_row=1, values_only=True)],
                f"sheet '{sheet.title}', " if len(sheets) > 1 else "",
            )
            for sheet in sheets
        ]
    finally:
        book.close()
    return Extracted("table", list(tables))


def _read_docx(path: Path) -> Extracted:
    import docx

    _refuse_oversized(path)
    document = docx.Document(str(path))
    return Extracted("document", list(_docx_items(document)))


_READERS: dict[str, tuple[str, Callable[[Path], Extracted]]] = {
    **{suffix: ("a plain-text file", _read_text) for suffix in _TEXT},
    ".pdf": ("a PDF document", _read_pdf),
    ".csv": ("a CSV table", _read_csv),
    ".tsv": ("a tab-separated table", _read_csv),
    ".xlsx": ("an Excel .xlsx workbook", _read_xlsx),
    ".xlsm": ("an Excel .xlsm workbook", _read_xlsx),
    ".docx": ("a Word .docx document", _read_docx),
}


def _docx_items(document: Any) -> Iterator[Item]:
    from docx.table import Table

    numbering = _NumberingCounter()
    paragraph_no = table_no = 0
    for part in document.iter_inner_content():
        if isinstance(part, Table):
            table_no += 1
            numbering.reset()
            rows = [tuple(cell.text for cell in row.cells) for row in part.rows]
            yield RawTable(rows, f"table {table_no}, ")
            continue
        paragraph_no += 1
        block = _docx_block(part, f"paragraph {paragraph_no}", numbering)
        if block is not None:
            yield block


class _NumberingCounter:
    """Numbers Word's automatically numbered paragraphs, whose text lacks the number."""

    def __init__(self) -> None:
        self.count = 0

    def reset(self) -> None:
        self.count = 0

    def next(self) -> int:
        self.count += 1
        return self.count


def _docx_block(paragraph: Any, where: str, numbering: _NumberingCounter) -> Block | None:
    text = _marked_runs(paragraph)
    if not plain(text):
        return None
    style = str(getattr(paragraph.style, "name", "") or "").lower()
    if style.startswith(("heading", "title")):
        numbering.reset()
        return Block(text, where, "heading")
    level = _list_level(paragraph, style)
    if level is not None and ("number" in style or _is_decimal(paragraph)) and level == 0:
        return Block(f"{numbering.next()}. {text}", where)
    if level is not None:
        return Block(text, where, "bullet", level)
    bullet = split_bullet(text)
    if bullet:
        return Block(bullet[1], where, "bullet", 1 if bullet[0] else 0)
    return Block(text, where)


def _marked_runs(paragraph: Any) -> str:
    """Paragraph text with bold runs wrapped in ** (plain text if runs do not add up)."""
    from docx.text.hyperlink import Hyperlink

    pieces: list[tuple[str, bool]] = []
    for item in paragraph.iter_inner_content():
        runs = item.runs if isinstance(item, Hyperlink) else [item]
        pieces.extend((run.text, bool(run.bold)) for run in runs)
    if "".join(text for text, _ in pieces) != paragraph.text:
        return str(paragraph.text)
    return _join_bold(pieces)


def _join_bold(pieces: list[tuple[str, bool]]) -> str:
    out: list[str] = []
    index = 0
    while index < len(pieces):
        bold = pieces[index][1]
        end = index
        while end < len(pieces) and pieces[end][1] == bold:
            end += 1
        chunk = "".join(text for text, _ in pieces[index:end])
        if bold and chunk.strip():
            lead, core = chunk[: len(chunk) - len(chunk.lstrip())], chunk.strip()
            trail = chunk[len(chunk.rstrip()) :]
            chunk = f"{lead}**{core}**{trail}"
        out.append(chunk)
        index = end
    return "".join(out)


def _list_level(paragraph: Any, style: str) -> int | None:
    num_pr = _num_pr(paragraph)
    if num_pr is not None:
        ilvl = num_pr.ilvl
        return int(ilvl.val) if ilvl is not None else 0
    if "list" in style:
        digits = "".join(ch for ch in style if ch.isdigit())
        return int(digits) - 1 if digits else 0
    return None


def _num_pr(paragraph: Any) -> Any:
    p_pr = paragraph._p.pPr
    return p_pr.numPr if p_pr is not None else None


def _is_decimal(paragraph: Any) -> bool:
    """Whether Word numbers this list paragraph with digits (not bullets)."""
    num_pr = _num_pr(paragraph)
    if num_pr is None or num_pr.numId is None:
        return False
    try:
        numbering = paragraph.part.numbering_part.element
        num_id = num_pr.numId.val
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        abstract = numbering.xpath(f"./w:num[@w:numId='{num_id}']/w:abstractNumId/@w:val")
        fmt = numbering.xpath(
            f"./w:abstractNum[@w:abstractNumId='{abstract[0]}']/w:lvl[@w:ilvl='{ilvl}']"
            "/w:numFmt/@w:val"
        )
    except (AttributeError, IndexError, KeyError, NotImplementedError):
        return False
    return bool(fmt) and fmt[0] == "decimal"
