"""A synthetic published review, laid out as partnerships publish them, in three formats.

Invented for these tests (a fictional partnership, child and agencies): numbered section
headings, the recommendations as a numbered list under a "Recommendations" heading in four
numbering styles, the responses in a later section that refers to each by number, and a
running header and footer on every page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import docx

from assure.reviewdocs import AgencyName

from .builders import pdf_bytes

COUNCIL = "Eastmoor Council children's services"
POLICE = "Eastmoor Police"
HEALTH = "Eastmoor Community Health NHS Trust"
SCHOOLS = "Eastmoor schools"
AGENCIES = [
    AgencyName(COUNCIL, ("Eastmoor Council", "Children's Services")),
    AgencyName(POLICE, ("Police",)),
    AgencyName(HEALTH, ("the health trust", "ECHT")),
    AgencyName(SCHOOLS, ("Schools", "Education")),
]
HEADER = "Eastmoor Safeguarding Children Partnership"
FOOTER = "Child M review | Page {page} of {pages}"

# Each page: (style, text) with style "title", "heading", "para" or "item".
PAGES: list[list[tuple[str, str]]] = [
    [
        ("title", "Learning from the review of Child M"),
        ("para", "Published: 3 June 2024"),
        ("heading", "1. Introduction"),
        (
            "para",
            "1.1 This review looks at how agencies worked together to help Child M, a fictional "
            "child aged six, and their family over eighteen months.",
        ),
        ("heading", "2. Findings"),
        (
            "para",
            "2.1 Information about domestic abuse in the household was known to several "
            "agencies but was not brought together in one place.",
        ),
        ("heading", "2.2 Analysis"),
        (
            "para",
            "The family moved house three times, and each move meant a new health visitor, "
            "a new school and a new social worker.",
        ),
    ],
    [
        ("heading", "3. Recommendations"),
        ("para", "The review makes four recommendations to the partnership."),
        (
            "item",
            "1. The partnership should make sure that learning from this review reaches "
            "practitioners in every agency.",
        ),
        (
            "item",
            "2) Eastmoor Police and Children's Services should agree how strategy discussions "
            "are recorded and shared.",
        ),
        (
            "item",
            "(3) Eastmoor Community Health NHS Trust should check that health visitors ask "
            "about domestic abuse at every contact.",
        ),
        (
            "item",
            "Recommendation 4: The partnership should seek assurance that schools know how "
            "to escalate concerns.",
        ),
        ("heading", "5. Partnership response"),
        (
            "para",
            "In response to recommendation 1, a learning briefing has been shared with all "
            "agencies. The partnership will hold two practitioner events by September 2024.",
        ),
    ],
    [
        (
            "para",
            "In response to recommendation 2, Eastmoor Police will update the strategy "
            "discussion record within three months. Children's Services will audit twenty "
            "strategy discussions by December 2024. The audit findings will be reported to "
            "the strategic leads.",
        ),
        ("heading", "Recommendation 3:"),
        (
            "para",
            "The health trust has added a question about domestic abuse to the contact "
            "record. It will train health visitors in its use by March 2025.",
        ),
        ("heading", "Response to recommendation 4"),
        (
            "para",
            "A briefing for designated safeguarding leads was completed in May 2024. Eastmoor "
            "schools will include escalation in their annual safeguarding audit. The learning "
            "group will review the results in spring 2025.",
        ),
        ("heading", "6. Conclusion"),
        ("para", "The partnership thanks the family for taking part in the review."),
    ],
]


def page_lines(width: int = 88) -> list[list[str]]:
    """Each page as the hard-wrapped lines a PDF's text layer gives, header and footer included."""
    pages = []
    for number, page in enumerate(PAGES, 1):
        lines = [HEADER, ""]
        for _, text in page:
            lines += [*textwrap.wrap(text, width), ""]
        lines.append(FOOTER.format(page=number, pages=len(PAGES)))
        pages.append(lines)
    return pages


def write_text(path: Path) -> Path:
    """The review as plain text with form feeds between pages (as `pdftotext` writes it)."""
    path.write_text("\f".join("\n".join(lines) for lines in page_lines()), encoding="utf-8")
    return path


def write_pdf(path: Path) -> Path:
    """The review as a PDF with a text layer, one page per page."""
    path.write_bytes(pdf_bytes([[line for line in lines if line] for lines in page_lines()]))
    return path


def write_docx(path: Path) -> Path:
    """The review as Word: heading styles, "List Number" recommendations, a page header."""
    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = HEADER
    section.footer.paragraphs[0].text = FOOTER.format(page=1, pages=1)
    styles = {"title": "Title", "heading": "Heading 1", "para": None}
    for page in PAGES:
        for style, text in page:
            if style == "item" and text[0] in "(123456789":
                document.add_paragraph(text.split(" ", 1)[1], style="List Number")
            else:
                document.add_paragraph(text, style=styles.get(style))
        document.add_page_break()
    document.save(str(path))
    return path
