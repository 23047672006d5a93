"""Escalation paths (admin data), nudges, surges and QA reviews."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import Agent, BilingualName, Team
from kefu.sla.models import Metric
from kefu.tickets.models import Category, Priority, Relation, Ticket


class EscalationPath(BilingualName):
    """Where a category's tickets go when they need more than their team (one path per category;
    the path without a category serves every category that has none of its own)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    category = models.OneToOneField(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="escalation_path",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("escalation team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Its lead owns incidents and receives escalations."),
    )
    surge_threshold = models.PositiveSmallIntegerField(
        _("surge: tickets"),
        default=0,
        help_text=_("This many new tickets of the category within the window open one incident "
                    "ticket; 0 turns surge detection off."),
    )  # fmt: skip
    surge_window_minutes = models.PositiveIntegerField(_("surge: window (minutes)"), default=60)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation path")
        verbose_name_plural = _("escalation paths")
        ordering = ["code"]


class Trigger(models.TextChoices):
    SLA_WARNING = "sla_warning", _("SLA warning")
    SLA_BREACH = "sla_breach", _("SLA breach")
    URGENT = "urgent", _("Marked urgent")
    EMERGENCY = "emergency", _("Marked emergency")


class EscalationLevel(models.Model):
    """One step of a path: on a trigger, notify, and perhaps reassign and raise the priority."""

    path = models.ForeignKey(EscalationPath, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("level"), default=1)
    trigger = models.CharField(_("trigger"), max_length=12, choices=Trigger.choices)
    metric = models.CharField(
        _("only for metric"), max_length=16, choices=Metric.choices, blank=True
    )
    notify_assignee = models.BooleanField(_("notify the assignee"), default=True)
    notify_team_lead = models.BooleanField(_("notify the ticket team's lead"), default=False)
    notify_path_lead = models.BooleanField(_("notify the escalation team's lead"), default=False)
    send_email = models.BooleanField(_("also by email"), default=False)
    reassign = models.BooleanField(
        _("reassign to the escalation team"),
        default=False,
        help_text=_("Moves the ticket to the escalation team and its lead."),
    )
    raise_priority = models.CharField(
        _("raise priority to"), max_length=8, choices=Priority.choices, blank=True
    )

    class Meta:
        verbose_name = _("escalation level")
        verbose_name_plural = _("escalation levels")
        ordering = ["path", "level", "pk"]

    def __str__(self) -> str:
        return f"{self.path.code} L{self.level} {self.trigger}"


class Nudge(models.Model):
    """A customer's 催办: "no update for 24 hours, please move"."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="nudges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("nudged"), default=timezone.now)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["ticket", "-created_at"], name="nudge_ticket_time")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.created_at:%Y-%m-%d %H:%M}"


class SurgeIncident(models.Model):
    """An incident ticket opened because many tickets of one category arrived at once."""

    path = models.ForeignKey(EscalationPath, on_delete=models.CASCADE, related_name="incidents")
    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="surge_incident")
    opened_at = models.DateTimeField(default=timezone.now)
    # Moved forward at most once a minute (``actions.LINK_RESOLUTION``): a row every ticket of a
    # surging category updated would serialise their intakes until commit.
    last_linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("surge incident")
        verbose_name_plural = _("surge incidents")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.path_id} → {self.ticket_id}"

    @property
    def linked_count(self) -> int:
        return Ticket.objects.filter(
            related_to_id=self.ticket_id, relation=Relation.INCIDENT
        ).count()


class QaReview(models.Model):
    """A quality review task: an unsatisfied rating or a complaint about an agent."""

    class Source(models.TextChoices):
        RATING = "rating", _("Unsatisfied rating")
        COMPLAINT = "complaint", _("Complaint")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="qa_reviews")
    agent = models.ForeignKey(
        Agent,
        verbose_name=_("agent concerned"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=4, choices=State.choices, default=State.OPEN)
    due_at = models.DateTimeField(_("due"))
    overdue_at = models.DateTimeField(_("reported overdue"), null=True, blank=True)
    reviewer = models.ForeignKey(
        Agent,
        verbose_name=_("reviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qa_reviews_done",
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("QA review")
        verbose_name_plural = _("QA reviews")
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="qareview_due",
                condition=Q(state="open", overdue_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"QA {self.ticket_id} ({self.state})"
