"""DNS for mail authentication: one resolver, from settings, for SPF, DKIM and DMARC.

``KEFU_MAIL_DNS_SERVERS`` names the servers (``ip`` or ``ip:port``; a local validating
resolver in production, the test suite's fake server on 127.0.0.1 in tests); empty uses the
system's. pyspf looks names up through its module-level ``DNSLookup`` hook and dkimpy through a
``dnsfunc`` argument: both are pointed here, so no library asks another resolver behind our back.
"""

from __future__ import annotations

import functools
from typing import Any

import dns.exception
import dns.nameserver
import dns.resolver
import spf
from django.conf import settings


class DnsTempError(Exception):
    """No answer in time (or no server answered): the result is ``temperror``, not "absent"."""


@functools.lru_cache(maxsize=8)
def _resolver(servers: tuple[str, ...], timeout: float) -> dns.resolver.Resolver:
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = [_nameserver(server) for server in servers]
    resolver.lifetime = timeout
    resolver.timeout = min(timeout, 2.0)
    return resolver


def _nameserver(server: str) -> dns.nameserver.Nameserver:
    host, _colon, port = server.rpartition(":") if server.count(":") == 1 else (server, "", "")
    return dns.nameserver.Do53Nameserver(host or server, int(port or 53))


def resolver() -> dns.resolver.Resolver:
    servers = tuple(settings.KEFU_MAIL_DNS_SERVERS)
    return _resolver(servers, float(settings.KEFU_MAIL_DNS_TIMEOUT))


def lookup(name: str, qtype: str) -> list[Any]:
    """The records of ``name``; [] when it has none; DnsTempError when DNS does not answer."""
    try:
        return list(resolver().resolve(name, qtype, search=False))
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except (dns.exception.Timeout, dns.resolver.NoNameservers) as error:
        raise DnsTempError(f"{name} {qtype}: {error}") from error


def txt(name: str) -> list[bytes]:
    return [b"".join(record.strings) for record in lookup(name, "TXT")]


def dkim_txt(name: bytes | str, timeout: float = 5) -> bytes | None:
    """dkimpy's ``dnsfunc``: the key record of ``selector._domainkey.domain``."""
    import dkim

    text = name.decode() if isinstance(name, bytes) else name
    try:
        found = txt(text.rstrip("."))
    except DnsTempError as error:
        raise dkim.DnsTimeoutError(str(error)) from error
    return found[0] if found else None


def _spf_lookup(name: str, qtype: str, strict: bool = True, timeout: float = 20) -> list[Any]:
    """pyspf's ``DNSLookup`` hook, answering in the shape of its own dnspython lookup."""
    try:
        records = lookup(name, qtype)
    except DnsTempError as error:
        raise spf.TempError(f"DNS {error}") from error
    shapes = {
        "A": lambda r: r.address,
        "AAAA": lambda r: r.address,
        "MX": lambda r: (r.preference, r.exchange),
        "PTR": lambda r: r.target.to_text(True),
        "TXT": lambda r: r.strings,
        "SPF": lambda r: r.strings,
    }
    shape = shapes.get(qtype)
    return [((name, qtype), shape(record)) for record in records] if shape else []


spf.DNSLookup = _spf_lookup
