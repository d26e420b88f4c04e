"""The offline copy: a zip of the guide that works when opened from the file system (file://).

`python3 tasks.py build --offline` (scripts/build_offline.py) builds the guide with Material's
offline plugin (page links end in .html, the search index is a script) into site-offline/ and
packs it as a zip. The tests build it into a temporary folder with the same script, unpack the
zip, and open index.html from the file system in Chromium: page links, search, the print page,
no request to any server, no policy violation. The online site opened from the file system
(the problem the offline copy solves) proves the check can fail. The online build publishes
the zip and links to it from the footer of every page.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from checkers.links import check_links
from conftest import ROOT, mkdocs_build

SCRIPT = ROOT / "scripts" / "build_offline.py"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')
FIX = "(site design: mkdocs.yml's offline plugin, overrides/hooks/offline_copy.py, scripts/build_offline.py)"


def build_offline(out: Path) -> tuple[subprocess.CompletedProcess, Path, Path]:
    """Run scripts/build_offline.py into ``out``; (process, site folder, zip)."""
    site, zip_path = out / "site-offline", out / "lupus-guide-offline.zip"
    proc = subprocess.run([sys.executable, str(SCRIPT), "--site-dir", str(site), "--zip", str(zip_path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    return proc, site, zip_path


@pytest.fixture(scope="module")
def offline(tmp_path_factory):
    """(unpacked folder of the zip, i.e. the folder holding index.html; the zip)."""
    out = tmp_path_factory.mktemp("offline")
    proc, _, zip_path = build_offline(out)
    assert proc.returncode == 0, ("python3 tasks.py build --offline failed:\n" + proc.stdout + proc.stderr)
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(out / "unpacked")
    tops = [p for p in (out / "unpacked").iterdir()]
    assert len(tops) == 1 and tops[0].is_dir(), f"The zip must hold one folder, so it unpacks tidily: {tops}"
    return tops[0], zip_path


def policy(html: str) -> dict[str, list[str]]:
    meta = CSP_META.search(html)
    out = {}
    for part in filter(None, (p.strip() for p in (meta.group(1) if meta else "").split(";"))):
        name, *sources = part.split()
        out[name] = sources
    return out


# ----------------------------------------------------------------------------- what is in the zip

def test_offline_zip_holds_a_copy_with_html_links_and_an_inlined_search_index(offline, site):
    root, zip_path = offline
    problems = []
    for name in ("index.html", "hsct.html", "print.html", "search/search_index.js", "404.html"):
        if not (root / name).is_file():
            problems.append(f"the offline copy has no {name} {FIX}.")
    if (root / "_headers").exists():
        problems.append("the offline copy carries _headers, which no server will read there.")
    folder_links = sorted({f"{page.name}: {a['href']}" for page in root.glob("*.html")
                           for a in BeautifulSoup(page.read_text(encoding="utf-8"), "lxml").find_all("a", href=True)
                           if not urlsplit(a["href"]).scheme and urlsplit(a["href"]).path.endswith("/")})
    if folder_links:
        problems.append(f"links to folders, which a browser shows as a folder listing from the file system "
                        f"(use_directory_urls must be false; templates must not write 'page/'): {folder_links[:5]} {FIX}.")
    problems += check_links(root)
    remote = sorted({m for p in root.rglob("*.html")
                     for m in re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', p.read_text("utf-8"))
                     if not m.startswith("https://lupus-stem-cell-guide")})
    if remote:
        problems.append(f"the offline copy loads files from the internet: {remote} {FIX}.")
    online, offline_policy = policy((site / "index.html").read_text("utf-8")), policy((root / "index.html").read_text("utf-8"))
    for name in online.keys() | offline_policy.keys():
        extra = [s for s in offline_policy.get(name, []) if s not in online.get(name, [])]
        if name != "script-src" and extra or [s for s in extra if not s.startswith("'sha256-")]:
            problems.append(f"the offline copy's CSP allows {extra} in {name}; it may add only hashes {FIX}.")
        if [s for s in online.get(name, []) if s not in offline_policy.get(name, [])]:
            problems.append(f"the offline copy's CSP lost part of {name} {FIX}.")
    added = [s for s in offline_policy.get("script-src", []) if s not in online.get("script-src", [])]
    if not added:
        problems.append(f"the offline copy's CSP has no hash for the search shim's script {FIX}.")
    assert not problems, "\n".join(problems)
    assert zip_path.stat().st_size < 5_000_000, f"The zip is {zip_path.stat().st_size} bytes; keep it under 5 MB"


# ----------------------------------------------------------------------------- opened from the file system

def file_problems(browser, root: Path, nav_title: str = "Blood stem cell transplant (HSCT)",
                  query: str = "kidney", timeout: float = 15_000) -> list[str]:
    """Open ``root``/index.html from the file system; follow a nav link and come back; search; print page.

    One message per problem: a folder listing instead of a page, search that never starts, a
    policy violation or console error, or any request that is not to a file."""
    from browser_support import WaitFailed, open_search
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console, requests = [], []
    page.on("console", lambda m: m.type == "error" and console.append(m.text[:300]))
    page.on("pageerror", lambda e: console.append(f"uncaught error: {e}"))
    context.on("request", lambda r: requests.append(r.url))
    problems = []
    home = (root / "index.html").as_uri()
    h1 = "() => { const h = document.querySelector('main h1, article h1'); return h ? h.textContent.trim() : null; }"
    try:
        page.goto(home, wait_until="load")
        link = page.locator("nav.md-nav--primary a.md-nav__link", has_text=nav_title).first
        href = link.get_attribute("href")
        page.goto(page.evaluate("(h) => new URL(h, location.href).href", href), wait_until="load")
        title = page.evaluate(h1)
        if not title or nav_title not in title:
            shown = page.evaluate("() => document.title")
            problems.append(f"From the file system, the menu link {nav_title!r} ({href}) opens {page.url} "
                            f"showing {shown!r}, not the page (a folder listing?) {FIX}.")
        else:
            back = page.locator("a.md-header__button.md-logo").first
            with page.expect_navigation(wait_until="load"):
                back.click()
            if page.url.split("#")[0] not in (home, home[: -len("index.html")]) or page.evaluate(h1) is None:
                problems.append(f"From {nav_title!r}, the link back to the home page led to {page.url} {FIX}.")
        page.goto(home, wait_until="load")
        try:
            open_search(page, query, timeout=timeout)
            first = page.locator(".md-search-result__item > a.md-search-result__link").first
            with page.expect_navigation(wait_until="load"):
                first.click()
            if query not in page.inner_text("main").lower():
                problems.append(f"The first search result for {query!r}, {page.url}, does not mention it {FIX}.")
        except WaitFailed as exc:
            problems.append(f"From the file system, search for {query!r} never shows results {FIX}. {exc}")
        printed = root / "print.html"
        if printed.is_file():
            page.goto(printed.as_uri(), wait_until="load")
            page.emulate_media(media="print")
            sections = page.evaluate("() => [...document.querySelectorAll('section.print-section')].filter("
                                     "s => s.getBoundingClientRect().height > 0).length")
            header = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).display")
            if sections < 10 or header != "none":
                problems.append(f"From the file system, the print page shows {sections} sections and its header "
                                f"is {header!r} in print {FIX}.")
    finally:
        context.close()
    problems += [f"From the file system, the browser console shows an error: {c}" for c in console]
    remote = sorted({u for u in requests if not u.startswith(("file:", "data:", "blob:", "about:"))})
    if remote:
        problems.append(f"From the file system, the guide requested {remote} (no request may leave the copy) {FIX}.")
    return problems


@pytest.mark.browser
def test_offline_copy_works_from_the_file_system(browser, offline):
    root, _ = offline
    problems = file_problems(browser, root)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_offline_check_fails_on_the_online_site_opened_from_the_file_system(browser, site):
    problems = "\n".join(file_problems(browser, site, timeout=5_000))
    assert "the menu link 'Blood stem cell transplant (HSCT)' (hsct/) opens" in problems, problems
    assert "search for 'kidney' never shows results" in problems, problems
    assert "console shows an error" in problems, problems  # the search index cannot be fetched


# ----------------------------------------------------------------------------- published with the site

def test_online_site_publishes_the_zip_and_links_to_it_from_every_page(offline, tmp_path):
    _, zip_path = offline
    built = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site", {"OFFLINE_DOWNLOAD": str(zip_path)})
    assert built.returncode == 0, built.output
    published = built.site / "lupus-guide-offline.zip"
    assert published.is_file() and published.read_bytes() == zip_path.read_bytes(), \
        "The online build must publish the offline zip as lupus-guide-offline.zip (overrides/hooks/offline_download.py)"
    for page in (built.site / "index.html", built.site / "hsct" / "index.html"):
        soup = BeautifulSoup(page.read_text("utf-8"), "lxml")
        link = soup.select_one('.guide-footer a[href$="lupus-guide-offline.zip"]')
        assert link is not None, f"{page.relative_to(built.site)}: the footer must link to the offline zip"
        assert (page.parent / link["href"]).resolve() == published.resolve(), link["href"]
        assert re.search(r"\d+(\.\d)? MB", link.get_text()), f"say the download's size: {link.get_text()!r}"
    home = (ROOT / "docs" / "index.md").read_text("utf-8")
    assert "offline" in home.lower() and "Download" in home, "docs/index.md must say where to download the offline copy"


def test_online_build_without_the_zip_has_no_download_link(site):
    assert not (site / "lupus-guide-offline.zip").exists()
    assert "lupus-guide-offline.zip" not in (site / "index.html").read_text("utf-8"), \
        "without a zip to publish, the footer must not link to one"
