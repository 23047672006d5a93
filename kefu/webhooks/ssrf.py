"""Where a webhook may point: the public internet only (unless the operator allows private
networks), checked at subscription and again at every call, on every address the name resolves
to — a name that resolves to a private address later (DNS rebinding) is caught at the call, and
the call connects to the checked address itself."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from kefu.errors import Invalid

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def allow_private() -> bool:
    return bool(settings.KEFU_WEBHOOKS_ALLOW_PRIVATE)


def _is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url: str) -> list[str]:
    """The addresses ``url``'s host resolves to, all allowed; Invalid (422) otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise Invalid(_("The URL must start with https:// and name a host."), field="url")
    if parts.scheme == "http" and not (allow_private() or settings.DEBUG):
        raise Invalid(_("Webhooks must use https://."), field="url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError):
        raise Invalid(
            _("The host %(host)s cannot be resolved.") % {"host": parts.hostname}, field="url"
        ) from None
    addresses = sorted({str(info[4][0]) for info in found})
    if not allow_private():
        for text in addresses:
            if not _is_public(ipaddress.ip_address(text.split("%")[0])):
                raise Invalid(
                    _("%(host)s resolves to %(address)s, a private, loopback or reserved "
                      "address; webhooks may only call public addresses.")
                    % {"host": parts.hostname, "address": text},
                    field="url",
                )  # fmt: skip
    return addresses
