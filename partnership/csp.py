"""The Content-Security-Policy: the site's strict policy (settings.CONTENT_SECURITY_POLICY) and,
for the Wagtail admin only, what the admin needs on top.

Wagtail's admin still writes a few scripts inline (its inline panels, which the review editor's
findings and recommendations use, start themselves that way), so the admin allows inline
scripts; the public site, which readers reach from emails and search results and where injected
markup would do most harm, does not."""

from functools import lru_cache

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse

ADMIN_ADDITIONS = {"script-src": [UNSAFE_INLINE]}


class HubCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(_admin_prefix(settings.ROOT_URLCONF)):
            parts.update = {**ADMIN_ADDITIONS, **(parts.update or {})}
        return parts


@lru_cache(maxsize=8)
def _admin_prefix(urlconf: str) -> str:
    """Reversed once per URL configuration rather than on every response."""
    return reverse("wagtailadmin_home", urlconf=urlconf)
