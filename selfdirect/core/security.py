"""Response headers Django 5.2 does not set itself, and a cap on the size of a request.

Django's SecurityMiddleware already sends HSTS, nosniff, Referrer-Policy and
Cross-Origin-Opener-Policy, and XFrameOptionsMiddleware sends X-Frame-Options (see the
settings). This adds the Content Security Policy and the Permissions Policy, from settings
(CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY), to every response that has not set its own.

The policy forbids inline script and inline style, so pages keep every script and style in
files under /static/: js-enabled.js instead of GOV.UK's inline snippet, a <progress> element
instead of a styled bar, charts with presentation attributes instead of style="..." (see
dashboards/charts.py) and htmx told not to add its own <style> (plans/edit.html).

Django 6 has a Content Security Policy of its own (SECURE_CSP); on moving to it, this
middleware's policy setting carries over as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response, and a 413 for a
    request body larger than REQUEST_MAX_BYTES, before anything reads it.

    Django limits form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not uploaded files: without
    the cap, a huge upload would be written to a temporary file in full before any form
    could refuse it. Each upload form also checks each file against UPLOAD_MAX_BYTES.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.headers = {
            "Content-Security-Policy": settings.CONTENT_SECURITY_POLICY,
            "Permissions-Policy": settings.PERMISSIONS_POLICY,
        }

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._too_large(request) or self.get_response(request)
        for name, value in self.headers.items():
            if value and name not in response.headers:
                response.headers[name] = value
        return response

    @staticmethod
    def _too_large(request: HttpRequest) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length <= settings.REQUEST_MAX_BYTES:
            return None
        # A plain page, like the 500 page: this runs before sessions and sign-in.
        body = get_template("core/413.html").render(
            {
                "council_name": settings.COUNCIL_NAME,
                "service_name": settings.SERVICE_NAME,
                "max_size": format_bytes(settings.UPLOAD_MAX_BYTES),
            }
        )
        # The body is not read; the connection cannot be reused for another request.
        response = HttpResponse(body, status=413)
        response.headers["Connection"] = "close"
        return response


def format_bytes(size: int) -> str:
    """A file size limit in words people know: 10 MB, 512 KB."""
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"
