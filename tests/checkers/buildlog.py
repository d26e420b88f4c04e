"""Explain MkDocs's own build warnings to editors: file:line, the offending text, what to change.

MkDocs names the page of a broken link but not its line. ``explain`` reads the build output,
finds the line in the Markdown (or in mkdocs.yml for the nav) and says what to do. It only
adds explanations; what fails the build is still decided by ``mkdocs build --strict``.
"""
from __future__ import annotations

import re
from pathlib import Path

_PAGE = r"Doc file '(?P<page>[^']+)' contains "
_HINT = r"(?: Did you mean '(?P<hint>[^']*)'\?)?"
RULES = [
    (re.compile(_PAGE + r"a link '(?P<link>[^']+)', but the target(?: '[^']+')? is not found among "
                r"documentation files\." + _HINT),
     "the link '{link}' points to a page that does not exist.{hint} Use the name of a .md file in docs/ "
     "(the same as in the nav of mkdocs.yml), or remove the link."),
    (re.compile(_PAGE + r"a link '(?P<link>[^']+)', but there is no such anchor on this page\."),
     "the link '{link}' points to a heading that is not on this page. Fix the spelling: a heading's id "
     "is its text in lower case with hyphens, e.g. '## What we don't know yet' is #what-we-dont-know-yet."),
    (re.compile(_PAGE + r"a link '(?P<link>[^']+)', but the doc '(?P<doc>[^']+)' does not contain an "
                r"anchor '#(?P<anchor>[^']+)'\."),
     "the link '{link}' points to #{anchor}, but docs/{doc} has no heading with that id. Open docs/{doc}, "
     "find the heading, and copy its id (hover the heading on the preview and use its link symbol)."),
    (re.compile(_PAGE + r"an absolute link '(?P<link>[^']+)', it was left as is\." + _HINT),
     "the link '{link}' starts with '/', so it breaks when the site is served from a sub-path.{hint} "
     "Link to the page's Markdown file instead, e.g. [Risks](risks.md)."),
    (re.compile(_PAGE + r"an unrecognized relative link '(?P<link>[^']+)', it was left as is\." + _HINT),
     "the link '{link}' does not name a .md file.{hint} Link to the page's Markdown file, "
     "e.g. [Risks](risks.md) or [Risks](risks.md#what-we-dont-know-yet)."),
]
NAV_MISSING = re.compile(r"A reference to '(?P<link>[^']+)' is included in the 'nav' configuration, "
                         r"which is not found in the documentation files\.")
NOT_IN_NAV = re.compile(r"The following pages exist in the docs directory, but are not included in the "
                        r"\"nav\" configuration:\n(?P<pages>(?:\s+- .+\n?)+)")
SNIPPET = re.compile(r"Snippet at path '(?P<path>[^']*)' could not be found")


def _line(path: Path, needle: str, root: Path) -> str:
    """'docs/x.md:12' for the first line of `path` containing `needle` (or just the file)."""
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    if path.exists():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return f"{shown}:{number}"
    return str(shown)


def explain(output: str, config_file: Path) -> list[str]:
    """One editor message per MkDocs warning in a build log that we know how to explain."""
    root = config_file.parent
    docs = root / "docs"
    messages = []
    for rule, advice in RULES:
        for match in rule.finditer(output):
            found = match.groupdict()
            hint = f" Did you mean '{found['hint']}'?" if found.get("hint") else ""
            where = _line(docs / found["page"], found["link"], root)
            messages.append(f"{where}: " + advice.format(**{**found, "hint": hint}))
    for match in NAV_MISSING.finditer(output):
        where = _line(config_file, match["link"], root)
        messages.append(f"{where}: the nav lists '{match['link']}', but docs/{match['link']} does not exist. "
                        f"Fix the file name on this line, or remove the line.")
    for match in NOT_IN_NAV.finditer(output):
        for page in re.findall(r"- (.+)", match["pages"]):
            messages.append(f"docs/{page.strip()}: this page is not in the nav. Add a line for it under 'nav:' "
                            f"in mkdocs.yml, e.g.  - Page title: {page.strip()}")
    for match in SNIPPET.finditer(output):
        messages.append(f"a '--8<--' line includes '{match['path']}', which does not exist in docs/. "
                        f"Fix the path, or remove the line.")
    return messages
