"""Glossary hook: build the Glossary page from the one glossary file.

One job: ``docs/includes/glossary.md`` (``extra.glossary_file``) holds every term as
an abbreviation line, ``*[HSCT]: Blood stem cell transplant ...``. pymdownx.snippets
appends that file to every page, so each term gets a hover/focus tooltip. This hook
turns the same lines into the visible definition list on the Glossary page, where
the marker ``<!-- glossary:all -->`` stands. Word forms that share one definition
(``flare``, ``flares``) are listed together. It stops the build, naming the line,
when a line is malformed or a term is defined twice.
"""
from __future__ import annotations

import re
from pathlib import Path

from mkdocs.exceptions import PluginError

LINE = re.compile(r"^\*\[(?P<term>[^\]]+)\]:\s*(?P<definition>\S.*)$")
MARKER = "<!-- glossary:all -->"


def load_glossary(path: Path, display: str | None = None) -> tuple[dict[str, str], list[str]]:
    """Return ({term: definition}, errors) from the glossary file (``display``: the path shown)."""
    try:  # as an editor would type it from the project folder
        shown = display or str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    terms: dict[str, str] = {}
    lines: dict[str, int] = {}
    errors: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("<!--"):
            continue
        match = LINE.match(line)
        if not match:
            errors.append(f"{shown}:{number}: this line is not a glossary entry: {line[:60]!r}. Write it as "
                          f"'*[Term]: plain definition' on one line, starting with '*['.")
            continue
        term = match["term"]
        if term in terms:
            errors.append(f"{shown}:{number}: '{term}' is already defined on line {lines[term]}. "
                          f"Keep one of the two lines and delete the other.")
            continue
        terms[term], lines[term] = match["definition"].strip(), number
    return terms, errors


def slug(term: str) -> str:
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def on_page_markdown(markdown, page, config, files):
    """Replace the glossary marker with every term, A to Z."""
    if MARKER not in markdown:
        return markdown
    path = Path(config["config_file_path"]).parent / config["extra"]["glossary_file"]
    terms, errors = load_glossary(path, config["extra"]["glossary_file"])
    if errors:
        raise PluginError("Glossary problems:\n  " + "\n  ".join(errors))
    groups: dict[str, list[str]] = {}
    for term in sorted(terms, key=str.lower):  # word forms share a definition: list them once
        groups.setdefault(terms[term], []).append(term)
    items = [f'<dt id="{slug(names[0])}">{" / ".join(names)}</dt>\n<dd>{definition}</dd>'
             for definition, names in sorted(groups.items(), key=lambda g: g[1][0].lower())]
    return markdown.replace(MARKER, '<dl class="glossary">\n' + "\n".join(items) + "\n</dl>")
