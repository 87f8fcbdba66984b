"""Requests refused before sign-in is looked at still get the service's own error page."""

from __future__ import annotations

from django.test import Client


def test_a_bad_host_header_gets_the_400_page_not_a_crash(db: None) -> None:
    response = Client(HTTP_HOST="evil.example").get("/people/")
    assert response.status_code == 400
    assert "Content-Security-Policy" in response.headers


def test_the_api_docs_use_our_own_copy_of_swagger(db: None) -> None:
    page = Client().get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()
