"""People and organisations: who may ask for help, and who gives it."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

KEY_ACCOUNT_GMV_USD = Decimal("500000")
KEY_ACCOUNT_RATING = Decimal("4.8")
KEY_ACCOUNT_RATING_MONTHS = 6


class BilingualName(models.Model):
    """Admin-editable data shown to people in both languages (teams, categories, …)."""

    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.name_zh if (get_language() or "").startswith("zh") else self.name_en


def validate_time_zone(value: str) -> None:
    """An IANA time zone name this machine knows (``zoneinfo``)."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(zone)s” is not a time zone name (e.g. Asia/Shanghai).") % {"zone": value}
        ) from None


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password (a contact)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in by email ignores case and surrounding spaces (``Anna@Acme.test ``)."""
        return self.get(email__iexact=(username or "").strip())


def shown_name(agent_code: str | None, name: str, email: str) -> str:
    """How a person appears on tickets: agents by agent id, never by real name (the charter);
    everyone else by name, or email."""
    return agent_code or name or email


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone Kefu knows: a customer account, an agent, or a contact known only by address."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("An IANA name such as Asia/Shanghai or America/New_York; empty: the site's."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # One account per address whatever its case; the same index serves the case-insensitive
        # match (``email__iexact``) of senders on every inbound message and of sign-ins.
        constraints = [
            models.UniqueConstraint(
                Upper("email"),
                name="user_email_ci_unique",
                violation_error_message=_("A user with this email already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def lang(self) -> str:
        """The short language code used on tickets: ``zh`` or ``en``."""
        return "zh" if self.language.startswith("zh") else "en"

    @property
    def zone(self) -> ZoneInfo:
        """The person's time zone: their own, or the site's when they set none."""
        try:
            return ZoneInfo(self.time_zone or settings.TIME_ZONE)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(settings.TIME_ZONE)


class Organization(models.Model):
    """An enterprise customer: a buyer, a merchant, both, or a partner service provider."""

    class Kind(models.TextChoices):
        BUYER = "buyer", _("Buyer")
        MERCHANT = "merchant", _("Merchant")
        BOTH = "both", _("Buyer and merchant")
        PARTNER = "partner", _("Partner service provider")

    class Tier(models.TextChoices):
        STANDARD = "standard", _("Standard")
        KEY_ACCOUNT = "key_account", _("Key account")

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(_("account id"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BUYER)
    tier = models.CharField(_("tier"), max_length=12, choices=Tier.choices, default=Tier.STANDARD)
    phone = models.CharField(_("registered company phone"), max_length=32, blank=True)
    email_domains = models.JSONField(_("email domains"), default=list, blank=True)
    expedite = models.BooleanField(
        _("expedite rights"), default=False, help_text=_("Certified partners' tickets go first.")
    )
    gmv_usd = models.DecimalField(_("annual GMV (USD)"), max_digits=14, decimal_places=2, default=0)
    rating = models.DecimalField(_("store rating"), max_digits=3, decimal_places=2, default=0)
    rating_months = models.PositiveSmallIntegerField(_("months at this rating"), default=0)
    account_manager = models.ForeignKey(
        "accounts.Agent",
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_organizations",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_key_account(self) -> bool:
        """Key accounts by the charter: set by an admin, or GMV ≥ $500k, or 4.8+ for 6 months."""
        return (
            self.tier == self.Tier.KEY_ACCOUNT
            or self.gmv_usd >= KEY_ACCOUNT_GMV_USD
            or (
                self.rating >= KEY_ACCOUNT_RATING
                and self.rating_months >= KEY_ACCOUNT_RATING_MONTHS
            )
        )


class Account(models.Model):
    """A customer's login within an organisation: the main account or a scoped sub-account."""

    class Scope(models.TextChoices):
        CREATE_TICKETS = "create_tickets", _("Create tickets")
        VIEW_ORG_TICKETS = "view_org_tickets", _("View all of the organisation's tickets")
        ORDER_TICKETS = "order_tickets", _("View tickets about orders")
        BILLING_TICKETS = "billing_tickets", _("View and create payment & billing tickets")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="account")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="accounts",
    )
    is_main = models.BooleanField(_("main account"), default=False)
    scopes = models.JSONField(_("permission scopes"), default=list, blank=True)

    class Meta:
        verbose_name = _("customer account")
        verbose_name_plural = _("customer accounts")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(is_main=True), name="one_main_account_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organization})"

    def has_scope(self, scope: str) -> bool:
        return self.is_main or scope in self.scopes


class Team(BilingualName):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    email = models.EmailField(_("team email"), blank=True)
    lead = models.ForeignKey(
        "accounts.Agent",
        verbose_name=_("team lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["code"]


class Agent(models.Model):
    """Support staff. Customers see the agent's code, never the real name (the charter)."""

    class Role(models.TextChoices):
        AGENT = "agent", _("Agent")
        LEAD = "lead", _("Team lead")
        QA = "qa", _("Quality assurance")
        ADMIN = "admin", _("Administrator")

    class Status(models.TextChoices):
        ONLINE = "online", _("Online")
        AWAY = "away", _("Away")
        OFFLINE = "offline", _("Offline")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="agent")
    code = models.CharField(_("agent id"), max_length=16, unique=True)
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.AGENT)
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), blank=True, related_name="agents")
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    shift_calendar = models.CharField(
        _("shift calendar"), max_length=40, default="cn-standard", help_text=_("Calendar code")
    )
    status = models.CharField(
        _("availability"), max_length=8, choices=Status.choices, default=Status.OFFLINE
    )
    max_chats = models.PositiveSmallIntegerField(_("concurrent chat limit"), default=3)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the token is shown once."""

    class Purpose(models.TextChoices):
        USER = "user", _("Acts as its user")
        INTEGRATION = "integration", _("Integration (inbound webhooks)")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.USER)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
