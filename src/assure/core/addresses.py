"""The client's real address, believing X-Forwarded-For only as far as TRUSTED_PROXIES allow.

Each proxy appends the address it was reached from, so the header is read from the right:
hops added by our own trusted proxies are skipped, and the first other hop is the client.
Anything to its left was written by the client and could be anything, so it is never read.
Used by the audit trail and by django-axes (AXES_CLIENT_IP_CALLABLE), so lockouts and
events name the person's address, not the proxy's.
"""

import ipaddress
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@cache
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {error}. List addresses or networks, like 10.0.0.5,10.1.0.0/16."
        ) from None


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str | None) -> bool:
    found = _address(address or "")
    networks = _trusted(tuple(settings.TRUSTED_PROXIES))
    return found is not None and any(found in network for network in networks)


def client_address(request: HttpRequest) -> str | None:
    """The address of the first hop, from the right, that is not one of our trusted proxies."""
    address: str | None = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(address):
        return address
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        if _address(hop) is None:
            return address  # a garbled header: the last address we can vouch for
        address = hop
        if not is_trusted_proxy(hop):
            return hop
    return address
