"""The settings under production and service environments, each read in a fresh process.

Settings are read once per process from the environment, so every case starts Python with an
environment of its own: the Hub's variables from the surrounding shell (.ci/run sets some) are
removed first, so that each case says everything it depends on.
"""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

# Every variable config/settings/base.py reads.
HUB_VARIABLES = {
    "ALLOWED_HOSTS",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "DEBUG",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_SETTINGS_MODULE",
    "ELASTICSEARCH_INDEX_PREFIX",
    "ELASTICSEARCH_URL",
    "EMAIL_FILE_PATH",
    "EMAIL_URL",
    "HUB_BENCH",
    "HUB_DEMO_PASSWORD",
    "HUB_PASSWORD_RESET_LIMIT",
    "HUB_PROXY_COUNT",
    "HUB_RATE_LIMIT_WINDOW_MINUTES",
    "HUB_SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "HUB_SESSION_HOURS",
    "HUB_SIGN_IN_COOLOFF_MINUTES",
    "HUB_SIGN_IN_FAILURE_LIMIT",
    "HUB_SITE_IDLE_MINUTES",
    "HUB_STAFF_IDLE_MINUTES",
    "HUB_TOKEN_GUESS_LIMIT",
    "HUB_TWO_FACTOR_GUESS_LIMIT",
    "HUB_TWO_FACTOR_ISSUER",
    "HUB_TWO_FACTOR_REQUIRED",
    "HUB_VAR_DIR",
    "LOG_LEVEL",
    "MEDIA_ROOT",
    "SECRET_KEY",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT",
    "SILENCED_SYSTEM_CHECKS",
    "STATICFILES_STORAGE",
    "WAGTAILADMIN_BASE_URL",
}

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "hub.example.org",
}

READ_SETTINGS = """
import json, sys
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in sys.argv[1:]}, default=str))
"""


def _run(args, **env):
    # The browser tests allow Django's ORM under Playwright's event loop for this whole process;
    # a child process reading production settings must not inherit that.
    leaked = HUB_VARIABLES | {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in leaked}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _settings(*names, **env) -> dict:
    done = _run(["-c", READ_SETTINGS, *names], **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _check_deploy(**env):
    return _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    done = _check_deploy(**PRODUCTION, HUB_VAR_DIR=str(tmp_path))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stdout + done.stderr


def test_check_deploy_fails_on_a_weak_secret_key(tmp_path):
    """The check really looks: a short key is a warning, and warnings fail the deploy check."""
    done = _check_deploy(**{**PRODUCTION, "SECRET_KEY": "changeme"}, HUB_VAR_DIR=str(tmp_path))

    assert done.returncode != 0
    assert "security.W009" in done.stdout + done.stderr


def test_debug_off_without_a_secret_key_refuses_to_start(tmp_path):
    done = _run(["manage.py", "check"], DEBUG="0", HUB_VAR_DIR=str(tmp_path))

    assert done.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr


def test_production_settings_are_secure():
    values = _settings(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "STORAGES",
        **PRODUCTION,
        CSRF_TRUSTED_ORIGINS="https://hub.example.org,https://www.hub.example.org",
    )

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["ALLOWED_HOSTS"] == ["hub.example.org"]
    assert values["CSRF_TRUSTED_ORIGINS"] == [
        "https://hub.example.org",
        "https://www.hub.example.org",
    ]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_embedded_defaults_need_no_services(tmp_path):
    values = _settings(
        "DATABASES",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_RESULT_BACKEND",
        "EMAIL_BACKEND",
        "EMAIL_FILE_PATH",
        "CACHES",
        "WAGTAILSEARCH_BACKENDS",
        HUB_VAR_DIR=str(tmp_path),
    )

    assert values["DATABASES"]["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DATABASES"]["default"]["NAME"] == str(tmp_path / "hub.sqlite3")
    assert values["CELERY_BROKER_URL"] == ""
    assert values["CELERY_TASK_ALWAYS_EAGER"] is True
    assert values["CELERY_RESULT_BACKEND"] is None
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert values["EMAIL_FILE_PATH"] == str(tmp_path / "mail")
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["WAGTAILSEARCH_BACKENDS"]["default"]["BACKEND"] == (
        "wagtail.search.backends.database"
    )


def test_service_urls_switch_to_the_services():
    values = _settings(
        "DATABASES",
        "CELERY_BROKER_URL",
        "CELERY_TASK_ALWAYS_EAGER",
        "CELERY_RESULT_BACKEND",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "CACHES",
        "MEDIA_ROOT",
        DATABASE_URL="postgres://hub:s3cret@db.example.org:5433/hub",
        CELERY_BROKER_URL="redis://redis.example.org:6379/1",
        CACHE_URL="redis://redis.example.org:6379/2",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.example.org:587",
        MEDIA_ROOT="/srv/hub/media",
    )

    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["HOST"], database["PORT"], database["USER"]) == (
        "hub",
        "db.example.org",
        5433,
        "hub",
    )
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False
    # The result backend defaults to the broker, so `.get()` works with no other setting.
    assert values["CELERY_RESULT_BACKEND"] == "redis://redis.example.org:6379/1"
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["EMAIL_HOST"], values["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["MEDIA_ROOT"] == "/srv/hub/media"


def test_a_separate_result_backend_is_honoured():
    values = _settings(
        "CELERY_RESULT_BACKEND",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/1",
        CELERY_RESULT_BACKEND="redis://127.0.0.1:6379/3",
    )

    assert values["CELERY_RESULT_BACKEND"] == "redis://127.0.0.1:6379/3"
