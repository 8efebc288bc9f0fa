"""Blocks of text (paragraphs, bullets, headings) built from lines, and sentence helpers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

BlockKind = Literal["para", "bullet", "heading"]

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[-*•·▪◦‣–—●■□➢►✓]\s+(?P<rest>\S.*)$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<rest>.+?)\s*#*\s*$")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|\(\d{1,2}\)|\d{1,2}(?:\.\d{1,2})+\.?)\s+\S")
_STANDALONE = re.compile(
    r"^\W*(?:recommendation|rec\.?)\s+(?:\d+|[a-z]+)\W*$|^\W*recommendations\W*$", re.IGNORECASE
)
_STARTS_SECTION = re.compile(r"^\W*(?:recommendation|rec\.?)\s+\d+\s*[:.)\-–—]", re.IGNORECASE)
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_FUNCTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "a an the and or of to in by for with on at from as that which including into within"
        " between their its our this these those is are was were be",
    )
)


@dataclass(frozen=True)
class Block:
    """A paragraph, bullet or heading; `text` may keep **bold** marks; `where` locates it."""

    text: str
    where: str
    kind: BlockKind = "para"
    level: int = 0


def plain(text: str) -> str:
    """Text without bold marks or markdown links, with spacing collapsed."""
    text = _LINK.sub(r"\1", text).replace("**", "").replace("__", "")
    return re.sub(r"\s+", " ", text).strip()


def sentences(text: str) -> list[str]:
    """`text` split into sentences (a simple split after . ! or ? before a capital)."""
    return [part.strip() for part in _SENTENCE_END.split(plain(text)) if part.strip()]


def split_bullet(text: str) -> tuple[int, str] | None:
    """(indent width, text) when `text` opens with a bullet mark, else None."""
    m = _BULLET.match(text.replace("\t", "    "))
    if m is None or (m["rest"].startswith("*") and not m["rest"].startswith("**")):
        return None
    return len(m["indent"]), m["rest"]


@dataclass
class _Open:
    block: Block
    after_gap: bool
    closed: bool = False


class _Builder:
    """Collects lines into blocks; a blank line, bullet, heading or numbered item starts one."""

    def __init__(self, wrap_width: int | None) -> None:
        self.wrap_width = wrap_width
        self.blocks: list[_Open] = []
        self.gap = False
        self.indents: list[int] = []

    def add(self, where: str, line: str) -> None:
        if not line.strip():
            self.gap = True
            return
        heading = _MD_HEADING.match(line)
        bullet = split_bullet(line)
        if heading:
            self._start(Block(heading["rest"], where, "heading"), closed=True)
        elif bullet:
            self._start(Block(bullet[1], where, "bullet", self._level(bullet[0])))
        elif self._starts_block(line):
            self.indents = []
            self._start(Block(line.strip(), where), closed=bool(_STANDALONE.match(line)))
        else:
            self._extend(line.strip())
        self.gap = False
        if self.wrap_width and self._ends_wrapped_paragraph(line):
            self.blocks[-1].closed = True

    def _starts_block(self, line: str) -> bool:
        current = self.blocks[-1] if self.blocks else None
        return (
            current is None
            or self.gap
            or current.closed
            or bool(_NUMBERED.match(line) or _STANDALONE.match(line) or _STARTS_SECTION.match(line))
        )

    def _level(self, indent: int) -> int:
        if self.blocks and self.blocks[-1].block.kind != "bullet":
            self.indents = []
        while self.indents and indent < self.indents[-1]:
            self.indents.pop()
        if not self.indents or indent > self.indents[-1]:
            self.indents.append(indent)
        return len(self.indents) - 1

    def _start(self, block: Block, *, closed: bool = False) -> None:
        self.blocks.append(_Open(block, self.gap, closed))

    def _extend(self, text: str) -> None:
        current = self.blocks[-1]
        current.block = replace(current.block, text=f"{current.block.text} {text}")

    def _ends_wrapped_paragraph(self, line: str) -> bool:
        stripped = line.rstrip()
        width = self.wrap_width or 0
        if len(stripped) < 0.6 * width:
            return True
        return stripped.endswith((".", ":", "!", "?", ";")) and len(stripped) < 0.75 * width


def lines_to_blocks(lines: Iterable[tuple[str, str]], *, wrapped: bool = False) -> list[Block]:
    """Blocks from (where, line) pairs, re-joining paragraphs split by a page break.

    With `wrapped` (hard-wrapped PDF text) a short line ending a sentence ends its paragraph.
    """
    pairs = list(lines)
    width = max((len(text.rstrip()) for _, text in pairs), default=0) if wrapped else None
    builder = _Builder(width)
    for where, text in pairs:
        builder.add(where, text)
    return _join_breaks(builder.blocks)


def _join_breaks(opened: list[_Open]) -> list[Block]:
    joined: list[Block] = []
    for item in opened:
        if joined and item.after_gap and _continues(joined[-1], item.block):
            prev = joined[-1]
            joined[-1] = replace(prev, text=f"{prev.text} {item.block.text}")
        else:
            joined.append(item.block)
    return joined


def _continues(prev: Block, block: Block) -> bool:
    """Whether `block` carries on a sentence that `prev` left unfinished (a page break)."""
    if prev.kind == "heading" or block.kind == "heading" or _STANDALONE.match(prev.text):
        return False
    if _STARTS_SECTION.match(block.text) or _NUMBERED.match(block.text):
        return False
    tail = plain(prev.text)
    if not re.search(r"[a-z,]$", tail):
        return False
    last_word = tail.rsplit(" ", 1)[-1].lower()
    return block.text[:1].islower() or last_word in _FUNCTION_WORDS
