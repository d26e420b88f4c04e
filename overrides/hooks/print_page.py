"""Print hook: fill the "Print the whole guide" page with every page of the nav, in order.

One job. The page ``docs/print.md`` holds the marker ``<!-- print:all -->``. MkDocs renders
every page's Markdown before it renders any template, so by ``on_page_context`` each page's
HTML is ready. The hook puts them one after another, each in a ``<section>``, and makes the
result valid on one page:

* every ``id`` (and every ``for``/``aria-*`` reference to one) is prefixed with the page's slug (``hsct--risks``), so headings and
  reference lists of different pages never clash (a trial of mkdocs-print-site-plugin
  produced duplicate ids and broken back-links);
* headings move down one level, so the print page keeps a single H1;
* links within a page and links to other pages of the guide become links within the print
  page (``../hsct/#risks`` -> ``#hsct--risks``), and links to the home page are kept working.
* the screen-only aids of each page are left out, as paper has no use for them and they made
  the page slow to open on a phone: glossary terms become plain words (each page explains
  a term in words where it first uses it; the Glossary prints from its own page), headings lose their permalink symbol, references lose their link
  to the References page, and the RIS download and comments go (the phone-card labels stay: the page is also read
  on a phone).

A page whose front matter says ``print: false`` is left out (the site map: its list of pages
comes from a template, and the print page has every page anyway; the clinicians' evidence
tables, the full reference list, the Glossary, How this guide was made and the IPDAS check,
which are printed from their own pages, so the whole guide stays light enough to open on a phone).
Within a page, a part between ``<!-- print:skip NOTE -->`` and ``<!-- /print:skip -->`` (each on
its own line in the Markdown) is left out and NOTE is printed in its place: the decision aid's
worksheet and personal summary, which are filled in and printed on their own page.

It stops the build if the marker is missing from the print page, if a page in the nav
has not been rendered, or if a page's print:skip markers do not pair up.
"""
from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError

MARKER = "<!-- print:all -->"
SKIP = re.compile(r"<!-- print:skip (.+?) -->(.*?)<!-- /print:skip -->", re.S)
PRINT_PAGE = "print.md"
ID = re.compile(r'\bid="([^"]+)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")
HREF = re.compile(r'\bhref="([^"]*)"')
SRC = re.compile(r'\bsrc="([^"]*)"')
TERM = re.compile(r'<abbr role="term" tabindex="0" title="[^"]*">([^<]*)</abbr>')
PERMALINK = re.compile(r'<a class="headerlink" href="#[^"]*"[^>]*>(?:&para;|¶)</a>')
# More screen-only aids (citations.py, exports.py, the glossary include): the link from each
# reference to its entry on the References page, the RIS download and HTML comments. Paper has no
# use for them, and they kept the page over its budget. The phone-card column labels (tables.py,
# data-label) stay: the print page is also read on a phone before it is printed.
SCREEN_ONLY = re.compile(r' · <a href="[^"]*#ref-[^"]*">More about this source</a>'
                         r'|<p><a download="[^"]*" href="[^"]*\.ris">[^<]*</a></p>'
                         r'|<!--(?!\s*/?print:).*?-->', re.S)
ID_REFS = re.compile(r'\b(for|aria-labelledby|aria-describedby|aria-controls)="([^"]+)"')


def _slug(url: str) -> str:
    return url.strip("/").replace("/", "-") or "home"


def _folder(url: str) -> str:
    """The folder a page's relative links start from: /hsct/ for hsct/, / for hsct.html (the offline copy)."""
    return posixpath.dirname("/" + url)


def _rebase(path: str, page, print_url: str) -> str:
    """A relative link written for `page`, rewritten to work from the print page."""
    target = posixpath.normpath(posixpath.join(_folder(page.url), path))
    relative = posixpath.relpath(target, _folder(print_url))
    return relative + ("/" if path.endswith("/") and not relative.endswith("/") else "")


def _rewrite(html: str, page, by_url: dict[str, str], print_url: str) -> str:
    """Prefix ids with the page slug and point links at sections of the print page."""
    slug = _slug(page.url)
    html = SCREEN_ONLY.sub("", PERMALINK.sub("", TERM.sub(r"\1", html)))
    html = ID.sub(lambda m: f'id="{slug}--{m.group(1)}"', html)
    html = ID_REFS.sub(lambda m: f'{m.group(1)}="' + " ".join(f"{slug}--{i}" for i in m.group(2).split()) + '"',
                       html)

    def fix(match: re.Match) -> str:
        href = match.group(1)
        if re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
            return match.group(0)                      # external link: unchanged
        path, _, fragment = href.partition("#")
        if not path:
            return f'href="#{slug}--{fragment}"' if fragment else match.group(0)
        target = posixpath.normpath(posixpath.join(_folder(page.url), path)).lstrip("/")
        target = (target + "/") if target and not target.endswith("/") and "." not in target else target
        target = "" if target in (".", "./") else target
        if target not in by_url:                       # an asset (e.g. a .ris file): re-base it
            rebased = _rebase(path, page, print_url)
            return f'href="{rebased}#{fragment}"' if fragment else f'href="{rebased}"'
        other = by_url[target]
        return f'href="#{other}--{fragment}"' if fragment else f'href="#{other}"'

    html = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)
    html = SRC.sub(lambda m: m.group(0) if re.match(r"^([a-z][a-z0-9+.-]*:|//|/)", m.group(1))
                   else f'src="{_rebase(m.group(1), page, print_url)}"', html)
    return HREF.sub(fix, html)


def on_page_context(context, page, config, nav):
    """Replace the marker on the print page with every page's rendered content."""
    if page.file.src_uri != PRINT_PAGE:
        return context
    if MARKER not in (page.content or ""):
        raise PluginError(f"docs/{PRINT_PAGE} must contain the marker {MARKER}")
    pages = [p for p in nav.pages if p.file.src_uri != PRINT_PAGE and p.meta.get("print", True) is not False]
    by_url = {p.url: _slug(p.url) for p in pages}
    sections = []
    for other in pages:
        if other.content is None:
            raise PluginError(f"docs/{other.file.src_uri} was not rendered before the print page")
        content = SKIP.sub(lambda m: f'<p class="print-skipped"><em>{m.group(1).strip()}</em></p>', other.content)
        if "print:skip" in content:
            raise PluginError(f"docs/{other.file.src_uri}: a '<!-- print:skip NOTE -->' marker has no matching "
                              f"'<!-- /print:skip -->' (or the other way round). Put each on its own line.")
        sections.append(f'<section class="print-section" id="{_slug(other.url)}" '
                        f'aria-label="{other.title}">\n{_rewrite(content, other, by_url, page.url)}\n</section>')
    page.content = page.content.replace(MARKER, "\n".join(sections))
    return context
