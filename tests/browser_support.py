"""Real-browser support: find Chromium, serve the built site on 127.0.0.1, share one browser.

Fixtures (imported into conftest.py):

* ``browser``   - one headless Chromium for the whole session (Playwright's sync API).
* ``base_url``  - the built site (session fixture ``site``) served by a threaded http.server
                  on a free port of 127.0.0.1; stopped at the end of the session.
* ``site_urls`` - the URL path of every page a visitor can land on: every built index.html
                  (redirect stubs excluded) plus 404.html.

Hooks: without a browser, tests marked ``browser`` are left out (``leave_out_browser_tests``,
called by conftest.py's collection hook) and the run ends with one line saying how to install
Chromium (``pytest_terminal_summary``, imported into conftest.py).

The browser is looked for in this order: $CHROMIUM_PATH, /usr/bin/chromium,
/usr/bin/chromium-browser, /usr/bin/google-chrome, then Playwright's own Chromium if one
happens to be installed. `playwright install` is never run. With no browser the browser tests
are left out with one line saying how to install one; with REQUIRE_BROWSER=1 (CI) they fail.

The helpers below are plain functions so scripts/bench.py and scripts/screenshots.py reuse them.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import io
import json
import os
import re
import shutil
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

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

    header_rules: list = []  # from a _headers file (see read_headers_file); empty: none applied

    def end_headers(self) -> None:
        extra = headers_for(urlsplit(self.path).path, self.header_rules)
        for name, value in extra:
            self.send_header(name, value)
        if not any(name.lower() == "x-content-type-options" for name, _ in extra):
            self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


# ----------------------------------------------------------------------------- a _headers file
# The format Netlify and Cloudflare Pages read: a line with a path pattern, then its headers on
# indented "Name: value" lines; "#" starts a comment. "*" in a pattern matches anything, and
# ":name" one path segment. Every matching rule applies. The site's own file is written by
# overrides/hooks/headers.py.

def read_headers_file(text: str, name: str = "_headers") -> list[tuple[str, list[tuple[str, str]]]]:
    """[(path pattern, [(header, value)])] from the text of a _headers file. Raises ValueError
    naming ``name`` and the line for a header line that comes before any path, or has no colon."""
    rules: list[tuple[str, list[tuple[str, str]]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
            continue
        if not rules or ":" not in line:
            raise ValueError(f"{name}:{number}: {line.strip()!r} is not a 'Name: value' header under a path line.")
        header, _, value = line.strip().partition(":")
        rules[-1][1].append((header.strip(), value.strip()))
    return rules


def headers_for(path: str, rules) -> list[tuple[str, str]]:
    """The headers of every rule whose pattern matches the URL path ``path`` (in file order)."""
    found = []
    for pattern, headers in rules:
        regex = "".join(".*" if part == "*" else "[^/]+" if part.startswith(":") else re.escape(part)
                        for part in re.split(r"(\*|:[A-Za-z_]+)", pattern))
        if re.fullmatch(regex, unquote(path)):
            found += headers
    return found


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)  # a browser cancelling a download is normal


@contextlib.contextmanager
def serve(directory: Path, gzip_text: bool = False, headers_file: Path | None = None) -> Iterator[str]:
    """Serve `directory` on a free port of 127.0.0.1; yields the base URL (ending in /).

    ``headers_file``: a _headers file (Netlify/Cloudflare Pages format) whose headers are sent
    with every response its paths match, as such a host would (see read_headers_file)."""
    rules = read_headers_file(headers_file.read_text(encoding="utf-8"), str(headers_file)) if headers_file else []
    handler = type("Handler", (_QuietHandler,), {"gzip_text": gzip_text, "header_rules": rules})
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
    """A page left at an old address (mkdocs.yml, redirect_maps): ours (overrides/partials/moved-page.html,
    its link marked data-moved-to) or the redirects plugin's own."""
    return " data-moved-to" in html or ("Redirecting..." in html[:600] and 'http-equiv="refresh"' in html)


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


