"""Redirect pages hook: a page left at an old address keeps the reader's #section, with or without JavaScript.

One job. The redirects plugin (mkdocs.yml, ``redirect_maps``) writes a small page at each old
address: an inline script that carries the #section over, and a meta refresh that drops it.
Without JavaScript, ``/stem-cell-transplant/#risks`` then opened ``/hsct/`` at the top, and
the page broke the site's security policy (no CSP, an inline script).

After the plugin has written its pages, this hook writes each one again from the template
``overrides/partials/moved-page.html``: the site's own CSP meta tag (``partials/head-meta.html``),
a visible link to the new page and a link to each of its sections (h2, with their h3), no
meta refresh and no inline script. The guide's own script (``docs/javascripts/guide.js``)
moves readers with JavaScript on to the new address, #section included. Without JavaScript
the reader follows a link; each listed section carries the id of the section it links to,
so ``#risks`` scrolls to the "Risks" link and ``:target`` marks it (docs/stylesheets/extra.css).

The new address is read from the plugin's own page (so its rules for directory URLs and
sub-paths stay in one place); the sections come from the new page's table of contents.
It stops the build when a page the plugin should have written is missing.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

TEMPLATE = "partials/moved-page.html"
TARGET = re.compile(r'<link rel="canonical" href="([^"]*)">')
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
BODY = re.compile(r"<body([^>]*)>")

_pages: dict[str, dict] = {}  # src_uri -> title, url, sections, of every page


def redirect_maps(config) -> dict[str, str]:
    """{old.md: new page} from the redirects plugin (new: a .md path, maybe with #section, or a URL)."""
    plugin = config["plugins"].get("redirects")
    return dict((plugin.config.get("redirect_maps") or {}) if plugin else {})


def on_config(config):
    _pages.clear()


def on_page_context(context, page, config, nav):
    """Remember each page's title, address and sections (h2, each with its h3) for the pages at old addresses."""
    sections = []
    for item in page.toc:
        for h2 in (item.children if item.level == 1 else [item]):
            sections.append({"id": h2.id, "title": h2.title,
                             "children": [{"id": h3.id, "title": h3.title} for h3 in h2.children]})
    _pages[page.file.src_uri] = {"title": page.title, "url": page.url, "canonical": page.canonical_url,
                                 "dest": page.file.dest_uri, "sections": sections}
    return context


def relative_to(path: str, start_file: str) -> str:
    """``path`` (from the site root) as seen from the page ``start_file`` (also from the root)."""
    return posixpath.relpath(path, posixpath.dirname(start_file) or ".")


@event_priority(-50)  # after the redirects plugin (0) has written its pages
def on_post_build(config, **kwargs):
    """Write every page at an old address again, from overrides/partials/moved-page.html."""
    maps = redirect_maps(config)
    if not maps:
        return
    env = config.theme.get_env()
    template = env.get_template(TEMPLATE)
    site = Path(config["site_dir"])
    for old, new in maps.items():
        dest = File(old, "", "", config["use_directory_urls"]).dest_uri
        stub = site / dest
        if not stub.is_file():
            raise PluginError(f"redirect_pages.py: the redirects plugin did not write {dest} for "
                              f"'{old}: {new}' in mkdocs.yml; check its version (pinned in pyproject.toml).")
        found = TARGET.search(stub.read_text(encoding="utf-8"))
        if not found:
            raise PluginError(f"redirect_pages.py: {dest}, written by the redirects plugin, names no new address "
                              f"(<link rel=\"canonical\">); its page format changed.")
        href = found.group(1)
        target = _pages.get(str(new).split("#")[0])
        if target:  # a page of this site: its look, and a link to each of its sections
            built = (site / target["dest"]).read_text(encoding="utf-8")
            stylesheets = [relative_to(relative_to_root(target["dest"], h), dest)
                           for h in STYLESHEET.findall(built)]
            body = BODY.search(built)
            title, canonical, sections = target["title"], target["canonical"], target["sections"]
            body_attrs = body.group(1) if body else ""
        else:  # another site
            stylesheets, title, canonical, sections, body_attrs = [], href, href, [], ""
        base_url = relative_to(".", dest) if "/" in dest else "."
        html = template.render(config=config, page=None, base_url=base_url, href=href.split("#")[0],
                               fragment=href.partition("#")[2], title=title, canonical=canonical,
                               sections=sections, stylesheets=stylesheets, body_attrs=body_attrs)
        stub.write_text(html, encoding="utf-8")


def relative_to_root(page_dest: str, href: str) -> str:
    """``href`` as written in the page ``page_dest`` (both from the site root), from the site root."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_dest), href))
