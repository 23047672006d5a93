"""Phone hotlines and their IVR, over a TwiML-style voice webhook (``/voice/<line>/…``).

Kefu carries no audio: a telephony platform (Twilio, Telnyx TeXML, SignalWire, FreeSWITCH) asks
Kefu what to do at each step of a call, and Kefu answers in XML. Each call that reaches a person,
a voicemail or an emergency becomes a ticket through the intake pipeline.
"""