def browser_status() -> tuple[str | None, str]:
    """(path, "") of the browser the tests will use, or (None, why not). Starts Playwright only
    when no system browser is found, to look for Playwright's own."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "the Python package `playwright` is not installed (pip install -e '.[test]')"
    path = find_browser()
    if path is None:
        with contextlib.suppress(Exception), sync_playwright() as p:
            path = find_browser(p)
    return path, "" if path else "no Chromium found (CHROMIUM_PATH, " + ", ".join(SYSTEM_BROWSERS) + ")"


# ----------------------------------------------------------------------------- who fixes it
# Every browser problem starts with one line: the page, palette and width, what is wrong, and
# whether an editor fixes it in the page's Markdown or a developer fixes the site's design.

DESIGN = "site design: fix overrides/ or docs/stylesheets/extra.css, not the page's Markdown"
# JS: is this element part of the page's own text (the Markdown), or of the layout around it?
IN_CONTENT_JS = "el => !!(el && el.closest && el.closest('.md-content article'))"


def blame(source: str, in_content: bool) -> str:
    """Who fixes a problem: the editor of `source` (its Markdown) or a developer (the design)."""
    if in_content and source.startswith("docs/"):
        return f"page content: fix the Markdown in {source}"
    return DESIGN


def label_for(path: str, width: int, scheme: str = "light", extra: str = "") -> str:
    """'docs/hsct.md [/hsct/, light, 360px]': the page, its address, the palette and the width."""
    return f"{source_of(path)} [/{path}, {scheme}, {width}px{extra}]"


# ----------------------------------------------------------------------------- waiting for conditions
# Browser tests wait for a condition on the page, never for a fixed time. A wait that times out
# says what it waited for and what the page showed instead (WaitFailed, one readable message).

class WaitFailed(AssertionError):
    """A condition did not come true in time; the message says which, and what the page showed."""


def wait_until(page, condition_js: str, what: str, show_js: str | None = None, arg=None,
               timeout: float = 15_000, scripts: bool = True) -> None:
    """Wait until ``condition_js`` (a JS function of ``arg``) returns a truthy value.

    ``what``: plain words for the condition ("the search results for 'kidney'"). On timeout
    raises WaitFailed: "Waited 15 s for <what>, but the page showed: <show_js(arg) result>".
    ``timeout`` is in milliseconds; it is a ceiling for a loaded machine, not a pause.
    ``scripts=False`` for a context with JavaScript off, where the page cannot poll for itself.
    """
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    def holds() -> bool:
        try:
            return page.evaluate(condition_js, arg)
        except PlaywrightError as exc:  # the page is navigating (a meta refresh, a link): ask again
            if "context was destroyed" in str(exc) or "navigat" in str(exc):
                return False
            raise
    try:
        if scripts:
            page.wait_for_function(condition_js, arg=arg, timeout=timeout, polling=50)
        else:  # wait_for_function runs in the page, which cannot run scripts: ask from here instead
            deadline = time.monotonic() + timeout / 1000
            while not holds():
                if time.monotonic() > deadline:
                    raise PlaywrightTimeout("condition still false")
                page.wait_for_timeout(50)  # the polling interval, not a pause for the page to get ready
    except PlaywrightTimeout:
        shown = "(nothing to show)"
        if show_js:
            try:
                shown = json.dumps(page.evaluate(show_js, arg), ensure_ascii=False)
            except Exception as exc:  # noqa: BLE001 - the page may be gone; say so
                shown = f"(could not read the page: {exc.__class__.__name__})"
        raise WaitFailed(f"Waited {timeout / 1000:.0f} s for {what} on {page.url}, but the page showed: "
                         f"{shown}") from None


# No CSS transition or animation running: colours and positions are final.
# The menu drawer (Material's #__drawer toggle): open (arg True) or closed (False), and still.
DRAWER_JS = """(open) => document.getElementById('__drawer').checked === open
    && document.getAnimations().every(a => a.playState !== 'running')"""
DRAWER_STATE_JS = """() => ({menu_open: document.getElementById('__drawer').checked,
    moving: document.getAnimations().filter(a => a.playState === 'running').length,
    focus: document.activeElement.outerHTML.slice(0, 70)})"""
SETTLED_JS = """() => document.getAnimations().every(a => a.playState !== 'running')"""
RUNNING_JS = """() => document.getAnimations().filter(a => a.playState === 'running').map(a => {
    const el = a.effect && a.effect.target; return `${a.transitionProperty || a.animationName || 'animation'} on `
      + (el ? el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/)[0] : '') : '?');
  })"""


def settle(page, what: str = "transitions and animations to finish") -> None:
    """Wait until no CSS transition or animation runs (a focus fade, a sliding drawer)."""
    wait_until(page, SETTLED_JS, what, RUNNING_JS)


# ----------------------------------------------------------------------------- site search

SEARCH_STATE_JS = """() => {
  const toggle = document.getElementById('__search'), input = document.querySelector('.md-search__input');
  const meta = document.querySelector('.md-search-result__meta');
  const items = [...document.querySelectorAll('.md-search-result__item')];
  const first = document.querySelector('.md-search-result__item > a.md-search-result__link');
  const shown = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                       return r.height > 0 && s.visibility === 'visible' && s.display !== 'none'; };
  return {search_open: !!(toggle && toggle.checked), query_focused: document.activeElement === input,
          query: input ? input.value : null, count_text: meta ? meta.textContent.trim() : null,
          results: items.length, results_visible: items.filter(shown).length,
          first_result: first ? first.getAttribute('href') : null,
          focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 70) : null};
}"""
SEARCH_READY_JS = """([query, marker]) => {
  const toggle = document.getElementById('__search'), input = document.querySelector('.md-search__input');
  const first = document.querySelector('.md-search-result__item > a.md-search-result__link');
  const meta = document.querySelector('.md-search-result__meta');
  if (!toggle || !toggle.checked || !input || input.value !== query || !first || !meta) return false;
  if (!/\\d+ matching document/.test(meta.textContent)) return false;
  const href = decodeURIComponent(first.getAttribute('href') || '').toLowerCase();
  const r = first.getBoundingClientRect();
  return href.includes(marker) && r.height > 0 && getComputedStyle(first).visibility === 'visible'
    && document.getAnimations().every(a => a.playState !== 'running');
}"""


@functools.lru_cache(maxsize=1)
def search_separator() -> str:
    """The search separator (a regular expression) from mkdocs.yml, plugins: search: separator;
    Material's default ``[\\s\\-]+`` when it sets none. The one home of the separator is mkdocs.yml."""
    from mkdocs.utils import yaml_load
    with open(Path(__file__).resolve().parent.parent / "mkdocs.yml", encoding="utf-8") as f:
        config = yaml_load(f)
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "search" in plugin:
            return (plugin["search"] or {}).get("separator") or r"[\s\-]+"
    return r"[\s\-]+"


