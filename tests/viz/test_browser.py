"""End to end: `swarmsim app` serves the page, headless Chromium clicks Step.

Needs Debian's Chromium (scripts/services/chromium.sh installs it) and Playwright; skips
with the reason otherwise. Only loopback addresses are contacted: the server listens on
127.0.0.1, Chromium runs without background networking, and every request the page makes
to another host is aborted and reported as a failure.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from swarmsim.viz.plots import PANELS

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
STATUS = Path(os.environ.get("SWARMSIM_CHROMIUM_DIR", "/tmp/swarmsim-chromium")) / "status"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-quic",
]  # fmt: skip
LOOPBACK = {"127.0.0.1", "localhost"}
STARTUP_SECONDS = 120
UI_TIMEOUT_MS = 90_000


@pytest.fixture
def chromium() -> Path:
    """Debian's Chromium, or skip with the reason scripts/services/chromium.sh recorded."""
    if not CHROMIUM.is_file():
        reason = STATUS.read_text().strip() if STATUS.is_file() else "not installed"
        pytest.skip(f"Chromium: {reason} (run: sh scripts/services/chromium.sh start)")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_served(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"swarmsim app exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"swarmsim app did not answer at {url} in {STARTUP_SECONDS} s:\n{log.read_text()}")


@pytest.fixture
def served_app(tmp_path, small):
    """Run `swarmsim app` on a free loopback port; yield its URL; stop it afterwards."""
    small["graph"]["n"] = 300
    scenario = tmp_path / "browser.yaml"
    scenario.write_text(yaml.safe_dump(small), encoding="utf-8")
    port = _free_port()
    log = tmp_path / "server.log"
    command = [sys.executable, "-m", "swarmsim.cli", "app", str(scenario),
               "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    with log.open("w") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_until_served(url, server, log)
        yield url, log
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_step_in_a_real_browser(chromium, served_app, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    url, log = served_app
    outside: list[str] = []

    def loopback_only(route):
        request_url = route.request.url
        if request_url.startswith(("data:", "blob:")) or urlsplit(request_url).hostname in LOOPBACK:
            route.continue_()
        else:
            outside.append(request_url)
            route.abort()

    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1300})
            page.route("**/*", loopback_only)
            page.goto(url)
            step = page.get_by_role("button", name="Step")
            step.wait_for(timeout=UI_TIMEOUT_MS)
            page.get_by_text("Time: 0.0").wait_for(timeout=UI_TIMEOUT_MS)
            step.click()
            page.get_by_text("Time: 1.0").wait_for(timeout=UI_TIMEOUT_MS)
            page.get_by_text("colour by opinion of").wait_for(timeout=UI_TIMEOUT_MS)  # network
            charts = page.locator("img")
            charts.nth(5).wait_for(timeout=UI_TIMEOUT_MS)
            widths = charts.evaluate_all("imgs => imgs.map(img => img.naturalWidth)")
            shot = page.screenshot(path=tmp_path / "app.png")
        finally:
            browser.close()
    assert not outside, f"the page tried to reach non-loopback addresses: {outside}"
    assert len(widths) == len(PANELS) + 2  # per-firm charts, campaigns, network view
    assert all(width > 100 for width in widths), widths
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Traceback" not in log.read_text()
