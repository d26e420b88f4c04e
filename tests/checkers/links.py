"""Link checker for a built site: every internal link and #anchor must resolve.

Reads the built HTML with a real HTML parser (BeautifulSoup). Returns messages an editor
can act on: the source file, the line where the link text appears, and what to change.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from checkers import ROOT

SKIP_SCHEMES = {"http", "https", "mailto", "tel", "javascript", "data"}


@lru_cache(maxsize=None)
def _parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@lru_cache(maxsize=None)
def ids_in(path: Path) -> frozenset[str]:
    soup = _parse(path)
    return frozenset({tag["id"] for tag in soup.find_all(id=True)}
                     | {tag["name"] for tag in soup.find_all("a", attrs={"name": True})})


def _target_file(site: Path, page: Path, path_part: str) -> Path:
    if path_part.startswith("/"):
        candidate = site / path_part.lstrip("/")
    else:
        base = page.parent.relative_to(site).as_posix()
        candidate = site / posixpath.normpath(posixpath.join(base, path_part))
    if path_part.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate


def _source_line(source: Path | None, text: str, href: str) -> str:
    """Best guess at where the link is written in the Markdown source, as 'file:line'."""
    if source is None:
        return "?"
    shown = source.relative_to(ROOT) if source.is_relative_to(ROOT) else source  # docs/x.md, as editors see it
    if not source.exists():
        return str(shown)
    needles = [n for n in (href.split("#")[0].rstrip("/").split("/")[-1], text.strip()) if n]
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if any(n and n in line for n in needles):
            return f"{shown}:{number}"
    return str(shown)


def check_links(site: Path, source_of=None) -> list[str]:
    """Return one message per broken internal link or anchor in the built site."""
    problems = []
    for page in sorted(site.rglob("*.html")):
        soup = _parse(page)
        for tag in soup.find_all(["a", "link", "img", "script"]):
            attr = "href" if tag.name in ("a", "link") else "src"
            ref = tag.get(attr)
            if not ref:
                continue
            parts = urlsplit(ref)
            if parts.scheme in SKIP_SCHEMES or parts.netloc:
                continue
            text = tag.get_text(" ", strip=True)[:60]

            def where(text=text, ref=ref, page=page):  # looked up only for a broken link
                return _source_line(source_of(page) if source_of else None, text, ref)
            rel_page = page.relative_to(site)
            if parts.path:
                target = _target_file(site, page, unquote(parts.path))
                if not target.exists():
                    problems.append(f"{where()}: the link '{text or ref}' ({ref}) on {rel_page} points to "
                                    f"{target.relative_to(site) if target.is_relative_to(site) else target}, "
                                    f"which does not exist. Fix the link target or create the page.")
                    continue
            else:
                target = page
            if parts.fragment and target.suffix == ".html":
                anchor = unquote(parts.fragment)
                if anchor not in ids_in(target):
                    problems.append(f"{where()}: the link '{text or ref}' ({ref}) on {rel_page} points to "
                                    f"#{anchor}, but {target.relative_to(site)} has no element with that id. "
                                    f"Check the heading's spelling or its {{ #id }}.")
    return problems
