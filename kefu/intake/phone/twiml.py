"""TwiML-style voice instructions, the XML a telephony platform asks for at each step of a call.

Twilio, Telnyx TeXML, SignalWire and FreeSWITCH's ``mod_httapi``/TwiML bridges read the same
verbs: ``<Say>``, ``<Play>``, ``<Gather>``, ``<Dial>``, ``<Enqueue>``, ``<Record>``,
``<Hangup>``. A ``Response`` collects verbs and renders them; text and attributes are escaped by
ElementTree, so a caller's input can never inject a verb. Pure, no Django.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

CONTENT_TYPE = "text/xml; charset=utf-8"
# The platforms' language tags for the two languages Kefu speaks.
SPEECH_LANGUAGES = {"zh": "zh-CN", "en": "en-US"}


def _attrs(values: dict[str, str | int | bool | None]) -> dict[str, str]:
    out = {}
    for name, value in values.items():
        if value is None or value == "":
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


class Verbs:
    """A list of verbs under one element (the response, or a ``<Gather>``)."""

    def __init__(self, element: ET.Element) -> None:
        self.element = element

    def _add(self, tag: str, text: str = "", **attrs: str | int | bool | None) -> ET.Element:
        child = ET.SubElement(self.element, tag, _attrs(attrs))
        if text:
            child.text = text
        return child

    def say(self, text: str, language: str) -> None:
        self._add("Say", text, language=SPEECH_LANGUAGES.get(language, language))

    def play(self, url: str) -> None:
        self._add("Play", url)

    def pause(self, seconds: int = 1) -> None:
        self._add("Pause", length=seconds)


class Response(Verbs):
    def __init__(self) -> None:
        super().__init__(ET.Element("Response"))

    def gather(
        self, *, action: str, language: str, num_digits: int | None = None, timeout: int = 6,
        finish_on_key: str = "#", speech: bool = True,
    ) -> Verbs:  # fmt: skip
        """Keys (and speech, where the platform hears it) posted to ``action``; its verbs are
        the prompt, spoken while the caller may already key."""
        element = self._add(
            "Gather",
            input="dtmf speech" if speech else "dtmf",
            action=action,
            method="POST",
            numDigits=num_digits,
            timeout=timeout,
            finishOnKey=finish_on_key,
            language=SPEECH_LANGUAGES.get(language, language),
        )
        return Verbs(element)

    def dial_client(
        self, identity: str, *, action: str, status_callback: str, caller_id: str = "",
        record: bool = True, timeout: int = 20,
    ) -> None:  # fmt: skip
        """Ring an agent's softphone; its ringing and answer are posted to ``status_callback``,
        the outcome (and the recording) to ``action``."""
        dial = self._add(
            "Dial",
            action=action,
            method="POST",
            timeout=timeout,
            callerId=caller_id or None,
            record="record-from-answer" if record else None,
        )
        client = ET.SubElement(
            dial,
            "Client",
            _attrs({"statusCallback": status_callback, "statusCallbackMethod": "POST",
                    "statusCallbackEvent": "ringing answered completed"}),
        )  # fmt: skip
        client.text = identity

    def dial_number(
        self, number: str, *, action: str, status_callback: str, timeout: int = 30
    ) -> None:
        """Ring a phone number (the on-duty lead's mobile)."""
        dial = self._add("Dial", action=action, method="POST", timeout=timeout,
                         record="record-from-answer")  # fmt: skip
        child = ET.SubElement(
            dial,
            "Number",
            _attrs({"statusCallback": status_callback, "statusCallbackMethod": "POST",
                    "statusCallbackEvent": "ringing answered completed"}),
        )  # fmt: skip
        child.text = number

    def enqueue(self, queue: str, *, action: str, wait_url: str) -> None:
        """Hold in a named queue until an agent's softphone takes the call."""
        self._add("Enqueue", queue, action=action, method="POST", waitUrl=wait_url,
                  waitUrlMethod="POST")  # fmt: skip

    def record(self, *, action: str, max_length: int = 120, finish_on_key: str = "#") -> None:
        self._add("Record", action=action, method="POST", maxLength=max_length,
                  finishOnKey=finish_on_key, playBeep=True)  # fmt: skip

    def redirect(self, url: str) -> None:
        self._add("Redirect", url, method="POST")

    def hangup(self) -> None:
        self._add("Hangup")

    def render(self) -> bytes:
        return ET.tostring(self.element, encoding="utf-8", xml_declaration=True)
