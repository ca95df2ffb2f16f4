"""Django settings for Blueprints.

Every deploy-relevant value comes from the environment (12-factor) with a safe
development default; see `.env.example` for the full list.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    # The OS environment wins over the file.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=True)
_DEV_SECRET_KEY = "django-insecure-dev-only-key-never-use-in-production"
SECRET_KEY = env("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_ID = 1
TIME_ZONE = env("TIME_ZONE", default="UTC")
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"
ASGI_APPLICATION = "project.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# DATABASES
# ------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server answers 503 quickly instead of holding the worker.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=5
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A worker running tasks next to the web process: writers queue for the lock (up to
    # 20 s, taken when a transaction starts) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "project.apps.AdminConfig",  # django.contrib.admin, see project/admin.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    # third party
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
    "allauth.socialaccount.providers.twitter_oauth2",
    "allauth.socialaccount.providers.facebook",
    "csp",
    "oauth2_provider",
    # ours
    "accounts",
    "snaps",
    "social",
    "photos",
    "hublot",
    "recipes",
    "mastodon_api",
]

# AUTH
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# allauth's backend (username or e-mail) behind the one brute-force policy: every
# password check (web, admin, HTTP Basic, /api/v1/auth/token/) passes through it.
AUTHENTICATION_BACKENDS = ["accounts.backends.RateLimitedAuthenticationBackend"]
# Failed password attempts allowed per client IP and per login name (allauth's syntax).
LOGIN_FAILED_RATE = env("ACCOUNT_LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key")
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# MIDDLEWARE
# ------------------------------------------------------------------------------
MIDDLEWARE = [
    # First: it sees every answer under /api/ (makes errors JSON) and adds a missing
    # slash before CommonMiddleware would try to redirect.
    "project.apiedges.ApiEdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "project.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400/414/431 for NUL, lone surrogates, unknown charsets, over-long query strings/headers.
    "project.middleware.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LastSeenMiddleware",  # after the response: who was here, throttled
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last: the first to see a view's error. Unreachable DB/Redis -> 503 + Retry-After.
    "project.outages.OutageMiddleware",
]
OUTAGE_RETRY_AFTER_SECONDS = env.int("OUTAGE_RETRY_AFTER_SECONDS", default=30)

# Longest query string (414 beyond) and header value (431 beyond) accepted; gunicorn's
# own limits (4094-byte request line, 8190-byte header) usually answer first.
REQUEST_MAX_QUERY_STRING_CHARS = env.int("REQUEST_MAX_QUERY_STRING_CHARS", default=8192)
REQUEST_MAX_HEADER_CHARS = env.int("REQUEST_MAX_HEADER_CHARS", default=8190)

# STATIC / MEDIA
# ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Uploads go to S3 (or any S3-compatible store) when a bucket is named, else to MEDIA_ROOT.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
_DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if AWS_STORAGE_BUCKET_NAME:
    _DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=True),
        },
    }
STORAGES = {
    "default": _DEFAULT_STORAGE,
    # Photo originals (photos/storage.py): never served by URL, streamed to their owner.
    "photo_originals": (
        {**_DEFAULT_STORAGE, "OPTIONS": {**_DEFAULT_STORAGE["OPTIONS"], "location": "originals"}}
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "photos.storage.OriginalsStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# TEMPLATES
# ------------------------------------------------------------------------------
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["project.templatetags.site", "accounts.templatetags.accounts"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.email_verification",
            ],
            # {% load urlsafety %} -> |safe_url for every URL that comes from outside.
            "libraries": {"urlsafety": "project.urlsafety"},
        },
    },
]

# SECURITY
# ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "project.views.csrf_failure"  # branded 403 (templates/403_csrf.html)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Production defaults follow DEBUG: off in development, on once DEBUG=0.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
# /healthz must answer plain HTTP probes from a load balancer.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = env("SECURE_REFERRER_POLICY", default="same-origin")
SECURE_CROSS_ORIGIN_OPENER_POLICY = env("SECURE_CROSS_ORIGIN_OPENER_POLICY", default="same-origin")
# Sent by project.headers.PermissionsPolicyMiddleware: no page needs these features.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# Content-Security-Policy (django-csp): no inline script anywhere; the few inline
# <script>/<style> blocks (Swagger UI, the browsable API) carry the request's nonce.
# Uploaded images may come from an S3 bucket (any https origin) or CSP_EXTRA_IMG_SRC.
_CSP_IMG_SRC = [SELF, "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])]
if AWS_STORAGE_BUCKET_NAME:
    _CSP_IMG_SRC.append("https:")
# Direct photo uploads (photos/direct_uploads.py) POST from the browser to the bucket.
_CSP_CONNECT_SRC = [SELF]
if AWS_STORAGE_BUCKET_NAME:
    _endpoint = _DEFAULT_STORAGE["OPTIONS"]["endpoint_url"]
    _CSP_CONNECT_SRC.append(
        "/".join(_endpoint.split("/")[:3]) if _endpoint else "https://*.amazonaws.com"
    )
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": _CSP_IMG_SRC,
        "font-src": [SELF],
        "connect-src": _CSP_CONNECT_SRC,
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

# EMAIL
# ------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
if env("EMAIL_URL", default=""):
    vars().update(env.email("EMAIL_URL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Blueprints <noreply@localhost>")

# LOGGING
# ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}

# CACHES / CELERY
# ------------------------------------------------------------------------------
# Redis is optional: when REDIS_URL is set it backs the cache and the Celery
# broker; without it the site runs on local memory with Celery eager.
REDIS_URL = env("REDIS_URL", default="")
# Short, so a Redis outage costs a page a second at most, not a hung worker.
REDIS_CONNECT_TIMEOUT = env.float("REDIS_CONNECT_TIMEOUT", default=1.0)
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=1.0)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "project.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="blueprints"),
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Per-user API pages (feed, photo lists) are kept this long at most; every write that
# changes one drops it at once (project/apicache.py). 0 turns the cache off.
API_CACHE_SECONDS = env.int("API_CACHE_SECONDS", default=300)
# How long a worker trusts its own memory of an API token's user before asking Redis
# again (accounts/authentication.py): the most a revoked token can outlive revocation.
API_TOKEN_LOCAL_SECONDS = env.float("API_TOKEN_LOCAL_SECONDS", default=2.0)
# How long the signed download link of a data export works (Settings → Your data);
# then beat deletes the export (accounts.tasks.data_export_purge_expired_task).
ACCOUNT_EXPORT_LINK_SECONDS = env.int("ACCOUNT_EXPORT_LINK_SECONDS", default=24 * 60 * 60)
# Named API tokens a user may hold; the password exchange drops the least recently used.
API_TOKENS_MAX_PER_USER = env.int("API_TOKENS_MAX_PER_USER", default=50)

# A host in the in-memory URL keeps kombu from warning "No hostname was supplied".
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Delivery is at least once: a task is acknowledged after it ran, and a worker lost
# mid-task leaves its message to be delivered again; every task is idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Nothing reads task results (tasks record their outcome in the database); not
# storing them keeps a finished task from failing on a Redis outage.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
CELERY_BEAT_SCHEDULE["accounts-exports-purge-expired"] = {
    "task": "accounts.tasks.data_export_purge_expired_task",
    "schedule": env.int("ACCOUNT_EXPORT_PURGE_EVERY_SECONDS", default=3600),
}
# Time limits (prefork pool): the soft one raises inside the task, the hard one kills it,
# so no attempt outlives CELERY_TASK_TIME_LIMIT. A message taken by a worker that then
# died (or lost Redis) is delivered again after visibility_timeout, by a starting worker
# or by a running one's sweep (every interval x throttle seconds); it must exceed the
# hard limit, and retries never wait longer than half of it (recipes/tasks.py).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
    # Notice a dead or half-open connection instead of blocking on it.
    "socket_keepalive": True,
    "socket_connect_timeout": 5,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must exceed CELERY_TASK_TIME_LIMIT.")
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "socket_keepalive": True,
    "socket_connect_timeout": 5,
    "retry_on_timeout": True,
    "health_check_interval": 10,
}
# Ride out a broker outage of any length: keep reconnecting (also at start-up) instead
# of exiting after 100 tries. Tasks running when Redis goes away finish and record their
# outcome; their redelivered copies then find nothing to do.
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_BROKER_CHANNEL_ERROR_RETRY = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False

# ALLAUTH
# ------------------------------------------------------------------------------
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", default="none")
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_RATE_LIMITS = {
    # Failed logins are limited by accounts.bruteforce (LOGIN_FAILED_RATE) on every path.
    "login_failed": None,
}
# NFKC usernames, no mixed scripts, racing sign-ups as form errors (accounts/adapters.py).
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Two-factor authentication (allauth.mfa): an authenticator app, security keys/passkeys
# (WebAuthn) and recovery codes. An account with any of them gets API tokens from the
# password only with a code (accounts.api). WebAuthn needs https, or http://localhost.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# Security keys name the site as e-mails do (SITE_NAME), not the Site row.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", default="Blueprints")
# Social login: a provider appears on the login page once its credentials are set.
SOCIALACCOUNT_ADAPTER = "recipes.adapters.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # the flow starts with a POST (CSRF-safe)
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_PROVIDERS: dict = {
    "twitter_oauth2": {
        "SCOPE": ["tweet.read", "tweet.write", "users.read", "follows.read", "offline.access"],
        "OAUTH_PKCE_ENABLED": True,
    },
    "facebook": {
        "METHOD": "oauth2",
        "SCOPE": ["email", "public_profile", "user_friends"],
        "FIELDS": ["id", "name", "email", "first_name", "last_name"],
        "VERSION": env("FACEBOOK_GRAPH_VERSION", default="v21.0"),
    },
}
if env("X_CLIENT_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["twitter_oauth2"]["APPS"] = [
        {"client_id": env("X_CLIENT_ID"), "secret": env("X_CLIENT_SECRET", default="")}
    ]
if env("FACEBOOK_APP_ID", default=""):
    SOCIALACCOUNT_PROVIDERS["facebook"]["APPS"] = [
        {"client_id": env("FACEBOOK_APP_ID"), "secret": env("FACEBOOK_APP_SECRET", default="")}
    ]

# DRF
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.URLPathVersioning",
    "DEFAULT_VERSION": "v1",
    "ALLOWED_VERSIONS": ["v1"],
    # Stateless schemes first, so an anonymous caller gets 401 with a challenge (Basic,
    # except to browsers: they would pop up a password dialog instead of the login link).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.RateLimitedBasicAuthentication",
        "accounts.authentication.CachedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # One request type, JSON, so every operation has one body schema (generated clients,
    # Swagger UI's default); the photo upload alone takes multipart (photos/api.py).
    # The parser refuses NUL, lone surrogates and JSON nested too deep (project/parsers.py).
    "DEFAULT_PARSER_CLASSES": ["project.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "project.pagination.BoundedPageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "project.filters.DjangoFilterBackend",
        "project.filters.SearchFilter",  # views with `search_fields`; full-text: a FilterSet's
        "project.filters.OrderingFilter",  # `search` (project/search.py), ranked
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "project.throttling.AnonRateThrottle",
        "project.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="300/minute"),
        "user": env("API_USER_RATE", default="1200/minute"),
        "auth-token": env("API_AUTH_TOKEN_RATE", default="20/minute"),
        "user-create": env("API_USER_CREATE_RATE", default="20/hour"),
        "photo-upload": env("PHOTOS_UPLOAD_RATE", default="120/hour"),
        "snaps-anonymous": env("SNAPS_ANONYMOUS_CREATE_RATE", default="10/hour"),
        "recipe-import": env("RECIPES_IMPORT_RATE", default="30/hour"),
    },
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "project.headers.BrowsableAPIRenderer",  # its style="" attributes under the CSP
    ],
    "DEFAULT_SCHEMA_CLASS": "project.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "project.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Deepest JSON body accepted (objects/arrays inside each other); deeper is a 400.
API_JSON_MAX_DEPTH = env.int("API_JSON_MAX_DEPTH", default=32)
SPECTACULAR_SETTINGS = {
    "TITLE": "Blueprints API",
    "DESCRIPTION": "Snaps, social, photos, hublot and recipes behind one versioned API.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # Separate request and response components: read-only fields (a token, an id) are not
    # asked of clients, and file fields are binary in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "project.openapi.add_error_responses",
        "project.openapi.forbid_nul_in_query_strings",
        "project.openapi.plain_semver_version",
    ],
    "ENUM_NAME_OVERRIDES": {
        "CrossPostProviderEnum": "recipes.models.CrossPost.Provider",
        "SnapVisibilityEnum": "snaps.models.Snap.Visibility",
        "RecipeVisibilityEnum": "recipes.models.Recipe.Visibility",
    },
}

# Mount /__bench__/bare, the baseline of benchmarks/http.py (never needed in production).
BENCHMARK_BARE_VIEW = env.bool("BENCHMARK_BARE_VIEW", default=False)

# SITE
# ------------------------------------------------------------------------------
# Absolute links in e-mails and cross-posts (no request to build them from).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# How e-mails name the site ("[Blueprints] Confirm your e-mail address"); default: SITE_URL's host.
SITE_NAME = env("SITE_NAME", default="") or urlsplit(SITE_URL).hostname or "Blueprints"

# SOCIAL
# ------------------------------------------------------------------------------
SOCIAL_FEED_STRATEGY = env("SOCIAL_FEED_STRATEGY", default="join")  # join | cache | write
SOCIAL_POST_MAX_LENGTH = env.int("SOCIAL_POST_MAX_LENGTH", default=500)
# Fan-out: readers per Celery task; followers not seen for this many days are skipped
# (their feed is rebuilt from the database when they return, as on Mastodon).
SOCIAL_FEED_FANOUT_CHUNK = env.int("SOCIAL_FEED_FANOUT_CHUNK", default=1000)
SOCIAL_FEED_INACTIVE_DAYS = env.int("SOCIAL_FEED_INACTIVE_DAYS", default=30)
# User.last_seen is written at most this often per user (accounts.middleware).
ACCOUNTS_LAST_SEEN_EVERY_SECONDS = env.int("ACCOUNTS_LAST_SEEN_EVERY_SECONDS", default=300)
# At most one e-mail per recipient, actor and kind of notification in this window
# (follows: one a day).
SOCIAL_NOTIFICATION_EMAIL_EVERY_SECONDS = env.int(
    "SOCIAL_NOTIFICATION_EMAIL_EVERY_SECONDS", default=3600
)
# Live timeline (GET /social/stream/, Server-Sent Events; needs REDIS_URL): the longest
# a connection holds a worker before the browser reconnects, and the keep-alive comment
# interval. Without Redis the timeline polls the feed API this often instead.
SOCIAL_STREAM_MAX_SECONDS = env.float("SOCIAL_STREAM_MAX_SECONDS", default=60)
SOCIAL_STREAM_HEARTBEAT_SECONDS = env.float("SOCIAL_STREAM_HEARTBEAT_SECONDS", default=15)
SOCIAL_LIVE_POLL_SECONDS = env.int("SOCIAL_LIVE_POLL_SECONDS", default=30)

# PHOTOS
# ------------------------------------------------------------------------------
PHOTOS_MAX_UPLOAD_BYTES = env.int("PHOTOS_MAX_UPLOAD_BYTES", default=15_000_000)
# Decompression-bomb guard: checked from the header, before any pixel is decoded.
PHOTOS_MAX_PIXELS = env.int("PHOTOS_MAX_PIXELS", default=40_000_000)
PHOTOS_MAX_COMMENT_LENGTH = env.int("PHOTOS_MAX_COMMENT_LENGTH", default=2000)
# Animations: all frames' pixels together (a 1000-frame GIF of 100x100 is 10 million).
PHOTOS_MAX_ANIMATION_PIXELS = env.int("PHOTOS_MAX_ANIMATION_PIXELS", default=25_000_000)
PHOTOS_MAX_ALT_TEXT_LENGTH = env.int("PHOTOS_MAX_ALT_TEXT_LENGTH", default=1500)
PHOTOS_QUOTA_BYTES = env.int("PHOTOS_QUOTA_BYTES", default=1_000_000_000)  # originals, per user
# SQLite (`make run`) builds photos_user_size_idx without its INCLUDE (size) column, which
# only PostgreSQL's index-only sum needs: nothing to warn about.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
PHOTOS_ALBUM_MAX_PHOTOS = 20
# Originals are kept private (only their owner may download them; served files are the
# stripped derivatives): a directory outside MEDIA_ROOT, or a prefix of the S3 bucket.
PHOTOS_ORIGINALS_ROOT = env.path("PHOTOS_ORIGINALS_ROOT", default=BASE_DIR / "private-media")
# Direct-to-S3 uploads (with S3 only): how long a presigned POST is valid; staging objects
# never confirmed are swept an hour after that.
PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS = env.int("PHOTOS_DIRECT_UPLOAD_EXPIRY_SECONDS", default=600)
if AWS_STORAGE_BUCKET_NAME:
    CELERY_BEAT_SCHEDULE["photos-direct-upload-sweep"] = {
        "task": "photos.tasks.photo_direct_upload_sweep_task",
        "schedule": env.int("PHOTOS_DIRECT_UPLOAD_SWEEP_SECONDS", default=3600),
    }

# HUBLOT (GitHub)
# ------------------------------------------------------------------------------
GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com")
GITHUB_TOKEN = env("GITHUB_TOKEN", default="")
GITHUB_PER_PAGE = 100
GITHUB_TIMEOUT = env.int("GITHUB_TIMEOUT", default=15)
# GitHub's secondary rate limits answer 403/429 with Retry-After: waits up to this many
# seconds are honoured in place; longer ones fail at once with the time to come back.
GITHUB_RETRY_AFTER_MAX_SECONDS = env.int("GITHUB_RETRY_AFTER_MAX_SECONDS", default=60)

# RECIPES (X / Facebook)
# ------------------------------------------------------------------------------
# Base URLs of the networks (tests and staging point them at local fakes).
TWITTER_API_URL = env("TWITTER_API_URL", default="https://api.x.com")
TWITTER_AUTHORIZE_URL = env("TWITTER_AUTHORIZE_URL", default="https://x.com/i/oauth2/authorize")
FACEBOOK_GRAPH_URL = env(
    "FACEBOOK_GRAPH_URL",
    default=f"https://graph.facebook.com/{SOCIALACCOUNT_PROVIDERS['facebook']['VERSION']}",
)
# New recipes are announced on this Facebook Page when both are set.
FACEBOOK_PAGE_ID = env("FACEBOOK_PAGE_ID", default="")
FACEBOOK_PAGE_TOKEN = env("FACEBOOK_PAGE_TOKEN", default="")
RECIPES_HTTP_TIMEOUT = env.float("RECIPES_HTTP_TIMEOUT", default=10)
RECIPES_FRIENDS_MAX_PAGES = env.int("RECIPES_FRIENDS_MAX_PAGES", default=5)
RECIPES_FRIENDS_CACHE_SECONDS = env.int("RECIPES_FRIENDS_CACHE_SECONDS", default=900)
# Cross-post delivery (README "Delivery guarantees"). A claimed row belongs to its attempt
# for the lease (past the hard time limit, that attempt is gone); the reconciliation
# settles rows nobody settled for RECONCILE_AFTER (past the lease plus the longest retry
# wait); a redelivered attempt reads up to LOOKUP_MAX_PAGES pages of 100 posts.
RECIPES_CROSSPOST_LEASE_SECONDS = env.int(
    "RECIPES_CROSSPOST_LEASE_SECONDS", default=CELERY_TASK_TIME_LIMIT + 30
)
RECIPES_CROSSPOST_MAX_ATTEMPTS = env.int("RECIPES_CROSSPOST_MAX_ATTEMPTS", default=6)
RECIPES_LOOKUP_MAX_PAGES = env.int("RECIPES_LOOKUP_MAX_PAGES", default=10)
RECIPES_RECONCILE_AFTER_SECONDS = env.int("RECIPES_RECONCILE_AFTER_SECONDS", default=900)
RECIPES_RECONCILE_EVERY_SECONDS = env.int("RECIPES_RECONCILE_EVERY_SECONDS", default=300)
_LONGEST_RETRY_WAIT = CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] / 2
if RECIPES_RECONCILE_AFTER_SECONDS < RECIPES_CROSSPOST_LEASE_SECONDS + _LONGEST_RETRY_WAIT:
    raise ImproperlyConfigured(
        "RECIPES_RECONCILE_AFTER_SECONDS must cover the lease plus the longest retry wait "
        "(half of CELERY_VISIBILITY_TIMEOUT)."
    )
CELERY_BEAT_SCHEDULE["recipes-crosspost-reconcile"] = {
    "task": "recipes.tasks.crosspost_reconcile_task",
    "schedule": RECIPES_RECONCILE_EVERY_SECONDS,
}

# Recipe import (project/urlsafety.py fetch_public_url): bounds of one fetch.
RECIPES_IMPORT_TIMEOUT_SECONDS = env.float("RECIPES_IMPORT_TIMEOUT_SECONDS", default=10)
RECIPES_IMPORT_MAX_BYTES = env.int("RECIPES_IMPORT_MAX_BYTES", default=3_000_000)
# "host:port" entries fetched even though they are not public addresses (tests, intranets).
URL_FETCH_ALLOWED_HOSTS = env.list("URL_FETCH_ALLOWED_HOSTS", default=[])
# CA certificates (a PEM file) the fetches trust for https; empty: certifi's bundle.
URL_FETCH_CA_BUNDLE = env("URL_FETCH_CA_BUNDLE", default="")

# SNAPS
# ------------------------------------------------------------------------------
SNAPS_MAX_CONTENT_CHARS = env.int("SNAPS_MAX_CONTENT_CHARS", default=100_000)
# Files in one snap (as in Gist); SNAPS_MAX_CONTENT_CHARS bounds them together.
SNAPS_MAX_FILES = env.int("SNAPS_MAX_FILES", default=10)
# Highlighting's bounds (snaps/highlighting.py); past any of them a snap is shown as plain text.
SNAPS_HIGHLIGHT_MAX_CHARS = env.int("SNAPS_HIGHLIGHT_MAX_CHARS", default=100_000)
SNAPS_HIGHLIGHT_MAX_LINE_CHARS = env.int("SNAPS_HIGHLIGHT_MAX_LINE_CHARS", default=2_000)
SNAPS_HIGHLIGHT_SECONDS = env.float("SNAPS_HIGHLIGHT_SECONDS", default=1.0)
# Lower size limits for lexers measured to be slow (Pygments lexer name -> characters).
SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER = {
    name: int(chars)
    for name, chars in env.dict(
        "SNAPS_HIGHLIGHT_MAX_CHARS_BY_LEXER", default={"YAML": "30000", "OCaml": "20000"}
    ).items()
}
# Snaps without an account (as dpaste): on in development, off unless set in production.
SNAPS_ALLOW_ANONYMOUS = env.bool("SNAPS_ALLOW_ANONYMOUS", default=DEBUG)
# Anonymous snaps, per client address, on the web form (the API's is "snaps-anonymous").
SNAPS_ANONYMOUS_CREATE_RATE = env("SNAPS_ANONYMOUS_CREATE_RATE", default="10/hour")
# Who may frame /snaps/<key>/embed/ (CSP frame-ancestors; every other page: 'none').
SNAPS_EMBED_FRAME_ANCESTORS = env.list("SNAPS_EMBED_FRAME_ANCESTORS", default=["*"])
CELERY_BEAT_SCHEDULE["snaps-purge-expired"] = {
    "task": "snaps.tasks.snap_purge_expired_task",
    "schedule": env.int("SNAPS_PURGE_EVERY_SECONDS", default=3600),
}

# SEARCH
# ------------------------------------------------------------------------------
# PostgreSQL text-search configuration of every search index and query (project/search.py).
# Not read from the environment: the GIN indexes are built with it, so changing it
# means `makemigrations` (new index expressions) and a migrate.
SEARCH_CONFIG = "english"
# Longest search query accepted (web `?q=`, API `?search=`); longer is a 400.
SEARCH_MAX_QUERY_CHARS = env.int("SEARCH_MAX_QUERY_CHARS", default=200)
# How many hits of each kind /search/ shows before its "more" link.
SEARCH_GROUP_SIZE = env.int("SEARCH_GROUP_SIZE", default=5)

# MASTODON CLIENT API
# ------------------------------------------------------------------------------
# django-oauth-toolkit as Mastodon's OAuth 2 server (mastodon_api/). Client secrets are
# stored hashed; tokens are revocable at once (/oauth/revoke, the "Authorised apps" page).
from mastodon_api.pkce import pkce_required  # noqa: E402
from mastodon_api.scopes import SCOPES as MASTODON_SCOPES  # noqa: E402

OAUTH2_PROVIDER = {
    "SCOPES": MASTODON_SCOPES,
    "DEFAULT_SCOPES": ["read"],
    "SCOPES_BACKEND_CLASS": "mastodon_api.oauth.AppScopes",
    "OAUTH2_VALIDATOR_CLASS": "mastodon_api.oauth.MastodonOAuth2Validator",
    # PKCE is verified whenever a client sends a challenge and required of public clients;
    # the confidential apps Mastodon.py and toot register send none (mastodon_api/pkce.py).
    "PKCE_REQUIRED": pkce_required,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,  # S256 only, no "plain"
    # RFC 9700: no implicit or password grant, tokens only in the Authorization header,
    # `iss` in the authorization response, tokens hashed at rest, refresh replay detected.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Mastodon's tokens do not expire; revoking them does.
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("MASTODON_TOKEN_SECONDS", default=10 * 365 * 86400),
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 600,
    # Plain-http redirect URIs (local apps, `make run`) only where asked for; DEBUG asks.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "urn"]
    + (["http"] if env.bool("MASTODON_HTTP_REDIRECTS", default=DEBUG) else []),
    "REQUEST_APPROVAL_PROMPT": "force",
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,  # replay protection is an error if off
}
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["mastodon-apps"] = env(
    "MASTODON_APP_CREATE_RATE", default="30/hour"
)
# Comment lines sent on an idle stream, so clients' read timeouts never fire.
MASTODON_STREAMING_HEARTBEAT_SECONDS = env.float("MASTODON_STREAMING_HEARTBEAT_SECONDS", default=15)
MASTODON_STREAMING_MAX_SECONDS = env.float("MASTODON_STREAMING_MAX_SECONDS", default=300)
# The toolkit's own models (named, since they are swappable).
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
