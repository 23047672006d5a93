"""Django settings for Kefu.

Everything an operator may change is an environment variable prefixed ``KEFU_``; the defaults
run the whole product on one SQLite file with no other service.
"""

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kefu.lib.secret_key import stored_secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("KEFU_DATA_DIR", Path.cwd() / "var")).resolve()
TESTING = bool(os.environ.get("PYTEST_VERSION"))


def _env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


# No public default: unset, a random key is made once and kept in the data directory (0600).
SECRET_KEY = os.environ.get("KEFU_SECRET_KEY") or stored_secret_key(DATA_DIR / "secret_key")
DEBUG = _env_bool("KEFU_DEBUG", False)
ALLOWED_HOSTS = os.environ.get("KEFU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("KEFU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("KEFU_SITE_URL", "http://127.0.0.1:8000")
# The address telephony platforms call for /voice/…, as they see it (they sign that URL); set it
# when a reverse proxy or tunnel puts Kefu behind another host name than KEFU_SITE_URL's.
KEFU_VOICE_PUBLIC_URL = os.environ.get("KEFU_VOICE_PUBLIC_URL", "") or SITE_URL

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # the API docs from its own static files: the CSP allows no CDN and no inline script
    "django_tasks",
    "django_tasks_db",
    "kefu",
    "kefu.accounts",
    "kefu.tickets",
    "kefu.intake",
    "kefu.intake.phone",
    "kefu.triage",
    "kefu.sla",
    "kefu.escalation",
    "kefu.ratings",
    "kefu.delivery",
    "kefu.notifications",
    "kefu.webhooks",
    "kefu.knowledge",
    "kefu.search",
    "kefu.macros",
    "kefu.reports",
    "kefu.audit",
    "kefu.archive",
    "kefu.contacts",
    "kefu.visitors",
    "kefu.appointments",
    "kefu.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kefu.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kefu.error_pages.api_method_not_allowed",
    "django.middleware.common.CommonMiddleware",
    "kefu.input_guard.InputGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kefu.urls"
ASGI_APPLICATION = "kefu.asgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("KEFU_TEST_DATABASE_URL" if TESTING else "KEFU_DATABASE_URL")
    if url:
        # Requests run on a fixed pool of long-lived threads (see asgi.py), so each thread
        # keeps its connection; health checks replace one that the server dropped.
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
        config["TEST"] = {"NAME": f"test_kefu_{os.getpid()}"}
        if config["ENGINE"] == "django.db.backends.postgresql":
            # Server-side binding lets psycopg prepare the queries a worker repeats: the ticket
            # list's joins cost ~9 ms to plan and under 1 ms to run.
            config["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": 5}
        return dict(config)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "kefu.sqlite3",
        "CONN_MAX_AGE": None,
        # A file, not :memory:, so tests see real WAL locking across threads and processes.
        # One file per test run: parallel runs on one checkout must not share it.
        "TEST": {"NAME": DATA_DIR / f"test-kefu-{os.getpid()}.sqlite3"},
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on
            # busy_timeout instead of failing with "database is locked" on upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
            ),
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("KEFU_REDIS_URL", "")
# The default cache holds rate-limit counters (kefu/ratelimit.py): Redis when there is one, so
# every server process counts together; otherwise each process's own memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # redis-py refuses (not waits) past its pool size, 100 by default: a thousand
            # widgets reconnecting at once (a deploy, a network blip) each need one briefly.
            # Its read timeout (5 s by default since redis-py 8) must outlast the layer's
            # blocking pop (channels_redis waits up to 5 s): otherwise an idle socket's wait
            # races it, and losing takes the socket's consumer down (redis-py issue 4091).
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "max_connections": 2000, "socket_timeout": 30}]
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {
    "default": {
        # Tests run tasks inline; `kefu worker` runs them from the database otherwise.
        "BACKEND": os.environ.get(
            "KEFU_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Still Argon2, with parameters cheap enough for thousands of test logins.
    PASSWORD_HASHERS = ["kefu.testing.FastArgon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
MEDIA_ROOT = Path(os.environ.get("KEFU_MEDIA_ROOT", DATA_DIR / "media"))
# Served through the Kefu views that check access; never as a public directory.
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Attachments and raw inbound mail: MEDIA_ROOT on this machine by default; with KEFU_S3_BUCKET, an
# S3-compatible bucket (django-storages) that every server and worker node shares. Objects stay
# private (no ACL, no public URL): downloads stream through Kefu's access-checked views.


def s3_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """The S3 storage that the ``KEFU_S3_*`` variables in ``env`` describe."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env["KEFU_S3_BUCKET"],
            "endpoint_url": env.get("KEFU_S3_ENDPOINT_URL") or None,
            "region_name": env.get("KEFU_S3_REGION") or None,
            "access_key": env.get("KEFU_S3_ACCESS_KEY") or None,
            "secret_key": env.get("KEFU_S3_SECRET_KEY") or None,
            "location": env.get("KEFU_S3_PREFIX", "").strip("/"),
            "default_acl": None,
            # Names are content addresses: the same name always holds the same bytes.
            "file_overwrite": True,
        },
    }


# Nodes that share a bucket share no data directory: the keys a lone node would generate there
# (sessions, signed links, encrypted raw mail) would differ from node to node.
if os.environ.get("KEFU_S3_BUCKET") and not (
    os.environ.get("KEFU_SECRET_KEY") and os.environ.get("KEFU_ENCRYPTION_KEY")
):
    raise ImproperlyConfigured(
        "KEFU_S3_BUCKET is set: set KEFU_SECRET_KEY and KEFU_ENCRYPTION_KEY too, the same on "
        "every node."
    )
STORAGES: dict[str, dict[str, Any]] = {
    "default": s3_storage(os.environ)
    if os.environ.get("KEFU_S3_BUCKET")
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 11 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "KEFU_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("KEFU_SMTP_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("KEFU_SMTP_HOST", "127.0.0.1")
EMAIL_PORT = int(os.environ.get("KEFU_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("KEFU_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("KEFU_SMTP_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("KEFU_SMTP_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("KEFU_FROM_EMAIL", "service@kefu.example.com")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS (directly or behind a proxy that says so in X-Forwarded-Proto, which uvicorn
# trusts from 127.0.0.1): cookies only over HTTPS, and browsers told to stay on it (HSTS).
HTTPS = _env_bool("KEFU_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("KEFU_HSTS_SECONDS", "31536000")) if HTTPS else 0
# Scripts, styles, images and connections (the chat's WebSockets) only from Kefu itself; no
# inline script anywhere (kefu/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": HTTPS,
    }
}

NINJA_PAGINATION_PER_PAGE = 25
NINJA_PAGINATION_MAX_LIMIT = 200

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("KEFU_LOG_LEVEL", "INFO")},
    # axes: failures and lockouts, not every sign-in.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # httpx logs each request's URL: WeChat's carry the AppSecret and access_token.
        "httpx": {"level": "WARNING"},
    },
}

# Kefu's own knobs.
# A delivery being sent is leased for this long; if its worker dies, another takes it after.
KEFU_DELIVERY_LEASE_SECONDS = int(os.environ.get("KEFU_DELIVERY_LEASE_SECONDS", "300"))
# Webhooks to private, loopback and reserved addresses (and over http://): for tests and labs.
KEFU_WEBHOOKS_ALLOW_PRIVATE = _env_bool("KEFU_WEBHOOKS_ALLOW_PRIVATE", False)
# WeChat's API (access tokens, customer-service messages); a test points it at a fake server.
KEFU_WECHAT_API_BASE = os.environ.get("KEFU_WECHAT_API_BASE", "https://api.weixin.qq.com").rstrip(
    "/"
)
# WeChat drops a passive reply that comes later than 5 s after its push. The bot starts only while
# less than KEFU_WECHAT_BOT_START_SECONDS have passed since the push arrived, and its answer goes
# in the passive reply only when it is ready within KEFU_WECHAT_PASSIVE_SECONDS; otherwise the
# follower is told "正在处理" and the answer follows as a customer-service message.
KEFU_WECHAT_BOT_START_SECONDS = float(os.environ.get("KEFU_WECHAT_BOT_START_SECONDS", "2.0"))
KEFU_WECHAT_PASSIVE_SECONDS = float(os.environ.get("KEFU_WECHAT_PASSIVE_SECONDS", "4.0"))
# WeCom's API (customer service: gettoken, kf/sync_msg, kf/send_msg); tests use a fake server.
KEFU_WECOM_API_BASE = os.environ.get("KEFU_WECOM_API_BASE", "https://qyapi.weixin.qq.com").rstrip(
    "/"
)
KEFU_TICKET_TZ = "Asia/Shanghai"  # ticket numbers use the date in this zone
KEFU_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Images are measured before they are decoded (Pillow's own guard is set to the same number).
KEFU_IMAGE_MAX_PIXELS = int(os.environ.get("KEFU_IMAGE_MAX_PIXELS", "50000000"))
# The largest body any request may carry: ten attachments and the form around them. Larger
# bodies are not even read (kefu/asgi.py) and are answered 413.
KEFU_MAX_REQUEST_BYTES = 11 * KEFU_ATTACHMENT_MAX_BYTES
# Encryption at rest of raw inbound mail and stored secrets (kefu/crypto.py): Fernet keys,
# comma-separated, the first encrypts; unset, one is generated into DATA_DIR/encryption_key.
# Every node (server, worker, smtpd) must use the same key.
KEFU_ENCRYPTION_KEY = os.environ.get("KEFU_ENCRYPTION_KEY", "")
# A new ticket's routing, SLA clocks, score and what follows them: derived in its caller's own
# transaction ("inline"), or, for the portal, the API and email, by the worker in batches after
# the caller was answered ("batched": a shorter wait, no more throughput at saturation; see
# kefu/intake/derivation.py).
KEFU_DERIVE_NEW_TICKETS = os.environ.get("KEFU_DERIVE_NEW_TICKETS", "inline")
# Triage (see kefu/triage/config.py for why these defaults).
KEFU_TRIAGE_CONFIDENCE = float(os.environ.get("KEFU_TRIAGE_CONFIDENCE", "0.6"))
KEFU_TRIAGE_DUPLICATE_WINDOW = int(os.environ.get("KEFU_TRIAGE_DUPLICATE_WINDOW", "600"))
KEFU_TRIAGE_MODEL = os.environ.get("KEFU_TRIAGE_MODEL", str(DATA_DIR / "triage-model.npz"))


def _limits(defaults: dict[str, str]) -> dict[str, str]:
    """``KEFU_RATE_LIMITS="chat_session.ip=20/600,…"`` overrides single limits."""
    limits = dict(defaults)
    for item in filter(None, os.environ.get("KEFU_RATE_LIMITS", "").replace(" ", "").split(",")):
        name, _eq, value = item.partition("=")
        count, _slash, seconds = value.partition("/")
        if name not in limits or not (count.isdigit() and seconds.isdigit() and int(seconds)):
            raise ImproperlyConfigured(f"KEFU_RATE_LIMITS: {item!r} is not <name>=<count>/<s>")
        limits[name] = value
    return limits


# Limits of what anyone may do without signing in (kefu/ratelimit.py): count/seconds per client
# address (.ip) and per claimed email (.email).
KEFU_RATE_LIMITS = _limits(
    {
        "leave_message.ip": "10/3600",
        "leave_message.email": "5/3600",
        "chat_session.ip": "20/600",
        "chat_session.email": "10/600",
        "chat_message.ip": "60/60",
        "chat_message.email": "30/60",
        "password_reset.ip": "20/3600",
        "password_reset.email": "5/3600",
        "contact_form.ip": "10/3600",
        "contact_form.email": "5/3600",
        "status_lookup.ip": "20/3600",
        "status_lookup.email": "5/3600",
        # Phone PIN tries across calls (a call itself allows three): per account id, per caller.
        "phone_pin.account": "6/86400",
        "phone_pin.caller": "10/86400",
    }
)


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def _networks(name: str) -> list[str]:
    import ipaddress

    try:
        return [str(ipaddress.ip_network(item, strict=False)) for item in _list(name)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


# Inbound mail authentication (kefu/intake/email/authn.py): the relays whose
# Authentication-Results headers stamped with KEFU_MAIL_AUTHSERV_ID are believed, and the DNS
# servers ("ip" or "ip:port"; the system's when empty) asked for SPF, DKIM and DMARC records.
KEFU_MAIL_TRUSTED_RELAYS = _networks("KEFU_MAIL_TRUSTED_RELAYS")
KEFU_MAIL_AUTHSERV_ID = os.environ.get("KEFU_MAIL_AUTHSERV_ID", "").strip()
KEFU_MAIL_DNS_SERVERS = _list("KEFU_MAIL_DNS_SERVERS")
KEFU_MAIL_DNS_TIMEOUT = float(os.environ.get("KEFU_MAIL_DNS_TIMEOUT", "5"))
# `kefu smtpd`: clients allowed to connect (any when empty), SMTP AUTH accounts
# ("name:password,…"; signed-in clients count as trusted relays) and whether AUTH is required.
KEFU_SMTPD_ALLOWED_NETWORKS = _networks("KEFU_SMTPD_ALLOWED_NETWORKS")
KEFU_SMTPD_USERS = dict(item.partition(":")[::2] for item in _list("KEFU_SMTPD_USERS"))
KEFU_SMTPD_REQUIRE_AUTH = _env_bool("KEFU_SMTPD_REQUIRE_AUTH", False)
# Sign-in you can trust (kefu/accounts/signin.py, throttle.py, twofactor.py, reset.py, oidc.py).
INSTALLED_APPS += [
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
# Axes last: it turns a lockout flagged during the view into the lockout page.
MIDDLEWARE += [
    "kefu.accounts.twofactor.RequireTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
    "kefu.audit.actions.AuditContextMiddleware",  # who and from where, for the audit log
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked accounts and addresses first
    "django.contrib.auth.backends.ModelBackend",
    "kefu.accounts.oidc.StaffOIDCBackend",  # inert unless KEFU_OIDC_* is set
]
# Failed attempts live in the database (AccessAttempt), so every server process sees them.
AXES_HANDLER = "kefu.accounts.throttle.KefuAxesHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per client address
AXES_FAILURE_LIMIT = int(os.environ.get("KEFU_LOGIN_FAILURE_LIMIT", "50"))
KEFU_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("KEFU_LOGIN_ADDRESS_FAILURE_LIMIT", "200"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("KEFU_LOGIN_LOCKOUT_MINUTES", "30")))
AXES_RESET_ON_SUCCESS = True
# A lock runs for the cool-off from when it fell; more tries while locked do not prolong it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "kefu.accounts.throttle.attempted_email"
AXES_LOCKOUT_CALLABLE = "kefu.accounts.throttle.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "token", "otp_token"]
AXES_VERBOSE = False
# Behind N reverse proxies the client is the Nth address from the right of X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("KEFU_PROXY_COUNT", "0")) or None
if AXES_IPWARE_PROXY_COUNT:
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
KEFU_REQUIRE_2FA_FOR_ADMINS = _env_bool("KEFU_REQUIRE_2FA_FOR_ADMINS", False)
OTP_TOTP_ISSUER = "Kefu"
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60  # a reset link works for two hours, once
KEFU_OIDC_ISSUER = os.environ.get("KEFU_OIDC_ISSUER", "").rstrip("/")
KEFU_OIDC_ENDPOINTS = {  # explicit endpoints win over the issuer's discovery document
    key: os.environ.get(f"KEFU_OIDC_{key.upper()}", "")
    for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")
}
OIDC_RP_CLIENT_ID = os.environ.get("KEFU_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("KEFU_OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("KEFU_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # only existing staff accounts may sign in with SSO
OIDC_TIMEOUT = 10

# Reports (kefu/reports): the calendar whose open hours business-time figures count.
KEFU_REPORTS_CALENDAR = os.environ.get("KEFU_REPORTS_CALENDAR", "cn-standard")

# Ratings and auto-close (kefu/ratings): a resolved ticket closes by itself after this many
# working days without the customer's answer (reminded one working day before), counted on this
# business calendar.
KEFU_AUTO_CLOSE_WORKING_DAYS = int(os.environ.get("KEFU_AUTO_CLOSE_WORKING_DAYS", "3"))
KEFU_AUTO_CLOSE_CALENDAR = os.environ.get("KEFU_AUTO_CLOSE_CALENDAR", "cn-standard")
