"""Keyboard and screen readers, in a real Chromium: what a keyboard-only or screen-reader user meets.

* The menu (the navigation drawer of phones and of screens up to 1219 px, a desktop at 110%
  zoom): opened from the keyboard, every Tab stop in it can be seen (the element under the
  centre of the focused link is the link), focus stays in the menu until it is closed, and
  Escape closes it and puts focus back on the menu button. Without JavaScript no focus trap is
  possible, but still no link in the open menu may be hidden.
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

from browser_support import DESIGN, DRAWER_JS, DRAWER_STATE_JS, WaitFailed, label_for, open_search, serve, settle, wait_until

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
# The tooltip of the focused element: what its aria-describedby points to, with role="tooltip".
TOOLTIP_JS = r"""() => {
  const el = document.activeElement;
  const id = el ? el.getAttribute('aria-describedby') : null, t = id ? document.getElementById(id) : null;
  const r = t && t.getBoundingClientRect(), s = t && getComputedStyle(t);
  return {focused: el && el !== document.body ? el.outerHTML.slice(0, 90) : null,
          term: el && el.matches('abbr') ? el.textContent : null,
          outline: el ? getComputedStyle(el).outlineStyle : null,
          role: t ? t.getAttribute('role') : null, tooltip: t ? t.textContent.trim() : null,
          px: s ? parseFloat(s.fontSize) : null,
          shown: !!(r && r.width > 0 && r.height > 0 && s.visibility === 'visible' && s.display !== 'none'
                    && parseFloat(s.opacity) > 0.5 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth)};
}"""
TOOLTIP_SHOWN_JS = "() => { const s = (" + TOOLTIP_JS + ")(); return s.shown && s.role === 'tooltip'; }"


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
        wait_until(page, TOOLTIP_SHOWN_JS, f"the definition to show after {how}", TOOLTIP_JS, timeout=5_000)
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
    if page.evaluate("() => document.activeElement.hasAttribute('title')"):
        problems.append(f"{label}: after {how} the term keeps its title while its definition shows, so a second, "
                        "native tooltip appears on hover (docs/javascripts/guide.js).")
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
        hidden = not page.evaluate(TOOLTIP_JS)["shown"]
        if not hidden or not page.evaluate("() => document.activeElement.matches('article abbr')"):
            problems.append(f"{label}: Escape does not hide the definition, or moves focus off the term "
                            f"(WCAG 1.4.13; docs/javascripts/guide.js).")
        page.keyboard.press("Shift+Tab")  # away and back: the definition shows again
        page.keyboard.press("Tab")
        problems += tooltip_problems(page, label, f"Tab back to the term {first['term']!r}", first["definition"])
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


# ----------------------------------------------------------------------------- the menu (drawer)

DRAWER_SIZES = [(390, 844), (1000, 800), (1219, 800)]
# The focused element: is it in the drawer, and is it what is under its own centre?
STOP_JS = r"""() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const inside = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight && r.width > 0 && r.height > 0;
  const top = inside ? document.elementFromPoint(x, y) : null;
  let opacity = 1;
  for (let a = el; a; a = a.parentElement) opacity *= parseFloat(getComputedStyle(a).opacity);
  const name = e => (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().replace(/\s+/g, ' ').slice(0, 40);
  return {name: name(el), in_drawer: !!el.closest('.md-sidebar--primary'), menu_button: el.matches('button.guide-menu'),
          seen: !!top && (top === el || el.contains(top)) && opacity > 0.5, transparent: opacity <= 0.5,
          covered_by: top && top !== el && !el.contains(top) ? [top.tagName.toLowerCase(), ...[...top.classList].slice(0, 2)].join('.') + (top.textContent.trim() ? ' "' + name(top) + '"' : '') : null,
          key: (window.__guideStops = window.__guideStops || new WeakMap()).get(el)
               || (window.__guideStops.set(el, (window.__guideStopCount = (window.__guideStopCount || 0) + 1)), window.__guideStopCount)};
}"""
# Every element in the open drawer that Tab can reach (no script needed: used without JavaScript too).
DRAWER_FOCUSABLE_JS = r"""() => [...document.querySelectorAll('.md-sidebar--primary a[href], .md-sidebar--primary button, .md-sidebar--primary input:not([type=checkbox]):not([type=radio]), .md-sidebar--primary [tabindex]:not([tabindex="-1"])')]
  .filter(e => { const s = getComputedStyle(e); return s.display !== 'none' && s.visibility === 'visible' && e.getClientRects().length; })
  .map((e, i) => { e.setAttribute('data-guide-stop', i); return i; })"""


def open_menu_with_keyboard(page, label: str) -> str | None:
    """Tab to the menu button and press Enter; a problem, or None once the menu is open and still."""
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('aria-label') === 'Menu'"):
            break
    else:
        return f"{label}: the menu button cannot be reached with Tab ({DESIGN})."
    page.keyboard.press("Enter")
    try:
        wait_until(page, DRAWER_JS, "the menu to open", DRAWER_STATE_JS, arg=True)
    except WaitFailed as exc:
        return f"{label}: Enter on the menu button did not open the menu. {exc}"
    return None


def drawer_tab_problems(page, label: str, presses: int = 60) -> tuple[list[str], int]:
    """Tab through the open menu: stops outside it before reaching it, stops one cannot see, and
    focus leaving it again. (problems, stops in the menu)."""
    before, hidden, left, seen_keys, stops = [], [], None, [], 0
    for _ in range(presses):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP_JS)
        if stop is None:
            continue
        if not stop["in_drawer"]:
            if stops:
                left = stop
                break
            before.append(stop["name"])
            continue
        if stop["key"] in seen_keys:  # back at the start: focus goes round the menu
            break
        seen_keys.append(stop["key"])
        stops += 1
        if not stop["seen"]:
            settle(page, "the menu to stop moving after Tab")
            stop = page.evaluate(STOP_JS)
            if not stop["seen"]:
                under = ("nothing: it is transparent" if stop["transparent"] else stop["covered_by"]
                         or "nothing: it is off screen")
                hidden.append(f"{stop['name']!r} (under {under})")
    problems = []
    if before:
        problems.append(f"{label}: with the menu open, Tab first went to {before[:3]} behind it, not into the menu "
                        f"({DESIGN}: docs/javascripts/guide.js).")
    if hidden:
        problems.append(f"{label}: {len(hidden)} of {stops} Tab stops in the open menu cannot be seen ({DESIGN}): "
                        + "; ".join(hidden[:5]) + (" ..." if len(hidden) > 5 else ""))
    if left:
        problems.append(f"{label}: after {stops} stops Tab left the open menu for {left['name']!r} behind it; focus "
                        f"must stay in the menu until it is closed ({DESIGN}: docs/javascripts/guide.js).")
    return problems, stops


def drawer_escape_problems(page, label: str) -> list[str]:
    page.keyboard.press("Escape")
    try:
        wait_until(page, DRAWER_JS, "the menu to close after Escape", DRAWER_STATE_JS, arg=False)
    except WaitFailed as exc:
        return [f"{label}: Escape did not close the menu. {exc}"]
    stop = page.evaluate(STOP_JS)
    if not stop or not stop["menu_button"]:
        return [f"{label}: after Escape focus is on {stop and stop['name']!r}, not the menu button ({DESIGN})."]
    return []


@pytest.mark.parametrize("size", DRAWER_SIZES, ids=lambda s: f"{s[0]}px")
def test_menu_keeps_focus_visible_and_inside_until_closed(browser, base_url, size):
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    try:
        for path in ("hsct/", ""):
            label = label_for(path, width)
            page.goto(base_url + path, wait_until="load")
            problem = open_menu_with_keyboard(page, label)
            if problem:
                problems.append(problem)
                continue
            found, stops = drawer_tab_problems(page, label)
            problems += found
            if stops < 10:
                problems.append(f"{label}: only {stops} Tab stops in the open menu; expected every page of the guide.")
            problems += drawer_escape_problems(page, label)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", [(390, 844), (1000, 800)], ids=lambda s: f"{s[0]}px")
def test_menu_without_javascript_hides_no_link(browser, base_url, size):
    """No script, so no focus trap; but every link the open menu lets Tab reach must be visible."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False)
    page = context.new_page()
    problems = []
    try:
        for path in ("hsct/", ""):
            label = label_for(path, width) + " no-JS"
            page.goto(base_url + path, wait_until="load")
            page.locator('label.md-header__button[for="__drawer"]').click()
            wait_until(page, DRAWER_JS, "the menu to open without JavaScript", DRAWER_STATE_JS, arg=True,
                       scripts=False)
            hidden = []
            for index in page.evaluate(DRAWER_FOCUSABLE_JS):
                page.locator(f"[data-guide-stop='{index}']").focus()
                stop = page.evaluate(STOP_JS)
                if not stop["seen"]:
                    wait_until(page, "() => document.getAnimations().every(a => a.playState !== 'running')",
                               "the menu to stop moving", scripts=False)
                    stop = page.evaluate(STOP_JS)
                    if not stop["seen"]:
                        under = "nothing: it is transparent" if stop["transparent"] else stop["covered_by"] or "nothing"
                        hidden.append(f"{stop['name']!r} (under {under})")
            if hidden:
                problems.append(f"{label}: {len(hidden)} links in the open menu take focus but cannot be seen "
                                f"({DESIGN}): " + "; ".join(hidden[:5]))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


