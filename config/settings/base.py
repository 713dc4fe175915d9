"""Settings for the Safeguarding Learning Hub.

Everything comes from environment variables. With none set, the Hub runs embedded: SQLite, Celery
tasks run eagerly in-process, search on the database and email written to files, so that
`make run` needs no services. Production sets DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
CELERY_BROKER_URL, ELASTICSEARCH_URL and EMAIL_URL.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

from partnership.uploads import CONTENT_TYPES

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"
VAR_DIR = Path(environ.Env().str("HUB_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)

# A development key is only acceptable while DEBUG is on; production must bring its own.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-this-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "hub",
    "partnership",
    "reviews",
    "learning",
    "training",
    "audits",
    "search",
    "operations",
    # No wagtail.contrib.forms: the Hub has no form pages, and its Forms menu item walked the
    # page permissions on every admin page to decide to hide itself.
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the page cache and every view: a NUL in the path, query or a form is a 400.
    "partnership.bad_bytes.RejectNulBytesMiddleware",
    # Above the page cache, so that pages served from it carry the policy too.
    "partnership.csp.HubCSPMiddleware",
    # Above sessions, CSRF and auth: an anonymous hit skips them all (see hub/page_cache.py).
    "hub.page_cache.AnonymousPageCacheMiddleware",
    # Which Wagtail site a page request is for, from the cache rather than a query.
    "hub.sites.SiteOfRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Says whether this session's second factor was checked (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partnership.sessions.IdleSessionMiddleware",
    "partnership.sessions.NoStoreMiddleware",
    # After the idle sign-out, so that an expired session is signed out rather than asked for
    # a code; its refusals are no-store like every signed-in response.
    "partnership.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a lock-out found while signing in into the response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "partnership.context_processors.membership",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'hub.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ (it is ignored): SQLite cannot create its file without it.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the dev server and an eager Celery task read while another request writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caching: Redis in production (REDIS_URL or CACHE_URL), local memory when embedded.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://hub")}
# Anonymous visitors' pages are served from the cache and invalidated on publish; the timeout
# only bounds how stale data from outside the page tree can get. 0 turns the cache off.
HUB_PAGE_CACHE_SECONDS = env.int("HUB_PAGE_CACHE_SECONDS", default=300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, loading the person's membership with them (partnership/backends.py).
    "partnership.backends.MemberBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# Email: files under var/mail by default, so that nothing leaves the machine until EMAIL_URL says.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="filemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Safeguarding Learning Hub <hub@example.org>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker the tasks run eagerly in the calling process (the embedded default).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Reminders, escalations and (on the first run of each week) the agencies' digests: one job,
    # safe to run twice, so a missed or repeated beat never loses or doubles a notice.
    "send-action-reminders": {
        "task": "learning.tasks.send_action_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Training: the reminder N working days before each session, once per booking and date.
    "send-session-reminders": {
        "task": "training.tasks.send_session_reminders_task",
        "schedule": crontab(hour=7, minute=30),
    },
    # Self-assessment: the invitation, then due soon and overdue, once each per return and date.
    "send-return-notices": {
        "task": "audits.tasks.send_return_notices_task",
        "schedule": crontab(hour=7, minute=15),
    },
    # An offered place not taken in time goes to the next person waiting; offers last hours,
    # so a few minutes' lateness is all a delegate next in the queue can lose.
    "expire-training-offers": {
        "task": "training.tasks.expire_offers_task",
        "schedule": crontab(minute="*/10"),
    },
    # "Please evaluate" the day after a session, and the follow-up about three months later:
    # once each, however often it runs.
    "send-training-follow-ups": {
        "task": "training.evaluation_tasks.send_training_follow_ups_task",
        "schedule": crontab(hour=7, minute=30),
    },
}

# Search: the database engine unless ELASTICSEARCH_URL names a cluster.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX_PREFIX = env.str("ELASTICSEARCH_INDEX_PREFIX", default="hub")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Wagtail
WAGTAIL_SITE_NAME = "Safeguarding Learning Hub"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# Each kind the Hub keeps is checked by its content (partnership/uploads.py) and served as the
# type that content was checked to be, always as an attachment: never opened in the browser.
WAGTAILDOCS_EXTENSIONS = sorted(CONTENT_TYPES)
WAGTAILDOCS_CONTENT_TYPES = CONTENT_TYPES
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_DOCUMENT_FORM_BASE = "partnership.document_forms.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents hold chronologies and minutes: they are always served through Wagtail's view, which
# checks permissions, never as a public media URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# A review's sign-off workflow ends with the review signed off (and published by the workflow,
# whose last approver holds no publish permission); other workflows publish as Wagtail does.
WAGTAIL_FINISH_WORKFLOW_ACTION = "reviews.workflows.finish_workflow"
WAGTAILADMIN_COMMENTS_ENABLED = True
# The admin's own date fields are plain text boxes (partnership/admin_dates.py); the few date
# pickers Wagtail still draws itself (its history filters) read and show dates the English way too.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
TAGGIT_CASE_INSENSITIVE = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Security: check --deploy is clean with DEBUG=0 and a real SECRET_KEY.
SESSION_COOKIE_HTTPONLY = True
# Sessions are read on every signed-in request: from the cache (Redis in production), with the
# database behind it so that a cache flush signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Bench and tests run production settings over plain HTTP on loopback; they switch these checks
# off explicitly and never in production.
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# Sign-in throttling (django-axes, see partnership/lockouts.py): this many failed sign-ins in a
# row for one username from one address lock that pair out for the cool-off. Keyed on both, so
# that someone guessing at a colleague's account from elsewhere cannot lock them out of their
# own desk, and a whole office behind one address is not locked out by one person.
AXES_FAILURE_LIMIT = env.int("HUB_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("HUB_SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Tries during a lock-out do not restart it: the page promises a wait of the cool-off, and keeps
# the promise (a script that keeps trying is still refused every time).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "partnership.lockouts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "partnership.rate_limits.client_ip"
# The Hub does not route Django's admin; failed sign-ins are listed in Wagtail's (Reports).
AXES_ENABLE_ADMIN = False
# Failures are kept (to lock out and to show managers); successful sign-ins are not: a log of
# everyone's addresses and browsers is personal data the Hub has no use for.
AXES_DISABLE_ACCESS_LOG = True
# Proxies in front of the Hub whose X-Forwarded-For is trusted for the client's address (see
# partnership/rate_limits.py). Production sits behind one (SECURE_PROXY_SSL_HEADER below).
HUB_PROXY_COUNT = env.int("HUB_PROXY_COUNT", default=0 if DEBUG else 1)
# Guesses at secrets without a username (API tokens, feed addresses, approval links) and
# password reset requests: failures allowed per client address per window, then 429.
HUB_TOKEN_GUESS_LIMIT = env.int("HUB_TOKEN_GUESS_LIMIT", default=20)
HUB_PASSWORD_RESET_LIMIT = env.int("HUB_PASSWORD_RESET_LIMIT", default=5)
HUB_RATE_LIMIT_WINDOW_MINUTES = env.int("HUB_RATE_LIMIT_WINDOW_MINUTES", default=15)

# Two factors (partnership/two_factor.py): everyone who may use the admin signs in with a
# password and a code from an authenticator app (or a one-time recovery code), on the admin and
# on the site alike. Turning it off is a development bypass only (`make run` and the test
# settings): with DEBUG off the Hub refuses to start without it.
HUB_TWO_FACTOR_REQUIRED = env.bool("HUB_TWO_FACTOR_REQUIRED", default=True)
if not HUB_TWO_FACTOR_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "HUB_TWO_FACTOR_REQUIRED=0 is a development bypass and is refused when DEBUG is off."
    )
# Wrong codes per person and client address per HUB_RATE_LIMIT_WINDOW_MINUTES, then 429.
HUB_TWO_FACTOR_GUESS_LIMIT = env.int("HUB_TWO_FACTOR_GUESS_LIMIT", default=10)
# django-otp's own back-off on each device: after n wrong codes in a row the next is not even
# checked for 2**(n-1) seconds, whoever sends it and from wherever.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The name authenticator apps show beside the codes.
OTP_TOTP_ISSUER = env.str("HUB_TWO_FACTOR_ISSUER", default="Safeguarding Learning Hub")

# Sessions (partnership/sessions.py): people who use the admin hold case records and are signed
# out after HUB_STAFF_IDLE_MINUTES without activity; site readers after HUB_SITE_IDLE_MINUTES.
# No sign-in outlives a working day, and a shared computer's ends with the browser.
HUB_STAFF_IDLE_MINUTES = env.int("HUB_STAFF_IDLE_MINUTES", default=30)
HUB_SITE_IDLE_MINUTES = env.int("HUB_SITE_IDLE_MINUTES", default=120)
SESSION_COOKIE_AGE = env.int("HUB_SESSION_HOURS", default=12) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = env.bool("HUB_SESSION_EXPIRE_AT_BROWSER_CLOSE", default=False)

# Content-Security-Policy (django-csp; the admin's additions are in partnership/csp.py). Scripts
# come only from the Hub's own static files, never inline, so injected markup cannot run; inline
# styles are allowed because Wagtail's admin and its rich text editor set them. No nonces: the
# anonymous page cache replays pages, and a replayed nonce protects nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
}
# The admin's avatars would send a hash of every person's email address to Gravatar.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Logs never carry child-identifying detail: the Hub logs identifiers, not record content, and
# every handler withholds what Wagtail, Django's SQL logger and Celery would quote of a record
# (partnership/log_privacy.py). A handler added here must carry the filter too: a test checks.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"withhold_record_content": {"()": "partnership.log_privacy.WithholdRecordContent"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["withhold_record_content"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own default sends errors to ADMINS by email, request and all: not here.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs its reference-index updates as django-tasks; one line each is noise.
        "django_tasks": {"level": "WARNING"},
        # redis-py gives this logger a handler of its own unless it exists already.
        "push_response": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Follow-up actions: the lead hears about an action this many days before it is due and once it
# is overdue; more than HUB_ACTION_ESCALATION_DAYS overdue, the executive group hears too.
HUB_ACTION_REMINDER_DAYS = env.int("HUB_ACTION_REMINDER_DAYS", default=14)
HUB_ACTION_ESCALATION_DAYS = env.int("HUB_ACTION_ESCALATION_DAYS", default=30)
# The weekly digest goes out on the first run on or after this weekday (0 = Monday).
HUB_ACTION_DIGEST_WEEKDAY = env.int("HUB_ACTION_DIGEST_WEEKDAY", default=0)
# Self-assessment (audits/reminders.py): an agency's leads hear this many days before their
# return is due, and once it is overdue.
HUB_RETURN_REMINDER_DAYS = env.int("HUB_RETURN_REMINDER_DAYS", default=14)

# Backups (`make backup`): where archives go, and the Fernet key that encrypts them. Without a
# key they are written unencrypted, with a warning: the archive holds confidential case data.
HUB_BACKUP_DIR = Path(env.str("HUB_BACKUP_DIR", default=str(VAR_DIR / "backups")))
HUB_BACKUP_KEY = env.str("HUB_BACKUP_KEY", default="")

# Imports (hub/importing/spreadsheets.py): how much of a spreadsheet the Hub reads. The upload limit
# counts compressed bytes; these bound the work a file can ask for before a row is read.
HUB_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "HUB_IMPORT_MAX_UNCOMPRESSED_BYTES", default=50 * 1024 * 1024
)
HUB_IMPORT_MAX_SHARED_STRINGS = env.int("HUB_IMPORT_MAX_SHARED_STRINGS", default=200_000)
# 100,000 rows: twice the 50,000-finding import `make bench` holds to its target.
HUB_IMPORT_MAX_ROWS = env.int("HUB_IMPORT_MAX_ROWS", default=100_000)
HUB_IMPORT_MAX_CELLS = env.int("HUB_IMPORT_MAX_CELLS", default=2_000_000)

HUB_DEMO_PASSWORD = env.str("HUB_DEMO_PASSWORD", default="")
# Served only by `make bench`: a minimal view that shows the framework's ceiling.
HUB_BENCH = env.bool("HUB_BENCH", default=False)
if HUB_BENCH:
    # Outermost, so that it counts every query a request costs, sessions and auth included.
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")
