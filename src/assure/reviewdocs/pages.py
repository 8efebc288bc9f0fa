"""Page furniture: running headers, footers and page numbers, found and left out.

Published reviews repeat the partnership's name or the review's title at the top or foot of
every page, with "Page 3 of 20" beneath. Read as text, those lines split paragraphs and look
like the document's own words; here they are recognised by repetition across pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_PAGE_NUMBER = re.compile(
    r"^\s*[-–—]?\s*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\s*[-–—]?\s*$"
    r"|^\W*page\s+\d{1,4}\b.{0,40}$",
    re.IGNORECASE,
)
_PAGE_LABEL = re.compile(r"^\W*page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$", re.IGNORECASE)
_EDGE = 3  # lines at the top and foot of a page that may be furniture
_NUMBERS = re.compile(r"\bpage\s+\d+(?:\s*(?:of|/)\s*\d+)?|^\d+\s+|\s+\d+$")
_NEVER_FURNITURE = re.compile(
    r"^\W*(?:recommendation|rec\.?)\s+\d|^\W*\(?\d{1,2}[.)]\s", re.IGNORECASE
)

Line = tuple[str, str]  # (where, text)


def _key(text: str) -> str:
    """A line as compared across pages: case, spacing and page numbers ignored."""
    key = _NUMBERS.sub("", re.sub(r"\s+", " ", text.strip().lower()))
    return key.strip(" -–—|·")


def _edges(page: Sequence[Line]) -> list[int]:
    """Indexes of the first and last few non-blank lines of a page."""
    filled = [i for i, (_, text) in enumerate(page) if text.strip()]
    return sorted(set(filled[:_EDGE] + filled[-_EDGE:]))


def drop_furniture(pages: Sequence[Sequence[Line]]) -> list[list[Line]]:
    """The pages without page numbers and without lines repeated at page edges.

    A line counts as a running header or footer when it sits among the first or last three
    lines of at least half the pages (and at least two). Recommendation headings and numbered
    items never do, however often they open a page.
    """
    seen: Counter[str] = Counter()
    for page in pages:
        keys = {_key(page[i][1]) for i in _edges(page)}
        seen.update(key for key in keys if key)
    needed = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in seen.items() if count >= needed}
    kept: list[list[Line]] = []
    for page in pages:
        edges = set(_edges(page)) if len(pages) > 1 else set()
        kept.append(
            [
                (where, text)
                for index, (where, text) in enumerate(page)
                if not _PAGE_LABEL.match(text)
                and not (index in edges and _is_furniture(text, running))
            ]
        )
    return kept


def _is_furniture(text: str, running: set[str]) -> bool:
    if _NEVER_FURNITURE.match(text):
        return False
    return bool(_PAGE_NUMBER.match(text)) or _key(text) in running


def split_pages(text: str) -> list[list[Line]]:
    """Plain text's pages: split at form feeds, else after each "Page N of M" line."""
    pages: list[list[Line]] = []
    number = 0
    for chunk in text.split("\f"):
        pages.append([])
        for line in chunk.splitlines():
            number += 1
            pages[-1].append((f"line {number}", line))
            if "\f" not in text and _PAGE_LABEL.match(line):
                pages.append([])
    return [page for page in pages if page]
