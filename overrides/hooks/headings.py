"""Headings hook: a heading is named by its text alone, and its permalink by its section.

One job. The toc extension (``toc: permalink: true`` in mkdocs.yml) ends every heading with a
link whose only text is a pilcrow::

    <h2 id="risks">Risks<a class="headerlink" href="#risks" title="Link to this section">&para;</a></h2>

A screen reader then announces the heading as "Risks ¶" and the link as "¶". This hook gives
the heading ``aria-label="Risks"`` (its text, without tags) and the link
``aria-label="Link to this section: Risks"`` (``permalink_title`` from mkdocs.yml, a colon and
the heading's text), with the same words in its ``title`` for the hover tooltip. The page looks
the same. tests/test_keyboard.py checks the names Chromium gives to assistive technology.

Runs on each page's HTML (``on_page_content``), before the print page copies it. Stops the
build, naming the page, if a permalink is not in the form above (the toc settings changed).
"""
from __future__ import annotations

import html
import re

from mkdocs.exceptions import PluginError

HEADING = re.compile(
    r'<h(?P<level>[1-6])(?P<attrs>\s[^>]*)?>(?P<inner>(?:(?!</h[1-6]>).)*?)'
    r'<a class="headerlink" href="#(?P<id>[^"]+)" title="[^"]*">(?:&para;|¶)</a></h(?P=level)>', re.S)
TAG = re.compile(r"<[^>]+>")


def heading_text(inner: str) -> str:
    """The words of a heading's inner HTML: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub("", inner)).split())


def name_headings(content: str, link_title: str, where: str) -> str:
    """``content`` with every heading and its permalink named (see the module docstring)."""
    def named(match: re.Match) -> str:
        text = heading_text(match["inner"])
        if not text:
            raise PluginError(f"{where}: a heading (#{match['id']}) has no text; give it words.")
        link = html.escape(f"{link_title}: {text}")
        attrs = match["attrs"] or ""
        if "aria-label=" not in attrs:
            attrs += f' aria-label="{html.escape(text)}"'
        return (f'<h{match["level"]}{attrs}>{match["inner"]}<a class="headerlink" href="#{match["id"]}" '
                f'title="{link}" aria-label="{link}">&para;</a></h{match["level"]}>')

    result, count = HEADING.subn(named, content)
    if result.count('class="headerlink"') != count:
        raise PluginError(f"overrides/hooks/headings.py: {where} has a heading permalink in a form this hook "
                          "does not know (did the toc settings in mkdocs.yml change?). Update HEADING.")
    return result


def on_page_content(html_content, page, config, files):
    toc = config["mdx_configs"].get("toc", {})
    if not toc.get("permalink"):
        return html_content
    return name_headings(html_content, toc.get("permalink_title") or "Link to this section",
                         f"docs/{page.file.src_uri}")