def search_words(query: str) -> list[str]:
    """``query`` split into words as the site's search splits it (lower case)."""
    return [w.lower() for w in re.split(search_separator(), query.strip()) if w]


def search_marker(query: str) -> str:
    """What Material puts in each result link for ``query``: ``h=word+word`` (split with the
    site's search separator, see search_separator), lower case and URL-decoded."""
    return "h=" + "+".join(search_words(query))


def open_search(page, query: str, *, keys: str = "/", timeout: float = 15_000) -> None:
    """Open the search dialog with a shortcut key (``keys``; None if the query field already has
    focus), type ``query`` like a person, and wait until the results for it are on screen and
    still (no transition running). Raises WaitFailed naming the search state it saw instead."""
    if keys:
        page.keyboard.press(keys)
        wait_until(page, "() => document.activeElement === document.querySelector('.md-search__input')",
                   f"the search field to take focus after pressing {keys!r}", SEARCH_STATE_JS, timeout=timeout)
    page.keyboard.type(query)
    wait_until(page, SEARCH_READY_JS, f"the search results for {query!r}", SEARCH_STATE_JS,
               arg=[query, search_marker(query)], timeout=timeout)


# Every result of one search, not only the first: Material shows 10 results, then 4 more each
# time the list is scrolled to its end. The query is cleared first (the dialog then says "Type to
# start searching"), so the count that appears next belongs to the new query, whatever it is,
# even "No matching documents".
SEARCH_IDLE_JS = """() => {
  const input = document.querySelector('.md-search__input'), meta = document.querySelector('.md-search-result__meta');
  return !!input && input.value === '' && !!meta && /^Type to start searching/.test(meta.textContent.trim());
}"""
SEARCH_COUNT_JS = """([query]) => {
  const input = document.querySelector('.md-search__input'), meta = document.querySelector('.md-search-result__meta');
  if (!input || input.value !== query || !meta) return false;
  const text = meta.textContent.trim();
  if (/^No matching documents/.test(text)) return {count: 0};
  const m = text.match(/^(\\d+) matching document/);
  return m ? {count: Number(m[1])} : false;
}"""
# Until all ``count`` results are in the list: Material adds 4 more each time the list's end
# comes into view (a change from "not at the end" to "at the end", read once per frame), so
# each poll moves the list to its start or to its end, in turn.
SEARCH_ALL_SHOWN_JS = """([count]) => {
  const wrap = document.querySelector('.md-search__scrollwrap');
  if (document.querySelectorAll('.md-search-result__item').length >= count) return true;
  if (wrap) wrap.scrollTop = wrap.scrollTop > 0 ? 0 : wrap.scrollHeight;
  return false;
}"""
SEARCH_RESULT_PAGES_JS = """() => [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link:first-child')]
  .map(a => a.href)"""


