"""Tables on phones: every cell carries its column's name, and no column is ever off screen.

On a phone each table row is shown as a card, with each cell under its column's name
(overrides/hooks/tables.py writes the names as data-label; docs/stylesheets/extra.css,
"Tables on phones", shows them).

* Built HTML (no browser): on every built page, every body cell of every table with a header
  row has a data-label equal to its column header's text (tests/checkers/tables.py). The
  hook's own errors for tables it cannot label, and a broken fixture
  (tests/fixtures/html/tables/), prove the checks can fail, naming the page and the fix.
* Browser: at 320 and 360 px, in the light and dark palettes, on every built page with a
  table (tables in closed boxes and other tabs included), every cell lies within the screen,
  no table's scroll box scrolls sideways, and every cell but the row's name (the card's
  heading) shows its column's name, readable (4.5:1). The same at 320 px in forced colours and
  with JavaScript off (Material's scroll wrapper is then absent); in print, tables stay
  tables. A copy of the built site with the "Tables on phones" CSS cut out proves the check
  fails, each problem starting with one line naming the page, palette, width, table and first
  cut-off cell.
"""
from __future__ import annotations

import re
import shutil

import pytest
from mkdocs.exceptions import PluginError

from browser_support import (CONTRAST_JS, RUNNING_JS, SCHEMES, SETTLED_JS, blame, label_for, page_paths, serve,
                             settle, wait_until)
from checkers import load_hook
from checkers.tables import unlabelled_cells
from conftest import FIXTURES, source_for

tables_hook = load_hook("tables")

PHONE_WIDTHS = (320, 360)
CSS_SECTION = "/* ---- Tables on phones"   # the section of extra.css the broken fixture cuts out


# ----------------------------------------------------------------------------- built HTML

def test_every_body_cell_is_labelled_with_its_column(site, html_pages):
    problems, labelled = [], 0
    for page in html_pages:
        html = page.read_text(encoding="utf-8")
        labelled += html.count("data-label=")
        problems += unlabelled_cells(html, source_for(site, page), page.relative_to(site).as_posix())
    assert labelled > 0, "No table cell in the built site has a data-label: was any table checked?"
    assert not problems, "\n".join(problems)


def test_label_check_fails_on_a_broken_page():
    page = FIXTURES / "html" / "tables" / "hsct" / "index.html"
    problems = unlabelled_cells(page.read_text(encoding="utf-8"), "docs/hsct.md", "hsct/index.html")
    assert len(problems) == 2, "\n".join(problems)  # tables 3-5 (no header, layout, correct) pass
    assert problems[0].startswith("docs/hsct.md (built page hsct/index.html): table 1 ('Study | Harms'): 4 of 4 "
                                  "body cells lack their column's name; the first, row 1 column 1 ('European "
                                  "registry'), has no data-label but its column is headed 'Study'."), problems[0]
    assert "keep overrides/hooks/tables.py under hooks: in mkdocs.yml" in problems[0], problems[0]
    assert problems[1].startswith("docs/hsct.md (built page hsct/index.html): table 2 ('Group | Harms'): 2 of 4 "
                                  "body cells lack their column's name; the first, row 1 column 2 ('1 of 12 "
                                  "died'), has data-label 'Harms [1]' but its column is headed 'Harms'."), problems[1]
    assert "delete its own data-label attributes" in problems[1], problems[1]


def test_the_hook_labels_what_the_check_expects():
    """The hook's output for the fixture's unlabelled table passes the independent check."""
    page = (FIXTURES / "html" / "tables" / "hsct" / "index.html").read_text(encoding="utf-8")
    first = page[page.index("<table>"):page.index("</table>") + len("</table>")]
    labelled = tables_hook.label_tables(first, "docs/hsct.md")
    assert unlabelled_cells(labelled, "docs/hsct.md", "hsct/index.html") == [], labelled
    assert labelled.count('role="rowheader"') == 2 and labelled.count('role="columnheader"') == 2, labelled
    untouched = "<table><tr><td>a</td><td>b</td></tr></table>"
    assert tables_hook.label_tables(untouched, "docs/x.md") == untouched


