"""Values every page template needs."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.urls import reverse

from assure.core.middleware import is_verified
from assure.core.navigation import destinations_for, home_text
from assure.core.viewer import viewer_of


def _current(path: str, hrefs: list[str]) -> str | None:
    """The one menu item a page is under: the longest address the path starts with ("/" for
    home only), so "My agency's actions" is current rather than "All actions" and "Reviews"."""
    under = [h for h in hrefs if path == h or (h != "/" and path.startswith(h))]
    return max(under, key=len, default=None)


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Service name, CSP nonce, navigation for this person, the synthetic-data flag and how
    long a session may idle (for the warning before it ends)."""
    nonce = get_nonce(request)
    navigation = []
    if is_verified(request.user):
        home: dict[str, Any] = {"href": reverse("core:home"), "text": home_text(request)}
        navigation = [home] + [
            {"href": href, "text": d.label} for d, href in destinations_for(viewer_of(request))
        ]
        current = _current(request.path, [item["href"] for item in navigation])
        for item in navigation:
            item["active"] = item["href"] == current
    return {
        "serviceName": settings.ASSURE_SERVICE_NAME,
        "cspNonce": str(nonce) if nonce is not None else "",
        "navigation": navigation,
        "synthetic_data": settings.ASSURE_SYNTHETIC_DATA,
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
    }
