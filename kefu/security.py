"""The Content-Security-Policy of every page (django-csp), and the check ``kefu serve`` makes of
the secret key before it starts.

Kefu's pages run only scripts that Kefu serves as files (``'self'``): no inline script, no
``eval``, no inline event handler. An injected ``<script>`` or ``onerror=`` does not run even if
a template ever forgot to escape. The chat widget is such a file, so it works on Kefu's own
pages (help centre, demo order page, portal) as on customers' sites.

Styles are as strict except in Django's admin, whose change list carries an inline ``<style>``;
styles cannot run code, so the admin is allowed inline styles but never inline scripts.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

from kefu.lib.secret_key import MIN_LENGTH, key_problem

ADMIN_PREFIX = "/admin/"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(ADMIN_PREFIX) and parts.update is None:
            parts.update = {"style-src": [SELF, UNSAFE_INLINE]}
        return parts


def check_secret_key() -> None:
    """Refuse to serve outside debug with a key anyone can know or guess."""
    problem = None if settings.DEBUG else key_problem(settings.SECRET_KEY)
    if problem is None:
        return
    if problem == "public":
        why = _("KEFU_SECRET_KEY is a public development key: anyone can read it in the source.")
    else:
        why = _("KEFU_SECRET_KEY is %(n)d characters long; use at least %(min)d.") % {
            "n": len(settings.SECRET_KEY),
            "min": MIN_LENGTH,
        }
    fix = _(
        "Set it to a long random value, or unset it so that Kefu makes one and keeps it in "
        "KEFU_DATA_DIR/secret_key."
    )
    raise ImproperlyConfigured(f"{why} {fix}")
