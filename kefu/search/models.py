"""The ticket search index: one row per ticket with its tokens (``search.tokens``) per field.

The database indexes these rows, per vendor (migration 0001): SQLite through an external-content
FTS5 table kept in step by triggers, PostgreSQL through a generated ``tsvector`` column with a
GIN index (``head`` and ``body`` weighted A and B, ``notes`` D, so a customer's query asks for
A and B only). ``search.actions`` is the only writer; ``kefu.flow`` keeps the rows current.
"""

from __future__ import annotations

from django.db import models

from kefu.tickets.models import Ticket


class TicketDocument(models.Model):
    ticket = models.OneToOneField(
        Ticket, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    # Number, subject, customer name and e-mail, organisation, order id, shipment and error code.
    head = models.TextField(blank=True)
    body = models.TextField(blank=True)  # public messages: what customers may match
    notes = models.TextField(blank=True)  # internal notes: staff only

    def __str__(self) -> str:
        return str(self.ticket_id)
