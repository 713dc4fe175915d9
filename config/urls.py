from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.views import account
from wagtail.documents import urls as wagtaildocs_urls

from operations.health import health
from partnership import rate_limits
from partnership.two_factor_views import RecoveryCodesView, SetUpView, VerifyView
from partnership.views import SignInView, SignOutView
from search.views import search_api

urlpatterns = [
    # Wagtail's reports at their own addresses, narrowed by the access policy: ahead of the admin.
    path("admin/reports/", include("partnership.admin_reports")),
    # Wagtail's password reset, at its own addresses and names, limited per client address:
    # each request may send an email, and each link tried is a guess at a reset token.
    path(
        "admin/password_reset/",
        rate_limits.limit_failures(rate_limits.PASSWORD_RESET, failed=rate_limits.every_post)(
            account.PasswordResetView.as_view()
        ),
        name="wagtailadmin_password_reset",
    ),
    path(
        "admin/password_reset/confirm/<uidb64>/<token>/",
        rate_limits.limit_failures(
            rate_limits.PASSWORD_RESET, failed=rate_limits.invalid_reset_link
        )(account.PasswordResetConfirmView.as_view()),
        name="wagtailadmin_password_reset_confirm",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("health/", health, name="health"),
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    path("sign-out/", SignOutView.as_view(), name="sign-out"),
    # The second sign-in step for people who use the admin (partnership/two_factor.py).
    path("sign-in/two-factor/", VerifyView.as_view(), name="two-factor-verify"),
    path("sign-in/two-factor/set-up/", SetUpView.as_view(), name="two-factor-set-up"),
    path(
        "sign-in/two-factor/recovery-codes/",
        RecoveryCodesView.as_view(),
        name="two-factor-recovery-codes",
    ),
    path("api/search/", search_api, name="api-search"),
    path("api/", include("learning.api_urls")),
    path("search/", include("search.urls")),
    path("", include("training.urls_evaluations")),
    path("", include("learning.urls")),
    path("", include("training.urls")),
    path("", include("audits.urls")),
]

if settings.HUB_BENCH:
    from config.bench import minimal_view

    urlpatterns.append(path("bench/minimal/", minimal_view))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    # Only images are public media; documents are served by Wagtail's permission-checking view.
    urlpatterns += static(
        f"{settings.MEDIA_URL}images/", document_root=settings.MEDIA_ROOT / "images"
    )

urlpatterns.append(path("", include(wagtail_urls)))
