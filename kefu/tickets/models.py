"""Tickets, the conversation on them, their files, and the audit trail of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, BilingualName, Organization, Team


class Category(BilingualName):
    """A taxonomy entry (DESIGN.md). Data, not code: admins may rename, add, retire."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    team = models.ForeignKey(
        Team,
        verbose_name=_("default team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["sort_order", "code"]


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING_CUSTOMER = "pending_customer", _("Pending customer")
    ON_HOLD = "on_hold", _("On hold")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Priority(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    HIGH = "high", _("High")
    NORMAL = "normal", _("Normal")
    LOW = "low", _("Low")


class Channel(models.TextChoices):
    WEB = "web", _("Web portal")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Live chat")
    PHONE = "phone", _("Phone")
    WECHAT = "wechat", _("WeChat")
    API = "api", _("API")
    # At the service desk in person; filed by the agent who served them.
    WALK_IN = "walk_in", _("Walk-in")


# What an agent may open a ticket on a customer's behalf through (``intake.interactive``) …
ON_BEHALF_CHANNELS = (Channel.PHONE, Channel.WALK_IN, Channel.EMAIL, Channel.WECHAT)
# … and of those, the ones where the agent was talking with the customer as they filed it: that
# contact is the ticket's first response.
LIVE_CHANNELS = (Channel.PHONE, Channel.WALK_IN)


class Complexity(models.TextChoices):
    SIMPLE = "simple", _("Simple")
    COMPLEX = "complex", _("Complex")
    MULTI_TEAM = "multi_team", _("Multi-team")
    SPECIAL = "special", _("Special case")


class Relation(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Follow-up of")
    COMPLAINT = "complaint", _("Complaint about")
    INCIDENT = "incident", _("Part of incident")
    SPLIT = "split", _("Split from")


class EventKind(models.TextChoices):
    """What a ``TicketEvent`` records. Every producer, follower and page names kinds through
    this enum (``kefu.flow`` lists who follows which); a field edit's kind is the field's name."""

    CREATED = "created", _("Created")
    REPLY = "reply", _("Public reply")
    NOTE = "note", _("Internal note")
    ATTACHMENT = "attachment", _("File attached")
    STATUS = "status", _("Status changed")
    REOPENED = "reopened", _("Reopened")
    # Field edits (``tickets.actions.update_ticket``): the kind is the field.
    PRIORITY = "priority", _("Priority changed")
    CATEGORY = "category", _("Category changed")
    ASSIGNEE = "assignee", _("Assignee changed")
    TEAM = "team", _("Team changed")
    TAGS = "tags", _("Tags changed")
    COMPLEXITY = "complexity", _("Complexity changed")
    ORDER_ID = "order_id", _("Order id changed")
    SHIPMENT_CODE = "shipment_code", _("Shipment code changed")
    ERROR_CODE = "error_code", _("Error code changed")
    IS_EMERGENCY = "is_emergency", _("Emergency mark changed")
    IS_COMPLAINT = "is_complaint", _("Complaint mark changed")
    # The queue and the ticket's relations.
    SCORE = "score", _("Queue score raised")
    RELATED_TO = "related_to", _("Linked to a ticket")
    MERGED_INTO = "merged_into", _("Merged into another ticket")
    MERGED = "merged", _("Another ticket merged in")
    SPLIT = "split", _("Messages split off")
    SPLIT_FROM = "split_from", _("Split off from a ticket")
    # An agent opened it for the customer (a call, a visit, a mail or WeChat message to them).
    ON_BEHALF = "on_behalf", _("Opened on the customer's behalf")
    # Intake and triage.
    MASKED = "masked", _("Sensitive data masked")
    DUPLICATE = "duplicate", _("Repeated message")
    FLOOD = "flood", _("Message flood")
    # Chat.
    CHAT_HANDOFF = "chat_handoff", _("Chat handed to a person")
    CHAT_ENDED = "chat_ended", _("Chat ended")
    RATED = "rated", _("Rated")
    # SLA and escalation.
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    ESCALATED = "escalated", _("Escalated")
    PAGED = "paged", _("On-duty lead paged")
    NUDGED = "nudged", _("Nudged by the customer")
    COMPLAINT = "complaint", _("Formal complaint")
    QA_REVIEW = "qa_review", _("QA review opened")
    QA_REVIEW_DONE = "qa_review_done", _("QA review done")
    QA_OVERDUE = "qa_overdue", _("QA review overdue")
    # Delivery.
    DELIVERY_FAILED = "delivery_failed", _("Delivery failed")

    @classmethod
    def of_field(cls, field: str) -> EventKind:
        """The kind of an edit of ``field``."""
        return cls(field)


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=24)  # unique: Meta.constraints
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # led by a composite index below
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
        db_index=False,  # led by a composite index below
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    mailbox = models.CharField(_("mailbox"), max_length=20, blank=True)
    subject = models.CharField(_("subject"), max_length=255)
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # led by a composite index below
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    complexity = models.CharField(
        _("complexity"), max_length=12, choices=Complexity.choices, default=Complexity.SIMPLE
    )
    assignee = models.ForeignKey(
        Agent,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
        db_index=False,  # led by a composite index below
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
        db_index=False,  # led by a composite index below
    )
    language = models.CharField(_("language"), max_length=8, default="zh")
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # What the customer asked for, kept apart from what support decides: their own labels never
    # select SLA policies or rules, and asking for urgency does not set the priority.
    customer_tags = models.JSONField(_("customer's tags"), default=list, blank=True)
    urgent_requested = models.BooleanField(_("customer asked for urgent handling"), default=False)
    order_id = models.CharField(_("order id"), max_length=64, blank=True)
    order_value = models.DecimalField(
        _("order value (USD)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    shipment_code = models.CharField(_("shipment code"), max_length=64, blank=True)
    error_code = models.CharField(_("error code"), max_length=64, blank=True)
    desired_outcome = models.TextField(_("desired outcome"), blank=True)
    expected_by = models.DateField(_("expected by"), null=True, blank=True)
    is_verified = models.BooleanField(_("verified requester"), default=True)
    is_emergency = models.BooleanField(_("emergency"), default=False)
    is_complaint = models.BooleanField(_("complaint"), default=False)
    # Ranking for the agents' queue (issue 4): higher first; the terms live in ``triage``.
    score = models.FloatField(_("priority score"), default=0)
    triage = models.JSONField(_("triage details"), default=dict, blank=True)
    # Filed through a channel nobody waits on the line of, and not yet routed, clocked and ranked:
    # the worker derives that in batches within a second (``intake.derivation``).
    being_triaged = models.BooleanField(_("being triaged"), default=False)
    related_to = models.ForeignKey(
        "self",
        verbose_name=_("related ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="related_tickets",
    )
    relation = models.CharField(_("relation"), max_length=12, choices=Relation.choices, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_tickets"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    last_public_at = models.DateTimeField(_("last public update"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        # Every index is written with each new ticket: the number and the order id are looked up
        # whole, never by prefix, so they go without the "_like" twins PostgreSQL gets for a
        # field declared unique or indexed (a constraint and a Meta index have none).
        constraints = [models.UniqueConstraint(fields=["number"], name="ticket_number_unique")]
        indexes = [
            models.Index(fields=["order_id"], name="ticket_order_id"),
            models.Index(fields=["-created_at", "-id"], name="ticket_recent"),
            models.Index(fields=["organization", "-created_at"], name="ticket_org_recent"),
            models.Index(fields=["team", "status", "-score"], name="ticket_team_queue"),
            models.Index(fields=["assignee", "status"], name="ticket_assignee_status"),
            models.Index(fields=["status", "-score"], name="ticket_status_score"),
            models.Index(fields=["requester", "-created_at"], name="ticket_requester_recent"),
            # Category filters and the surge check (a category's newest tickets).
            models.Index(fields=["category", "-created_at"], name="ticket_category_recent"),
            models.Index(
                fields=["category", "status", "-created_at"], name="ticket_category_status"
            ),
            # The worker's batch of new tickets waiting for their triage: a handful of rows.
            models.Index(
                fields=["id"], name="ticket_being_triaged", condition=models.Q(being_triaged=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status not in (Status.RESOLVED, Status.CLOSED)


OPEN_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING_CUSTOMER, Status.ON_HOLD)


class Message(models.Model):
    """One entry of a ticket's conversation: a public reply or an internal note."""

    class AuthorRole(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        BOT = "bot", _("Bot")
        SYSTEM = "system", _("System")

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", db_index=False
    )  # led by message_ticket_time
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        db_index=False,  # led by message_author_latest
    )
    author_role = models.CharField(max_length=8, choices=AuthorRole.choices)
    is_internal = models.BooleanField(_("internal note"), default=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    body = models.TextField(_("text"))
    # The full original (quoted history included) when ``body`` shows only the new part.
    body_full = models.TextField(blank=True)
    html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_time"),
            # A sender's latest messages (the duplicate check on every intake), read newest
            # first and stopped at the limit whatever the sender's volume.
            models.Index(fields=["author", "-created_at", "-id"], name="message_author_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}:{self.pk}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored under the content hash, never the sender's name: no path tricks, free dedupe.
    return f"attachments/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=64)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class TicketEvent(models.Model):
    """The audit trail: who changed what on a ticket, from what to what, and when."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )  # led by event_ticket_time
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    field = models.CharField(max_length=32, blank=True)
    old = models.JSONField(null=True, blank=True)
    new = models.JSONField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_time"),
            models.Index(fields=["kind", "created_at"], name="event_kind_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.field} {self.old!r} → {self.new!r}"


class TicketCounter(models.Model):
    """Per day (Asia/Shanghai), the state of ticket numbering; see ``tickets.numbering``."""

    day = models.DateField(primary_key=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.value}"


class Follow(models.Model):
    """An agent follows a ticket they do not own: a customer's new message on it tells them as
    it tells the assignee (``notifications.followers``)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ticket follower")
        verbose_name_plural = _("ticket followers")
        constraints = [
            models.UniqueConstraint(fields=["user", "ticket"], name="follow_once_per_ticket")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.ticket_id}"


class SavedView(models.Model):
    """A saved filter of the desk queue (its query parameters): an agent's own, or shared with a
    team by its lead. The shipped defaults every agent has are code (``tickets.views_saved``)."""

    name = models.CharField(_("name"), max_length=60)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    owner = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.CASCADE, related_name="saved_views"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="saved_views"
    )
    created_by = models.ForeignKey(Agent, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False, team__isnull=True)
                | models.Q(owner__isnull=True, team__isnull=False),
                name="saved_view_owner_or_team",
            )
        ]

    def __str__(self) -> str:
        return self.name
