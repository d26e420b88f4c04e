"""Tables hook: label every body cell with its column's header, so phones can show rows as cards.

One job. A table of three or four columns of sentences does not fit a 320 px phone, and
Material's scroll box hides the right-hand columns with no cue. Below the phone breakpoint,
docs/stylesheets/extra.css ("Tables on phones") shows each row as a card and each cell with
its column's name above it, taken from the cell's ``data-label``. This hook writes that
attribute into the HTML of every page, after the Markdown is rendered, so tables written in
Markdown, in HTML or by the evidence hook are all labelled the same way:

* every body cell (``<td>``, or a ``<th>`` in the body) gets ``data-label="<header text>"``:
  the plain text of its column's header cell, with citation (``<sup class="citation">``) and
  footnote (``<sup id="fnref:...">``) markers left out and whitespace collapsed
  ("Harms [3]" -> "Harms");
* the table gets ``data-cards=""``: the mark extra.css stacks (and guide.js finds) tables by;
* no ARIA roles. CSS ``display: block`` takes table semantics away in some browsers (WebKit:
  Safari, GNOME Web; Chromium and Firefox keep them), and a stacked table must still read as
  a table. HTML forbids explicit roles on table parts in the markup (the Nu HTML Checker
  rejects ``<tr role="row">`` inside a table without a role), so docs/javascripts/guide.js
  writes them at run time, only while the phone layout stacks the table (``table``,
  ``rowgroup``, ``row``, ``columnheader``; the first cell of each body row ``rowheader``: it
  names the row, CONTRIBUTING.md: the first column is the row's name; the rest ``cell``), as
  Adrian Roselli recommends ("Tables, CSS Display Properties, and ARIA", 2018).

Left as they are: a table without a header row (no ``<thead>``, and a first row that is not
all ``<th>``), a table with a ``role`` of its own (``role="presentation"`` for layout), and a
table marked ``data-no-cards`` (one narrow enough to stay a table on a phone: the decision
aid's two-column summary of the reader's ratings, which prints as a table).
Attributes a cell already has are kept, never written twice.

Input: the page's HTML (str). Output: the same HTML, byte for byte, except for the attributes
added inside the start tags. It stops the build (PluginError) naming the Markdown file, the
line of the table's header row where it can find it, and the table's headers, when a table it
would label has a cell spanning rows or columns (``rowspan``/``colspan`` above 1), more than
one header row, a column after the first whose header has no text, or a body row with more
cells than the header row: each of these would leave a cell with no label, or the wrong one.
"""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from mkdocs.exceptions import PluginError

CELLS = ("td", "th")
SECTIONS = ("thead", "tbody", "tfoot")
FIX = "see 'Tables' in CONTRIBUTING.md, section 8"


@dataclass
class _Cell:
    tag: str
    start: int                   # offset of '<' of the start tag in the page's HTML
    end: int                     # offset just past its '>'
    attrs: dict
    text: list = field(default_factory=list)


@dataclass
class _Row:
    section: str | None
    start: int
    end: int
    attrs: dict
    cells: list = field(default_factory=list)


@dataclass
class _Table:
    start: int
    end: int
    attrs: dict
    rows: list = field(default_factory=list)
    section: str | None = None
    cell: _Cell | None = None


class _Scanner(HTMLParser):
    """Finds every table's start tags (with their offsets) and its header cells' plain text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.open: list[_Table] = []
        self.done: list[_Table] = []
        self.skip: tuple[str, int] | None = None   # (tag, depth) of a citation/footnote marker

    def _span(self) -> tuple[int, int]:
        line, column = self.getpos()
        start = self.line_starts[line - 1] + column
        return start, start + len(self.get_starttag_text())

    def handle_starttag(self, tag, attrs):
        attrs = {name: (value or "") for name, value in attrs}
        if self.skip:
            if tag == self.skip[0]:
                self.skip = (tag, self.skip[1] + 1)
            return
        if tag == "table":
            self.open.append(_Table(*self._span(), attrs))
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag in SECTIONS:
            table.section, table.cell = tag, None
        elif tag == "tr":
            table.cell = None
            table.rows.append(_Row(table.section, *self._span(), attrs))
        elif tag in CELLS:
            if not table.rows:  # a cell outside any row: let a browser sort it out, label nothing
                table.rows.append(_Row(table.section, -1, -1, {}))
            table.cell = _Cell(tag, *self._span(), attrs)
            table.rows[-1].cells.append(table.cell)
        elif table.cell is not None:
            classes = attrs.get("class", "").split()
            if tag == "sup" and ("citation" in classes or attrs.get("id", "").startswith("fnref")):
                self.skip = (tag, 1)
            elif tag == "a" and "footnote-ref" in classes:
                self.skip = (tag, 1)
            elif tag == "br":
                table.cell.text.append(" ")

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[0]:
                depth = self.skip[1] - 1
                self.skip = (tag, depth) if depth else None
            return
        if not self.open:
            return
        table = self.open[-1]
        if tag == "table":
            self.done.append(self.open.pop())
        elif tag in CELLS or tag == "tr":
            table.cell = None
        elif tag in SECTIONS:
            table.section, table.cell = None, None

    def handle_data(self, data):
        if not self.skip and self.open and self.open[-1].cell is not None:
            self.open[-1].cell.text.append(data)


def plain_text(cell: _Cell) -> str:
    """A header cell's text as a reader sees it, without citation or footnote markers."""
    return " ".join("".join(cell.text).split())


