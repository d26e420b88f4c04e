"""Real-browser support: find Chromium, serve the built site on 127.0.0.1, share one browser.

Fixtures (imported into conftest.py):

* ``browser``   - one headless Chromium for the whole session (Playwright's sync API).
* ``base_url``  - the built site (session fixture ``site``) served by a threaded http.server
                  on a free port of 127.0.0.1; stopped at the end of the session.
* ``site_urls`` - the URL path of every page a visitor can land on: every built index.html
                  (redirect stubs excluded) plus 404.html.

The browser is looked for in this order: $CHROMIUM_PATH, /usr/bin/chromium,
/usr/bin/chromium-browser, /usr/bin/google-chrome, then Playwright's own Chromium if one
happens to be installed. `playwright install` is never run. With no browser the tests skip
with one line saying how to install one; with REQUIRE_BROWSER=1 (CI) they fail instead.

The helpers below are plain functions so scripts/bench.py and scripts/screenshots.py reuse them.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import io
import os
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

SYSTEM_BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_HINT = ("install Chromium with `sudo apt-get install chromium` "
                "(or point CHROMIUM_PATH at a Chrome/Chromium binary)")
# --no-sandbox is needed when running as root (CI containers); the rest stops Chromium
# from phoning home, which would also pollute the privacy test's request log.
QUIET_ARGS = ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
              "--disable-sync", "--no-first-run"]

# The palettes the tests and screenshots cover: Playwright colour scheme -> Material scheme.
SCHEMES = {"light": "default", "dark": "slate"}


def launch_args() -> list[str]:
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    return (["--no-sandbox"] if root else []) + QUIET_ARGS


def find_browser(playwright=None) -> str | None:
    """Path of a Chromium-family browser, or None. See the module docstring for the order."""
    env = os.environ.get("CHROMIUM_PATH", "").strip()
    if env:
        found = shutil.which(env) or (env if os.access(env, os.X_OK) else None)
        if found:
            return found
    for path in SYSTEM_BROWSERS:
        if os.access(path, os.X_OK):
            return path
    if playwright is not None:
        with contextlib.suppress(Exception):
            own = playwright.chromium.executable_path
            if own and os.access(own, os.X_OK):
                return own
    return None


def no_browser(reason: str):
    """Skip (or, with REQUIRE_BROWSER=1, fail) every browser test with one loud line."""
    line = f"BROWSER TESTS NOT RUN: {reason}; {INSTALL_HINT}."
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(line + " REQUIRE_BROWSER=1 is set, so this is an error.", pytrace=False)
    pytest.skip(line)


@contextlib.contextmanager
def launched_browser(playwright_obj=None):
    """Start Playwright + Chromium; yields (browser, None) or (None, reason) when unavailable."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        yield None, "the Python package `playwright` is not installed (pip install -e '.[test]')"
        return
    with sync_playwright() as p:
        path = find_browser(p)
        if path is None:
            yield None, "no Chromium found (CHROMIUM_PATH, " + ", ".join(SYSTEM_BROWSERS) + ")"
            return
        browser = p.chromium.launch(executable_path=path, headless=True, args=launch_args())
        try:
            yield browser, None
        finally:
            browser.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    """Static files, no request log on stderr; optional on-the-fly gzip (for Lighthouse)."""

    gzip_text = False
    GZIP_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
                  "application/xml")

    def log_message(self, *args) -> None:  # noqa: D401 - silence
        pass

    def send_head(self):
        if not self.gzip_text or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        if not os.path.isfile(path) or not ctype.startswith(self.GZIP_TYPES):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=31536000" if "/assets/" in self.path else "no-cache")
        self.end_headers()
        return io.BytesIO(body)

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser cancelling a download is normal


@contextlib.contextmanager
def serve(directory: Path, gzip_text: bool = False) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1; yields the base URL (ending in /)."""
    handler = type("Handler", (_QuietHandler,), {"gzip_text": gzip_text})
    server = _Server(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def is_redirect_stub(html: str) -> bool:
    return "Redirecting..." in html[:600] and 'http-equiv="refresh"' in html


def page_paths(site: Path) -> list[str]:
    """URL path (relative to the site root) of every landing page, 404.html included."""
    paths = []
    for file in sorted(site.rglob("index.html")):
        if is_redirect_stub(file.read_text(encoding="utf-8")):
            continue
        rel = file.parent.relative_to(site).as_posix()
        paths.append("" if rel == "." else rel + "/")
    if (site / "404.html").exists():
        paths.append("404.html")
    return paths


def source_of(path: str) -> str:
    """The file an editor should open for a URL path."""
    if path == "404.html":
        return "404.html (Material's 404 template + overrides/)"
    return "docs/index.md" if path == "" else f"docs/{path.rstrip('/')}.md"


# ----------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session (skips/fails loudly when there is none)."""
    with launched_browser() as (chromium, reason):
        if chromium is None:
            no_browser(reason)
        yield chromium


@pytest.fixture(scope="session")
def base_url(site) -> Iterator[str]:
    """The built site over HTTP on 127.0.0.1, for the whole session."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def site_urls(site) -> list[str]:
    paths = page_paths(site)
    assert len(paths) >= 2, f"Expected the built site in {site} to have pages; found {paths}"
    return paths
