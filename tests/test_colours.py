"""Colour in real use: link contrast in every state, and Windows High Contrast (forced colours).

* Link states. axe measures a link only at rest, as the page loads. Here each kind of link
  (text links, citation numbers, the site navigation with its current page, the contents list,
  the footer) is put into each state one by one (rest, hover, keyboard focus, visited, and visited
  while hovered or focused) with the Chrome DevTools Protocol's CSS.forcePseudoState, in both
  palettes, and its text must keep at least 4.5:1 against what is behind it (CONTRAST_JS).
  Browsers hide a visited link's colour from page scripts, so that colour is read through the
  protocol (CSS.getComputedStyleForNode), which sees the real one.
* Forced colours (Playwright ``forced_colors="active"``, what Windows High Contrast does): the
  browser replaces the site's colours with a few system colours, so whatever told things apart by
  colour alone disappears. On /compare-options/ the chosen tab must still look different from the
  others; the key-points, urgent and soon box icons and the "How to cite" disclosure triangle must
  stay visible (at least 3:1 against their background, WCAG 1.4.11); the current page in the
  navigation must look different and carry aria-current="page".

Each checker also runs on a small broken page to prove it can fail.
"""
from __future__ import annotations

import re

import pytest

from browser_support import CONTRAST_JS, DESIGN, DRAWER_JS, DRAWER_STATE_JS, SCHEMES, label_for, serve, settle, wait_until

pytestmark = pytest.mark.browser

MIN_TEXT = 4.5
MIN_GRAPHIC = 3.0
STATES = {"rest": [], "hover": ["hover"], "focus": ["focus", "focus-visible"], "visited": ["visited"],
          "visited + hover": ["visited", "hover"], "visited + focus": ["visited", "focus", "focus-visible"]}
# What each kind of link is, as a selector for its first instance on /hsct/ at 1280 px.
LINKS = {
    "text link": "article p a[href]:not(.headerlink)",
    "citation number": "article sup.citation a[href]",
    "navigation link": ".md-sidebar--primary a.md-nav__link[href]:not(.md-nav__link--active)",
    "navigation link to the current page": ".md-sidebar--primary a.md-nav__link--active[href]",
    "contents link": ".md-sidebar--secondary a.md-nav__link[href]",
    "footer link": ".guide-footer a[href]",
}


# ----------------------------------------------------------------------------- colour arithmetic

def parse_colour(text: str) -> tuple[float, float, float, float]:
    """(r, g, b, alpha) from a computed colour: rgb(), rgba() or color(srgb ...)."""
    m = re.match(r"rgba?\(([^)]*)\)", text)
    if m:
        parts = [float(p) for p in re.split(r"[\s,/]+", m.group(1).strip()) if p]
        return (*parts[:3], parts[3] if len(parts) > 3 else 1.0)
    m = re.match(r"color\(srgb ([^)]*)\)", text)
    if m:
        parts = [float(p) for p in re.split(r"[\s/]+", m.group(1).strip()) if p]
        return (*(p * 255 for p in parts[:3]), parts[3] if len(parts) > 3 else 1.0)
    raise ValueError(f"cannot read the colour {text!r}")


def over(top: tuple, under: tuple) -> tuple:
    a = top[3]
    return tuple(top[i] * a + under[i] * (1 - a) for i in range(3)) + (1.0,)


def contrast(fg: tuple, bg: tuple) -> float:
    def lum(c):
        f = [v / 255 for v in c[:3]]
        f = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in f]
        return 0.2126 * f[0] + 0.7152 * f[1] + 0.0722 * f[2]
    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return round((hi + 0.05) / (lo + 0.05), 2)


def hexed(c: tuple) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in c[:3])


# ----------------------------------------------------------------------------- link states

