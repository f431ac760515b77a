"""The OpenAPI schema and its documentation pages, served offline to signed-in users."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_schema_and_docs_are_served_without_a_cdn(client_for, cx_manager):
    client = client_for(cx_manager)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/complaints/" in schema.json()["paths"]
    assert "tokenAuth" in schema.json()["components"]["securitySchemes"]
    page = client.get("/api/docs/")
    html = page.content.decode()
    assert page.status_code == 200 and "drf_spectacular_sidecar" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html
    assert client.get("/api/redoc/")["Location"] == "/api/docs/"


def test_anonymous_users_get_no_schema():
    assert Client().get("/api/schema/").status_code == 401
