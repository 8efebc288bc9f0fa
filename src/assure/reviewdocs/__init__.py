"""Review documents and action plans turned into draft recommendations, responses and actions.

Pure Python: nothing here touches the database. See `parse_document`.
"""

from typing import TYPE_CHECKING, Any

from .agencies import AgencyName
from .draft import Action, Draft, Recommendation, Response, Unparsed
from .errors import ReviewDocumentError

if TYPE_CHECKING:
    from .parser import parse_document

__all__ = [
    "Action",
    "AgencyName",
    "Draft",
    "Recommendation",
    "Response",
    "ReviewDocumentError",
    "Unparsed",
    "parse_document",
]


def __getattr__(name: str) -> Any:
    """`parse_document`, imported at its first use: the parser compiles many patterns, and
    this package is imported at every start (it is an installed app)."""
    if name == "parse_document":
        from .parser import parse_document

        return parse_document
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
