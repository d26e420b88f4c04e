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
* Screen readers (Chromium's accessibility tree): at 320 px with JavaScript, every stacked table
  is announced as a table, its header row as column headers named by the columns' names
  (visually hidden, still there) and each row's first cell as the row's header, from the ARIA
  roles docs/javascripts/guide.js gives while the cards apply (valid HTML forbids them in the
  markup; overrides/hooks/tables.py writes none). Without JavaScript, Chromium still announces a
  table with named column headers, but rows have no row header, and each cell is read with its
  column's name first, so a reader whose browser flattens the cards (WebKit) still hears it.
  At 1280 px the table is the page's own, no role written. guide.js's media query is the one
  extra.css stacks tables under. A copy of the site with the roles given at every width, the
  column headers hidden with display: none and silent column names proves the check fails, and
  so does the real page checked as if guide.js had run when it did not.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from browser_support import (CONTRAST_JS, RUNNING_JS, SCHEMES, SETTLED_JS, blame, label_for, page_paths, serve,
                             settle, wait_until)
from checkers import load_hook
from checkers.tables import unlabelled_cells
from conftest import FIXTURES, ROOT, source_for

tables_hook = load_hook("tables")

PHONE_WIDTHS = (320, 360)
DESKTOP_WIDTHS = (800, 1024, 1280, 1920)   # from 45em (720px) up, tables are tables
CSS_SECTION = "/* ---- Tables on phones"   # the section of extra.css the broken fixture cuts out
EVIDENCE_SECTION = "/* ---- Evidence tables"   # ... and the one the desktop fixture cuts out


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
    assert labelled.count('<table data-cards="">') == 1, labelled
    assert " role=" not in labelled, ("The hook wrote an ARIA role into the HTML, which HTML forbids on table parts "
                                      "(docs/javascripts/guide.js gives them at run time): " + labelled)
    untouched = "<table><tr><td>a</td><td>b</td></tr></table>"
    assert tables_hook.label_tables(untouched, "docs/x.md") == untouched
    narrow = "<table data-no-cards><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    assert tables_hook.label_tables(narrow, "docs/x.md") == narrow
    assert unlabelled_cells(narrow, "docs/x.md", "x/index.html") == []


def stacking_query_problem(script: str, css: str) -> str | None:
    """None when guide.js gives tables their roles under the media query extra.css stacks them
    under ('Tables on phones'); else what differs. They must be the same query, or a table is
    stacked without its roles (or has roles it does not need)."""
    query = re.search(r'var stacked = window\.matchMedia\("([^"]+)"\)', script)
    if not query:
        return ("docs/javascripts/guide.js: tableRoles() no longer reads its media query as "
                "`var stacked = window.matchMedia(\"...\")`; tests/test_tables.py reads it from there.")
    if CSS_SECTION not in css:
        return f"docs/stylesheets/extra.css has no section '{CSS_SECTION}' (tests/test_tables.py reads it)."
    start = css.index(CSS_SECTION)
    section = css[start:css.find("/* ---- ", start + len(CSS_SECTION))]
    stacking = re.findall(r"@media ([^{]+?)\s*\{", section)
    if stacking != [query.group(1)]:
        return (f"docs/javascripts/guide.js gives tables their roles under the media query {query.group(1)!r}, "
                f"but docs/stylesheets/extra.css ('Tables on phones') stacks them under {stacking}: make the "
                f"two the same.")
    return None


def test_the_script_gives_table_roles_exactly_while_the_css_stacks_the_tables():
    script = (ROOT / "docs" / "javascripts" / "guide.js").read_text(encoding="utf-8")
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert stacking_query_problem(script, css) is None, stacking_query_problem(script, css)
    broken = css.replace("@media screen and (max-width: 44.984375em) {\n  .md-typeset__table",
                         "@media screen and (max-width: 48em) {\n  .md-typeset__table", 1)
    assert broken != css, "tests/test_tables.py: the broken copy of extra.css did not change; update the test"
    assert stacking_query_problem(script, broken) == (
        "docs/javascripts/guide.js gives tables their roles under the media query 'screen and (max-width: "
        "44.984375em)', but docs/stylesheets/extra.css ('Tables on phones') stacks them under ['screen and "
        "(max-width: 48em)']: make the two the same.")


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
                 cut: [], scroll: [], tallScroll: [], labels: [], shown: t.getBoundingClientRect().width > 0,
                 noCards: t.hasAttribute('data-no-cards')};
    const where = (cell) => {
      const row = cell.parentElement, col = [...row.children].indexOf(cell) + 1;
      return {row: row === headRow ? 0 : body.indexOf(row) + 1, col, column: headers[col - 1] || '',
              text: clean(clean(cell.textContent).slice(0, 50))};
    };
    for (const row of rows) for (const cell of row.children) {
      const r = cell.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue;            // visually hidden column headers
      out.cells++;
      const inBox = (a => { for (; a && a !== t.parentElement; a = a.parentElement)   // cut off by a scroll box: reachable
        if (['auto', 'scroll'].includes(getComputedStyle(a).overflowX) && a.scrollWidth > a.clientWidth + 1) return true; return false; })(cell);
      if (r.left < -1 || r.right > vw + 1) out.cut.push({...where(cell), left: Math.round(r.left), right: Math.round(r.right), inBox});
    }
    for (let a = t; a && !a.matches('article'); a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && a.scrollWidth > a.clientWidth + 1) {
        out.scroll.push(`${name(a)} holds ${a.scrollWidth}px of content in ${a.clientWidth}px`);
        const tall = a.getBoundingClientRect().height;   // its sideways scroll bar is at its foot
        if (s.overflowX === 'hidden' || tall > innerHeight) out.tallScroll.push(`${name(a)} is ${Math.round(tall)}px tall on a ${innerHeight}px screen`);
      }
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
    phone = width < 720   # below 45em: cards, each cell under its column's name
    problems = []
    for t in tables:
        if not t["shown"]:
            continue
        # From 45em up a table may scroll sideways in its own box (WCAG 1.4.10 lets a data table
        # scroll in two dimensions) if the box is at most a screen tall, so its scroll bar is on
        # screen with it. On a phone it may not scroll at all: it is cards.
        cut = t["cut"] if phone else [c for c in t["cut"] if not c["inBox"]]   # a scroll box reaches the rest
        if cut or (t["scroll"] if phone else t["tallScroll"]):
            first = cut[0] if cut else None
            who = blame(source, t["stacked"])   # stacked and still too wide: a long word in the text
            what = ("the first cut-off cell, " + (f"{cell_name(first)}, reaches {first['right']}px" if first["right"] > width
                                                  else f"{cell_name(first)}, starts at {first['left']}px")
                    if first else f"its scroll box scrolls sideways ({t['scroll'][0]})" if phone
                    else f"it scrolls sideways in a box taller than the screen, so its scroll bar is out of sight "
                         f"({t['tallScroll'][0]})")
            problems.append(
                f"{label}: {table_name(t)} has a column off screen: {what} on a {width}px screen ({who}).\n"
                f"    {len(cut)} of {t['cells']} cells are off screen; the table is "
                f"{'stacked as cards' if t['stacked'] else 'not stacked as cards (its rows are table rows)'}"
                + (f"; {'; '.join(t['scroll'])}" if t["scroll"] else "") + ".\n"
                + ("    fix: below 45em, docs/stylesheets/extra.css ('Tables on phones') shows each row as a card; "
                   "a cell too wide even on a card holds a long word or address: shorten it." if phone else
                   "    fix: from 45em up, docs/stylesheets/extra.css ('Evidence tables') keeps each evidence table's "
                   "scroll box at most one screen tall; give a new wide table the same rules."))
        if not phone or t["noCards"]:
            continue   # a table, not cards (wide screen, or marked data-no-cards): no column names above the cells
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
def test_no_table_column_is_off_screen_on_desktops(browser, base_url, site):
    """From 45em up tables are tables. Material gives a wide one a box that scrolls sideways, its
    scroll bar under the last row: the evidence tables' Benefits, Harms and Key limitation columns
    were out of sight on a 1280px desktop, with the scroll bar thousands of pixels below. No cell
    may be off screen outside a scroll box, and a scroll box may be at most one screen tall."""
    paths = table_paths(site)
    assert "evidence/" in paths, f"Expected the evidence tables among the pages with tables; found {paths}"
    problems, measured = [], 0
    for width in DESKTOP_WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="light")
        try:
            found, count = check_tables(context.new_page(), base_url, paths, width, "light")
        finally:
            context.close()
        problems += found
        measured += count
    assert measured >= len(DESKTOP_WIDTHS) * len(paths), f"Only {measured} tables measured on {len(paths)} pages"
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


