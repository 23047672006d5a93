"""A fake telephony platform for the voice webhook tests: it calls Kefu the way Twilio does
(signed form posts, following the TwiML it gets back), over real HTTP to a running server.

Its signing is written here from Twilio's description, not imported from Kefu, so a mistake in
``kefu.intake.phone.signature`` cannot hide behind the same mistake in the test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from xml.etree import ElementTree as ET

import httpx


def twilio_signature(secret: str, url: str, params: dict[str, str]) -> str:
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(
        hmac.new(secret.encode(), data.encode(), hashlib.sha1).digest()
    ).decode()


class FakeTelephony:
    """One call on one line: ``incoming`` rings, ``press`` answers the last ``<Gather>``…"""

    def __init__(self, base_url: str, line: str, secret: str, *, caller: str, number: str,
                 call_sid: str = "CA0000000000000000000000000000001") -> None:  # fmt: skip
        self.base_url, self.line, self.secret = base_url, line, secret
        self.caller, self.number, self.call_sid = caller, number, call_sid
        self.last: ET.Element = ET.Element("Response")
        self.heard: list[str] = []
        # The ``<Dial>`` in progress: its callbacks come while the caller's TwiML has moved on.
        self.dialled: ET.Element | None = None

    def url(self, step: str) -> str:
        return f"{self.base_url}/voice/{self.line}/{step}"

    def send(self, url: str, *, secret: str | None = None, **fields: str) -> httpx.Response:
        params = {"AccountSid": "AC00000000000000000000000000000000", "CallSid": self.call_sid,
                  "From": self.caller, "To": self.number, "Direction": "inbound", **fields}  # fmt: skip
        signed = twilio_signature(self.secret if secret is None else secret, url, params)
        return httpx.post(url, data=params, headers={"X-Twilio-Signature": signed}, timeout=30)

    def post(self, url: str, **fields: str) -> ET.Element:
        answer = self.send(url, **fields)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/xml")
        self.last = ET.fromstring(answer.content)
        self.heard += self.says()
        # An element without children is falsy (and testing its truth is deprecated): use None.
        dial = self.last.find("Dial")
        if dial is not None:
            self.dialled = dial
        return self.last

    def says(self, element: ET.Element | None = None) -> list[str]:
        return [say.text or "" for say in (self.last if element is None else element).iter("Say")]

    def incoming(self) -> ET.Element:
        return self.post(self.url("incoming"), CallStatus="ringing")

    def press(self, digits: str) -> ET.Element:
        gather = self.last.find("Gather")
        assert gather is not None, ET.tostring(self.last)
        return self.post(gather.attrib["action"], Digits=digits, CallStatus="in-progress")

    def follow_redirect(self) -> ET.Element:
        redirect = self.last.find("Redirect")
        assert redirect is not None and redirect.text, ET.tostring(self.last)
        return self.post(redirect.text, CallStatus="in-progress")

    def dial(self) -> ET.Element:
        assert self.dialled is not None, ET.tostring(self.last)
        return self.dialled

    def agent_leg(self, status: str) -> ET.Element:
        """The dialled agent's leg reports ``ringing``, ``in-progress`` (answered)…"""
        target = self.dial()[0]
        return self.post(target.attrib["statusCallback"], CallSid="CA" + "9" * 32,
                         ParentCallSid=self.call_sid, CallStatus=status)  # fmt: skip

    def dial_ended(self, **fields: str) -> ET.Element:
        return self.post(self.dial().attrib["action"], CallStatus="in-progress", **fields)

    def recorded(self, recording_url: str) -> ET.Element:
        record = self.last.find("Record")
        assert record is not None, ET.tostring(self.last)
        return self.post(record.attrib["action"], RecordingUrl=recording_url,
                         RecordingDuration="21", CallStatus="in-progress")  # fmt: skip

    def hang_up(self, duration: int, recording_url: str = "") -> ET.Element:
        fields = {"CallStatus": "completed", "CallDuration": str(duration)}
        if recording_url:
            fields["RecordingUrl"] = recording_url
        return self.post(self.url("status"), **fields)
