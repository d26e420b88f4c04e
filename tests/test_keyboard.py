"""Keyboard and screen readers, in a real Chromium: what a keyboard-only or screen-reader user meets.

* Headings and permalinks: a heading's accessible name is its text alone (no trailing "¶"), and
  each heading's permalink is named after its section ("Link to this section: Risks").
* Glossary terms: the first use of a term on a page takes keyboard focus and shows its
  definition in a readable tooltip (at least 0.8rem), on focus and on tap; Escape hides it; a
  screen reader names it by the term and describes it by the definition.
* Search: the count of results ("6 matching documents") is in a polite live region, so a screen
  reader announces it; the keys that move through the results are written under the count and
  describe the search field (aria-describedby); Tab out of the search never lands on something
  unseen.

Accessible names come from Chromium's own accessibility tree (the Chrome DevTools Protocol's
Accessibility.getFullAXTree), which is what screen readers are given. Each checker also runs
on a small broken page (the _BROKEN_* strings below) to prove it can fail.
"""
from __future__ import annotations

import pytest

from browser_support import DESIGN, WaitFailed, label_for, open_search, serve, settle, wait_until

pytestmark = pytest.mark.browser

PERMALINK_NAME = "Link to this section: {}"


# ----------------------------------------------------------------------------- accessible names

