"""The client's IP address, the same for login lockouts (django-axes) and the audit log.

Behind the reverse proxy (README, Deploy) REMOTE_ADDR is the proxy's address; with
NONGTHON_TRUSTED_PROXIES=N the address is read from X-Forwarded-For, N entries from the right:
the one the outermost trusted proxy saw. Entries further left are written by the client and
could be forged, so they are never used.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    cached = getattr(request, "_nongthon_client_ip", False)
    if cached is not False:
        return cached
    address = _valid(request.META.get("REMOTE_ADDR", "") or "")
    proxies = getattr(settings, "NONGTHON_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part
        ]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies]) or address
    request._nongthon_client_ip = address
    return address
