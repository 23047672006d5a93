"""Who may see and do what. Every customer- or agent-reachable query is scoped through here.

A ``Viewer`` is resolved once per request; the ticket filters below are plain ``Q`` objects over
ticket fields so any query can apply them without joins it does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import HttpRequest

from kefu.accounts.models import Account, Agent, User

# Categories a sub-account with the "order tickets" scope may see (besides any with an order id).
ORDER_CATEGORIES = ("order_trade", "shipment_logistics", "after_sales")
BILLING_CATEGORY = "payment_billing"


@dataclass(frozen=True)
class Viewer:
    user: User | None
    agent: Agent | None = None
    account: Account | None = None
    team_ids: frozenset[int] = field(default_factory=frozenset)
    system: bool = False
    bot: bool = False  # the chat bot: a system actor whose messages say they come from a bot

    @property
    def is_agent(self) -> bool:
        return self.agent is not None

    @property
    def is_admin(self) -> bool:
        return self.system or bool(
            (self.agent and self.agent.role == Agent.Role.ADMIN)
            or (self.user and self.user.is_superuser)
        )

    @property
    def sees_all_tickets(self) -> bool:
        return self.is_admin or bool(self.agent and self.agent.role == Agent.Role.QA)

    @property
    def may_edit_tickets(self) -> bool:
        """Agents, leads and admins work tickets; QA reviews them (notes only)."""
        return self.system or bool(self.agent and self.agent.role != Agent.Role.QA)

    @property
    def is_customer(self) -> bool:
        return self.account is not None

    def has_scope(self, scope: str) -> bool:
        return bool(self.account and self.account.has_scope(scope))


SYSTEM = Viewer(user=None, system=True)
BOT = Viewer(user=None, system=True, bot=True)
NOBODY = Viewer(user=None)


# Load a user with both possible profiles in one query (a user is an agent, a customer, or neither).
USER_PROFILES = ("agent", "account__organization")


def viewer_for(user: User | AnonymousUser | None) -> Viewer:
    if user is None or not user.is_authenticated:
        return NOBODY
    assert isinstance(user, User)
    if not {"agent", "account"} <= user._state.fields_cache.keys():
        user = User.objects.select_related(*USER_PROFILES).get(pk=user.pk)
    agent: Agent | None = getattr(user, "agent", None)
    if agent is not None:
        team_ids = frozenset(agent.teams.values_list("id", flat=True))
        return Viewer(user=user, agent=agent, team_ids=team_ids)
    account: Account | None = getattr(user, "account", None)
    return Viewer(user=user, account=account)


def request_viewer(request: HttpRequest) -> Viewer:
    """The viewer of a request, resolved once and kept on the request."""
    viewer = getattr(request, "_kefu_viewer", None)
    if viewer is None:
        viewer = viewer_for(request.user)
        request._kefu_viewer = viewer  # type: ignore[attr-defined]
    return viewer


def ticket_filter(viewer: Viewer) -> Q:
    """The tickets this viewer may see, as a filter on ``Ticket``."""
    if viewer.sees_all_tickets:
        return Q()
    if viewer.agent is not None:
        return Q(team_id__in=viewer.team_ids) | Q(assignee_id=viewer.agent.pk)
    if viewer.account is not None:
        return Q(organization_id=viewer.account.organization_id) & _account_scope(viewer.account)
    if viewer.user is not None:
        return Q(requester_id=viewer.user.pk)
    return Q(pk__in=[])


def _account_scope(account: Account) -> Q:
    return account_scope(
        account,
        names_an_order=~Q(order_id=""),
        in_categories=lambda codes: Q(category__code__in=codes),
    )


def account_scope(
    account: Account, *, names_an_order: Q, in_categories: Callable[[tuple[str, ...]], Q]
) -> Q:
    """The tickets of its organisation a (sub-)account sees: all, or its own plus those its
    scopes open. The ticket's fields come as filters, so archived tickets (read from their
    snapshot, ``archive.queries``) follow the same matrix."""
    if account.is_main or Account.Scope.VIEW_ORG_TICKETS in account.scopes:
        return Q()
    scope = Q(requester_id=account.user_id)
    billing = in_categories((BILLING_CATEGORY,))
    if Account.Scope.ORDER_TICKETS in account.scopes:
        # An order id alone does not open a ticket: a payment or billing ticket that names an
        # order still carries the organisation's payment details, which only the billing scope
        # may read.
        scope |= (names_an_order | in_categories(ORDER_CATEGORIES)) & ~billing
    if Account.Scope.BILLING_TICKETS in account.scopes:
        scope |= billing
    return scope


def may_create_ticket(viewer: Viewer, category_code: str | None) -> bool:
    if viewer.is_agent or viewer.system:
        return viewer.may_edit_tickets
    if viewer.account is None or not viewer.has_scope(Account.Scope.CREATE_TICKETS):
        return False
    if category_code == BILLING_CATEGORY:
        return viewer.has_scope(Account.Scope.BILLING_TICKETS)
    return True
