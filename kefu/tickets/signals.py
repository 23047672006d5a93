"""Sent after the transaction that changed a ticket commits (never inside it).

Receivers get ``ticket_id`` and the event ``kind``; they must not assume the ticket is unchanged
since, and they do their own reads.
"""

from django.dispatch import Signal

ticket_changed = Signal()
