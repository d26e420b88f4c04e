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

from checkers import ROOT

LOADING_RELS = {"stylesheet", "preload", "modulepreload", "preconnect", "dns-prefetch", "prefetch",
                "icon", "manifest", "apple-touch-icon"}
CSS_REMOTE = re.compile(r"(?:url\(\s*['\"]?|@import\s+['\"])(?:https?:)?//", re.I)


def _is_remote(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) or parts.scheme in {"http", "https"}


def _located(source_of, page: Path, needle: str, fallback: str) -> str:
    """'docs/x.md:12' where `needle` is written in the page's Markdown, else `fallback` (the built file)."""
    source = source_of(page) if source_of else None
    if source is not None and source.exists():
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source
                return f"{shown}:{number}"
    return fallback


def third_party_assets(site: Path, source_of=None) -> list[str]:
    """One message per asset a page or stylesheet would fetch from another origin.

    ``source_of(built_page) -> Markdown path`` lets messages name the Markdown file and line.
    """
    problems = []
    for page in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        rel_page = page.relative_to(site)
        for tag in soup.find_all(src=True):
            if _is_remote(tag["src"]):
                where = _located(source_of, page, tag["src"], str(rel_page))
                problems.append(f"{where}: <{tag.name} src=\"{tag['src']}\"> loads from another site. "
                                f"Copy the file into docs/ and link it locally, or remove it.")
        for tag in soup.find_all("link", href=True):
            rels = {r.lower() for r in tag.get("rel", [])}
            if rels & LOADING_RELS and _is_remote(tag["href"]):
                problems.append(f"{rel_page}: <link rel=\"{' '.join(rels)}\" href=\"{tag['href']}\"> contacts "
                                f"another site. Serve it from this site or remove it (look in overrides/ "
                                f"and in the theme settings of mkdocs.yml).")
        for tag in soup.find_all(style=True):
            if CSS_REMOTE.search(tag["style"]):
                where = _located(source_of, page, tag["style"][:40], str(rel_page))
                problems.append(f"{where}: an inline style loads a remote url(): {tag['style'][:80]!r}. "
                                f"Copy the file into docs/ and point url() at it, or remove it.")
        for tag in soup.find_all("style"):
            if CSS_REMOTE.search(tag.get_text()):
                remote = CSS_REMOTE.search(tag.get_text())
                snippet = tag.get_text()[remote.start():remote.start() + 80]
                problems.append(f"{rel_page}: a <style> block loads a remote file: {snippet!r}. "
                                f"Copy the file into docs/ and point to it, or remove it.")
    for css in sorted(site.rglob("*.css")):
        for number, line in enumerate(css.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if CSS_REMOTE.search(line):
                problems.append(f"{css.relative_to(site)}:{number}: CSS loads a remote file: {line.strip()[:100]!r}. "
                                f"Copy the file into docs/ and point url() at it, or remove the rule.")
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


def bad_external_links(site: Path, source_of=None) -> list[str]:
    """One message per external link that is not a well-formed https URL.

    ``source_of(built_page) -> Markdown path`` lets messages name the Markdown file and line.
    """
    problems = []
    for url, pages in sorted(external_links(site).items()):
        parts = urlsplit(url)
        where = ", ".join(_located(source_of, site / p, url, p) for p in sorted(pages)[:3])
        if parts.scheme != "https":
            problems.append(f"{where}: link {url!r} must use https:// (not {parts.scheme or 'no scheme'}). "
                            f"Change the start of the address to https:// and check that it still opens.")
        elif not re.fullmatch(r"[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d+)?", parts.netloc or ""):
            problems.append(f"{where}: link {url!r} has no valid host name. Copy the address again from "
                            f"your browser's address bar.")
        elif re.search(r"\s", url):
            problems.append(f"{where}: link {url!r} contains a space; encode it as %20.")
    return problems
