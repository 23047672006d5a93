"""Report rollups: one fact row per ticket, derived from its event history by the worker.

A page view aggregates these rows (indexed by creation time) instead of reading events and
doing business-time maths: the expensive part runs once per ticket change, in the background.
``DirtyTicket`` is the work list: the flow marks a changed ticket (``followers.mark_dirty``),
the sweeper recomputes its fact and clears the mark unless the ticket changed again meanwhile.

Facts carry plain ids, not foreign keys: archiving moves a ticket out of the live tables and
its fact stays, so reports over past years keep their numbers.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DirtyTicket(models.Model):
    ticket_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.ticket_id} @ {self.marked_at:%Y-%m-%d %H:%M:%S}"


class TicketFact(models.Model):
    """What the reports need of one ticket. Seconds are wall time or business time on the
    report calendar (``settings.KEFU_REPORTS_CALENDAR``)."""

    ticket_id = models.BigIntegerField(primary_key=True)
    number = models.CharField(max_length=24)
    created_at = models.DateTimeField()
    day = models.DateField()  # creation date in Asia/Shanghai
    utc_hour_of_week = models.PositiveSmallIntegerField()  # Monday 00 UTC = 0 … 167
    channel = models.CharField(max_length=8)
    category_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    organization_id = models.BigIntegerField(null=True)
    tier = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    is_complaint = models.BooleanField(default=False)
    first_response_at = models.DateTimeField(null=True)
    first_response_wall = models.BigIntegerField(null=True)
    first_response_business = models.BigIntegerField(null=True)
    # Each next response's business seconds (customer wrote again → support answered).
    next_responses = models.JSONField(default=list)
    resolved_at = models.DateTimeField(null=True)  # the first resolution
    resolution_wall = models.BigIntegerField(null=True)
    resolution_business = models.BigIntegerField(null=True)
    reopened = models.BooleanField(default=False)
    open_now = models.BooleanField(default=True)
    # Bit per SLA metric (``facts.METRIC_BITS``): clocks the ticket has, and ever breached.
    sla_targets = models.PositiveSmallIntegerField(default=0)
    sla_breached = models.PositiveSmallIntegerField(default=0)
    rating = models.CharField(max_length=12, blank=True)
    nudges = models.PositiveIntegerField(default=0)
    handed_off = models.BooleanField(default=False)  # a chat the bot passed to a person
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="fact_created"),
            models.Index(fields=["team_id", "created_at"], name="fact_team_created"),
            models.Index(fields=["open_now", "created_at"], name="fact_open"),
        ]

    def __str__(self) -> str:
        return self.number


class DailyBucket(models.Model):
    """The counts and sums of the facts created on one day (Asia/Shanghai) that share a team,
    channel, tier and language (``kefu.reports.buckets``): a period's counts read at most
    days × combinations of these rows instead of every fact. A fact without a team counts
    under team 0 (NULLs would never meet in the unique key)."""

    day = models.DateField()
    team_id = models.BigIntegerField()
    channel = models.CharField(max_length=8)
    tier = models.CharField(max_length=12)
    language = models.CharField(max_length=8)
    created = models.BigIntegerField(default=0)
    resolved = models.BigIntegerField(default=0)
    unresolved = models.BigIntegerField(default=0)
    within_24h = models.BigIntegerField(default=0)
    reopened = models.BigIntegerField(default=0)
    complaints = models.BigIntegerField(default=0)
    nudges = models.BigIntegerField(default=0)
    chats = models.BigIntegerField(default=0)
    contained = models.BigIntegerField(default=0)
    satisfied = models.BigIntegerField(default=0)
    neutral = models.BigIntegerField(default=0)
    unsatisfied = models.BigIntegerField(default=0)
    with_target = models.BigIntegerField(default=0)
    met = models.BigIntegerField(default=0)
    # Per SLA metric (``facts.METRIC_BITS``): tickets with that clock, and those that breached it.
    t_first_response = models.BigIntegerField(default=0)
    t_next_response = models.BigIntegerField(default=0)
    t_periodic_update = models.BigIntegerField(default=0)
    t_resolution = models.BigIntegerField(default=0)
    b_first_response = models.BigIntegerField(default=0)
    b_next_response = models.BigIntegerField(default=0)
    b_periodic_update = models.BigIntegerField(default=0)
    b_resolution = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team_id", "channel", "tier", "language"], name="bucket_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} team {self.team_id} {self.channel}: {self.created}"


class ReportSettings(models.Model):
    """Admin switches for reports (one row)."""

    service_health_public = models.BooleanField(
        _("service-health page is public"),
        default=False,
        help_text=_("Anyone may open /service-health and its API without signing in."),
    )
    weekly_summary = models.BooleanField(_("mail weekly summaries to leads"), default=True)
    next_weekly_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(_("report settings"))

    @classmethod
    def current(cls) -> ReportSettings:
        found = cls.objects.order_by("pk").first()
        return found if found is not None else cls.objects.create()
