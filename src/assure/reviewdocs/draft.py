"""The draft a parsed document becomes, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Status = Literal["done", "in_progress", "planned", "unknown"]


@dataclass
class Action:
    """A candidate action found in a response."""

    text: str
    status: Status = "unknown"
    due: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
        }


@dataclass
class Response:
    """What one agency (or nobody in particular, agency None) said about a recommendation."""

    agency: str | None
    text: str
    actions: list[Action] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "text": self.text,
            "actions": [action.to_json() for action in self.actions],
        }


@dataclass
class Recommendation:
    """A numbered recommendation; `where` tells where it starts (not part of the JSON)."""

    number: int
    text: str
    responses: list[Response] = field(default_factory=list)
    where: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "text": self.text,
            "responses": [response.to_json() for response in self.responses],
        }


@dataclass(frozen=True)
class Unparsed:
    """Content the parser did not understand, kept so that nothing is silently dropped."""

    where: str
    text: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "text": self.text, "reason": self.reason}


@dataclass
class Draft:
    """A document turned into recommendations, responses and actions for a person to confirm."""

    title: str | None = None
    recommendations: list[Recommendation] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "recommendations": [rec.to_json() for rec in self.recommendations],
            "unparsed": [item.to_json() for item in self.unparsed],
        }
