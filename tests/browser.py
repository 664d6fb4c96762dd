"""The headless-Chromium fixture of the browser tests.

Skips when no browser is installed on a developer's machine, but fails
under CI (env ``CI=true``): there a missing browser means .ci/run did not
install it, and a skipped browser test would hide that.
"""

from __future__ import annotations

import json

from conftest import skip_or_fail
from geomap.output.browser import browser_available, chromium, open_map

LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def browser_or_skip() -> None:
    """Skip (locally) or fail (under CI=true) when Chromium, chromedriver or selenium is missing."""
    if browser_available():
        return
    skip_or_fail("headless browser missing: apt-get install chromium chromium-driver; pip install selenium")


def browser_session():
    """Generator for a module-scoped fixture: one headless Chromium (fresh profile, console and performance logs).

    >>> @pytest.fixture(scope="module")          # doctest: +SKIP
    ... def browser():
    ...     yield from browser_session()
    """
    browser_or_skip()
    with chromium() as driver:
        yield driver


def load(driver, path) -> None:
    """Open a map, first draining the logs so they only hold what this page does.

    The browser starts on its new-tab page, whose chrome:// requests would
    otherwise land in the log: leave it for about:blank first.
    """
    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    open_map(driver, path)


def requested_urls(driver) -> list[str]:
    """Every URL the page requested: the DevTools performance log plus the Resource Timing entries."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    urls += driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return urls


def outside_requests(driver) -> list[str]:
    """Requested URLs that leave the file (anything but file:, data:, about:, blob:)."""
    return [u for u in requested_urls(driver) if not u.startswith(LOCAL_SCHEMES)]


def console_errors(driver) -> list[dict]:
    """Console entries of level SEVERE (JavaScript errors, failed loads)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def count(driver, css: str) -> int:
    return len(driver.find_elements("css selector", css))