class Probe:
    """One DevTools session on a page: force pseudo-classes on an element, read its true colour."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("DOM.enable")
        self.cdp.send("CSS.enable")

    def node(self, selector: str) -> int | None:
        root = self.cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        return self.cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"] or None

    def measure(self, selector: str, state: list[str]) -> dict:
        """{fg, bg, ratio} of the element's text in ``state`` (forced pseudo-classes)."""
        node = self.node(selector)
        self.cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": state})
        try:
            settle(self.page, f"the {'/'.join(state) or 'rest'} colour transition of {selector}")
            shown = self.page.locator(selector).first.evaluate(CONTRAST_JS)
            true = {p["name"]: p["value"] for p in
                    self.cdp.send("CSS.getComputedStyleForNode", {"nodeId": node})["computedStyle"]}
        finally:
            self.cdp.send("CSS.forcePseudoState", {"nodeId": node, "forcedPseudoClasses": []})
        bg = parse_colour(f"rgb({int(shown['bg'][1:3], 16)}, {int(shown['bg'][3:5], 16)}, {int(shown['bg'][5:7], 16)})")
        fg = over(parse_colour(true["color"]), bg)  # the real colour, visited included
        return {"fg": hexed(fg), "bg": shown["bg"], "ratio": contrast(fg, bg)}

    def close(self) -> None:
        self.cdp.detach()


