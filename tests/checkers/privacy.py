"""Privacy and external-link checks on a built site.

* third_party_assets: nothing may load from another origin (scripts, styles, images,
  fonts, iframes, preconnects, CSS url()/@import).
* bad_external_links: every link to another site is a well-formed https URL.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

LOADING_RELS = {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "prefetch",
                "icon", "manifest", "apple-touch-icon"}
CSS_REMOTE = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])(?:https?:)?//", re.I)


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in {"http", "https"}


def third_party_assets(site: Path) -> list[str]:
    """One message per asset a page or stylesheet would fetch from another origin."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        rel_page = page.relative_to(site)
        for tag in soup.find_all(src=True):
            if _is_remote(tag["src"]):
                problems.append(f"{rel_page}: <{tag.name} src=\"{tag['src']}\"> loads from another site. "
                                f"Copy the file into docs/ and link it locally, or remove it.")
        for tag in soup.find_all("link", href=True):
            rels = {r.lower() for r in tag.get("rel", [])}
            if rels & LOADING_RELS and _is_remote(tag["href"]):
                problems.append(f"{rel_page}: <link rel=\"{' '.join(rels)}\" href=\"{tag['href']}\"> contacts "
                                f"another site. Serve it from this site or remove it.")
        for tag in soup.find_all(style=True):
            if CSS_REMOTE.search(tag["style"]):
                problems.append(f"{rel_page}: an inline style loads a remote url(): {tag['style'][:80]}")
        for tag in soup.find_all("style"):
            if CSS_REMOTE.search(tag.get_text()):
                problems.append(f"{rel_page}: a <style> block loads a remote url() or @import.")
    for css in sorted(site.rglob("*.css")):
        for number, line in enumerate(css.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if CSS_REMOTE.search(line):
                problems.append(f"{css.relative_to(site)}:{number}: CSS loads a remote file: {line.strip()[:100]}")
    return problems


def external_links(site: Path) -> dict[str, set[str]]:
    """{url: {pages}} for every link to another site."""
    found: dict[str, set[str]] = {}
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all("a", href=True):
            href = tag["href"].strip()
            if _is_remote(href) or href.startswith(("http:", "https:")):
                found.setdefault(href, set()).add(str(page.relative_to(site)))
    return found


def bad_external_links(site: Path) -> list[str]:
    """One message per external link that is not a well-formed https URL."""
    problems = []
    for url, pages in sorted(external_links(site).items()):
        parts = urlsplit(url)
        where = ", ".join(sorted(pages)[:3])
        if parts.scheme != "https":
            problems.append(f"{where}: link {url!r} must use https:// (not {parts.scheme or 'no scheme'}).")
        elif not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?", parts.netloc or ""):
            problems.append(f"{where}: link {url!r} has no valid host name.")
        elif re.search(r"\s", url):
            problems.append(f"{where}: link {url!r} contains a space; encode it as %20.")
    return problems
