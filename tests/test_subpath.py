"""Deploy anywhere: the built site works from any static host, also from a sub-path.

The site is built with SITE_URL=https://example.org/lupus-guide/ into <tmp>/lupus-guide/, the
layout a web server would have. Then every internal link and asset must be relative (a link
starting with "/" breaks as soon as the folder is served from somewhere else) and must resolve,
and every absolute address of the site (canonical, og:url, JSON-LD, sitemap) must carry the
sub-path. The 404 page is the one exception MkDocs makes: it is served at any depth, so its
links are root-absolute, and they must then start with the sub-path.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from checkers.links import check_links
from conftest import FIXTURES, ROOT, mkdocs_build, source_for

SUBPATH = "/lupus-guide/"
SITE_URL = "https://example.org" + SUBPATH
URL_ATTRS = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src", "iframe": "src",
             "audio": "src", "video": "src", "form": "action", "use": "href"}
CSS_ROOT_URL = re.compile(r"url\(\s*['\"]?/(?!/)")


def root_absolute_refs(site: Path, allowed_prefix: str | None = None) -> list[str]:
    """One message per href/src that starts with a single "/" (404.html may use allowed_prefix)."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        allowed = allowed_prefix if rel == "404.html" else None
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(list(URL_ATTRS)):
            value = (tag.get(URL_ATTRS[tag.name]) or "").strip()
            if not value.startswith("/") or value.startswith("//"):
                continue
            if allowed and value.startswith(allowed):
                continue
            source = ROOT / source_for(site, page)
            where = _line_in(source, value) or rel
            problems.append(
                f"{where}: <{tag.name} {URL_ATTRS[tag.name]}=\"{value}\"> starts with '/', so it breaks when "
                f"the site is served from a sub-path such as {SITE_URL}. In a page, link to the Markdown "
                f"file instead ([text](hsct.md)); in a template under overrides/, start the address with "
                f"{{{{ base_url }}}}/ or use the | url filter.")
    for css in sorted(site.rglob("*.css")):
        for number, line in enumerate(css.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if CSS_ROOT_URL.search(line):
                problems.append(f"{css.relative_to(site)}:{number}: a url() starts with '/': "
                                f"{line.strip()[:80]!r}. Make it relative to the stylesheet.")
    return problems


def _line_in(source: Path, value: str) -> str | None:
    if not source.exists():
        return None
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
        if value in line:
            return f"{source.relative_to(ROOT)}:{number}"
    return None


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory) -> Path:
    """The real site built for https://example.org/lupus-guide/, as the folder lupus-guide/."""
    server_root = tmp_path_factory.mktemp("host")
    result = mkdocs_build(ROOT / "mkdocs.yml", server_root / "lupus-guide", {"SITE_URL": SITE_URL})
    if result.returncode != 0:
        pytest.fail("The site did not build with SITE_URL=" + SITE_URL + ":\n\n" + result.output, pytrace=False)
    return server_root / "lupus-guide"


def test_internal_links_and_assets_are_relative(subpath_site):
    problems = root_absolute_refs(subpath_site, allowed_prefix=SUBPATH)
    assert not problems, "\n".join(problems)


def test_every_internal_link_and_asset_resolves_under_the_subpath(subpath_site):
    """Checked from the web server's root, so the 404 page's /lupus-guide/... links are followed too."""
    host = subpath_site.parent
    problems = check_links(host, source_of=lambda page: ROOT / source_for(subpath_site, page))
    assert not problems, "Broken links when served from " + SITE_URL + ":\n" + "\n".join(problems)


def test_site_addresses_carry_the_subpath(subpath_site):
    problems = []
    for page in sorted(subpath_site.rglob("*.html")):
        rel = page.relative_to(subpath_site).as_posix()
        text = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(text, "lxml")
        canonical = soup.find("link", rel="canonical")
        if rel != "404.html" and (canonical is None or not canonical["href"].startswith(SITE_URL)):
            problems.append(f"{rel}: canonical URL {canonical and canonical['href']!r} must start with {SITE_URL}")
        for match in re.finditer(r"https?://example\.org(/[^\"'\s<>]*)?", text):
            if not (match.group(1) or "/").startswith(SUBPATH):
                problems.append(f"{rel}: the site's address {match.group(0)!r} lacks the sub-path {SUBPATH}")
        if "lupus-stem-cell-guide.example.org" in text:
            problems.append(f"{rel}: the default site_url is written into the page; use config.site_url "
                            f"or page.canonical_url in templates")
    locs = re.findall(r"<loc>([^<]+)</loc>", (subpath_site / "sitemap.xml").read_text(encoding="utf-8"))
    assert locs, "sitemap.xml lists no pages"
    problems += [f"sitemap.xml: {loc} must start with {SITE_URL}" for loc in locs if not loc.startswith(SITE_URL)]
    assert not problems, "\n".join(problems)


def test_404_page_links_use_the_subpath(subpath_site):
    soup = BeautifulSoup((subpath_site / "404.html").read_text(encoding="utf-8"), "lxml")
    stylesheet = [urlsplit(t["href"]).path for t in soup.find_all("link", rel="stylesheet")]
    assert stylesheet and all(p.startswith(SUBPATH) or not p.startswith("/") for p in stylesheet), stylesheet


# --- The check can fail: a page with root-absolute links ------------------------------------

def test_root_absolute_check_reports_each_link_and_asset(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "root-absolute", site)
    problems = root_absolute_refs(site)
    assert len(problems) == 3, problems
    joined = "\n".join(problems)
    for needle in ('<a href="/hsct/">', '<img src="/assets/logo.png">', '<link href="/assets/site.css">'):
        assert needle in joined, f"missed {needle}:\n{joined}"
    assert "index.html: " in problems[0] and "link to the Markdown file" in problems[0]
