"""Renamed-pages hook: list every link that still uses a page's old name, with its new name.

One job. When a page is renamed, its old name goes under ``redirect_maps`` of the redirects
plugin in mkdocs.yml (``old-name.md: new-name.md``), so that old addresses people saved keep
working. Links inside the guide must then use the new name: a link to the old name sends the
reader through a redirect page, which loses the ``#section`` without JavaScript and breaks in
the offline copy. MkDocs itself only says "the target is not found" and names the page, not
the line.

``on_files`` reads every page's Markdown and stops the build with one line per link to an old
name: ``docs/index.md:12: the link 'old.md#risks' uses the old name of a renamed page. Change
it to 'new.md#risks'.`` Inline links, images, reference definitions and ``<a href>`` are
checked; fenced code is skipped. It also stops when a redirect's new name is not a page.

Tests import ``links_to_old_names`` and feed it Markdown directly.
"""
from __future__ import annotations

import posixpath
import re

from mkdocs.exceptions import PluginError

FENCE = re.compile(r"^\s*(```|~~~)")
# ](target "title")  or  [label]: target  or  href="target"
LINK = re.compile(r"\]\(\s*<?(?P<a>[^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)|^\s*\[[^\]]+\]:\s*<?(?P<b>\S+?)>?(?:\s|$)"
                  r"|\bhref=\"(?P<c>[^\"]+)\"")


def links_to_old_names(markdown: str, src_uri: str, renamed: dict[str, str]) -> list[str]:
    """One message per link in ``markdown`` (the page at docs/``src_uri``) to an old page name.

    ``renamed`` maps old .md paths to new ones, both relative to docs/ (redirect_maps)."""
    problems, in_fence = [], False
    here = posixpath.dirname(src_uri)
    for number, line in enumerate(markdown.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for match in LINK.finditer(line):
            target = match.group("a") or match.group("b") or match.group("c")
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^#", target):
                continue
            path, _, fragment = target.partition("#")
            resolved = posixpath.normpath(posixpath.join(here, path)).lstrip("./") if path else ""
            if resolved in renamed:
                new = posixpath.relpath(renamed[resolved], here or ".")
                suggestion = new + (f"#{fragment}" if fragment else "")
                problems.append(f"docs/{src_uri}:{number}: the link '{target}' uses the old name of a renamed page "
                                f"(mkdocs.yml, redirect_maps: {resolved}: {renamed[resolved]}). Change it to "
                                f"'{suggestion}'.")
    return problems


def renamed_pages(config) -> dict[str, str]:
    """{old.md: new.md} from the redirects plugin's redirect_maps (only .md to .md entries)."""
    plugin = config["plugins"].get("redirects")
    maps = (plugin.config.get("redirect_maps") or {}) if plugin else {}
    return {old: new for old, new in maps.items() if old.endswith(".md") and new.endswith(".md")
            and not re.match(r"^[a-z][a-z0-9+.-]*:", new)}


def on_files(files, config):
    """Stop the build listing every link to an old page name (and redirects to missing pages)."""
    renamed = renamed_pages(config)
    if not renamed:
        return files
    pages = {file.src_uri: file for file in files.documentation_pages()}
    problems = [f"mkdocs.yml: redirect_maps sends '{old}' to '{new}', but docs/{new} does not exist. "
                f"Give the page's new file name." for old, new in renamed.items() if new.split("#")[0] not in pages]
    for src_uri, file in pages.items():
        problems += links_to_old_names(file.content_string, src_uri, renamed)
    if problems:
        raise PluginError("Links to renamed pages:\n  " + "\n  ".join(problems))
    return files