def link_state_problems(page, label: str, links: dict[str, str]) -> tuple[list[str], int]:
    """Every link kind in ``links`` in every state of STATES; (problems, measurements made)."""
    probe, problems, made = Probe(page), [], 0
    try:
        for kind, selector in links.items():
            if not page.locator(selector).count():
                problems.append(f"{label}: no {kind} ({selector}) on the page to measure; update LINKS in "
                                "tests/test_colours.py.")
                continue
            page.locator(selector).first.evaluate("el => el.setAttribute('data-guide-probe', '')")
            target = f"{selector}[data-guide-probe]"
            low = []
            for state, forced in STATES.items():
                found = probe.measure(target, forced)
                made += 1
                if found["ratio"] < MIN_TEXT:
                    low.append(f"{state}: {found['fg']} on {found['bg']} is {found['ratio']}:1")
            if low:
                problems.append(f"{label}: the {kind} is below {MIN_TEXT}:1 ({DESIGN}): " + "; ".join(low))
    finally:
        probe.close()
    return problems, made


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_links_keep_their_contrast_in_every_state(browser, base_url, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(base_url + "hsct/", wait_until="load")
        problems, made = link_state_problems(page, label_for("hsct/", 1280, scheme), LINKS)
    finally:
        context.close()
    assert made == len(LINKS) * len(STATES) or problems, f"only {made} measurements were made"
    assert not problems, "\n".join(problems)


_BROKEN_LINKS = """<!doctype html><html lang="en"><head><title>Links</title><style>
body { background: #fff; color: #222; } a { color: #4051b5; transition: color 125ms; }
a:hover, a:focus { color: #526cfe; } a:visited { color: #9c9cff; }
</style></head><body><main><article><p>Read <a id="one" href="#x">the first link</a> now.</p></article></main></body></html>"""


def test_link_state_checker_fails_on_a_broken_page(browser, tmp_path):
    (tmp_path / "links").mkdir()
    (tmp_path / "links" / "index.html").write_text(_BROKEN_LINKS, encoding="utf-8")
    context = browser.new_context()
    try:
        with serve(tmp_path) as url:
            page = context.new_page()
            page.goto(url + "links/", wait_until="load")
            problems, made = link_state_problems(page, "docs/links.md [/links/, light, 1280px]",
                                                 {"text link": "#one", "missing link": "#nothing"})
    finally:
        context.close()
    text = "\n".join(problems)
    assert made == len(STATES), made
    assert "the text link is below 4.5:1" in text and "hover: #526cfe on #ffffff is 4.26:1" in text, text
    assert "focus: #526cfe on #ffffff is 4.26:1" in text and "visited: #9c9cff on #ffffff" in text, text
    assert "rest:" not in text, text
    assert "no missing link (#nothing) on the page to measure" in text, text


# ----------------------------------------------------------------------------- forced colours

# How an element looks, in the properties forced colours leave meaningful: its text and
# background colours (backgrounds composited over the page), border, outline, weight, underline.
LOOK_JS = r"""(el) => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (t, u) => [0, 1, 2].map(i => t[i] * t[3] + u[i] * (1 - t[3])).concat([1]);
  const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const chain = []; for (let a = el; a; a = a.parentElement) chain.unshift(a);
  let bg = [255, 255, 255, 1]; for (const a of chain) bg = over(parse(getComputedStyle(a).backgroundColor), bg);
  const s = getComputedStyle(el);
  const side = p => s[p + 'Width'] === '0px' || s[p + 'Style'] === 'none' ? 'none' : `${s[p + 'Width']} ${s[p + 'Style']} ${hex(over(parse(s[p + 'Color']), bg))}`;
  return {text: hex(over(parse(s.color), bg)), background: hex(bg),
          border: ['borderTop', 'borderRight', 'borderBottom', 'borderLeft'].map(side).join(' / '),
          outline: s.outlineStyle === 'none' ? 'none' : `${s.outlineWidth} ${s.outlineStyle}`,
          weight: s.fontWeight, underline: s.textDecorationLine};
}"""
# An icon drawn by a CSS mask on ::before or ::after: its colour against what is behind it.
ICON_JS = r"""([el, pseudo]) => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (t, u) => [0, 1, 2].map(i => t[i] * t[3] + u[i] * (1 - t[3])).concat([1]);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const chain = []; for (let a = el; a; a = a.parentElement) chain.unshift(a);
  let bg = [255, 255, 255, 1]; for (const a of chain) bg = over(parse(getComputedStyle(a).backgroundColor), bg);
  const s = getComputedStyle(el, pseudo), mask = s.maskImage || s.webkitMaskImage || 'none';
  const icon = over(parse(s.backgroundColor), bg), [l1, l2] = [lum(icon), lum(bg)].sort((a, b) => b - a);
  return {drawn: s.content !== 'none' && mask !== 'none' && s.display !== 'none', icon: hex(icon), behind: hex(bg),
          ratio: Math.round((l1 + 0.05) / (l2 + 0.05) * 100) / 100};
}"""
FORCED_ICONS = {
    "the key-points box icon": (".admonition.key-points > .admonition-title", "::before"),
    "the urgent box icon": (".admonition.help-urgent > .admonition-title", "::before"),
    "the soon box icon": (".admonition.help-soon > .admonition-title", "::before"),
    "the 'How to cite' disclosure triangle": (".page-furniture details > summary", "::after"),
}


def forced_colour_problems(page, label: str, tabs: bool, icons: dict, nav: bool) -> list[str]:
    """What disappears under forced colours on the loaded page (see the module docstring)."""
    problems = []
    if tabs:
        labels = page.locator(".tabbed-set").first.locator(".tabbed-labels > label")
        chosen_at = page.evaluate("""() => [...document.querySelector('.tabbed-set').querySelectorAll(':scope > input')]
            .findIndex(i => i.checked)""")
        if labels.count() < 2 or chosen_at < 0:
            problems.append(f"{label}: no tab set with a chosen tab and another one to compare.")
        else:
            chosen = labels.nth(chosen_at).evaluate(LOOK_JS)
            other = labels.nth(1 if chosen_at == 0 else 0).evaluate(LOOK_JS)
            if chosen == other:
                problems.append(f"{label}: in forced colours the chosen tab looks exactly like the others ({DESIGN}).\n"
                                f"    both: {chosen}\n    fix: an @media (forced-colors: active) rule with system "
                                "colours (Highlight, CanvasText) or a border or weight that does not rely on colour.")
    for what, (selector, pseudo) in icons.items():
        if not page.locator(selector).count():
            problems.append(f"{label}: {what} ({selector}) is not on the page; update FORCED_ICONS in tests/test_colours.py.")
            continue
        icon = page.evaluate("([s, p]) => (" + ICON_JS + ")([document.querySelector(s), p])", [selector, pseudo])
        if not icon["drawn"] or icon["ratio"] < MIN_GRAPHIC:
            problems.append(f"{label}: in forced colours {what} vanishes: {icon['icon']} on {icon['behind']} is "
                            f"{icon['ratio']}:1, under {MIN_GRAPHIC}:1 ({DESIGN}; fix: give the {pseudo} icon a system "
                            "colour such as CanvasText, with forced-color-adjust: none).")
    if nav:
        current = page.locator(".md-sidebar--primary a.md-nav__link--active[href]")
        marked = page.locator(".md-sidebar--primary [aria-current='page']")
        if marked.count() != 1 or not current.count() or \
                marked.first.evaluate("el => el.classList.contains('md-nav__link--active')") is not True:
            problems.append(f"{label}: the link to the current page in the navigation does not carry "
                            f"aria-current=\"page\" ({marked.count()} element(s) do) ({DESIGN}: overrides/main.html).")
        # The entry a reader sees: the link on a desktop; in the phone menu (up to 1219px) the
        # label that opens the page's contents (for="__toc"), which Material shows instead.
        shown = page.locator(".md-sidebar--primary .md-nav__link--active:visible")
        if not shown.count():
            problems.append(f"{label}: no current page entry is visible in the navigation.")
        else:
            mine = shown.first.evaluate(LOOK_JS)
            theirs = page.locator(".md-sidebar--primary a.md-nav__link[href]:not(.md-nav__link--active):visible"
                                  ).first.evaluate(LOOK_JS)
            # Text colour alone is not a mark: links and plain text differ only by it.
            if {k: v for k, v in mine.items() if k != "text"} == {k: v for k, v in theirs.items() if k != "text"}:
                problems.append(f"{label}: in forced colours the current page in the navigation is told from the "
                                f"other links by its text colour at most ({DESIGN}).\n    current: {mine}\n    "
                                f"other: {theirs}\n    fix: mark it as the desktop link is (Highlight background, bold).")
    return problems


def test_forced_colours_keep_tabs_icons_and_the_current_page_apart(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, forced_colors="active")
    page = context.new_page()
    problems = []
    try:
        page.goto(base_url + "compare-options/", wait_until="load")
        settle(page)
        problems += forced_colour_problems(page, label_for("compare-options/", 1280, "forced colours"), tabs=True,
                                           icons={k: v for k, v in FORCED_ICONS.items() if "box" not in k or "key" in k},
                                           nav=True)
        page.goto(base_url + "hsct/", wait_until="load")
        settle(page)
        problems += forced_colour_problems(page, label_for("hsct/", 1280, "forced colours"), tabs=False,
                                           icons=FORCED_ICONS, nav=True)
        # The phone menu, open (helper-15 found the current page unmarked there).
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base_url + "hsct/", wait_until="load")
        page.locator("button.guide-menu").click()
        wait_until(page, DRAWER_JS, f"{label_for('hsct/', 390, 'forced colours')}: the menu to open",
                   DRAWER_STATE_JS, arg=True)
        problems += forced_colour_problems(page, label_for("hsct/", 390, "forced colours, menu open"), tabs=False,
                                           icons={}, nav=True)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


