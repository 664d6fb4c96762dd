"""Maps in a real headless Chromium: the browser tests' fixture and helpers, and the screenshot of maps/.

Uses Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromedriver``,
``make browser`` installs both) through selenium, pointed at the driver
directly: Selenium Manager would try to download one, which cannot work
offline. selenium is a test dependency (``pip install -e .[test]``).

The tests skip when no browser is installed on a developer's machine, but
fail under CI (env ``CI=true``): there a missing browser means .ci/run did
not install it, and a skipped browser test would hide that.
``tools/regenerate_maps.py`` takes its screenshot with :func:`save_screenshot`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conftest import skip_or_fail

CHROMEDRIVER = os.environ.get("GEOMAP_CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

#: Flags for a quiet, isolated headless browser that contacts nothing on its own.
CHROMIUM_FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",   # no host resolves: a map must work with no network
)


def find_chromium() -> str | None:
    """The Chromium binary (env ``GEOMAP_CHROMIUM`` first), or None when none is installed."""
    for candidate in (os.environ.get("GEOMAP_CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def browser_available() -> bool:
    """True when both Chromium and chromedriver are installed (and selenium importable)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return False
    return find_chromium() is not None and Path(CHROMEDRIVER).is_file()


@contextmanager
def chromium(width: int = 1280, height: int = 800) -> Iterator:
    """A headless Chromium webdriver with a fresh profile, console and performance logs enabled.

    Raises
    ------
    RuntimeError
        When Chromium, chromedriver or selenium is missing (with the command that installs it).
    """
    binary = find_chromium()
    if binary is None or not Path(CHROMEDRIVER).is_file():
        raise RuntimeError("a headless browser is needed: apt-get install chromium chromium-driver (make browser)")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise RuntimeError("selenium is needed to drive the browser: pip install selenium") from None

    profile = tempfile.mkdtemp(prefix="geomap-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={width},{height}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_map(driver, path: str | Path, timeout: float = 15.0) -> None:
    """Load a map file and wait until Leaflet has drawn it (the map container exists and tiles/paths settle)."""
    driver.get(Path(path).resolve().as_uri())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready = driver.execute_script(
            "return document.readyState === 'complete' && typeof L !== 'undefined' "
            "&& document.querySelector('.leaflet-container') !== null")
        if ready:
            time.sleep(0.5)   # let fitBounds' animation and marker clustering finish
            return
        time.sleep(0.1)
    raise TimeoutError(f"{path}: the map did not load within {timeout:.0f} s")


def save_screenshot(path: str | Path, png_path: str | Path, *, width: int = 1280, height: int = 800) -> Path:
    """Render a map file in headless Chromium and save a PNG of the page."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with chromium(width, height) as driver:
        open_map(driver, path)
        driver.save_screenshot(str(png_path))
    return png_path


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


#: Opens the popup of the layer whose popup content holds arguments[0]; returns whether one was found.
_OPEN_POPUP = """
const map = window[document.querySelector('.folium-map').id];
map.closePopup();
document.querySelectorAll('.leaflet-popup').forEach(e => e.remove());
let found = null;
map.eachLayer(l => { if (!found && l.getPopup && l.getPopup()
    && String(l.getPopup().getContent()).includes(arguments[0])) found = l; });
if (found) found.openPopup();
return found !== null;
"""


def popup_text(driver, needle: str) -> str:
    """Open the popup whose content holds ``needle`` (HTML as the page has it) and return its visible text."""
    from selenium.webdriver.support.ui import WebDriverWait

    assert driver.execute_script(_OPEN_POPUP, needle), f"no popup holds {needle!r}"
    return WebDriverWait(driver, 5).until(
        lambda d: next((p.text for p in d.find_elements("css selector", ".leaflet-popup-content") if p.text), None))
