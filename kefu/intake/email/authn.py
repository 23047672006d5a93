"""Inbound mail authentication: is the ``From:`` address really the sender's?

A ``From:`` header is typed by whoever sends the mail. It counts as proof of the sender
(``InboundMessage.sender_proof``) only when SPF or DKIM passes for a domain aligned with the
From domain, as DMARC defines it: SPF (pyspf) checks the SMTP client's address against the
envelope sender's domain, DKIM (dkimpy) checks each signature, and the From domain's DMARC record
(``_dmarc.<domain>``, else its organisational domain's, by the Public Suffix List) gives the
policy and whether alignment is strict. Without a DMARC record an aligned pass still proves the
sender; without an aligned pass nothing does, and the note says what failed.

Who checked it: ``kefu smtpd`` evaluates all three itself (it knows the client's address), and
IMAP, the webhook and re-processing check DKIM and DMARC (SPF needs the client's address). An
upstream ``Authentication-Results`` header is believed only when the hop that handed us the mail
is trusted (``Hop.relay_trusted``: a client in KEFU_MAIL_TRUSTED_RELAYS or signed in by SMTP
AUTH, the operator's own IMAP server, a mail provider's authenticated webhook) and only the
topmost one stamped with KEFU_MAIL_AUTHSERV_ID; anyone can write such a header into a mail.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
from dataclasses import dataclass, field, replace
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import getaddresses

import authres
import dkim
import spf
from django.conf import settings
from publicsuffixlist import PublicSuffixList

from kefu.intake.email import maildns

log = logging.getLogger("kefu.mailauth")


@dataclass(frozen=True)
class Hop:
    """How a message reached us: the SMTP client (for SPF), and whether to believe its
    Authentication-Results."""

    client_ip: str = ""
    helo: str = ""
    mail_from: str = ""
    relay_trusted: bool = False


@dataclass(frozen=True)
class Results:
    spf: str = "none"
    dkim: str = "none"
    dmarc: str = "none"
    policy: str = ""
    proof: str = ""  # "spf" or "dkim" when aligned with From (or "relay" believed); "" = none
    by: str = "kefu"  # who evaluated: us, or the trusted authserv-id
    domain: str = ""  # the one From address's domain it was evaluated for ("" when none)
    details: list[str] = field(default_factory=list)

    @property
    def proven(self) -> bool:
        return bool(self.proof)

    @property
    def note(self) -> str:
        policy = f" (p={self.policy})" if self.policy else ""
        extra = f"; {'; '.join(self.details)}" if self.details else ""
        return f"spf={self.spf} dkim={self.dkim} dmarc={self.dmarc}{policy} by {self.by}{extra}"


def trusted_relay(address: str) -> bool:
    """Whether ``address`` is one of KEFU_MAIL_TRUSTED_RELAYS (IPs or CIDR networks)."""
    return in_networks(address, settings.KEFU_MAIL_TRUSTED_RELAYS)


def in_networks(address: str, networks: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in networks)


@functools.lru_cache(maxsize=1)
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list ships with the package: no download


def organizational(domain: str) -> str:
    domain = domain.lower().rstrip(".")
    return _suffixes().privatesuffix(domain) or domain


def aligned(domain: str, from_domain: str, mode: str = "r") -> bool:
    if not domain:
        return False
    if mode == "s":
        return domain.lower() == from_domain.lower()
    return organizational(domain) == organizational(from_domain)


def _head(raw: bytes) -> Message:
    """The header block (the stdlib parser: it survives broken ones), parsed once per message."""
    return BytesParser(policy=compat32).parsebytes(raw, headersonly=True)


def _headers(head: Message, name: str) -> list[str]:
    """All values of header ``name``, top first."""
    return [str(value) for value in head.get_all(name) or []]


def _from_domain(head: Message) -> str | None:
    """The one From address's domain; None when there is none or several (DMARC 6.6.1)."""
    values = _headers(head, "From")
    addresses = [a for _n, a in getaddresses([" ".join(v.split()) for v in values]) if a]
    if len(values) != 1 or len(addresses) != 1 or "@" not in addresses[0]:
        return None
    return addresses[0].rpartition("@")[2].lower().rstrip(".") or None


def authenticate(raw: bytes, hop: Hop) -> Results:
    """SPF, DKIM and DMARC of one raw message as it reached us through ``hop``."""
    try:
        head = _head(raw)
        domain = _from_domain(head)
        if domain is None:
            return Results(dmarc="permerror", details=["no single From address"])
        upstream = _believed_results(head, domain) if hop.relay_trusted else None
        return replace(upstream or _evaluate(raw, head, hop, domain), domain=domain)
    except Exception as error:  # a broken record or message: unproven, never a lost mail
        log.warning("mail authentication failed: %s", error)
        return Results(dmarc="temperror", details=[f"{type(error).__name__}: {error}"[:200]])