# ----------------------------------------------------------------------------- screen readers
# What Chromium gives a screen reader for each table (Chrome DevTools Protocol,
# Accessibility.getFullAXTree, as in tests/test_keyboard.py), beside the table's DOM.

# Every table marked data-cards in the article, shown (closed boxes opened, every tab's block
# shown: set through the CSSOM, which the CSP allows): its role attributes and its rows' cells
# (their text without citation and footnote markers).
CARD_TABLES_JS = r"""() => {
  for (const d of document.querySelectorAll('.md-content article details:not([open])')) d.open = true;
  for (const b of document.querySelectorAll('.md-content article .tabbed-block')) b.style.setProperty('display', 'block', 'important');
  const clean = s => (s || '').replace(/\s+/g, ' ').trim();
  return [...document.querySelectorAll('.md-content article table[data-cards]')].map(t => {
    const rows = [...t.querySelectorAll('tr')].filter(r => r.closest('table') === t);
    const last = rows[rows.length - 1];
    return {roles: [t, ...t.querySelectorAll('thead, tbody, tfoot, tr, th, td')].filter(e => e.hasAttribute('role')).length,
            role: t.getAttribute('role'), stacked: !!last && getComputedStyle(last).display === 'block',
            rows: rows.map(r => [...r.children].map(c => {
              const plain = c.cloneNode(true);   // its text without citation and footnote markers
              plain.querySelectorAll("sup.citation, sup[id^='fnref'], a.footnote-ref").forEach(m => m.remove());
              return {text: clean(plain.textContent), label: c.getAttribute('data-label')};
            }))};
  });
}"""
AX_CELLS = {"cell", "gridcell", "columnheader", "rowheader"}
AX_TABLES = {"table", "grid", "treegrid", "LayoutTable"}