def _header_row(table: _Table) -> tuple[_Row | None, list[_Row], str]:
    """(header row, body rows, problem): the header row is the <thead>'s, else a first row of <th>."""
    rows = [row for row in table.rows if row.cells]
    head = [row for row in rows if row.section == "thead"]
    if len(head) > 1:
        return head[0], [], "has more than one header row"
    if head:
        return head[0], [row for row in rows if row.section != "thead"], ""
    if rows and all(cell.tag == "th" for cell in rows[0].cells):
        return rows[0], rows[1:], ""
    return None, [], ""


def _where(source: str, markdown_lines: list[str] | None, headers: list[str]) -> str:
    """'docs/x.md:12' for the Markdown line of the table's header row, else 'docs/x.md'."""
    names = [h for h in headers if h][:2]
    for number, line in enumerate(markdown_lines or [], start=1):
        if "|" in line and names and all(name in line for name in names):
            return f"{source}:{number}"
    return source


def _attrs(wanted: dict, have: dict) -> str:
    return "".join(f' {name}="{html_lib.escape(value, quote=True)}"'
                   for name, value in wanted.items() if name not in have)


def label_tables(text: str, source: str, markdown_lines: list[str] | None = None) -> str:
    """``text`` (a page's HTML) with every headed table labelled; see the module docstring.

    ``source``: the Markdown file named in errors ('docs/hsct.md'); ``markdown_lines``: its
    lines, to name the table's line. Raises PluginError listing every table it cannot label.
    """
    if not isinstance(text, str):
        raise PluginError(f"{source}: overrides/hooks/tables.py expected the page's HTML as text, got "
                          f"{type(text).__name__}. Is another hook returning nothing from on_page_content?")
    if "<table" not in text:
        return text
    scanner = _Scanner(text)
    scanner.feed(text)
    scanner.close()
    tables = sorted(scanner.done + scanner.open, key=lambda t: t.start)
    inserts: list[tuple[int, str]] = []   # (offset of a start tag's '>', attributes to insert)
    problems = []
    for number, table in enumerate(tables, start=1):
        if "role" in table.attrs or "data-no-cards" in table.attrs:
            continue
        header, body, problem = _header_row(table)
        if header is None:
            continue
        headers = [plain_text(cell) for cell in header.cells]
        shown = " | ".join(headers)
        where = f"{_where(source, markdown_lines, headers)}: table {number} ({shown!r})"
        spans = [cell for row in [header, *body] for cell in row.cells
                 if any(cell.attrs.get(a, "1").strip() not in ("", "1") for a in ("rowspan", "colspan"))]
        if problem:
            problems.append(f"{where} {problem}. Keep one header row of short column names ({FIX}).")
            continue
        if spans:
            problems.append(f"{where} has a cell that spans rows or columns ({plain_text(spans[0])[:40]!r}). "
                            f"On a phone each cell shows its column's name, so give every cell its own "
                            f"column: one value per cell, no rowspan or colspan ({FIX}).")
            continue
        empty = [i + 1 for i, name in enumerate(headers) if i and not name]
        if empty:
            problems.append(f"{where}: column {empty[0]} has no header text, so its cells would show on a phone "
                            f"without a name. Give every column a short name in the header row ({FIX}).")
            continue
        long_rows = [i for i, row in enumerate(body, start=1) if len(row.cells) > len(headers)]
        if long_rows:
            problems.append(f"{where}: body row {long_rows[0]} has {len(body[long_rows[0] - 1].cells)} cells but "
                            f"the header row has {len(headers)}. Give the extra column a header, or remove "
                            f"the extra cell ({FIX}).")
            continue
        edits = [(table, {"data-cards": ""})]
        edits += [(cell, {"data-label": headers[index]}) for row in body for index, cell in enumerate(row.cells)]
        for item, wanted in edits:
            start, end, attrs = item.start, item.end, item.attrs
            added = _attrs(wanted, attrs)
            if added:
                close = end - (2 if text[start:end].endswith("/>") else 1)
                inserts.append((close, added))
    if problems:
        raise PluginError("Table problems (overrides/hooks/tables.py):\n  " + "\n  ".join(problems))
    for offset, added in sorted(inserts, reverse=True):
        text = text[:offset] + added + text[offset:]
    return text


def on_page_content(html, page, config, files):
    """Label the tables of every page (the print page gets them from the pages it is made of)."""
    source = f"docs/{page.file.src_uri}"
    path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
    lines = path.read_text(encoding="utf-8").splitlines() if path and path.is_file() else None
    return label_tables(html, source, lines)
