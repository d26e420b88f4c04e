"""Toggles hook: Material's two hidden checkboxes (menu drawer, search) carry no ``autocomplete``.

One job. Material's ``base.html`` writes, outside any template block (so ``overrides/main.html``
cannot edit them through ``super()``)::

    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">

``autocomplete`` is not allowed on a checkbox (Nu HTML Checker error, tests/test_validity.py).
Material put it there so that Firefox does not restore an open menu when a reader comes back
to a page; docs/javascripts/guide.js closes both toggles as the page starts instead.

Runs on every page (``on_post_page``) and on the theme's 404 page (``on_post_template``).
Stops the build, naming the page, when a page has Material's toggles but not in the form
above (a Material upgrade changed them: update ``TOGGLES`` below).
"""
from __future__ import annotations

from mkdocs.exceptions import PluginError

TOGGLES = {name: f'<input class="md-toggle" data-md-toggle="{name}" type="checkbox" id="__{name}"'
           for name in ("drawer", "search")}
ATTRIBUTE = ' autocomplete="off">'


def drop_autocomplete(html: str, where: str) -> str:
    """``html`` without ``autocomplete`` on the two toggles; PluginError naming ``where`` if
    the page has a toggle in an unexpected form."""
    for name, toggle in TOGGLES.items():
        if toggle + ATTRIBUTE in html:
            html = html.replace(toggle + ATTRIBUTE, toggle + ">", 1)
        elif f'data-md-toggle="{name}"' in html and toggle + ">" not in html:
            raise PluginError(f"overrides/hooks/toggles.py: {where} has Material's {name} toggle in a new form; "
                              f"expected {toggle + ATTRIBUTE!r}. Update TOGGLES in the hook.")
    return html


def on_post_page(output, page, config):
    return drop_autocomplete(output, f"docs/{page.file.src_uri}")


def on_post_template(output_content, template_name, config):
    if not template_name.endswith(".html"):
        return output_content
    return drop_autocomplete(output_content, template_name)