def ax_tables(page) -> list[dict | None]:
    """For each table marked data-cards in the article, in document order: {"role": its role in
    Chromium's accessibility tree, "rows": [[(role, name), ...] for each row it exposes]}, or
    None when the table is not in the tree at all."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        ids = cdp.send("DOM.querySelectorAll", {"nodeId": root,
                                                "selector": ".md-content article table[data-cards]"})["nodeIds"]
        wanted = [cdp.send("DOM.describeNode", {"nodeId": i})["node"]["backendNodeId"] for i in ids]
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    by_id = {n["nodeId"]: n for n in nodes}
    by_dom = {n["backendDOMNodeId"]: n for n in nodes if "backendDOMNodeId" in n and not n.get("ignored")}

    def role(n):
        return (n.get("role") or {}).get("value")

    def name(n):
        return " ".join(((n.get("name") or {}).get("value") or "").split())

    def exposed(n, want: set, stop: set) -> list:
        """The exposed descendants of n with a role in `want`, looking through ignored and other
        nodes but not into one with a role in `stop` (a nested table, a row's cells)."""
        found = []
        for child in (by_id[c] for c in n.get("childIds", []) if c in by_id):
            if not child.get("ignored") and role(child) in want:
                found.append(child)
            elif child.get("ignored") or role(child) not in stop:
                found += exposed(child, want, stop)
        return found

    tables = []
    for backend in wanted:
        node = by_dom.get(backend)
        if node is None:
            tables.append(None)
            continue
        rows = exposed(node, {"row"}, AX_TABLES)
        tables.append({"role": role(node),
                       "rows": [[(role(c), name(c)) for c in exposed(r, AX_CELLS, AX_TABLES | {"row"})] for r in rows]})
    return tables


def semantics_problems(label: str, dom: list[dict], ax: list[dict | None], mode: str) -> list[str]:
    """One problem per table whose accessibility tree is not what a screen reader needs.

    ``mode``: "stacked" (a phone, JavaScript on: guide.js has given the cards their ARIA roles;
    each row's first cell is its row header), "stacked, no JavaScript" (no roles: a table with
    column headers, each cell's spoken text starting with its column's name, the visible label) or
    "table" (wide enough for a real table: no roles written, the native table). In every mode
    the table is a table and its header row's column headers are named by the columns' names."""
    source = label.split(" ", 1)[0]
    where = f"({blame(source, False)})"
    fix = ("    fix: docs/javascripts/guide.js ('Tables on phones', tableRoles) gives a stacked table its ARIA "
           "roles; docs/stylesheets/extra.css ('Tables on phones') must hide column headers only visually.")
    problems = []
    for number, (table, tree) in enumerate(zip(dom, ax), start=1):
        head = next((r for r in table["rows"] if r and all(c["label"] is None for c in r)), [])
        body = [r for r in table["rows"] if r is not head]
        columns = [c["label"] for c in body[0]] if body else []
        name = f"table {number} ({' | '.join(columns)!r})"
        found = []
        if table["stacked"] != (mode != "table"):
            found.append(f"is {'' if table['stacked'] else 'not '}stacked as cards at this width")
        if mode == "stacked" and table["role"] != "table":
            found.append((f"has role {table['role']!r}" if table["role"] else "has no role attribute")
                         + " in the page, not role=\"table\": guide.js did not give the cards their ARIA roles")
        if mode != "stacked" and table["roles"]:
            found.append(f"has {table['roles']} role attributes on its parts; only a stacked table with "
                         f"JavaScript needs them")
        if tree is None or tree["role"] != "table":
            found.append(f"is announced as {tree['role'] if tree else 'nothing (not in the accessibility tree)'!r}, "
                         f"not as a table")
        else:
            rows = tree["rows"]
            if len(rows) != len(table["rows"]):
                found.append(f"exposes {len(rows)} rows to a screen reader, not its {len(table['rows'])}")
            heads = next((r for r in rows if r and all(role == "columnheader" for role, _ in r)), None)
            if heads is None or len(heads) != len(columns):
                first = [role for role, _ in rows[0]] if rows else None
                found.append(f"has no header row of {len(columns)} column headers for a screen reader (its first "
                             f"row holds {first if first else 'no cell a screen reader can reach'})")
            else:
                wrong = [(col, got) for col, (_, got) in zip(columns, heads) if not got.startswith(col)]
                if wrong:
                    found.append(f"has a column header named {wrong[0][1]!r}, not by its column's name "
                                 f"{wrong[0][0]!r}")
            # The body rows, matched to the page's rows by position (when the counts differ, said above).
            cells = ([r for r, r_dom in zip(rows, table["rows"]) if r_dom is not head]
                     if len(rows) == len(table["rows"]) else [])
            for index, (row, cells_dom) in enumerate(zip(cells, body), start=1):
                roles = [role for role, _ in row]
                wanted = (["rowheader"] if mode == "stacked" else ["cell"]) + ["cell"] * (len(cells_dom) - 1)
                if roles != wanted:
                    found.append(f"row {index} ({cells_dom[0]['text'][:40]!r}) is announced as {roles}, not "
                                 f"{wanted}" + (": its first cell, the row's name, must be its row header"
                                                if mode == "stacked" and roles[:1] != ["rowheader"] else ""))
                    break
                if mode == "stacked" and not row[0][1].startswith(cells_dom[0]["text"][:20]):
                    found.append(f"row {index}'s header is named {row[0][1]!r}, not by the row's name "
                                 f"{cells_dom[0]['text']!r}")
                    break
                if mode == "stacked, no JavaScript":
                    unnamed = [(c["label"], got) for c, (_, got) in zip(cells_dom[1:], row[1:])
                               if not got.startswith(c["label"])]
                    if unnamed:
                        found.append(f"row {index}: a cell is read as {unnamed[0][1][:60]!r}, without its column's "
                                     f"name {unnamed[0][0]!r} first (a browser that flattens the cards would "
                                     f"lose it)")
                        break
        if found:
            problems.append(f"{label}: {name} {found[0]} {where}.\n"
                            + "".join(f"    also: {more}\n" for more in found[1:]) + fix)
    return problems


def check_semantics(page, base: str, paths: list[str], width: int, mode: str) -> tuple[list[str], int]:
    """(problems, tables checked) on `paths` in an open page (its context sets width and JavaScript)."""
    problems, checked = [], 0
    for path in paths:
        page.goto(base + path, wait_until="load")
        dom = page.evaluate(CARD_TABLES_JS)
        checked += len(dom)
        problems += semantics_problems(label_for(path, width, mode), dom, ax_tables(page), mode)
    return problems, checked


@pytest.mark.browser
def test_tables_are_announced_as_tables_with_row_and_column_names(browser, base_url, site):
    """At 320px, with JavaScript: each card is a table row, each row named by its first cell (a row
    header), each column by its column header, though the headers are visually hidden. Without
    JavaScript Chromium (like Firefox) still announces a table with named column headers, and each
    cell is read with its column's name first, so a reader whose browser flattens the cards (WebKit:
    Safari, GNOME Web) still hears which column a value is in; rows have no row header then. At a
    desktop width the table is the page's own, with no ARIA roles written."""
    paths = table_paths(site)
    problems, checked = [], 0
    for width, mode, options in ((320, "stacked", {}), (320, "stacked, no JavaScript", {"java_script_enabled": False}),
                                 (1280, "table", {})):
        context = browser.new_context(viewport={"width": width, "height": 800}, **options)
        try:
            found, count = check_semantics(context.new_page(), base_url, paths if width < 1000 else ["hsct/", "evidence/"],
                                           width, mode)
        finally:
            context.close()
        problems += found
        checked += count
    assert checked >= 2 * len(paths), f"Only {checked} tables checked on {len(paths)} pages"
    assert not problems, "\n".join(problems)


def copy_without_css_section(site: Path, root: Path, section: str) -> Path:
    """A copy of the built site at `root` whose extra.css lacks `section` (from its "/* ---- "
    title to the next one), as before the fix that section holds. Returns `root`."""
    shutil.copytree(site, root)
    css = root / "stylesheets" / "extra.css"
    text = css.read_text(encoding="utf-8")
    assert section in text, f"tests/test_tables.py cuts '{section}' out of extra.css, but it is not there"
    start = text.index(section)
    css.write_text(text[:start] + text[text.index("/* ---- ", start + len(section)):], encoding="utf-8")
    return root


def table_problems_on(browser, base: str, path: str, width: int) -> list[str]:
    """check_tables on one page of the site at `base`, in a fresh light-palette window `width` px wide."""
    context = browser.new_context(viewport={"width": width, "height": 800 if width < 720 else 900}, color_scheme="light")
    try:
        return check_tables(context.new_page(), base, [path], width, "light")[0]
    finally:
        context.close()


@pytest.fixture(scope="module")
def site_without_table_css(site, tmp_path_factory):
    """The built site with the 'Tables on phones' CSS cut out and one data-label removed: as before the fix."""
    root = copy_without_css_section(site, tmp_path_factory.mktemp("no-table-css") / "site", CSS_SECTION)
    page = root / "hsct" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(' data-label="Who took part"', "", 1), encoding="utf-8")
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_table_check_fails_without_the_table_css(browser, site_without_table_css):
    text = "\n".join(table_problems_on(browser, site_without_table_css, "hsct/", 320))
    first = text.splitlines()[0] if text else ""
    assert re.match(r"docs/hsct\.md \[/hsct/, light, 320px\]: table 1 \('Study \| Who took part \| Main results \| "
                    r"Harms'\) has a column off screen: the first cut-off cell, the header of column \d '[^']+', "
                    r"reaches \d+px on a 320px screen \(site design: fix overrides/ or docs/stylesheets/extra\.css, "
                    r"not the page's Markdown\)\.$", first), text
    assert "not stacked as cards (its rows are table rows)" in text and "holds 4" in text, text
    assert ("cells do not show their column's name; the first, row 1, column 2 'Who took part' ('28 people, 8 "
            "centres, no comparison group, median'), has no data-label") in text, text
    assert "9 of 9 cells do not show their column's name" in text, text


