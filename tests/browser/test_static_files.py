"""Static files as production serves them: compressed, under hashed names, cached for a
year, so the charts' 4.8 MB script crosses the network once, as 1.5 MB."""

import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_charts_script_is_compressed_hashed_and_cached_for_good(page, cx_manager):
    log_in(page, cx_manager.username)
    page.goto("/dashboards/priorities/")
    source = page.locator("script[src*='plotly']").get_attribute("src")
    assert source.startswith("/static/vendor/plotly/plotly.min.") and len(source) > 40  # hashed
    script = page.request.get(source, headers={"Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"
    assert "immutable" in script.headers["cache-control"]
    assert "max-age=315360000" in script.headers["cache-control"]
    assert int(script.headers["content-length"]) < len(script.body()) / 3
    # Opened again, the page takes the script from the browser's cache: nothing crosses.
    page.reload()
    page.wait_for_selector(".chart .main-svg")
    sent = page.evaluate(
        "() => performance.getEntriesByType('resource')"
        ".filter(r => r.name.includes('plotly')).map(r => r.transferSize)"
    )
    assert sent == [0]
