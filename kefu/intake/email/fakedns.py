"""A DNS server on 127.0.0.1 (UDP) answering from a table: what mail authentication asks in the
test suite and in ``bench/email.py``, where there is no internet and nothing else should decide
what SPF, DKIM or DMARC says (and a real resolver's timeouts would be the figures' noise).

No Django here: the benchmark's parent process serves it before any Kefu process starts.
"""

from __future__ import annotations

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


def _forget_cached_answers() -> None:
    """Kefu keeps DNS answers for their TTL (names a test had not published yet were NXDOMAIN):
    when the records change, it asks again."""
    from kefu.intake.email import maildns

    maildns.forget_cached()


class FakeDns:
    """Answers from ``records``; names it does not know are NXDOMAIN. Changing the records
    drops what Kefu has cached in this process."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list[str]] = {}
        self.kept: dict[tuple[str, str], list[str]] = {}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True, name="fake-dns").start()

    def add(self, name: str, rdtype: str, *values: str) -> None:
        self.records.setdefault((name.lower().rstrip("."), rdtype.upper()), []).extend(values)
        _forget_cached_answers()

    def add_txt(self, name: str, text: str) -> None:
        # TXT strings hold at most 255 bytes each; long records (DKIM keys) are split.
        chunks = [text[i : i + 200] for i in range(0, len(text), 200)]
        self.add(name, "TXT", " ".join(f'"{chunk}"' for chunk in chunks))

    def keep(self) -> None:
        """What ``clear`` goes back to (the suite's standing records)."""
        self.kept = {key: list(values) for key, values in self.records.items()}

    def clear(self) -> None:
        self.records = {key: list(values) for key, values in self.kept.items()}
        _forget_cached_answers()

    def _serve(self) -> None:
        while True:
            try:
                data, client = self.sock.recvfrom(4096)
            except OSError:
                return
            self.sock.sendto(self._answer(data), client)

    def _answer(self, data: bytes) -> bytes:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        for question in query.question:
            name = question.name.to_text().lower().rstrip(".")
            kind = dns.rdatatype.to_text(question.rdtype)
            values = self.records.get((name, kind), [])
            if values:
                rrset = dns.rrset.from_text(question.name, 0, "IN", kind, *values)
                response.answer.append(rrset)
            elif not any(known == name for known, _kind in self.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
        return bytes(response.to_wire())
