"""Screenshots of the map board for the README, taken from the demo data.

Run with `make screenshots`: builds the demo into a scratch SQLite database, serves it on a
free local port, and drives Debian's Chromium with Playwright. Writes docs/*.png.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "touchstone-demo"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="touchstone-shots-")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{scratch}/demo.sqlite3",
        "DEBUG": "1",
        "REDIS_URL": "",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base)
        shoot(base)
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for(base: str) -> None:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def signed_in(browser, base: str, username: str, width=1680, height=1000):
    page = browser.new_page(viewport={"width": width, "height": height}, base_url=base)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


def chart_page(page, path: str, name: str) -> None:
    page.goto(path)
    page.wait_for_selector(".chart .main-svg")
    page.screenshot(path=DOCS / name, full_page=True)


def shoot(base: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = signed_in(browser, base, "cx")
        page.goto("/journeys/")
        page.click("text=Buying and installing flooring")
        page.wait_for_selector(".tp-card")
        board = page.url
        page.screenshot(path=DOCS / "board.png", full_page=True)
        page.click(".tp-card h3 a >> text=Service hotline")
        page.wait_for_selector("#panel .panel-body")
        page.screenshot(path=DOCS / "board-panel.png")
        page.goto(board + "?backstage=1")
        page.wait_for_selector(".backstage")
        page.screenshot(path=DOCS / "board-backstage.png", full_page=True)
        page.goto(board)
        page.click("text=Live map")
        page.wait_for_selector(".chart .main-svg")
        chart_page(page, page.url + "?backstage=on", "live-map.png")
        chart_page(page, page.url.split("?")[0] + "paths/", "real-paths.png")
        chart_page(page, "/dashboards/priorities/", "priorities.png")
        chart_page(page, "/dashboards/improvements/", "improvements.png")
        chart_page(page, "/dashboards/standards/", "standards.png")
        head = signed_in(browser, base, "head-service")
        chart_page(head, "/", "scorecard.png")
        head.locator(".theme-list a").filter(has_text="hold").first.click()
        head.wait_for_url("**theme=**")
        head.locator("section[aria-labelledby=themes-title]").screenshot(path=DOCS / "themes.png")
        head.locator("section[aria-labelledby=comments-title]").screenshot(
            path=DOCS / "theme-comments.png"
        )
        browser.close()
    print("wrote", ", ".join(sorted(p.name for p in DOCS.glob("*.png"))))


if __name__ == "__main__":
    main()