@pytest.mark.parametrize("html, expected", [
    ('<table><thead><tr><th>Study</th><th>Harms</th></tr></thead><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
     "docs/x.md:3: table 1 ('Study | Harms') has a cell that spans rows or columns ('x'). On a phone each cell "
     "shows its column's name, so give every cell its own column"),
    ("<table><thead><tr><th>A</th></tr><tr><th>B</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>",
     "docs/x.md: table 1 ('A') has more than one header row. Keep one header row of short column names"),
    ("<table><thead><tr><th>Study</th><th></th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
     "docs/x.md:3: table 1 ('Study | '): column 2 has no header text, so its cells would show on a phone without a "
     "name. Give every column a short name in the header row"),
    ("<table><thead><tr><th>Study</th><th>Harms</th></tr></thead><tbody><tr><td>1</td><td>2</td><td>3</td></tr>"
     "</tbody></table>",
     "docs/x.md:3: table 1 ('Study | Harms'): body row 1 has 3 cells but the header row has 2. Give the extra "
     "column a header, or remove the extra cell"),
])
def test_the_hook_stops_on_tables_it_cannot_label(html, expected):
    lines = ["# Page", "", "| Study | Harms |", "|---|---|"]
    with pytest.raises(PluginError) as error:
        tables_hook.label_tables(html, "docs/x.md", lines)
    assert expected in str(error.value), str(error.value)
    assert "'Tables' in CONTRIBUTING.md" in str(error.value), str(error.value)


# ----------------------------------------------------------------------------- browser

# One page, as shown: for each table of the article (closed boxes opened, each table's tab
# chosen), its headers, whether it is stacked, its first cell off screen, its sideways scroll
# boxes, and each labelled cell's shown name. Cells are numbered as a reader counts them.
TABLES_JS = r"""() => {
  const contrast = """ + CONTRAST_JS + r""";
  const vw = document.documentElement.clientWidth;
  const clean = s => (s || '').replace(/\s+/g, ' ').trim();
  const cssString = c => { const m = /^"((?:[^"\\]|\\.)*)"/.exec(c || ''); return m ? m[1].replace(/\\(.)/g, '$1') : null; };
  const name = el => el.tagName.toLowerCase() + (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '');
  for (const d of document.querySelectorAll('.md-content article details:not([open])')) d.open = true;
  const tables = [...document.querySelectorAll('.md-content article table')];
  return tables.map((t, i) => {
    const block = t.closest('.tabbed-block');
    if (block) {
      const set = block.closest('.tabbed-set'), index = [...block.parentElement.children].indexOf(block);
      const input = set.querySelectorAll(':scope > input')[index];
      if (input) input.checked = true;
    }
    const own = el => el.closest('table') === t;
    const rows = [...t.querySelectorAll('tr')].filter(own);
    const headRow = rows.find(r => r.parentElement.tagName === 'THEAD') || (rows[0] && [...rows[0].children].every(c => c.tagName === 'TH') ? rows[0] : null);
    const headers = headRow ? [...headRow.children].map(c => clean(c.textContent)) : [];
    const body = rows.filter(r => r !== headRow);
    const out = {index: i + 1, headers, stacked: !!body[0] && getComputedStyle(body[0]).display === 'block', cells: 0,
                 cut: [], scroll: [], labels: [], shown: t.getBoundingClientRect().width > 0};
    const where = (cell) => {
      const row = cell.parentElement, col = [...row.children].indexOf(cell) + 1;
      return {row: row === headRow ? 0 : body.indexOf(row) + 1, col, column: headers[col - 1] || '',
              text: clean(clean(cell.textContent).slice(0, 50))};
    };
    for (const row of rows) for (const cell of row.children) {
      const r = cell.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;            // visually hidden column headers
      out.cells++;
      if (r.left < -1 || r.right > vw + 1) out.cut.push({...where(cell), left: Math.round(r.left), right: Math.round(r.right)});
    }
    for (let a = t; a && !a.matches('article'); a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && a.scrollWidth > a.clientWidth + 1)
        out.scroll.push(`${name(a)} holds ${a.scrollWidth}px of content in ${a.clientWidth}px`);
    }
    for (const row of body) [...row.children].forEach((cell, c) => {
      if (c === 0 || cell.getBoundingClientRect().width < 2) return;   // the row's name: the card's heading
      const before = getComputedStyle(cell, '::before');
      const shown = before.display === 'none' || before.visibility !== 'visible' ? null : cssString(before.content);
      out.labels.push({...where(cell), label: cell.getAttribute('data-label'), shownLabel: shown,
                       size: parseFloat(before.fontSize), contrast: shown ? contrast(cell, '::before') : null});
    });
    return out;
  });
}"""

