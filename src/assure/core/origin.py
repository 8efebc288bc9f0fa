"""Where the current request came from: its address and id, for the audit trail and the logs.

Kept apart from `audit` (which imports models) so the log formatter can read it at any time.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    """Where a request came from, for the audit trail."""

    ip_address: str | None
    request_id: str


current_origin: ContextVar[RequestOrigin | None] = ContextVar("current_origin", default=None)

# The operating-system user running a command ("" in a web request), for the audit trail.
current_command_user: ContextVar[str] = ContextVar("current_command_user", default="")