@pytest.fixture(scope="module")
def site_without_evidence_table_css(site, tmp_path_factory):
    """The built site with the 'Evidence tables' CSS cut out: as before, each table scrolls in a box
    as tall as the table, its scroll bar far below the screen."""
    root = copy_without_css_section(site, tmp_path_factory.mktemp("no-evidence-table-css") / "site", EVIDENCE_SECTION)
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_desktop_table_check_fails_without_the_evidence_table_css(browser, site_without_evidence_table_css):
    text = "\n".join(table_problems_on(browser, site_without_evidence_table_css, "evidence/", 1280))
    assert text.startswith("docs/evidence.md [/evidence/, light, 1280px]: table 1 ('Study | Design"), text
    assert ("has a column off screen: it scrolls sideways in a box taller than the screen, so its scroll bar is "
            "out of sight (table is ") in text, text
    assert "px tall on a 900px screen) on a 1280px screen (site design" in text, text
    assert "fix: from 45em up, docs/stylesheets/extra.css ('Evidence tables') keeps each" in text, text


@pytest.fixture(scope="module")
def site_with_broken_table_semantics(site, tmp_path_factory):
    """The built site with three mistakes a change could make: guide.js gives the roles at every
    width, extra.css hides the column headers with display: none (gone for screen readers too)
    and gives the visible column names empty alternative text even without JavaScript."""
    root = tmp_path_factory.mktemp("broken-table-semantics") / "site"
    shutil.copytree(site, root)
    edits = {
        root / "javascripts" / "guide.js": [('window.matchMedia("screen and (max-width: 44.984375em)")',
                                             'window.matchMedia("all")')],
        root / "stylesheets" / "extra.css": [
            ("> tr > :not([data-label]) {\n    position: absolute;", "> tr > :not([data-label]) {\n    display: none;"),
            ("[data-label]::before { content: attr(data-label); display: block;",
             '[data-label]::before { content: attr(data-label) / ""; display: block;')],
    }
    for file, pairs in edits.items():
        text = file.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"tests/test_tables.py breaks {file.name} by replacing {old!r}, but it is not there"
            text = text.replace(old, new, 1)
        file.write_text(text, encoding="utf-8")
    with serve(root) as url:
        yield url