DISPLAY_JS = """() => [...document.querySelectorAll('.md-content article table')].map(t => getComputedStyle(t).display)"""


def table_paths(site) -> list[str]:
    """Every built page that shows a table."""
    return [p for p in page_paths(site) if "<table" in (site / (p if p.endswith(".html") else p + "index.html"))
            .read_text(encoding="utf-8")]


def table_name(table: dict) -> str:
    return f"table {table['index']} ({' | '.join(table['headers'])!r})"


def cell_name(cell: dict) -> str:
    column = f"column {cell['col']} {cell['column']!r}"
    return f"the header of {column}" if cell["row"] == 0 else f"row {cell['row']}, {column} ({cell['text']!r})"


def table_problems(label: str, tables: list[dict]) -> list[str]:
    """One problem per table (TABLES_JS result) with a cell off screen, a sideways scroll box, or
    a cell that does not show its column's name. Each starts with one line: page, palette,
    width, table, the first cut-off cell, and who fixes it."""
    source, width = label.split(" ", 1)[0], int(re.search(r"(\d+)px", label).group(1))
    problems = []
    for t in tables:
        if not t["shown"]:
            continue
        if t["cut"] or t["scroll"]:
            first = t["cut"][0] if t["cut"] else None
            who = blame(source, t["stacked"])   # stacked and still too wide: a long word in the text
            what = ("the first cut-off cell, " + (f"{cell_name(first)}, reaches {first['right']}px" if first["right"] > width
                                                  else f"{cell_name(first)}, starts at {first['left']}px")
                    if first else f"its scroll box scrolls sideways ({t['scroll'][0]})")
            problems.append(
                f"{label}: {table_name(t)} has a column off screen: {what} on a {width}px screen ({who}).\n"
                f"    {len(t['cut'])} of {t['cells']} cells are off screen; the table is "
                f"{'stacked as cards' if t['stacked'] else 'not stacked as cards (its rows are table rows)'}"
                + (f"; {'; '.join(t['scroll'])}" if t["scroll"] else "") + ".\n"
                "    fix: below 45em, docs/stylesheets/extra.css ('Tables on phones') shows each row as a card; "
                "a cell too wide even on a card holds a long word or address: shorten it.")
        missing = [c for c in t["labels"] if c["shownLabel"] is None or c["shownLabel"] != c["label"] or not c["label"]]
        if missing:
            c = missing[0]
            why = ("has no data-label (overrides/hooks/tables.py did not run)" if c["label"] is None
                   else f"shows {c['shownLabel']!r} above it" if c["shownLabel"] is not None
                   else "shows no name above it (its ::before has no content)")
            problems.append(f"{label}: {table_name(t)}: {len(missing)} of {len(t['labels'])} cells do not show "
                            f"their column's name; the first, {cell_name(c)}, {why} ({blame(source, False)}).\n"
                            f"    fix: docs/stylesheets/extra.css ('Tables on phones') shows data-label in "
                            f"td::before below 45em.")
        faint = [c for c in t["labels"] if c["contrast"] and (c["contrast"]["ratio"] < 4.5 or c["size"] < 12)]
        if faint:
            c = faint[0]
            problems.append(f"{label}: {table_name(t)}: the column name above {cell_name(c)} is hard to read: "
                            f"{c['contrast']['fg']} on {c['contrast']['bg']} is {c['contrast']['ratio']}:1 "
                            f"(at least 4.5:1), {c['size']:.0f}px (at least 12px) ({blame(source, False)}).")
    return problems