def _evaluate(raw: bytes, head: Message, hop: Hop, domain: str) -> Results:
    spf_result, spf_domain = _spf(hop)
    dkim_result, signers = _dkim(raw, head)
    record = _dmarc_record(domain)
    adkim, aspf = record.get("adkim", "r"), record.get("aspf", "r")
    proof = ""
    if spf_result == "pass" and aligned(spf_domain, domain, aspf):
        proof = "spf"
    if any(aligned(signer, domain, adkim) for signer in signers):
        proof = "dkim"
    dmarc = "pass" if proof else ("fail" if record else "none")
    return Results(spf=spf_result, dkim=dkim_result, dmarc=dmarc, proof=proof,
                   policy=record.get("p", ""))  # fmt: skip


def _spf(hop: Hop) -> tuple[str, str]:
    """(result, the domain it is for): the envelope sender's, or HELO's for a null sender."""
    if not hop.client_ip or hop.relay_trusted:
        return "none", ""  # no client address, or the relay's own: nothing to check
    sender = hop.mail_from or f"postmaster@{hop.helo}"
    timeout = float(settings.KEFU_MAIL_DNS_TIMEOUT)
    result, _why = spf.check2(i=hop.client_ip, s=sender, h=hop.helo or "unknown",
                              timeout=timeout, querytime=timeout * 2)  # fmt: skip
    return str(result), sender.rpartition("@")[2].lower()


def _dkim(raw: bytes, head: Message) -> tuple[str, list[str]]:
    """(result, the domains whose signatures verify)."""
    signatures = len(_headers(head, "DKIM-Signature"))
    if not signatures:
        return "none", []
    verifier = dkim.DKIM(raw, timeout=int(float(settings.KEFU_MAIL_DNS_TIMEOUT)) or 1)
    signers, temporary = [], False
    for index in range(signatures):
        try:
            if verifier.verify(idx=index, dnsfunc=maildns.dkim_txt):
                signers.append(verifier.domain.decode().lower())
        except dkim.DnsTimeoutError:
            temporary = True
        except dkim.DKIMException:
            continue
    result = "pass" if signers else ("temperror" if temporary else "fail")
    return result, signers


def _dmarc_record(domain: str) -> dict[str, str]:
    """The DMARC tags for ``domain`` (its own record, else its organisational domain's)."""
    for name in dict.fromkeys((domain, organizational(domain))):
        for text in maildns.txt(f"_dmarc.{name}"):
            tags = _tags(text.decode("utf-8", "replace"))
            if tags.get("v", "").upper() == "DMARC1" and "p" in tags:
                if name != domain and "sp" in tags:
                    tags["p"] = tags["sp"]  # a subdomain follows the subdomain policy
                return tags
    return {}


def _tags(text: str) -> dict[str, str]:
    pairs = (part.split("=", 1) for part in text.split(";") if "=" in part)
    return {key.strip().lower(): value.strip().lower() for key, value in pairs}


def _believed_results(head: Message, domain: str) -> Results | None:
    """The topmost Authentication-Results of our trusted authserv-id, if there is one."""
    trusted = settings.KEFU_MAIL_AUTHSERV_ID
    if not trusted:
        return None
    for value in _headers(head, "Authentication-Results"):
        try:
            header = authres.AuthenticationResultsHeader.parse(
                "Authentication-Results: " + " ".join(value.split())
            )
        except Exception:
            continue
        if str(header.authserv_id).lower() == trusted.lower():
            return _from_header(header, domain, trusted)
    return None


def _from_header(header: authres.AuthenticationResultsHeader, domain: str, by: str) -> Results:
    found = {str(r.method).lower(): r for r in header.results}

    def result(method: str) -> str:
        return str(found[method].result).lower() if method in found else "none"

    def prop(method: str, name: str) -> str:
        props = getattr(found.get(method), "properties", None) or []
        return next((str(p.value).lower() for p in props if str(p.name).lower() == name), "")

    dmarc_for = prop("dmarc", "from")
    proof = ""
    if result("dmarc") == "pass" and dmarc_for.rpartition("@")[2] == domain:
        proof = "relay"
    elif result("dmarc") != "fail":
        if result("dkim") == "pass" and aligned(prop("dkim", "d"), domain):
            proof = "relay"
        if result("spf") == "pass" and aligned(prop("spf", "mailfrom").rpartition("@")[2], domain):
            proof = "relay"
    return Results(spf=result("spf"), dkim=result("dkim"), dmarc=result("dmarc"), proof=proof,
                   by=by)  # fmt: skip
