"""Finding numbered recommendations in a sequence of blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, plain
from .draft import Unparsed

_NUMBER_WORDS = re.findall(
    r"\w+",
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen"
    " sixteen seventeen eighteen nineteen twenty",
)
_NUMBER = r"(?P<number>\d{1,3}|" + "|".join(_NUMBER_WORDS) + ")"
_REC = rf"(?:recommendation|rec\.?)\s+{_NUMBER}"
_I = re.IGNORECASE
_HEADING = re.compile(rf"^{_REC}\s*[:.)\-–—]?$", _I)
_INLINE = re.compile(rf"^{_REC}\s*(?:[:.)\-–—]\s*|\s+(?=[A-Z]))(?P<text>\S.*)$", _I)
_SECTION_NUMBER = r"(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)"
_LIST_HEADING = re.compile(
    rf"^{_SECTION_NUMBER}?(?:(?:the|our|summary\s+of(?:\s+the)?|review)\s+)?"
    r"recommendations\b[^.]{0,50}:?$",
    _I,
)
_LIST_ITEM = re.compile(
    r"^(?:(?P<number>\d{1,2})[.)]|\((?P<bracketed>\d{1,2})\))\s+(?P<text>\S.*)$"
)
# "3. Findings", "4.2 Analysis": a short title after a section number, not a recommendation.
_SECTION_HEADING = re.compile(rf"^{_SECTION_NUMBER}(?P<title>[A-Z][^.:;!?]*)$")
_SECTION_WORDS = 5
_DIRECTIVE = re.compile(r"\b(?:should|must|will|shall|to|ensure)\b", _I)
# "In response to recommendation 2, ..." or "Response to recommendation 2" in a later section.
_REFERENCE = re.compile(
    rf"^(?:in\s+)?(?:(?:the\s+)?(?:partnership|agency)['’]?s?\s+)?(?:response|responding|reply)"
    rf"\s+to\s+{_REC}\b\s*[,:.\-–—]?\s*(?P<rest>.*)$",
    _I,
)
_END_MARKER = re.compile(r"^\W*(?:ends?|end\s+of\s+(?:document|report))\W*$", _I)
_RESPONSE_LABEL = re.compile(
    r"^(?:(?:partnership|agency|agencies|partner|sscp|lscb)['’]?s?\s+)?responses?\s*[:\-–—]\s*", _I
)


@dataclass
class Section:
    """A recommendation found in the text, with the blocks that respond to it."""

    number: int
    text: str
    where: str
    body: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    """What a document's blocks hold: title, recommendation sections, leftovers."""

    title: str | None = None
    sections: list[Section] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)


def _number(word: str) -> int:
    word = word.lower()
    return _NUMBER_WORDS.index(word) + 1 if word in _NUMBER_WORDS else int(word)


@dataclass
class _State:
    outline: Outline = field(default_factory=Outline)
    current: Section | None = None
    awaiting_text: bool = False
    in_list: bool = False
    detached: bool = False  # a section heading ended the list: text needs a reference
    preamble: list[Block] = field(default_factory=list)


def find_sections(blocks: list[Block], skip: frozenset[str] = frozenset()) -> Outline:
    """Split blocks into recommendations, understanding three numbering styles.

    "Recommendation 1" alone on a line (the next paragraph is its text), "Recommendation 1:
    text" inline, and "1. text" items under a "Recommendations" heading. Blocks whose
    `where` is in `skip` (metadata such as the document date) are left out.
    """
    state = _State()
    for block in blocks:
        if block.where not in skip:
            _take(state, block)
    _finish_preamble(state)
    return state.outline