def search_results(page, query: str, base: str, timeout: float = 15_000) -> list[str]:
    """Every page Material's search lists for ``query``, best first, as paths relative to ``base``
    (the site's root URL): ``["hsct/", "risks/"]``; ``[]`` for "No matching documents".

    Opens the search dialog if it is closed (clicking the search field), clears the query and
    waits for "Type to start searching", types ``query`` (one keyup, as Material listens for),
    waits for the count, then scrolls the list until every counted page is shown. Raises
    WaitFailed naming what it saw instead."""
    box = page.locator("input.md-search__input")
    if not page.evaluate("() => document.getElementById('__search').checked"):
        box.click()
    box.fill("")
    box.press("End")
    wait_until(page, SEARCH_IDLE_JS, "the search to be ready with an empty query ('Type to start searching')",
               SEARCH_STATE_JS, timeout=timeout)
    box.fill(query)
    box.press("End")  # Material reads the query on keyup
    wait_until(page, SEARCH_COUNT_JS, f"the number of results for {query!r}", SEARCH_STATE_JS, arg=[query],
               timeout=timeout)
    count = page.evaluate(SEARCH_COUNT_JS, [query])["count"]
    if count:
        wait_until(page, SEARCH_ALL_SHOWN_JS, f"all {count} results for {query!r} to be listed", SEARCH_STATE_JS,
                   arg=[count], timeout=timeout)
    pages = []
    for href in page.evaluate(SEARCH_RESULT_PAGES_JS):
        path = href[len(base):] if href.startswith(base) else href
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path not in pages:
            pages.append(path)
    return pages


# ----------------------------------------------------------------------------- colour contrast
# WCAG 2.x contrast of an element's text against what is really behind it: the element's own
# background and every ancestor's, composited (semi-transparent tints included). Background
# images are ignored; use it on text over flat colours. Call settle() first: a running colour
# transition would be measured half-way. An optional second argument names a pseudo-element
# ('::before'): its text colour is measured against the element's background.

