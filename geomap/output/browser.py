"""Open maps in a real headless Chromium: for the browser tests and the screenshots in maps/.

Uses Debian's ``chromium`` and ``chromium-driver`` (``/usr/bin/chromedriver``)
through selenium, pointed at the driver directly: Selenium Manager would try
to download one, which cannot work offline. selenium is a test dependency
(``pip install -e .[test]``), imported only here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from geomap.errors import MapError

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
    MapError
        When Chromium, chromedriver or selenium is missing (with the command that installs it).
    """
    binary = find_chromium()
    if binary is None or not Path(CHROMEDRIVER).is_file():
        raise MapError("a headless browser is needed: apt-get install chromium chromium-driver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        raise MapError("selenium is needed to drive the browser: pip install selenium") from None

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
    raise MapError(f"{path}: the map did not load within {timeout:.0f} s")


def save_screenshot(path: str | Path, png_path: str | Path, *, width: int = 1280, height: int = 800) -> Path:
    """Render a map file in headless Chromium and save a PNG of the page."""
    png_path = Path(png_path)
    png_path.parent.mkdir(parents=True, exist_ok=True)
    with chromium(width, height) as driver:
        open_map(driver, path)
        driver.save_screenshot(str(png_path))
    return png_path
