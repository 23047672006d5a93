"""Which SLA policy sets each metric's target for a ticket: the most specific match wins.

Specificity is ordered: a policy for emergencies or complaints beats any other (those tickets
run on their own terms), then the number of criteria that match, then the admin's ``order``.
The choice is made per metric, so policies compose: a channel policy sets the response targets,
a complexity policy the resolution target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kefu.accounts.models import Organization
from kefu.lib.process_cache import ProcessCache
from kefu.sla.models import Metric, SlaPolicy
from kefu.tickets.models import Ticket


@dataclass(frozen=True)
class TicketFacts:
    channel: str
    priority: str
    category_id: int | None
    org_tier: str
    complexity: str
    tags: frozenset[str]
    emergency: bool
    complaint: bool

    @classmethod
    def of(cls, ticket: Ticket) -> TicketFacts:
        organization = ticket.organization
        key = organization is not None and organization.is_key_account
        return cls(
            channel=ticket.channel,
            priority=ticket.priority,
            category_id=ticket.category_id,
            org_tier=Organization.Tier.KEY_ACCOUNT if key else Organization.Tier.STANDARD,
            complexity=ticket.complexity,
            tags=frozenset(ticket.tags or ()),
            emergency=ticket.is_emergency,
            complaint=ticket.is_complaint,
        )


def specificity(policy: SlaPolicy, facts: TicketFacts) -> tuple[int, int, int] | None:
    """How specifically ``policy`` matches (higher wins), or None when it does not match."""
    plain = (
        (policy.channel, facts.channel),
        (policy.priority, facts.priority),
        (policy.category_id, facts.category_id),
        (policy.org_tier, facts.org_tier),
        (policy.complexity, facts.complexity),
    )
    matched = 0
    for wanted, actual in plain:
        if wanted:
            if wanted != actual:
                return None
            matched += 1
    if policy.tag:
        if policy.tag not in facts.tags:
            return None
        matched += 1
    marks = 0
    for wanted_mark, actual_mark in (
        (policy.emergency, facts.emergency),
        (policy.complaint, facts.complaint),
    ):
        if wanted_mark is not None:
            if wanted_mark != actual_mark:
                return None
            marks += 1 if wanted_mark else 0
    return marks, matched, -policy.order


def choose(policies: Iterable[SlaPolicy], facts: TicketFacts) -> dict[str, SlaPolicy]:
    """For each metric, the winning policy that sets a target for it."""
    ranked = sorted(
        ((rank, policy) for policy in policies if (rank := specificity(policy, facts))),
        key=lambda item: (item[0], -item[1].pk),
        reverse=True,
    )
    chosen: dict[str, SlaPolicy] = {}
    for metric in Metric.values:
        for _, policy in ranked:
            if policy.target(metric):
                chosen[metric] = policy
                break
    return chosen


def _load_policies() -> list[SlaPolicy]:
    return list(
        SlaPolicy.objects.filter(is_active=True)
        .select_related("calendar")
        .prefetch_related("extra_calendars")
    )


# Policies are read for every ticket change and edited rarely.
_policies = ProcessCache(_load_policies, forget_on=[SlaPolicy])


def active_policies() -> list[SlaPolicy]:
    return _policies.get()


def forget_policies(**kwargs: Any) -> None:
    _policies.forget()


def calendar_codes(policy: SlaPolicy) -> list[str]:
    extra = sorted(c.code for c in policy.extra_calendars.all() if c.pk != policy.calendar_id)
    return [policy.calendar.code, *extra]
