"""Values every page template needs."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csp import get_nonce
from django.urls import reverse

from assure.core.middleware import is_verified
from assure.core.navigation import home_text, menu_for
from assure.core.viewer import viewer_of


def _current(path: str, hrefs: list[str]) -> str | None:
    """The one menu item a page is under: the longest address the path starts with ("/" for
    home only), so "My agency's actions" is current rather than "All actions" and "Reviews"."""
    under = [h for h in hrefs if path == h or (h != "/" and path.startswith(h))]
    return max(under, key=len, default=None)


def page_context(request: HttpRequest) -> dict[str, Any]:
    """Service name, CSP nonce, the person's menu (areas) and the current area's own menu,
    the synthetic-data flag and how long a session may idle (for the warning before it ends)."""
    nonce = get_nonce(request)
    navigation: list[dict[str, Any]] = []
    subnavigation: dict[str, Any] | None = None
    if is_verified(request.user):
        menu = menu_for(viewer_of(request))
        home = reverse("core:home")
        hrefs = [home] + [href for item in menu for _, href in item.destinations]
        current = _current(request.path, hrefs)
        navigation = [{"href": home, "text": home_text(request), "active": current == home}]
        for item in menu:
            inside = any(href == current for _, href in item.destinations)
            navigation.append({"href": item.href, "text": item.label, "active": inside})
            if inside and len(item.destinations) > 1:
                subnavigation = {
                    "label": item.label,
                    "items": [
                        {"href": href, "text": d.label, "current": href == current}
                        for d, href in item.destinations
                    ],
                }
    return {
        "serviceName": settings.ASSURE_SERVICE_NAME,
        "cspNonce": str(nonce) if nonce is not None else "",
        "navigation": navigation,
        "subnavigation": subnavigation,
        "synthetic_data": settings.ASSURE_SYNTHETIC_DATA,
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
    }
