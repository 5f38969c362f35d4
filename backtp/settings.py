"""backtp settings: one module, configured by environment variables (see README)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from backtp.core.env import (
    env_bool,
    env_int,
    env_list,
    env_origins,
    env_str,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent

# A fresh checkout runs in development mode; deployments set DEBUG=0 (the Docker
# image does), and then a real SECRET_KEY is required.
DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-dev-only-key-do-not-use-in-production"

# Served over HTTPS in production (usually behind a TLS-terminating load balancer):
# secure cookies, HSTS and a redirect to https. Loopback test rigs may set HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_origins("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Full-text search and trigram similarity for catalogue search on PostgreSQL.
    "django.contrib.postgres",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "crontask",
    "backtp.core",
    "backtp.accounts",
    "backtp.catalog",
    "backtp.guide",
    "backtp.journal",
    "backtp.reminders",
    "backtp.pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that can answer by itself (an error while the session is saved
    # is answered at SessionMiddleware's level), so that every response has them.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "backtp.core.middleware.permissions_policy",
    # Behind nginx, the proxy compresses (Brotli or gzip, docs/deploy.md); without one,
    # Django's gzip, whose random padding mitigates BREACH on pages with a CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "backtp.core.middleware.forged_session_cookie_ignored",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "backtp.core.middleware.private_by_default",
    "backtp.core.middleware.database_unavailable",
]

ROOT_URLCONF = "backtp.urls"
# The admin lives wherever ADMIN_URL says (a path like "staff-7f3a/"), not at a guessable /admin/.
ADMIN_URL = env_str("ADMIN_URL", "admin/")
if not ADMIN_URL.endswith("/") or ADMIN_URL.startswith("/") or "//" in ADMIN_URL:
    raise ImproperlyConfigured(f"ADMIN_URL must look like 'some-path/'; got {ADMIN_URL!r}")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "backtp.journal.context_processors.device_owners",
            ],
        },
    },
]

WSGI_APPLICATION = "backtp.wsgi.application"

DATABASES = {
    "default": parse_database_url(
        "DATABASE_URL", env_str("DATABASE_URL", "sqlite:///db.sqlite3"), BASE_DIR
    )
}
# Persistent connections in production, checked before their first use in each request,
# so a connection that died (say, in a database restart) is replaced instead of failing
# the request that meets it.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DB_CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["backtp.accounts.backends.EmailBackend"]  # email or old username

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    # Older hashes still verify, and are upgraded to Argon2 at the next login.
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "pages:home"

# Failed logins allowed per account from one address, and per address across all
# accounts, before a cool-down (accounts/throttle.py).
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_ADDRESS_LIMIT = 50
LOGIN_FAILURE_WINDOW = 15 * 60

# Sessions live in the database (Django's db engine) whatever the cache: a log-out, a
# password change or a deactivation ends a session at once, Redis or no Redis.
# Caches: "pages" holds rendered catalogue pages in each process's memory (keyed on the
# catalogue version, so every process sees an edit at once); "default" holds the login
# failure counts, shared through Redis when there are several processes (REDIS_URL).
# While Redis is unreachable, login throttling fails open and logs a warning
# (accounts/throttle.py); nothing else uses it, so nothing else notices.
PAGES_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
if REDIS_URL := env_str("REDIS_URL", ""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
            "KEY_PREFIX": "backtp",
        },
        "pages": PAGES_CACHE,
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "pages": PAGES_CACHE,
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work (reminders) runs as Django tasks, queued in the database and run by
# `manage.py db_worker`; `manage.py crontask` enqueues the scheduled ones (every minute,
# reminders/tasks.py). docs/deploy.md shows the same tasks on Redis (django-tasks-rq).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Web Push: the server's VAPID key pair (`manage.py vapid_keys` makes one) and a contact
# the push services can reach. Without the keys, push reminders say they are not set up.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:admin@localhost")

# Email: printed to the console unless SMTP_HOST is set.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "backtp <no-reply@localhost>")
if SMTP_HOST := env_str("SMTP_HOST", ""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER", ""),
                "password": env_str("SMTP_PASSWORD", ""),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "backtp.core.storage.StaticFilesStorage"},
}

# Enforced from day one: no inline scripts or styles anywhere; htmx gets a nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features: only what the session timer uses (keeping the screen awake).
# Vibration is not governed by Permissions-Policy, so it needs no entry.
PERMISSIONS_POLICY = (
    "screen-wake-lock=(self), accelerometer=(), autoplay=(), camera=(), "
    "display-capture=(), fullscreen=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), "
    "xr-spatial-tracking=()"
)

# Cookies: never readable by scripts, sent only over HTTPS in production, and not
# on cross-site requests. The timer reads the CSRF token from the page instead.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers and the container HEALTHCHECK probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
# Behind a load balancer that terminates TLS, trust its X-Forwarded-Proto header, and
# take the client's address from the last hop of X-Forwarded-For (the one our own
# proxy appended), not REMOTE_ADDR, which is the proxy's (login throttling uses it).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"quiet_outages": {"()": "backtp.core.middleware.QuietOutages"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django.request": {"filters": ["quiet_outages"]}},
}

# Web Push endpoints accepted from browsers: the push services of Chrome (FCM), Firefox
# (Mozilla), Safari (Apple) and Edge (Windows). The server posts only to these.
PUSH_SERVICES = env_list(
    "PUSH_SERVICES",
    [
        r"^https://fcm\.googleapis\.com/",
        r"^https://android\.googleapis\.com/",
        r"^https://updates\.push\.services\.mozilla\.com/",
        r"^https://web\.push\.apple\.com/",
        r"^https://[a-z0-9-]+\.notify\.windows\.com/",
    ],
)