CONTRAST_JS = """(el, pseudo) => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const chain = []; for (let a = el; a; a = a.parentElement) chain.unshift(a);
  let bg = [255, 255, 255, 1];
  for (const a of chain) bg = over(parse(getComputedStyle(a).backgroundColor), bg);
  const fg = over(parse(getComputedStyle(el, pseudo || null).color), bg);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  return {fg: hex(fg), bg: hex(bg), ratio: Math.round((l1 + 0.05) / (l2 + 0.05) * 100) / 100};
}"""


# ----------------------------------------------------------------------------- pytest hooks
# Used by conftest.py. Without a browser the browser tests are left out and the run
# ends with ONE line saying how to install one; with REQUIRE_BROWSER=1 (CI) they stay in
# and fail (the `browser` fixture says why).

def leave_out_browser_tests(config, items) -> None:
    """Called by conftest.py's collection hook (the suite's only one)."""
    wanted = [item for item in items if item.get_closest_marker("browser")]
    if not wanted or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    path, reason = browser_status()
    if path:
        return
    config.hook.pytest_deselected(items=wanted)
    items[:] = [item for item in items if not item.get_closest_marker("browser")]
    config._guide_no_browser = f"BROWSER TESTS NOT RUN ({len(wanted)} tests): {reason}; {INSTALL_HINT}."


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    line = getattr(config, "_guide_no_browser", None)
    if line:
        terminalreporter.write_line(line, yellow=True, bold=True)


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


# ----------------------------------------------------------------------------- page weight
# Deterministic first-view weight, computed from the built files (never from timings).

TEXT_SUFFIXES = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ris", ".bib"}
SEARCH_INDEX = "search/search_index.json"


def transfer_size(file: Path) -> tuple[int, int]:
    """(raw, on-the-wire) bytes: text is gzipped at level 6, binary formats (PNG, WOFF2...) are not."""
    data = file.read_bytes()
    wire = len(gzip.compress(data, compresslevel=6, mtime=0)) if file.suffix.lower() in TEXT_SUFFIXES else len(data)
    return len(data), wire


def _local(site: Path, base_file: Path, ref: str) -> Path | None:
    """The built file a same-site reference points to (None for data:, remote and in-page refs)."""
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    target = Path(os.path.normpath(site / path.lstrip("/") if path.startswith("/") else base_file.parent / path))
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target


def first_view(site: Path, html_file: Path) -> tuple[list[Path], list[str]]:
    """(files a browser fetches on the first view of a page, problems). Reads the page's own
    references (stylesheets, scripts, icons, images, preloads), what those stylesheets load
    (url(), @import), and Material's search worker, which starts on every page. The search
    index the worker then fetches is left out (see SEARCH_INDEX)."""
    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "lxml")
    refs: list[tuple[Path, str]] = []
    for tag in soup.find_all("link", href=True):
        rels = {r.lower() for r in tag.get("rel", [])}
        if rels & {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "manifest"}:
            refs.append((html_file, tag["href"]))
    for tag in soup.find_all(["script", "img", "iframe", "audio", "video", "source", "embed", "input"]):
        for attr in ("src", "poster"):
            if tag.get(attr) and not (tag.name == "input" and tag.get("type") != "image"):
                refs.append((html_file, tag[attr]))
    config = soup.find("script", id="__config")
    if config:
        worker = json.loads(config.get_text()).get("search")
        if worker:
            refs.append((html_file, worker))
    files: list[Path] = []
    problems: list[str] = []
    queue = list(refs)
    while queue:
        base, ref = queue.pop(0)
        target = _local(site, base, ref)
        if target is None or target in files or target == html_file:
            continue
        if target == Path(os.path.normpath(site / SEARCH_INDEX)):
            continue
        if not target.is_file():
            problems.append(f"{html_file.relative_to(site)}: references {ref!r}, which is not in the built site.")
            continue
        files.append(target)
        if target.suffix == ".css":
            css = target.read_text(encoding="utf-8", errors="replace")
            css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
            for m in re.finditer(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""", css):
                queue.append((target, m.group(1) or m.group(2)))
    return files, problems