def _take(state: _State, block: Block) -> None:
    text = plain(block.text)
    if m := _HEADING.match(text):
        _open(state, _number(m["number"]), "", block.where, awaiting=True)
    elif m := _INLINE.match(text):
        _open(state, _number(m["number"]), m["text"], block.where)
    elif (m := _REFERENCE.match(text)) and _refers_to_known(state, _number(m["number"])):
        _open(state, _number(m["number"]), "", block.where)
        if m["rest"]:
            rest = m["rest"][0].upper() + m["rest"][1:]
            _add_response_block(state.current, Block(rest, block.where))  # type: ignore[arg-type]
    elif _LIST_HEADING.match(text) and len(text) < 80:
        state.in_list = True
        if state.current is not None:
            state.current.body.append(block)
        elif len(text.split()) > 6:
            state.preamble.append(block)
    elif _is_section_heading(text):
        # A new numbered section ("6. Conclusion") ends the recommendation being read.
        state.detached = state.current is not None
        state.in_list = False
        _other(state, Block(block.text, block.where, "heading"), text)
    elif state.in_list and (m := _LIST_ITEM.match(text)) and _next_in_list(state, _item(m)):
        _open(state, _item(m), m["text"], block.where)
    else:
        _other(state, block, text)


def _item(m: re.Match[str]) -> int:
    return int(m["number"] or m["bracketed"])


def _is_section_heading(text: str) -> bool:
    """A numbered heading such as "3. Findings": a few words, no sentence, no directive."""
    m = _SECTION_HEADING.match(text)
    return bool(
        m and len(m["title"].split()) <= _SECTION_WORDS and not _DIRECTIVE.search(m["title"])
    )


def _refers_to_known(state: _State, number: int) -> bool:
    return any(section.number == number for section in state.outline.sections)


def _next_in_list(state: _State, number: int) -> bool:
    expected = state.current.number + 1 if state.current else 1
    return number == expected


def _open(state: _State, number: int, text: str, where: str, *, awaiting: bool = False) -> None:
    state.detached = False
    existing = next((s for s in state.outline.sections if s.number == number), None)
    if existing is None:
        state.current = Section(number, text, where)
        state.outline.sections.append(state.current)
        state.awaiting_text = awaiting
        return
    state.current = existing
    state.awaiting_text = awaiting and not existing.text
    if text and not existing.text:
        existing.text = text
    elif text and text != existing.text:
        existing.body.append(Block(text, where))


def _other(state: _State, block: Block, text: str) -> None:
    if block.kind == "heading" and state.in_list and not state.awaiting_text:
        # The list of recommendations has ended: what follows belongs to one of them only
        # where it says which ("In response to recommendation 2", "Recommendation 2:").
        state.in_list = False
        state.detached = state.current is not None
    if _END_MARKER.match(text):
        state.outline.unparsed.append(Unparsed(block.where, text, "end-of-document marker"))
    elif state.detached:
        state.outline.unparsed.append(
            Unparsed(block.where, text, "after the list of recommendations, naming none of them")
        )
    elif state.current is None:
        state.preamble.append(block)
    elif state.awaiting_text:
        state.current.text = text
        state.awaiting_text = False
    else:
        _add_response_block(state.current, block)


def _add_response_block(section: Section, block: Block) -> None:
    text = _RESPONSE_LABEL.sub("", block.text, count=1)
    if plain(text) and plain(text) != section.text:
        section.body.append(Block(text, block.where, block.kind, block.level))


def _finish_preamble(state: _State) -> None:
    blocks = state.preamble
    title = _title_block(blocks)
    if title is not None:
        state.outline.title = plain(title.text)
    reason = (
        "introduction before the first recommendation"
        if state.outline.sections
        else "no numbered recommendations were found"
    )
    leftovers = [
        Unparsed(block.where, plain(block.text), reason) for block in blocks if block is not title
    ]
    state.outline.unparsed[:0] = leftovers


def _title_block(blocks: list[Block]) -> Block | None:
    for block in blocks:
        if block.kind == "heading" and not _is_section_heading(plain(block.text)):
            return block
    if blocks:
        first = plain(blocks[0].text)
        if (
            len(first) <= 120
            and not first.endswith((".", ":", ";"))
            and not _is_section_heading(first)
        ):
            return blocks[0]
    return None