@pytest.mark.browser
def test_table_semantics_check_fails_on_a_broken_site(browser, base_url, site_with_broken_table_semantics):
    found = {}
    for width, mode, options, url in (
            (320, "stacked", {}, site_with_broken_table_semantics),
            (320, "stacked, no JavaScript", {"java_script_enabled": False}, site_with_broken_table_semantics),
            (1280, "table", {}, site_with_broken_table_semantics),
            (320, "stacked", {"java_script_enabled": False}, base_url)):   # as if guide.js had not run
        context = browser.new_context(viewport={"width": width, "height": 800}, **options)
        try:
            found[(mode, bool(options), url)] = "\n".join(check_semantics(context.new_page(), url, ["hsct/"], width, mode)[0])
        finally:
            context.close()
    start = "docs/hsct.md [/hsct/, {}, {}px]: table 1 ('Study | Who took part | Main results | Harms') "
    design = " (site design: fix overrides/ or docs/stylesheets/extra.css, not the page's Markdown)."
    broken = site_with_broken_table_semantics
    text = found[("stacked", False, broken)]
    assert text.startswith(start.format("stacked", 320) + "has no header row of 4 column headers for a screen "
                           "reader"), text
    assert "fix: docs/javascripts/guide.js ('Tables on phones', tableRoles)" in text, text
    text = found[("stacked, no JavaScript", True, broken)]
    assert text.startswith(start.format("stacked, no JavaScript", 320) + "has no header row of 4 column headers"), text
    assert ("also: row 1: a cell is read as '28 people, 8 centres, no comparison group, median follow-up ', without "
            "its column's name 'Who took part' first") in text, text
    text = found[("table", False, broken)]
    assert text.startswith(start.format("table", 1280) + "has 23 role attributes on its parts; only a stacked "
                           "table with JavaScript needs them" + design), text
    text = found[("stacked", True, base_url)]
    assert text.startswith(start.format("stacked", 320) + "has no role attribute in the page, not role=\"table\": "
                           "guide.js did not give the cards their ARIA roles" + design), text
    assert ("also: row 1 ('European registry') is announced as ['cell', 'cell', 'cell', 'cell'], not ['rowheader', "
            "'cell', 'cell', 'cell']: its first cell, the row's name, must be its row header") in text, text
