"""How other apps follow tickets without the tickets app knowing them.

``event_recorded`` is sent INSIDE the transaction, right after a ``TicketEvent`` is written.
Receivers may write their own app's rows in that same transaction (SLA clocks, escalation state)
and must do no I/O: no mail, no HTTP, no WebSocket.

``ticket_changed`` is sent AFTER the transaction commits, once per event. Receivers do I/O
(enqueue mail, push to WebSockets); they re-read what they need and must tolerate repeats.
"""

from django.dispatch import Signal

event_recorded = Signal()  # kwargs: ticket, event
ticket_changed = Signal()  # kwargs: ticket_id, kind
