"""The decision aid (docs/compare-options.md, from docs/data/decision-aid.yml) and its IPDAS
self-assessment (docs/ipdas.md).

Built site, no browser:
* every icon array's numbers, size, time point and source match the results records, worked
  out again here (tests/checkers/decision_aid.py), and a tampered page fails;
* the data file's mistakes stop the build with the file, the line and the fix;
* the self-assessment lists all 44 IPDAS criteria, meets every qualifying and certification
  criterion, and each verdict a machine can check matches the built site; a page without its
  decision statement fails;
* the decision aid's script loads on that page only.

Real browser (Chromium):
* the values exercise, the leaning, SURE and knowledge questions and the summary work with the
  keyboard alone;
* 0 axe violations with every answer filled in and every explanation open, light and dark,
  360 and 1280 px wide;
* 0 requests and 0 storage writes (cookies, local and session storage, IndexedDB, Cache API)
  while the reader uses it;
* the arrays are drawn in forced-colours mode;
* the summary prints on one A4 page and one US Letter page, with and without JavaScript.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.exceptions import PluginError

from browser_support import CONTRAST_JS, settle, wait_until
from checkers import load_hook
from checkers.decision_aid import array_problems, expected_arrays, ipdas_problems, verdict_counts, verdicts
from conftest import ROOT

citations = load_hook("citations")
decision_aid = load_hook("decision_aid")
FIXTURES = ROOT / "tests" / "fixtures" / "decision-aid"
URL = "compare-options/"


@pytest.fixture(scope="module")
def refs():
    refs, errors = citations.load_references(ROOT / "docs" / "data" / "references.yml")
    assert not errors, errors
    return refs


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load((ROOT / "docs" / "data" / "decision-aid.yml").read_text(encoding="utf-8"))


def page_html(site: Path, slug: str) -> str:
    return (site / slug / "index.html").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- built site

def test_icon_arrays_match_the_results_records(site, data, refs):
    html = page_html(site, "compare-options")
    assert len(expected_arrays(data, refs)) >= 10
    problems = array_problems(html, data, refs)
    assert not problems, "\n".join(problems)


def test_a_tampered_icon_array_fails(data, refs):
    """The fixture is a built array of the European registry with 30, not 29, alive without lupus."""
    html = (FIXTURES / "tampered-array.html").read_text(encoding="utf-8")
    only = {"options": [{"id": "hsct", "arrays": [next(a for a in next(o for o in data["options"] if o["id"] == "hsct")["arrays"]
                                                         if a["study"] == "alchi2013")]}]}
    problems = "\n".join(array_problems(html, only, refs, page="tests/fixtures/decision-aid/tampered-array.html"))
    assert "icon array 1 (alchi2013: dfs-5y, relapse-5y, nrm-5y)" in problems, problems
    assert "('30', 'were alive with no active lupus')" in problems and "('29', 'were alive" in problems, problems
    assert "the picture draws [30, 56, 15] icons per group" in problems and "has 101 icons, not 100" in problems, problems


def legend_key_drift(css: str) -> list[str]:
    """Where the caption keys in extra.css (.da-k-<style>, a CSS mask) no longer draw the icon the
    hook draws in the array (decision_aid._icon and PAINT, currentColor painted black)."""
    problems = []
    for style, paint in decision_aid.PAINT.items():
        rule = re.search(r"\.da-k-" + style + r" \{ --da-key: url\(\"data:image/svg\+xml,([^\"]*)\"\); \}", css)
        if not rule:
            problems.append(f"docs/stylesheets/extra.css has no caption key rule '.da-k-{style} {{ --da-key: url(...) }}'")
            continue
        svg = rule.group(1).replace("%3C", "<").replace("%3E", ">").replace("'", '"')
        wanted = f'{paint.replace("currentColor", "black")} d="{decision_aid._icon(0, 0, style)}"'
        if wanted not in svg:
            problems.append(f"docs/stylesheets/extra.css: the caption key .da-k-{style} draws {svg!r}, but the icon "
                            f"array draws <path {wanted}> (overrides/hooks/decision_aid.py: _icon, PAINT). "
                            f"Copy the hook's path into the mask.")
    return problems


def test_the_caption_keys_draw_the_same_icons_as_the_arrays():
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert not legend_key_drift(css), "\n".join(legend_key_drift(css))
    drifted = css.replace("stroke-width='1.2'", "stroke-width='2'")
    assert any(".da-k-crossed" in p for p in legend_key_drift(drifted)), "the drift check cannot fail"


def test_mistakes_in_the_data_file_name_the_line(refs):
    shown = "tests/fixtures/decision-aid/broken.yml"
    data, errors = decision_aid.load(FIXTURES / "broken.yml", shown, refs)
    text = "\n".join(errors)
    assert f"{shown}:11: alchi2013 has no result with id 'dfs-10y'. Its ids: dfs-5y," in text, text
    assert f"{shown}:16: the groups add up to 166 of 100; an array's groups must not overlap" in text, text
    assert f"{shown}:25: the results shown together have different time points" in text, text
    assert f"{shown}:34: give 6 to 8 statements (there are 1)" in text, text
    assert f"{shown}:37: fits names 'hcst', which is not an option id (hsct)" in text, text
    assert len(errors) == 5, text


def test_a_marker_that_is_not_a_part_stops_the_build(data, refs):
    with pytest.raises(PluginError, match=r"docs/x.md:2: unknown marker '<!-- decision-aid: valeus -->'"):  # codespell:ignore
        decision_aid.expand("# X\n<!-- decision-aid: valeus -->\n", "x.md", data, refs, "u", "d")  # codespell:ignore
    with pytest.raises(PluginError, match=r"docs/x.md:1: no option with id 'stem'"):
        decision_aid.expand("<!-- decision-aid: option stem -->", "x.md", data, refs, "u", "d")


def test_every_ipdas_verdict_matches_the_site(site, data, refs):
    pages = {slug: page_html(site, slug) for slug in ("compare-options", "about")}
    ipdas = page_html(site, "ipdas")
    problems = ipdas_problems(ipdas, pages, data, refs)
    assert not problems, "\n".join(problems)
    counts = verdict_counts(ipdas)
    assert sum(counts.values()) == 44, counts
    assert all(verdicts(ipdas)[c] == "Met" for c in ("1.1.1", "1.1.2", "2.1.1", "2.2.4", "2.3.1", "Q9", "Q10")), counts


def test_a_page_without_its_decision_statement_fails_the_self_assessment(site, data, refs):
    pages = {slug: page_html(site, slug) for slug in ("compare-options", "about")}
    soup = BeautifulSoup(pages["compare-options"], "lxml")
    soup.select_one(".da-decision").decompose()
    for fieldset in soup.select(".da-sure fieldset")[1:]:
        fieldset.decompose()
    pages["compare-options"] = str(soup)
    problems = "\n".join(ipdas_problems(page_html(site, "ipdas"), pages, data, refs))
    assert "docs/ipdas.md: 1.1.2 says Met, but the built site lacks the decision, as a question" in problems, problems
    assert "docs/ipdas.md: Q10 says Met, but the built site lacks 'Ready to decide?' with the 4 SURE questions" in problems


def test_the_decision_aid_script_loads_on_its_page_only(site, html_pages):
    with_script = sorted(str(p.relative_to(site)) for p in html_pages if "decision-aid.js" in p.read_text(encoding="utf-8"))
    assert with_script == ["compare-options/index.html"], with_script


# ----------------------------------------------------------------------------- browser

browser_only = pytest.mark.browser

# Counts every way a page could keep or send what the reader chose. Installed before any script runs.
SPY_JS = """(() => {
  const w = window.__daWrites = [];
  const note = what => w.push(what);
  for (const name of ['setItem', 'removeItem', 'clear']) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (...args) { note('storage.' + name + ' ' + (args[0] || '')); return original.apply(this, args); };
  }
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', { get() { return cookie.get.call(document); },
                                              set(v) { note('cookie ' + v); cookie.set.call(document, v); } });
  if (window.indexedDB) { const open = indexedDB.open.bind(indexedDB); indexedDB.open = (...a) => { note('indexedDB ' + a[0]); return open(...a); }; }
  if (window.caches) { const open = caches.open.bind(caches); caches.open = (...a) => { note('caches ' + a[0]); return open(...a); }; }
  if (navigator.sendBeacon) { const beacon = navigator.sendBeacon.bind(navigator); navigator.sendBeacon = (...a) => { note('beacon ' + a[0]); return beacon(...a); }; }
  window.print = () => { window.__printed = (window.__printed || 0) + 1; };
})()"""


def open_aid(browser, base_url, *, width=1280, scheme="light", js=True, forced=False, init=SPY_JS, fragment=""):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme,
                                  java_script_enabled=js, forced_colors="active" if forced else "none")
    if js and init:
        context.add_init_script(init)
    page = context.new_page()
    page.goto(base_url + URL + fragment, wait_until="load")
    if js:
        wait_until(page, "() => !!document.getElementById('values-show')", "the decision aid to load")
    settle(page)
    return context, page


def fill_in(page, data):
    """Answer everything by clicking (the keyboard test does the same with keys)."""
    for index, value in enumerate(data["values"]):
        page.locator(f'input[name="value-{value["id"]}"]').nth(index % len(data["scale"])).check()
    page.locator('input[name="leaning"]').nth(2).check()
    for index in range(len(data["sure"])):
        page.locator(f'input[name="sure-{index}"]').nth(index % 2).check()
    for item in data["knowledge"]:
        page.locator(f'input[name="knowledge-{item["id"]}"]').nth(0).check()
    page.fill("#my-questions", "How long would I be away from home?\nWho pays for travel?")
    page.click("#values-show")
    wait_until(page, "() => !document.getElementById('values-result').hidden", "the fit to show")
    page.evaluate("() => document.querySelectorAll('.md-content details').forEach(d => d.open = true)")


def active(page) -> str:
    return page.evaluate("""() => { const e = document.activeElement;
        return e ? (e.name || e.id || e.tagName.toLowerCase()) + ':' + (e.value || '') : ''; }""")


def press_until(page, key: str, wanted: str, limit: int = 12) -> None:
    for _ in range(limit):
        page.keyboard.press(key)
        if active(page).startswith(wanted):
            return
    raise AssertionError(f"{URL} [keyboard]: {limit} presses of {key} never reached {wanted!r}; focus is on "
                         f"{active(page)!r}. Check the order of the form controls in overrides/hooks/decision_aid.py.")


@browser_only
def test_the_exercise_works_with_the_keyboard_alone(browser, base_url, data):
    context, page = open_aid(browser, base_url, width=390, fragment="#what-matters")
    try:
        values = data["values"]
        for index, value in enumerate(values):
            press_until(page, "Tab", f"value-{value['id']}")
            # Space chooses "Matters a lot"; an arrow key moves to (and chooses) "Matters a little".
            page.keyboard.press("Space" if index % 2 == 0 else "ArrowDown")
            if index == 0:  # the tradeoff opens from the keyboard
                page.keyboard.press("Tab")
                assert active(page).startswith("summary"), active(page)
                page.keyboard.press("Enter")
                wait_until(page, "() => document.querySelector('.da-tradeoff').open", "the tradeoff to open")
        press_until(page, "Tab", "values-show")
        page.keyboard.press("Enter")
        wait_until(page, "() => document.activeElement && document.activeElement.id === 'values-result'",
                   "focus to move to the result", show_js="() => document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
        # The result is taller than the phone's screen: its top (heading, "This is not a score")
        # must be in view just under the header, not scrolled past (helper-15 landed mid-way).
        wait_until(page, """() => { const top = document.getElementById('values-result').getBoundingClientRect().top;
                const header = document.querySelector('.md-header').getBoundingClientRect().bottom;
                return top >= header - 1 && top < innerHeight / 2; }""",
                   f"{URL} [390px, keyboard]: the top of the result in view under the header (showFit in "
                   f"docs/javascripts/decision-aid.js)",
                   show_js="""() => ({resultTop: document.getElementById('values-result').getBoundingClientRect().top,
                               headerBottom: document.querySelector('.md-header').getBoundingClientRect().bottom,
                               height: document.getElementById('values-result').offsetHeight})""")
        result = page.inner_text("#values-result")
        first = values[0]["statement"].rstrip(".")
        for option in data["options"]:
            line = page.inner_text(f'#values-result li[data-option="{option["id"]}"]')
            assert (first in line.split("Weighs against")[0]) == (option["id"] in values[0]["fits"]), (option["id"], line)
        assert "matters a lot" in result and "matters a little" in result, result
        press_until(page, "Tab", "leaning")
        page.keyboard.press("Space")
        for index in range(len(data["sure"])):
            press_until(page, "Tab", f"sure-{index}")
            page.keyboard.press("Space")
        press_until(page, "Tab", f"knowledge-{data['knowledge'][0]['id']}")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")  # "See the answer"
        wait_until(page, "() => document.querySelector('.da-answer').open", "the answer to open")
        press_until(page, "Tab", "my-questions", limit=20)
        page.keyboard.type("Can I keep working?")
        press_until(page, "Tab", "print-summary", limit=20)
        page.keyboard.press("Enter")
        wait_until(page, "() => window.__printed === 1", "the print button to print")
        summary = page.inner_text("#your-summary")
        assert "Matters a lot" in summary and "Matters a little" in summary, summary
        assert data["leaning"]["choices"][0] in summary and "Can I keep working?" in summary, summary
        assert summary.count("Yes") >= len(data["sure"]), summary
    finally:
        context.close()


@browser_only
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_with_every_answer_filled_in(browser, base_url, data, scheme, width):
    from axe_playwright_python.base import AXE_SCRIPT
    from test_accessibility import AXE_OPTIONS, collect_axe
    context, page = open_aid(browser, base_url, width=width, scheme=scheme, init=SPY_JS + ";" + AXE_SCRIPT)
    try:
        fill_in(page, data)
        settle(page)
        page.evaluate("opts => { window.__guideAxe = axe.run(document, opts); }", AXE_OPTIONS)
        problems = collect_axe(page, f"docs/compare-options.md [/{URL}, {scheme}, {width}px, every answer filled in]", scheme)
        assert not problems, "\n\n".join(problems)
    finally:
        context.close()


@browser_only
def test_nothing_is_sent_or_stored(browser, base_url, data):
    context, page = open_aid(browser, base_url)
    requests = []
    try:
        page.evaluate("() => { window.__daWrites.length = 0; }")  # what the theme does on load is not ours
        page.on("request", lambda request: requests.append(request.url))
        fill_in(page, data)
        page.click("#print-summary")
        wait_until(page, "() => window.__printed === 1", "the print button to print")
        writes = page.evaluate("() => window.__daWrites")
        stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
        assert requests == [], f"{URL}: the decision aid made {len(requests)} request(s): {requests[:5]}"
        assert writes == [], f"{URL}: the decision aid wrote to storage: {writes}"
        assert stored[2] == "", f"{URL}: a cookie was set: {stored[2]}"
        assert "How long would I be away from home?" in page.inner_text("#your-summary")
    finally:
        context.close()


@browser_only
def test_the_spy_notices_a_storage_write(browser, base_url):
    """A test that cannot fail is a defect: a page that writes is caught."""
    context, page = open_aid(browser, base_url)
    try:
        page.evaluate("() => { window.__daWrites.length = 0; localStorage.setItem('ratings', '1'); document.cookie = 'a=1'; }")
        writes = page.evaluate("() => window.__daWrites")
        assert writes == ["storage.setItem ratings", "cookie a=1"], writes
    finally:
        page.evaluate("() => { localStorage.clear(); document.cookie = 'a=; max-age=0'; }")
        context.close()


@browser_only
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_icon_arrays_are_drawn_in_forced_colours(browser, base_url, scheme):
    context, page = open_aid(browser, base_url, forced=True, scheme=scheme)
    try:
        shapes = page.evaluate("""() => [...document.querySelectorAll('figure.da-array path.da-icons')].map(p => {
            const s = getComputedStyle(p), box = p.getBoundingClientRect();
            return {cls: p.getAttribute('class'), fill: s.fill, stroke: s.stroke, color: s.color, w: box.width, h: box.height}; })""")
        assert shapes, "no icon arrays on the page"
        for shape in shapes:
            paint = shape["fill"] if "da-filled" in shape["cls"] else shape["stroke"]
            assert shape["w"] > 0 and shape["h"] > 0, shape
            assert paint == shape["color"], f"{URL} [forced colours, {scheme}]: {shape['cls']} is painted {paint}, not the text colour {shape['color']}"
        contrast = page.locator("svg.da-array-icons").first.evaluate(CONTRAST_JS)
        assert contrast["ratio"] >= 4.5, f"{URL} [forced colours, {scheme}]: icon array contrast {contrast}"
        keys = page.evaluate("""() => [...document.querySelectorAll('.da-legend .da-group')].map(li => {
            const key = getComputedStyle(li, '::before');
            return {key: key.backgroundColor, text: getComputedStyle(li).color, mask: key.maskImage || key.webkitMaskImage,
                    w: parseFloat(key.width)}; })""")
        assert keys, "no caption keys"
        for key in keys:  # each caption key is its group's icon, painted in the text colour
            assert key["key"] == key["text"] and key["mask"].startswith("url(") and key["w"] > 0, \
                f"{URL} [forced colours, {scheme}]: a caption key is painted {key['key']}, text is {key['text']}: {key}"
    finally:
        context.close()


def pdf_pages(pdf: bytes, tmp_path: Path, name: str) -> tuple[int, str]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed: apt-get install poppler-utils")
    path = tmp_path / name
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1)), text


@browser_only
@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_the_summary_prints_on_one_page_of_a4_and_letter(browser, base_url, data, tmp_path, js):
    context, page = open_aid(browser, base_url, js=js, fragment="" if js else "#your-summary")
    try:
        if js:
            fill_in(page, data)
        for number, paper in enumerate(("A4", "Letter"), start=1):  # page.pdf() prints with print CSS
            if js:  # printing ends summary-only printing (afterprint), so the reader clicks again
                page.click("#print-summary")
                wait_until(page, f"() => window.__printed === {number}", "the print button to print")
            count, text = pdf_pages(page.pdf(format=paper, print_background=True), tmp_path, f"{paper}.pdf")
            label = f"{URL} summary [{paper}, {'with' if js else 'without'} JavaScript]"
            assert count == 1, f"{label}: prints on {count} pages, not 1. Make the summary shorter or its print type smaller (docs/stylesheets/extra.css, 'Decision aid')."
            flat = " ".join(text.split())
            assert " ".join(data["decision"].split()) in flat, f"{label}: the decision is missing: {flat[:300]}"
            assert "evidence last checked" in flat and "compare-options" in flat, f"{label}: {flat[-300:]}"
            assert ("Matters a lot" in flat) == js, f"{label}: ratings {'missing' if js else 'filled in without JavaScript'}"
            assert "What happens with standard care alone" not in flat, f"{label}: the rest of the page printed too"
    finally:
        context.close()


def summary_sheet_problem(text: str, label: str) -> str | None:
    """None when the summary, in a whole-page print (pdftotext text, sheets split by form feeds),
    starts a sheet and ends on it; else what is wrong."""
    sheets = [" ".join(s.split()) for s in text.split("\f")]
    first = next((i for i, s in enumerate(sheets) if "My lupus treatment decision" in s), None)
    if first is None:
        return f"{label}: the summary is not in the printout"
    if not sheets[first].startswith("My lupus treatment decision"):
        return (f"{label}: the summary does not start its sheet (sheet {first + 1} starts "
                f"{sheets[first][:80]!r}); docs/stylesheets/extra.css ('Decision aid', print).")
    if "General information, not medical advice" not in sheets[first]:
        return (f"{label}: the summary runs on past sheet {first + 1}; make its print type smaller "
                f"(docs/stylesheets/extra.css, 'Decision aid', print).")
    return None


def test_the_summary_sheet_check_can_fail():
    good = "text\fMy lupus treatment decision ... General information, not medical advice.\fAbout"
    assert summary_sheet_problem(good, "x") is None
    assert "does not start its sheet" in summary_sheet_problem(good.replace("\fMy", " My"), "x")
    assert "runs on past sheet 2" in summary_sheet_problem(good.replace("decision ... General", "decision\fGeneral"), "x")


@browser_only
@pytest.mark.parametrize("js", [True, False], ids=["with-js", "without-js"])
def test_printed_with_the_whole_page_the_summary_keeps_to_one_sheet(browser, base_url, tmp_path, js):
    """The browser's own Print on the whole page: the summary starts a sheet and ends on it."""
    context, page = open_aid(browser, base_url, js=js)
    try:
        _, text = pdf_pages(page.pdf(format="A4", print_background=True), tmp_path, "whole.pdf")
        problem = summary_sheet_problem(text, f"{URL} whole page [A4, {'with' if js else 'without'} JavaScript]")
        assert problem is None, problem
    finally:
        context.close()


@browser_only
def test_without_javascript_it_is_a_worksheet(browser, base_url, data):
    context, page = open_aid(browser, base_url, js=False)
    try:
        assert page.locator("input[type=radio]").count() >= 4 * len(data["values"])
        assert not page.is_visible("#values-show") and not page.is_visible("#print-summary")
        assert page.is_visible("text=Without JavaScript, you can still mark your answers")
        page.locator(f'input[name="value-{data["values"][0]["id"]}"]').first.check()
        assert page.locator(f'input[name="value-{data["values"][0]["id"]}"]').first.is_checked()
    finally:
        context.close()
