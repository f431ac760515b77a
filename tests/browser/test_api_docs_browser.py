"""The API's documentation page in a browser: drawn offline, under the strict policy."""

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_load_nothing_from_elsewhere(page, cx_manager):
    elsewhere = []
    page.on("request", lambda r: "127.0.0.1" not in r.url and elsewhere.append(r.url))
    log_in(page, cx_manager.username)
    page.goto("/api/redoc/")  # an old address: the one documentation page
    page.wait_for_selector(".swagger-ui .info")
    page.locator(".opblock-summary", has_text="/api/v1/interactions/").first.click()
    page.wait_for_load_state("networkidle")
    assert "/api/docs/" in page.url and elsewhere == []
