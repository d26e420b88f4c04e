"""Glossary terms hook: only the first use of each term on a page is marked; later uses are plain text.

One job. The abbr extension, fed by docs/includes/glossary.md (appended to every page), wraps
every use of every term: ``<abbr title="definition">HSCT</abbr>``. Nobody could reach those
with the keyboard, and a screen reader named each one by its whole definition, on every use
(/hsct/ had 98; the print page 1,178, a third of its HTML). This hook rewrites each page's HTML
(``on_page_content``, before the print page copies it):

* the first use of a term (terms that share a definition, like "flare" and "flares", count as
  one) becomes ``<abbr role="term" tabindex="0" title="definition">HSCT</abbr>``: it takes
  keyboard focus, docs/javascripts/guide.js shows the definition on focus, hover or tap (the
  title alone, without JavaScript), and a screen reader names it "HSCT" and describes it by
  the definition;
* every later use becomes the plain word;
* a term inside a link, heading, summary, button, label or a definition list's term (``<dt>``,
  the Glossary page's own list) is always the plain word, and does not count as the first use:
  a focus stop inside a link or heading would be a second stop, or would change its name.

Stops the build, naming the page, on an ``<abbr>`` that is not in the abbr extension's form
(raw HTML in a page: put the term in docs/includes/glossary.md instead).
tests/test_glossary.py checks the built pages; tests/test_keyboard.py checks focus and tooltips.
"""
from __future__ import annotations

import re

from mkdocs.exceptions import PluginError

TERM = re.compile(r'<abbr title="(?P<definition>[^"]*)">(?P<word>[^<]*)</abbr>')
# Elements inside which a term stays plain text (see the module docstring).
PLAIN_INSIDE = re.compile(r"<(?P<close>/?)(?P<tag>a|h[1-6]|summary|button|label|dt)(?=[\s>/])[^>]*>", re.I)
TOKEN = re.compile(TERM.pattern + "|" + PLAIN_INSIDE.pattern, re.I)
OTHER_ABBR = re.compile(r"<abbr\b(?![^>]*\brole=\"term\")[^>]*>(?:[^<]*</abbr>)?", re.I)


def first_uses(html: str, where: str) -> str:
    """``html`` with only the first use of each glossary term marked (see the module docstring).
    ``where``: the page, for the error message."""
    seen: set[str] = set()
    depth = 0  # how many elements from PLAIN_INSIDE we are in

    def rewrite(match: re.Match) -> str:
        nonlocal depth
        if match["tag"]:
            void = match.group(0).endswith("/>")
            if not void:
                depth += -1 if match["close"] else 1
                depth = max(depth, 0)
            return match.group(0)
        definition, word = match["definition"], match["word"]
        if depth or definition in seen:
            return word
        seen.add(definition)
        return f'<abbr role="term" tabindex="0" title="{definition}">{word}</abbr>'

    result = TOKEN.sub(rewrite, html)
    stray = OTHER_ABBR.search(result)
    if stray:
        raise PluginError(f"{where}: an <abbr> that is not a glossary term: {stray.group(0)[:80]!r}. Write the word "
                          "as plain text and define it in docs/includes/glossary.md ('*[Term]: meaning').")
    return result


def on_page_content(html, page, config, files):
    return first_uses(html, f"docs/{page.file.src_uri}")