_ICON = "url('data:image/svg+xml;charset=utf-8,<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><path d=\"M2 2h20v20H2z\"/></svg>')"
_BROKEN_FORCED = """<!doctype html><html lang="en"><head><title>Forced</title><style>
.tabbed-labels > label { border: 1px solid #999; } input:checked + input + .tabbed-labels > label:first-child { background: #dde; }
.admonition-title::before, summary::after { content: ""; display: inline-block; width: 1em; height: 1em;
  background-color: #1a4f9c; mask-image: ICON; }
.md-nav__link--active { color: #4051b5; }
</style></head><body>
<nav class="md-sidebar--primary"><a class="md-nav__link" href="#a">Home</a>
<a class="md-nav__link md-nav__link--active" href="#b">This page</a></nav>
<main><article><div class="tabbed-set"><input type="radio" name="t" id="t1" checked><input type="radio" name="t" id="t2">
<div class="tabbed-labels"><label for="t1">One</label><label for="t2">Two</label></div></div>
<div class="admonition key-points"><p class="admonition-title">Key points</p><p>Text.</p></div>
<div class="page-furniture"><details><summary>How to cite</summary><p>Cite it.</p></details></div>
</article></main></body></html>""".replace("ICON", _ICON)


def test_forced_colour_checker_fails_on_a_broken_page(browser, tmp_path):
    (tmp_path / "forced").mkdir()
    (tmp_path / "forced" / "index.html").write_text(_BROKEN_FORCED, encoding="utf-8")
    context = browser.new_context(forced_colors="active")
    try:
        with serve(tmp_path) as url:
            page = context.new_page()
            page.goto(url + "forced/", wait_until="load")
            icons = {k: v for k, v in FORCED_ICONS.items() if "key" in k or "cite" in k}
            problems = "\n".join(forced_colour_problems(page, "docs/forced.md [/forced/, forced colours, 1280px]",
                                                        tabs=True, icons=icons, nav=True))
    finally:
        context.close()
    assert "the chosen tab looks exactly like the others" in problems, problems
    assert "the key-points box icon vanishes" in problems and "disclosure triangle vanishes" in problems, problems
    assert 'does not carry aria-current="page" (0 element(s) do)' in problems, problems
    assert "the current page in the navigation is told from the other links by its text colour at most" in problems, problems
