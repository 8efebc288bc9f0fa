"""Review documents and action plans turned into draft recommendations, responses and actions.

Pure Python: nothing here touches the database. See `parse_document`.
"""

from .agencies import AgencyName
from .draft import Action, Draft, Recommendation, Response, Unparsed
from .errors import ReviewDocumentError
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
