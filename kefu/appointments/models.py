"""Offline service bookings (线下服务预约): a customer asks to visit the centre (bulk purchasing
talks, complex disputes, training) at a slot; the centre confirms or declines within 2 working
days. Each booking belongs to the ticket its request opened, and is seen through that ticket.

Admins define the ``Site``s visitors come to (name, address, business calendar) and each site's
weekly ``OpeningWindow``s, cut into bookable slots with a capacity; a booking made in the portal
or the API names a site and one of its slots.

``confirm_due_at`` and ``warn_at`` are the due-at columns the worker sweeps
(``appointments.sweep``); ``warned_at`` and ``breached_at`` record that it told staff, once.
Once confirmed, ``remind_at`` (the day before) and ``no_show_due_at`` (some hours after the
slot) are swept too: the customer is reminded once; a visit nobody recorded an arrival for is
marked a no-show. Arrival, no-show and cancellation each keep who and when; the visitor's ID
number is stored masked, only its last 4 characters kept.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kefu.tickets.models import Ticket


class Site(models.Model):
    """A place visitors come to, open on its business calendar's working days."""

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=300)
    calendar = models.SlugField(
        _("calendar"),
        max_length=40,
        default="cn-standard",
        help_text=_("The code of the business calendar whose holidays close the site."),
    )
    active = models.BooleanField(_("bookable"), default=True)

    class Meta:
        verbose_name = _("visit site")
        verbose_name_plural = _("visit sites")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from kefu.sla.models import BusinessCalendar

        if not BusinessCalendar.objects.filter(code=self.calendar).exists():
            raise ValidationError({"calendar": _("No business calendar has this code.")})


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningWindow(models.Model):
    """Every ``weekday`` from ``opens`` to ``closes`` the site receives visitors, in slots of
    ``slot_minutes`` starting at ``opens``, each for at most ``capacity`` visits."""

    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.CASCADE, related_name="windows"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=60)
    capacity = models.PositiveSmallIntegerField(_("visits per slot"), default=1)

    class Meta:
        verbose_name = _("opening window")
        verbose_name_plural = _("opening windows")
        ordering = ["site", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=F("opens")), name="window_closes_after"),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5), name="window_slot_length"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="window_capacity"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")
    ARRIVED = "arrived", _("Arrived")
    NO_SHOW = "no_show", _("No-show")
    DONE = "done", _("Done")


class Booking(models.Model):
    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="bookings"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    slot = models.DateTimeField(_("requested time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=200)
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    visitor_name = models.CharField(_("visitor"), max_length=120, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    # Why it was declined: an agent's words, or the rule a mailed request broke.
    reason = models.TextField(_("reason"), blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    confirm_due_at = models.DateTimeField(_("confirm by"))
    warn_at = models.DateTimeField(_("warn at"))
    warned_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    no_show_due_at = models.DateTimeField(_("no-show after"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("arrival recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What the desk checked on arrival: the organisation stated, and the ID number masked.
    arrived_organization = models.CharField(_("visitor's organisation"), max_length=200, blank=True)
    visitor_id_masked = models.CharField(
        _("visitor's ID number (masked)"), max_length=40, blank=True
    )
    no_show_at = models.DateTimeField(_("marked no-show"), null=True, blank=True)
    # Nobody when the worker marked it: no arrival was recorded in time.
    no_show_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("no-show marked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("offline appointment")
        verbose_name_plural = _("offline appointments")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(
                fields=["warn_at"],
                name="booking_warn_due",
                condition=Q(status="requested", warned_at__isnull=True),
            ),
            models.Index(
                fields=["confirm_due_at"],
                name="booking_confirm_due",
                condition=Q(status="requested", breached_at__isnull=True),
            ),
            models.Index(
                fields=["remind_at"],
                name="booking_remind_due",
                condition=Q(status="confirmed", reminded_at__isnull=True),
            ),
            models.Index(
                fields=["no_show_due_at"],
                name="booking_no_show_due",
                condition=Q(status="confirmed"),
            ),
            models.Index(fields=["site", "slot"], name="booking_site_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.topic}"

    @property
    def overdue(self) -> bool:
        return self.status == BookingStatus.REQUESTED and self.confirm_due_at <= timezone.now()
