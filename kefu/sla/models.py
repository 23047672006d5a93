"""Business calendars, SLA policies (admin data) and the per-ticket clocks they drive."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.accounts.models import BilingualName, Organization
from kefu.sla.calendars import BilingualError, CalendarTemplate, parse_hours
from kefu.sla.clock import parse_target
from kefu.tickets.models import Category, Channel, Complexity, Priority, Status, Ticket

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
HOURS_HELP = _("Open hours, e.g. 09:00-12:00, 13:00-18:00. Empty: closed.")


def validate_hours_text(value: str) -> None:
    try:
        parse_hours(value)
    except BilingualError as error:
        raise ValidationError(str(error)) from error


def validate_target_text(value: str) -> None:
    if not value:
        return
    try:
        parse_target(value)
    except BilingualError as error:
        raise ValidationError(str(error)) from error


def _hours_field(label: Any) -> models.CharField:  # a lazy translation
    return models.CharField(
        label, max_length=120, blank=True, validators=[validate_hours_text], help_text=HOURS_HELP
    )


class BusinessCalendar(BilingualName):
    """When a desk is open: weekly hours, statutory holidays from a source, and dated exceptions.

    ``version`` grows with every change to the calendar or its dates; built specs are cached per
    process under it (``kefu.sla.specs``).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    monday = _hours_field(_("Monday"))
    tuesday = _hours_field(_("Tuesday"))
    wednesday = _hours_field(_("Wednesday"))
    thursday = _hours_field(_("Thursday"))
    friday = _hours_field(_("Friday"))
    saturday = _hours_field(_("Saturday"))
    sunday = _hours_field(_("Sunday"))
    off_day_hours = models.CharField(
        _("hours on non-working days"),
        max_length=120,
        blank=True,
        validators=[validate_hours_text],
        help_text=_("Reduced service on weekends and holidays, e.g. 10:00-16:00. Empty: closed."),
    )
    holiday_source = models.CharField(
        _("holiday source"),
        max_length=40,
        blank=True,
        help_text=_("chinese_calendar, holidays:US (any country code), or empty for none."),
    )
    arranged_years = models.JSONField(
        _("years entered by hand"),
        default=list,
        blank=True,
        help_text=_(
            "Years whose official holiday arrangement you entered as dates below; "
            "this silences the warning that the holiday source does not know them."
        ),
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["code"]

    def weekly_hours_text(self) -> tuple[str, ...]:
        return tuple(getattr(self, day) for day in WEEKDAYS)

    def template(self) -> CalendarTemplate:
        return CalendarTemplate(
            code=self.code,
            name_en=self.name_en,
            name_zh=self.name_zh,
            zone=self.zone,
            weekly=tuple(parse_hours(text) for text in self.weekly_hours_text()),
            off_day_hours=parse_hours(self.off_day_hours),
            holiday_source=self.holiday_source,
        )

    def clean(self) -> None:
        from kefu.sla.calendars import build_calendar

        try:
            build_calendar(self.template(), years=())
        except BilingualError as error:
            raise ValidationError(str(error)) from error
        if not all(isinstance(y, int) for y in self.arranged_years or []):
            raise ValidationError({"arranged_years": _("Enter a list of years, e.g. [2027].")})


class CalendarDate(models.Model):
    """An admin-entered date: next year's arrangement before the library has it, or a one-off."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday (non-working-day hours apply)")
        MAKEUP = "makeup", _("Make-up working day (weekday hours)")
        CLOSED = "closed", _("Closed all day")
        HOURS = "hours", _("Working day with other hours")
        REDUCED = "reduced", _("Reduced hours, not a working day")

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="dates")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    hours = models.CharField(
        _("hours"),
        max_length=120,
        blank=True,
        validators=[validate_hours_text],
        help_text=_("Only for other or reduced hours, e.g. 10:00-16:00."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("calendar date")
        verbose_name_plural = _("calendar dates")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="one_entry_per_calendar_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.get_kind_display()}"

    def clean(self) -> None:
        needs_hours = self.kind in (self.Kind.HOURS, self.Kind.REDUCED)
        if needs_hours and not self.hours.strip():
            raise ValidationError({"hours": _("Enter the hours for this kind of date.")})


class Metric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    PERIODIC_UPDATE = "periodic_update", _("Periodic update")
    RESOLUTION = "resolution", _("Resolution")


def default_pause_statuses() -> list[str]:
    return [Status.PENDING_CUSTOMER]


class SlaPolicy(BilingualName):
    """Targets for tickets that match its criteria (blank criteria match anything).

    For each metric the most specific matching policy that sets a target for it wins (emergency
    and complaint marks first, then the number of criteria, then ``order``), so a channel policy
    can set response targets while a complexity policy sets the resolution target.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Among equally specific policies, lower goes first.")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, blank=True)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), null=True, blank=True, on_delete=models.CASCADE
    )
    org_tier = models.CharField(
        _("organisation tier"), max_length=12, choices=Organization.Tier.choices, blank=True
    )
    complexity = models.CharField(
        _("complexity"), max_length=12, choices=Complexity.choices, blank=True
    )
    tag = models.CharField(_("tag"), max_length=64, blank=True)
    emergency = models.BooleanField(_("emergency tickets"), null=True, blank=True)
    complaint = models.BooleanField(_("complaint tickets"), null=True, blank=True)
    first_response = models.CharField(
        _("first response"), max_length=16, blank=True, validators=[validate_target_text]
    )
    next_response = models.CharField(
        _("next response"), max_length=16, blank=True, validators=[validate_target_text]
    )
    periodic_update = models.CharField(
        _("periodic update"), max_length=16, blank=True, validators=[validate_target_text]
    )
    resolution = models.CharField(
        _("resolution"), max_length=16, blank=True, validators=[validate_target_text]
    )
    calendar = models.ForeignKey(
        BusinessCalendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="+"
    )
    extra_calendars = models.ManyToManyField(
        BusinessCalendar,
        verbose_name=_("follow-the-sun calendars"),
        blank=True,
        related_name="+",
        help_text=_("The clock runs whenever any of the calendars is open."),
    )
    pause_statuses = models.JSONField(
        _("pause in statuses"), default=default_pause_statuses, blank=True
    )
    warn_share = models.FloatField(
        _("warn at share of target"),
        default=0.75,
        validators=[MinValueValidator(0.05), MaxValueValidator(0.99)],
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["order", "code"]

    def target(self, metric: str) -> str:
        return str(getattr(self, metric))

    def clean(self) -> None:
        unknown = set(self.pause_statuses or []) - set(Status.values)
        if unknown:
            raise ValidationError(
                {"pause_statuses": _("Unknown status: %(s)s.") % {"s": ", ".join(sorted(unknown))}}
            )
        if not any(self.target(m) for m in Metric.values):
            raise ValidationError(_("Set at least one target."))


class SlaClock(models.Model):
    """One metric of one ticket, rebuilt from the ticket's history on every relevant event.

    ``warned_at``/``breached_at`` are set only by the sweeper's conditional UPDATEs; a rebuild keeps
    them while the same cycle's recomputed instants still stand.
    """

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        MET = "met", _("Met")
        BREACHED = "breached", _("Breached")
        CANCELLED = "cancelled", _("Cancelled")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="sla_clocks")
    metric = models.CharField(_("metric"), max_length=16, choices=Metric.choices)
    policy = models.ForeignKey(SlaPolicy, null=True, blank=True, on_delete=models.SET_NULL)
    target = models.CharField(_("target"), max_length=16)
    calendars = models.CharField(_("calendars"), max_length=200)
    warn_share = models.FloatField(default=0.75)
    started_at = models.DateTimeField(_("started"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    warn_at = models.DateTimeField(_("warn at"), null=True, blank=True)
    # Business seconds left when paused, met or cancelled (negative: late); None while running.
    remaining_seconds = models.BigIntegerField(null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    warned_at = models.DateTimeField(_("warned"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        ordering = ["ticket", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "metric"], name="one_clock_per_metric")
        ]
        indexes = [
            # Only clocks that can still fire are indexed: the sweeper's scan stays tiny.
            models.Index(
                fields=["due_at"],
                name="slaclock_breach_due",
                condition=Q(state="running", breached_at__isnull=True),
            ),
            models.Index(
                fields=["warn_at"],
                name="slaclock_warn_due",
                condition=Q(state="running", warned_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.metric} {self.state}"

    @property
    def calendar_codes(self) -> list[str]:
        return self.calendars.split("+")