def check_tables(page, base: str, paths: list[str], width: int, scheme: str,
                 scripts: bool = True) -> tuple[list[str], int]:
    """(problems, tables measured) for `paths`, in an open page already set to its width and palette
    (``scripts=False``: the page's JavaScript is off)."""
    problems, measured = [], 0
    for path in paths:
        page.goto(base + path, wait_until="load")
        if scripts:
            settle(page)
        else:
            wait_until(page, SETTLED_JS, "transitions and animations to finish", RUNNING_JS, scripts=False)
        tables = page.evaluate(TABLES_JS)
        measured += sum(1 for t in tables if t["shown"])
        problems += table_problems(label_for(path, width, scheme), tables)
    return problems, measured


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_table_column_is_off_screen_on_phones(browser, base_url, site, width):
    paths = table_paths(site)
    assert "hsct/" in paths, f"Expected the HSCT study table among the pages with tables; found {paths}"
    problems, measured = [], 0
    for scheme, material in SCHEMES.items():
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        try:
            page = context.new_page()
            found, count = check_tables(page, base_url, paths, width, scheme)
            got = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
            assert got == material, f"The page did not switch to the {scheme} palette (data-md-color-scheme={got!r})"
        finally:
            context.close()
        problems += found
        measured += count
    assert measured >= 2 * len(paths), f"Only {measured} tables measured on {len(paths)} pages in two palettes"
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_tables_fit_in_forced_colours_and_without_javascript_and_print_as_tables(browser, base_url, site):
    width, paths = PHONE_WIDTHS[0], table_paths(site)
    problems, measured = [], 0
    for scheme, options in (("forced colours", {"forced_colors": "active"}), ("no JavaScript", {"java_script_enabled": False})):
        context = browser.new_context(viewport={"width": width, "height": 800}, **options)
        try:
            found, count = check_tables(context.new_page(), base_url, paths, width, scheme,
                                        scripts=options.get("java_script_enabled", True))
        finally:
            context.close()
        problems += found
        measured += count
    assert measured >= 2 * len(paths) and not problems, "\n".join(problems) or f"only {measured} tables measured"
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(base_url + "hsct/", wait_until="load")
        page.emulate_media(media="print")
        printed = page.evaluate(DISPLAY_JS)
    finally:
        context.close()
    assert printed and set(printed) == {"table"}, (
        f"{label_for('hsct/', width, 'print')}: in print the tables show as {printed}, not as tables "
        f"(site design: the 'Tables on phones' section of docs/stylesheets/extra.css must stay screen-only).")


@pytest.fixture(scope="module")
def site_without_table_css(site, tmp_path_factory):
    """The built site with the 'Tables on phones' CSS cut out and one data-label removed: as before the fix."""
    root = tmp_path_factory.mktemp("no-table-css") / "site"
    shutil.copytree(site, root)
    css = root / "stylesheets" / "extra.css"
    text = css.read_text(encoding="utf-8")
    assert CSS_SECTION in text, f"tests/test_tables.py cuts '{CSS_SECTION}' out of extra.css, but it is not there"
    start = text.index(CSS_SECTION)
    css.write_text(text[:start] + text[text.index("/* ---- ", start + len(CSS_SECTION)):], encoding="utf-8")
    page = root / "hsct" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(' data-label="Who took part"', "", 1), encoding="utf-8")
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_table_check_fails_without_the_table_css(browser, site_without_table_css):
    context = browser.new_context(viewport={"width": 320, "height": 800}, color_scheme="light")
    try:
        problems, _ = check_tables(context.new_page(), site_without_table_css, ["hsct/"], 320, "light")
    finally:
        context.close()
    text = "\n".join(problems)
    first = text.splitlines()[0] if text else ""
    assert re.match(r"docs/hsct\.md \[/hsct/, light, 320px\]: table 1 \('Study \| Who took part \| Main results \| "
                    r"Harms'\) has a column off screen: the first cut-off cell, the header of column \d '[^']+', "
                    r"reaches \d+px on a 320px screen \(site design: fix overrides/ or docs/stylesheets/extra\.css, "
                    r"not the page's Markdown\)\.$", first), text
    assert "not stacked as cards (its rows are table rows)" in text and "holds 4" in text, text
    assert ("cells do not show their column's name; the first, row 1, column 2 'Who took part' ('28 people, 8 "
            "centres, no comparison group, median'), has no data-label") in text, text
    assert "9 of 9 cells do not show their column's name" in text, text
