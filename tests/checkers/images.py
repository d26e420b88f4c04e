"""Images need a text description: an image with no alt text fails, naming the file and line.

Markdown writes ``![](chart.png)`` as ``<img alt="">``, which axe accepts as decorative, so an
image an editor simply forgot to describe would pass. Here an empty or missing ``alt`` is an
error unless the editor marked the image as decorative on purpose, with the class
``decorative``: ``![](divider.png){ .decorative }`` (attr_list). Inline SVG icons of the theme
are not <img> elements and are not checked.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from bs4 import BeautifulSoup

from checkers import ROOT


def _line(source: Path | None, src: str) -> str:
    """'docs/x.md:12' for the Markdown line that holds the image (or the file alone)."""
    if source is None or not source.exists():
        return str(source) if source else "(unknown file)"
    try:
        shown = source.resolve().relative_to(ROOT)
    except ValueError:
        shown = source
    name = unquote(src).rsplit("/", 1)[-1]
    for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        if name and name in line:
            return f"{shown}:{number}"
    return str(shown)


def missing_alt_text(html: str, source: Path | None) -> list[str]:
    """One message per <img> in the page's text without a description (see the module docstring)."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.find("article") or soup
    problems = []
    for img in article.find_all("img"):
        alt = img.get("alt")
        if alt is not None and alt.strip():
            continue
        if "decorative" in (img.get("class") or []):
            continue
        src = img.get("src", "")
        state = "has no alt text" if alt is None else "has empty alt text"
        problems.append(f"{_line(source, src)}: the image '{src}' {state}, so screen readers and people with "
                        f"images off get nothing. Describe what it shows in the brackets: ![A nurse putting a drip "
                        f"in an arm]({src}). If it is only decoration, mark it: ![]({src}){{ .decorative }}")
    return problems
