"""Splitting a recommendation's response blocks by agency and finding candidate actions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .agencies import AgencyMatcher
from .blocks import Block, plain, sentences
from .dates import due_date
from .draft import Action, Response, Status
from .status import classify

_BOLD_START = re.compile(r"^\s*(?:\*\*|__)(?P<name>[^*_]+?)(?:\*\*|__)")
_PARTNERSHIP_START = re.compile(
    r"^\W*(?:\w+\W+){0,4}?(?:partner(?:ship)?s?|sscp|lscb|all\s+agencies|learning\s+group"
    r"|business\s+unit)\b",
    re.IGNORECASE,
)


@dataclass
class _Attributed:
    block: Block
    agency: str | None
    heading: bool


@dataclass
class _Walker:
    """Carries the agency context from paragraph to paragraph and bullet to bullet."""

    matcher: AgencyMatcher
    para_agency: str | None = None
    stack: list[_Attributed] = field(default_factory=list)

    def attribute(self, blocks: list[Block]) -> list[_Attributed]:
        found: list[_Attributed] = []
        for i, block in enumerate(blocks):
            if block.kind == "bullet":
                found.append(self._bullet(block, _is_heading_bullet(blocks, i)))
            else:
                found.extend(self._paragraph(block))
        return found

    def _paragraph(self, block: Block) -> list[_Attributed]:
        """The paragraph in runs of sentences, each run credited to the agency it names.

        A sentence naming no agency continues with the last one named (from an earlier
        paragraph too); one opening with the partnership ("The partners note…") is nobody's.
        """
        self.stack = []
        runs: list[_Attributed] = []
        for sentence in sentences(block.text) or [plain(block.text)]:
            named = self.matcher.acting(sentence)
            if named is None and _PARTNERSHIP_START.match(sentence):
                self.para_agency = None
            elif named is not None:
                self.para_agency = named
            if runs and runs[-1].agency == self.para_agency:
                last = runs[-1].block
                runs[-1].block = replace(last, text=f"{last.text} {sentence}")
            else:
                runs.append(_Attributed(replace(block, text=sentence), self.para_agency, False))
        return runs

    def _bullet(self, block: Block, heading: bool) -> _Attributed:
        sibling = self.stack[block.level] if len(self.stack) > block.level else None
        del self.stack[block.level :]
        parent = self.stack[-1].agency if self.stack else self.para_agency
        named = self._bullet_agency(block)
        if named is None:
            continues = sibling is not None and not sibling.heading and not heading
            named = sibling.agency if continues and sibling else parent
        while len(self.stack) < block.level:
            self.stack.append(_Attributed(block, parent, True))
        item = _Attributed(block, named, heading)
        self.stack.append(item)
        return item

    def _bullet_agency(self, block: Block) -> str | None:
        bold = _BOLD_START.match(block.text)
        if bold and (named := self.matcher.cell(bold["name"])):
            return named
        return self.matcher.at_start(plain(block.text))


def _is_heading_bullet(blocks: list[Block], index: int) -> bool:
    """A bullet that heads sub-bullets ("Quality Assurance:") rather than stating something."""
    block = blocks[index]
    if block.kind != "bullet":
        return False
    text = plain(block.text)
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    has_children = following is not None and following.kind == "bullet"
    has_children = has_children and following is not None and following.level > block.level
    if text.endswith(":") and len(text) < 80:
        return True
    return has_children and len(text) < 80 and not text.endswith((".", ";"))


def build_responses(
    blocks: list[Block], matcher: AgencyMatcher, doc_date: date | None
) -> list[Response]:
    """Responses by agency (in order of first appearance) with their candidate actions."""
    attributed = _Walker(matcher).attribute(blocks)
    grouped: dict[str | None, Response] = {}
    lead_in: tuple[str | None, Status] | None = None
    for item in attributed:
        response = grouped.setdefault(item.agency, Response(item.agency, "", []))
        response.text = "\n".join(filter(None, [response.text, _render(item.block)]))
        if item.block.kind != "bullet":
            lead_in = (item.agency, _lead_in_status(item.block))
            response.actions.extend(_paragraph_actions(item.block, doc_date))
        elif not item.heading:
            inherited = lead_in[1] if lead_in and lead_in[0] == item.agency else None
            response.actions.extend(_bullet_actions(item.block, inherited, doc_date))
    responses = list(grouped.values())
    if not any(response.actions for response in responses):
        # Nothing reads as an action, but the document did respond: offer what it said.
        for response in responses:
            first = next((line for line in response.text.splitlines() if line.strip()), "")
            if first:
                text = first.lstrip(" -")
                response.actions.append(_action(text, classify(text), doc_date))
    return responses


def _render(block: Block) -> str:
    text = plain(block.text)
    return f"{'  ' * block.level}- {text}" if block.kind == "bullet" else text


def _lead_in_status(block: Block) -> Status:
    parts = sentences(block.text)
    return classify(parts[-1]) if parts else "unknown"


def _action(text: str, status: Status, doc_date: date | None) -> Action:
    due = None if status == "done" else due_date(text, doc_date)
    return Action(text.rstrip(";,"), status, due)


def _paragraph_actions(block: Block, doc_date: date | None) -> list[Action]:
    found = [(part, classify(part)) for part in sentences(block.text)]
    return [_action(part, status, doc_date) for part, status in found if status != "unknown"]


def _bullet_actions(block: Block, inherited: Status | None, doc_date: date | None) -> list[Action]:
    actions = _paragraph_actions(block, doc_date)
    if actions:
        return actions
    return [_action(plain(block.text), inherited or "unknown", doc_date)]
