"""The first chart page as a person opens it: the live map of the demo journey in Chromium,
served by gunicorn with production settings (DEBUG off, whitenoise's compressed manifest)
on 127.0.0.1, with a cold cache and then with a warm one.

For each it prints the bytes that crossed the network (compressed, as sent) and the time
from the start of navigation to the chart drawn. Targets: cold at most 1.0 s and 1.6 MB,
warm at most 0.3 s. Loopback has no latency and no bandwidth limit, so these are the
server's and the browser's own costs; a real network adds the transfer of the bytes.

    make bench-chart-page
    make bench-chart-page BENCH_ARGS="--repeat 10"
"""

import argparse
import re
import statistics

from harness import collect_static, free_port, gunicorn, throwaway_database
from playwright.sync_api import sync_playwright

from demo.build import DEMO_PASSWORD, demo_build
from journeys.models import Journey, JourneyKind
from tests.browser.conftest import CHROMIUM

COLD_SECONDS, COLD_BYTES, WARM_SECONDS = 1.0, 1.6e6, 0.3
DRAWN = "() => document.querySelector('.chart .main-svg') && performance.now()"


class Transfer:
    """Bytes received by the page, as the browser's network layer counts them."""

    def __init__(self, page):
        self.bytes = 0
        session = page.context.new_cdp_session(page)
        session.on("Network.loadingFinished", self._finished)
        session.send("Network.enable")

    def _finished(self, event):
        self.bytes += event["encodedDataLength"]


def open_chart(page, path: str) -> tuple[float, int]:
    """Navigate to `path`: seconds to the chart drawn, and bytes transferred."""
    transfer = Transfer(page)
    page.goto(path, wait_until="commit")
    drawn_ms = page.wait_for_function(DRAWN).json_value()
    page.wait_for_load_state("load")
    return drawn_ms / 1000, transfer.bytes


def log_in(context) -> None:
    """Sign in without loading a page, so that nothing is in the browser's cache."""
    form = context.request.get("/login/").text()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = context.request.post(
        "/login/",
        form={"csrfmiddlewaretoken": token, "username": "cx", "password": DEMO_PASSWORD},
        max_redirects=0,
    )
    assert answer.status == 302, f"login answered {answer.status}"


def measure(browser, base: str, path: str, repeat: int) -> dict[str, list]:
    figures = {"cold": [], "warm": []}
    for _ in range(repeat):
        context = browser.new_context(base_url=base, viewport={"width": 1366, "height": 900})
        log_in(context)
        page = context.new_page()
        figures["cold"].append(open_chart(page, path))
        figures["warm"].append(open_chart(page, path))
        context.close()
    return figures


def report(label: str, runs: list, seconds_target: float, bytes_target: float | None) -> bool:
    seconds = statistics.median(s for s, _ in runs)
    sent = statistics.median(b for _, b in runs)
    met = seconds <= seconds_target and (bytes_target is None or sent <= bytes_target)
    target = f"≤ {seconds_target} s" + (f", ≤ {bytes_target / 1e6:.1f} MB" if bytes_target else "")
    print(
        f"{label}: chart drawn in {seconds:.3f} s (median of {len(runs)}; "
        f"{min(s for s, _ in runs):.3f}-{max(s for s, _ in runs):.3f}), "
        f"{sent / 1e6:.3f} MB transferred; target {target}: {'met' if met else 'MISSED'}"
    )
    return met


def run(args) -> bool:
    demo_build()
    journey = Journey.objects.get(kind=JourneyKind.CUSTOMER)
    collect_static()
    port = free_port()
    with gunicorn(port, args.workers), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        figures = measure(
            browser, f"http://127.0.0.1:{port}", f"/dashboards/journeys/{journey.pk}/", args.repeat
        )
        browser.close()
    cold = report("cold cache", figures["cold"], COLD_SECONDS, COLD_BYTES)
    warm = report("warm cache", figures["warm"], WARM_SECONDS, None)
    return cold and warm


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with throwaway_database("touchstone_bench_chart_page"):
        run(args)


if __name__ == "__main__":
    main()
