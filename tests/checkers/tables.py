"""Table cells carry their column's name: the check on the built HTML behind phone-width cards.

On a phone, docs/stylesheets/extra.css shows each table row as a card and each cell with its
column's name above it, read from the cell's ``data-label`` (written by
overrides/hooks/tables.py). This checker reads a built page, never the Markdown, and returns
one message per table in which a body cell has no ``data-label`` or one that differs from its
column header's text (plain text, citation and footnote markers left out).

A table with a header row is one with a ``<thead>`` row, or whose first row is all ``<th>``;
other tables, layout tables (``role="presentation"`` or ``"none"``) and tables marked
``data-no-cards`` (they stay tables on a phone) are not checked. It is
written apart from the hook (BeautifulSoup here, html.parser there) so that the two cannot
share a mistake.
"""
from __future__ import annotations

import copy

from bs4 import BeautifulSoup


def header_text(cell) -> str:
    """A header cell's text as a reader sees it: no citation or footnote marker, spaces collapsed."""
    cell = copy.copy(cell)   # a copy: the page itself stays whole
    for marker in cell.select("sup.citation, sup[id^='fnref'], a.footnote-ref"):
        marker.decompose()
    return " ".join(cell.get_text("").split())


def _rows(table) -> list:
    """The table's own rows (not those of a table nested in a cell)."""
    return [row for row in table.find_all("tr") if row.find_parent("table") is table]


def _cells(row) -> list:
    return row.find_all(["td", "th"], recursive=False)


def header_and_body(table) -> tuple[list | None, list]:
    """(header cells, body rows), or (None, []) for a table without a header row."""
    rows = [row for row in _rows(table) if _cells(row)]
    head = [row for row in rows if row.parent.name == "thead"]
    if head:
        return _cells(head[0]), [row for row in rows if row.parent.name != "thead"]
    if rows and all(cell.name == "th" for cell in _cells(rows[0])):
        return _cells(rows[0]), rows[1:]
    return None, []


def unlabelled_cells(html: str, source: str, built: str) -> list[str]:
    """One message per table with a body cell whose data-label is missing or is not its column's header.

    ``source``: the Markdown file an editor would open ('docs/hsct.md'); ``built``: the built
    file ('hsct/index.html'). Each message starts with both, then the table and its first bad cell.
    """
    soup = BeautifulSoup(html, "lxml")
    problems = []
    for number, table in enumerate(soup.find_all("table"), start=1):
        if table.get("role") in ("presentation", "none") or table.has_attr("data-no-cards"):
            continue
        header, body = header_and_body(table)
        if header is None:
            continue
        names = [header_text(cell) for cell in header]
        bad = []
        for r, row in enumerate(body, start=1):
            for c, cell in enumerate(_cells(row), start=1):
                expected = names[c - 1] if c <= len(names) else None
                label = cell.get("data-label")
                if label is None or label != expected:
                    bad.append((r, c, label, expected, " ".join(cell.get_text("").split())[:40]))
        if not bad:
            continue
        r, c, label, expected, text = bad[0]
        cells = sum(len(_cells(row)) for row in body)
        what = ("has no data-label" if label is None else f"has data-label {label!r}")
        problems.append(
            f"{source} (built page {built}): table {number} ({' | '.join(names)!r}): {len(bad)} of {cells} body "
            f"cells lack their column's name; the first, row {r} column {c} ({text!r}), {what} but its column is "
            f"headed {expected!r}. On a phone the cell would show without the right name.\n"
            f"    fix (site design, not the page's Markdown): keep overrides/hooks/tables.py under hooks: in "
            f"mkdocs.yml; if the table is written in HTML, delete its own data-label attributes (the build "
            f"writes them).")
    return problems
