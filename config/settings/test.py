"""Test settings: the base settings with a fast password hasher and in-memory mail and cache.

DATABASE_URL and CELERY_BROKER_URL still switch the suite onto PostgreSQL and a real broker, as
.ci/run does for its second pass.
"""

from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# A pathlib.Path like base.py's: config/urls.py joins it with "/" (env.path would not).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="/tmp/hub-test-media"))
WAGTAILADMIN_BASE_URL = "http://testserver"
# The suite's tests sign people in with force_login and test what they may see; the second
# factor's own tests turn enforcement on (tests/partnership/test_two_factor.py, the `two_factor`
# fixture) and so do the browser journey's.
HUB_TWO_FACTOR_REQUIRED = False

# A test-only app whose record carries the access policy's facts (tests/accessapp); the default
# settings never see it, so `makemigrations --check` there is unaffected.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.accessapp"]  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # Test data is thrown away: waiting for every commit to reach the disk (each transactional
    # test's flush, each browser test's request) slows the services pass and proves nothing.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