def accessible_names(page, roles: set[str]) -> list[tuple[str, str]]:
    """[(role, accessible name)] of every node with one of ``roles``, in document order, as
    Chromium computes them for assistive technology."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    found = []
    for node in nodes:
        role = (node.get("role") or {}).get("value")
        if role in roles and not node.get("ignored"):
            found.append((role, ((node.get("name") or {}).get("value") or "").strip()))
    return found


# The visible text of each heading in the page's text, without its permalink, and whether it has one.
HEADINGS_JS = r"""() => [...document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6')]
  .map(h => { const c = h.cloneNode(true); c.querySelectorAll('.headerlink').forEach(a => a.remove());
              return {text: c.textContent.replace(/\s+/g, ' ').trim(), permalink: !!h.querySelector('.headerlink')}; })"""


def heading_name_problems(page, label: str) -> list[str]:
    """Headings named anything but their text; links named by a symbol; permalinks that do not
    say which section they link to."""
    headings = page.evaluate(HEADINGS_JS)
    nodes = accessible_names(page, {"heading", "link"})
    heading_names = [name for role, name in nodes if role == "heading"]
    link_names = [name for role, name in nodes if role == "link"]
    problems = []
    for h in headings:
        if h["text"] not in heading_names:
            near = [n for n in heading_names if n.startswith(h["text"][:12])][:1]
            problems.append(f"{label}: the heading {h['text']!r} is announced as {near[0] if near else '(no heading)'!r}, "
                            f"not by its text alone ({DESIGN}).")
        if h["permalink"] and PERMALINK_NAME.format(h["text"]) not in link_names:
            problems.append(f"{label}: the permalink of the heading {h['text']!r} is not named "
                            f"{PERMALINK_NAME.format(h['text'])!r} ({DESIGN}).")
    symbols = sorted({n for n in link_names if n and not any(ch.isalnum() for ch in n)})
    if symbols:
        count = sum(1 for n in link_names if n in symbols)
        problems.append(f"{label}: {count} link(s) are named only by a symbol ({', '.join(map(repr, symbols))}); "
                        f"a screen reader says just that ({DESIGN}).")
    return problems


@pytest.fixture(scope="module")
def reader_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_headings_are_named_by_their_text_and_permalinks_by_their_section(reader_page, base_url, site_urls):
    problems, checked = [], 0
    for path in site_urls:
        reader_page.goto(base_url + path, wait_until="load")
        found = heading_name_problems(reader_page, label_for(path, 1280))
        checked += reader_page.evaluate("() => document.querySelectorAll('article .headerlink').length")
        problems += found
    assert checked > 50, f"only {checked} permalinks on the whole site: were the headings checked?"
    assert not problems, "\n".join(problems)


_BROKEN_HEADINGS = """<!doctype html><html lang="en"><head><title>Headings</title></head><body><main><article>
<h1>Broken headings</h1>
<h2 id="risks">Risks<a class="headerlink" href="#risks" title="Link to this section">&para;</a></h2>
<p>Some words.</p>
<h2 id="costs">Costs<a class="headerlink" href="#costs" aria-label="Permanent link">#</a></h2>
</article></main></body></html>"""


def test_heading_name_checker_fails_on_a_broken_page(reader_page, tmp_path):
    (tmp_path / "headings").mkdir()
    (tmp_path / "headings" / "index.html").write_text(_BROKEN_HEADINGS, encoding="utf-8")
    with serve(tmp_path) as url:
        reader_page.goto(url + "headings/", wait_until="load")
        problems = "\n".join(heading_name_problems(reader_page, "docs/headings.md [/headings/, light, 1280px]"))
    assert "the heading 'Risks' is announced as 'Risks¶', not by its text alone" in problems, problems
    assert "the heading 'Costs' is announced as 'Costs Permanent link'" in problems, problems
    assert "permalink of the heading 'Risks' is not named 'Link to this section: Risks'" in problems, problems
    assert "1 link(s) are named only by a symbol ('¶')" in problems, problems
    assert "the heading 'Broken headings'" not in problems, problems


# ----------------------------------------------------------------------------- glossary terms

MIN_TOOLTIP_PX = 16  # 0.8rem at Material's 20 px root size; the page text is 0.85rem (17 px)
TOOLTIP_JS = r"""() => {
  const el = document.activeElement, t = document.querySelector('.md-tooltip2--active[role=tooltip]');
  const inner = t && t.querySelector('.md-tooltip2__inner');
  const r = inner && inner.getBoundingClientRect();
  return {focused: el && el !== document.body ? el.outerHTML.slice(0, 90) : null,
          term: el && el.matches('abbr') ? el.textContent : null,
          outline: el ? getComputedStyle(el).outlineStyle : null,
          tooltip: t ? t.textContent.trim() : null, opacity: t ? getComputedStyle(t).opacity : null,
          px: inner ? parseFloat(getComputedStyle(inner).fontSize) : null,
          shown: !!(r && r.width > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth),
          describedby: el ? el.getAttribute('aria-describedby') : null};
}"""


def focused_ax_node(page) -> dict:
    """{role, name, description} Chromium gives a screen reader for the focused element."""
    cdp = page.context.new_cdp_session(page)
    try:
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
            props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            if props.get("focused") and node.get("role", {}).get("value") != "RootWebArea":
                return {k: (node.get(k) or {}).get("value") for k in ("role", "name", "description")}
    finally:
        cdp.detach()
    return {}


def tooltip_problems(page, label: str, how: str, definition: str) -> list[str]:
    """The tooltip for the focused (or tapped) term: shown, readable, with the definition."""
    try:
        wait_until(page, "() => { const t = document.querySelector('.md-tooltip2--active[role=tooltip]');"
                         " return t && getComputedStyle(t).opacity === '1'; }",
                   f"the definition to show after {how}", TOOLTIP_JS, timeout=5_000)
    except WaitFailed as exc:
        return [f"{label}: {how} shows no definition ({DESIGN}).\n    {exc}"]
    settle(page, "the tooltip to finish appearing")
    state = page.evaluate(TOOLTIP_JS)
    problems = []
    if " ".join(state["tooltip"].split()) != " ".join(definition.split()):
        problems.append(f"{label}: after {how} the tooltip says {state['tooltip']!r}, not the definition "
                        f"{definition!r} ({DESIGN}).")
    if not state["shown"]:
        problems.append(f"{label}: after {how} the tooltip is off-screen ({DESIGN}).")
    if state["px"] < MIN_TOOLTIP_PX:
        problems.append(f"{label}: the definition after {how} is {state['px']:g} px, smaller than {MIN_TOOLTIP_PX} px "
                        f"(0.8rem; the page text is 17 px). Fix the tooltip size in docs/stylesheets/extra.css.")
    return problems


def test_glossary_term_takes_focus_and_shows_its_definition(browser, base_url):
    path, width = "hsct/", 390
    label = label_for(path, width)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    problems = []
    try:
        page.goto(base_url + path, wait_until="load")
        first = page.evaluate("""() => { const a = document.querySelector('article abbr[title]');
            return a && {term: a.textContent, definition: a.getAttribute('title')}; }""")
        assert first, f"{label}: no glossary term in the page's text; choose another page in tests/test_keyboard.py."
        page.locator("article h1").focus()
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.matches('article abbr')"):
                break
        else:
            state = page.evaluate(TOOLTIP_JS)
            pytest.fail(f"{label}: no glossary term in the text takes keyboard focus within 40 Tab presses from the "
                        f"title (the first is {first['term']!r}; focus is on {state['focused']}) ({DESIGN}).",
                        pytrace=False)
        state = page.evaluate(TOOLTIP_JS)
        if state["term"] != first["term"]:
            problems.append(f"{label}: Tab reached the term {state['term']!r} before the page's first term "
                            f"{first['term']!r}.")
        if state["outline"] in (None, "none"):
            problems.append(f"{label}: the focused term {state['term']!r} shows no focus outline ({DESIGN}).")
        problems += tooltip_problems(page, label, f"Tab to the term {first['term']!r}", first["definition"])
        page.keyboard.press("Escape")  # WCAG 1.4.13: dismissible without moving focus
        hidden = page.evaluate("""() => { const t = document.querySelector('.md-tooltip2--active[role=tooltip]');
            return !t || getComputedStyle(t).visibility === 'hidden'; }""")
        if not hidden or not page.evaluate("() => document.activeElement.matches('article abbr')"):
            problems.append(f"{label}: Escape does not hide the definition, or moves focus off the term "
                            f"(WCAG 1.4.13; docs/javascripts/guide.js).")
        node = focused_ax_node(page)
        if node.get("name") != first["term"] or " ".join((node.get("description") or "").split()) != \
                " ".join(first["definition"].split()):
            problems.append(f"{label}: a screen reader names the focused term {node.get('name')!r} and describes it "
                            f"{node.get('description')!r}; it should be named {first['term']!r} and described by "
                            f"its definition ({DESIGN}).")
    finally:
        context.close()
    # A phone: tapping a term shows its meaning too.
    context = browser.new_context(viewport={"width": width, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(base_url + path, wait_until="load")
        term = page.locator("article p abbr[title]").first
        term.scroll_into_view_if_needed()
        definition = term.get_attribute("title")
        word = term.inner_text()
        term.tap()
        problems += tooltip_problems(page, label + " touch", f"a tap on the term {word!r}", definition)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- search

SEARCH_A11Y_JS = r"""() => {
  const input = document.querySelector('.md-search__input'), meta = document.querySelector('.md-search-result__meta');
  const ids = (input && input.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
  const hints = ids.map(id => document.getElementById(id)).filter(Boolean);
  const seen = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                      return r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none'; };
  const live = meta && (meta.closest('[aria-live]') || null);
  return {count: meta ? meta.textContent.trim() : null,
          live: live ? live.getAttribute('aria-live') : (meta && meta.getAttribute('role') === 'status' ? 'polite (role=status)' : null),
          hint: hints.map(h => h.textContent.trim()).join(' '), hint_seen: hints.some(seen)};
}"""


def search_announcement_problems(page, label: str, query: str, hint_visible: bool = True) -> list[str]:
    """The result count is a polite live region; the keys are explained, visibly and to screen readers."""
    try:
        open_search(page, query)
    except WaitFailed as exc:
        return [f"{label}: searching for {query!r} showed no results. {exc}"]
    state = page.evaluate(SEARCH_A11Y_JS)
    problems = []
    if not state["live"] or not state["live"].startswith("polite"):
        problems.append(f"{label}: the result count {state['count']!r} is not in a polite live region "
                        f"(aria-live=\"polite\"), so screen readers do not announce it ({DESIGN}: the header block "
                        "in overrides/main.html).")
    if "arrow" not in state["hint"].lower():
        problems.append(f"{label}: the search field is not described by a hint that says how to move through the "
                        f"results with the arrow keys (aria-describedby: {state['hint']!r}) ({DESIGN}).")
    elif hint_visible and not state["hint_seen"]:
        problems.append(f"{label}: the hint {state['hint']!r} is not visible while the results are shown ({DESIGN}).")
    return problems


@pytest.mark.parametrize("width", [390, 1280])
def test_search_count_is_announced_and_the_keys_are_explained(browser, base_url, width):
    from test_browser import FOCUS_JS, focus_problem  # the focus checks the other keyboard tests use
    label = label_for("", width)
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    try:
        page.goto(base_url, wait_until="load")
        problems = search_announcement_problems(page, label, "kidney")
        # Material closes the search on Tab: focus must then land on something one can see.
        page.keyboard.press("Tab")
        wait_until(page, "() => !document.getElementById('__search').checked && "
                         "document.getAnimations().every(a => a.playState !== 'running')",
                   "the search to close after Tab", "() => document.activeElement.outerHTML.slice(0, 80)")
        problem = focus_problem(label + " Tab out of the search", page.evaluate(FOCUS_JS))
        if problem:
            problems.append(problem)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


_BROKEN_SEARCH = """<!doctype html><html lang="en"><head><title>Search</title></head><body>
<input type="checkbox" id="__search"><form><input class="md-search__input" name="query"></form>
<div class="md-search-result__meta">Type to start searching</div><ol class="results"></ol>
<script src="search.js"></script></body></html>"""
_BROKEN_SEARCH_JS = """document.addEventListener('keydown', e => { if (e.key === '/') { e.preventDefault();
  document.getElementById('__search').checked = true; document.querySelector('.md-search__input').focus(); } });
document.querySelector('.md-search__input').addEventListener('input', e => {
  document.querySelector('.md-search-result__meta').textContent = '1 matching document';
  document.querySelector('.results').innerHTML = '<li class="md-search-result__item"><a class="md-search-result__link" href="./?h=' + e.target.value + '">Result</a></li>';
});"""


def test_search_announcement_checker_fails_on_a_broken_page(browser, tmp_path):
    (tmp_path / "index.html").write_text(_BROKEN_SEARCH, encoding="utf-8")
    (tmp_path / "search.js").write_text(_BROKEN_SEARCH_JS, encoding="utf-8")
    context = browser.new_context()
    try:
        with serve(tmp_path) as url:
            page = context.new_page()
            page.goto(url, wait_until="load")
            problems = "\n".join(search_announcement_problems(page, "docs/index.md [/, light, 1280px]", "kidney"))
    finally:
        context.close()
    assert "the result count '1 matching document' is not in a polite live region" in problems, problems
    assert "is not described by a hint that says how to move through the results" in problems, problems
