"""Recognising agency names and their aliases in free text and table cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_DROP = str.maketrans({"’": "", "‘": "", "'": "", "`": "", "´": "", "ʼ": "", "*": " "})
_LEADING_THE = re.compile(r"^(?:the\s+)")
_ADDRESSEE = re.compile(r"(?:^|\b(?:from|by)\s+)(?:the\s+)?(?:\w+\s+)?$")
_RECIPIENT = re.compile(r"\b(?:with|to|for|alongside|towards|into|through|via)\s+(?:the\s+)?$")


@dataclass(frozen=True)
class AgencyName:
    """An agency's canonical name and the other names documents use for it."""

    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgencyMatch:
    """An agency named in a normalised text, with where the name sits."""

    name: str
    start: int
    end: int


def normalise(text: str) -> str:
    """Lower-case text with apostrophes dropped, dashes unified and spacing collapsed."""
    text = text.translate(_DROP).lower()
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    text = text.replace("&", " and ")
    text = re.sub(r"\bnhs\s+foundation\s+trust\b", "foundation trust", text)
    return re.sub(r"\s+", " ", text).strip()


class AgencyMatcher:
    """Finds agencies by name or alias: case-insensitive, longest alias first."""

    def __init__(self, agencies: Sequence[AgencyName]) -> None:
        self._names: dict[str, str] = {}
        for agency in agencies:
            for alias in (agency.name, *agency.aliases):
                key = normalise(alias)
                if key:
                    self._names.setdefault(key, agency.name)
        aliases = sorted(self._names, key=len, reverse=True)
        body = "|".join(re.escape(alias) for alias in aliases) or r"(?!x)x"
        self._pattern = re.compile(rf"(?<!\w)({body})s?(?!\w)")

    def find_all(self, text: str) -> list[AgencyMatch]:
        """Every agency named in `text`, in order (positions are in the normalised text)."""
        return [
            AgencyMatch(self._names[m.group(1)], m.start(), m.end())
            for m in self._pattern.finditer(normalise(text))
        ]

    def first(self, text: str) -> str | None:
        """The agency named earliest in `text`."""
        matches = self.find_all(text)
        return matches[0].name if matches else None

    def acting(self, text: str) -> str | None:
        """The agency a sentence names as doing something: the first one named, skipping
        those it names only as a partner or recipient ("working with X", "reported to X")."""
        norm = normalise(text)
        for match in self.find_all(text):
            if not _RECIPIENT.search(norm[: match.start]):
                return match.name
        return None

    def addressed(self, text: str) -> str | None:
        """The agency a recommendation is addressed to: named at its start ("Southampton
        Children's Services to assure…") or after "from" or "by" ("assurance from X")."""
        norm = normalise(text)
        for match in self.find_all(text):
            if _ADDRESSEE.search(norm[: match.start]):
                return match.name
        return None

    def at_start(self, text: str) -> str | None:
        """The agency whose name opens `text` (a leading "The" is ignored)."""
        norm = _LEADING_THE.sub("", normalise(text))
        match = self._pattern.match(norm)
        return self._names[match.group(1)] if match else None

    def cell(self, text: str) -> str | None:
        """The agency a table cell names: the whole cell, else the first name in it."""
        norm = normalise(text)
        exact = self._names.get(_LEADING_THE.sub("", norm))
        return exact or self.first(text)