_BROKEN_DRAWER_CSS = """body { margin: 0; } header { height: 48px; background: #ddd; }
#__drawer { position: absolute; opacity: 0; } .drawer { position: fixed; top: 0; left: -250px; width: 240px; height: 100%; background: #fff; }
#__drawer:checked ~ .drawer { left: 0; } .panel { position: absolute; inset: 0; background: #fff; }
.panel.closed { transform: translateX(100%); opacity: 0; }"""
_BROKEN_DRAWER = """<!doctype html><html lang="en"><head><title>Drawer</title><link rel="stylesheet" href="drawer.css"></head><body>
<input type="checkbox" id="__drawer">
<header><button class="guide-menu" aria-label="Menu" onclick="document.getElementById('__drawer').click()">Menu</button></header>
<div class="drawer md-sidebar--primary"><nav><a href="#1">One</a> <a href="#2">Two</a>
<div class="panel"><a href="#3">Three</a></div><div class="panel closed"><a href="#4">Four</a></div></nav></div>
<main><a href="#5">A link behind the menu</a></main>
<script src="drawer.js"></script></body></html>"""
_BROKEN_DRAWER_JS = """document.addEventListener('keydown', e => { if (e.key === 'Escape') document.getElementById('__drawer').checked = false; });"""


def test_menu_checkers_fail_on_a_broken_drawer(browser, tmp_path):
    (tmp_path / "index.html").write_text(_BROKEN_DRAWER.replace(' onclick="document.getElementById(\'__drawer\').click()"', ""),
                                         encoding="utf-8")
    (tmp_path / "drawer.css").write_text(_BROKEN_DRAWER_CSS, encoding="utf-8")
    (tmp_path / "drawer.js").write_text(_BROKEN_DRAWER_JS + "document.querySelector('.guide-menu').addEventListener("
                                        "'click', () => document.getElementById('__drawer').click());", encoding="utf-8")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        with serve(tmp_path) as url:
            page = context.new_page()
            page.goto(url, wait_until="load")
            label = "docs/drawer.md [/, light, 390px]"
            assert open_menu_with_keyboard(page, label) is None
            problems = "\n".join(drawer_tab_problems(page, label)[0] + drawer_escape_problems(page, label))
    finally:
        context.close()
    assert "3 of 4 Tab stops in the open menu cannot be seen" in problems, problems
    assert "'One' (under a \"Three\")" in problems and "'Four' (under nothing: it is transparent)" in problems, problems
    assert "after 4 stops Tab left the open menu for 'A link behind the menu'" in problems, problems
    assert "after Escape focus is on 'A link behind the menu', not the menu button" in problems, problems
