"""The status lifecycle, new → open → pending_customer → on_hold → resolved → closed, and reopen."""

from kefu.tickets.models import Status

TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED}),
    Status.OPEN: frozenset({Status.PENDING_CUSTOMER, Status.ON_HOLD, Status.RESOLVED}),
    Status.PENDING_CUSTOMER: frozenset({Status.OPEN, Status.ON_HOLD, Status.RESOLVED}),
    Status.ON_HOLD: frozenset({Status.OPEN, Status.PENDING_CUSTOMER, Status.RESOLVED}),
    # resolved → open is a reopen; closed is final (a new message opens a follow-up ticket).
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# A customer may only confirm a resolution (close) or refuse it (reopen).
CUSTOMER_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
}


def allowed_transitions(status: str, *, customer: bool = False) -> frozenset[str]:
    table = CUSTOMER_TRANSITIONS if customer else TRANSITIONS
    return table.get(status, frozenset())


def is_reopen(old: str, new: str) -> bool:
    return old == Status.RESOLVED and new == Status.OPEN
