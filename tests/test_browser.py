"""What a patient's browser sees: privacy, CSP and console, keyboard, no JavaScript, reflow, tap targets.

Each check is a small function returning readable problems (page, what, how to fix), and each
one is also run on a deliberately broken page (the _BROKEN_* strings, written to a temporary
folder and served the same way) to prove it can fail.

Two passes visit every page once each and are shared by several tests:
* the phone pass (320 x 800, CSP enforced): CSP violations, console errors, reflow, tap targets;
* the desktop pass (1280 x 900, CSP bypassed so the policy cannot hide an attempted request,
  every request to another origin aborted and recorded): privacy, the skip link, desktop tap
  targets.
Keyboard focus, search, the menu button and no-JavaScript browsing have their own tests.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from browser_support import (DESIGN, DRAWER_JS, DRAWER_STATE_JS, WaitFailed, blame, label_for, open_search,
                             serve, settle, wait_until)

pytestmark = pytest.mark.browser

SEARCH_QUERY = "transplant"
PHONE = {"width": 320, "height": 800}
DESKTOP = {"width": 1280, "height": 900}

# Records CSP violations before any page script runs.
CSP_LISTENER = """window.__guideCsp = [];
document.addEventListener('securitypolicyviolation', e => window.__guideCsp.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline code'} (${(e.sourceFile || '').split('/').pop()}:${e.lineNumber}) ${e.sample || ''}`.trim()));"""

# Measures one loaded page: horizontal overflow, tables, and tap targets (WCAG 2.5.8).
PROBE_JS = r"""() => {
  const vw = document.documentElement.clientWidth;
  const css = el => getComputedStyle(el);
  const shown = el => {
    for (let a = el; a; a = a.parentElement) {
      const s = css(a);
      if (s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse' || s.opacity === '0') return false;
    }
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const scrollBox = el => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['auto', 'scroll'].includes(css(a).overflowX)) return a;
    }
    return null;
  };
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].slice(0, 3).join('.');
    const text = (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ');
    return text ? `${s} "${text.slice(0, 40)}"` : s;
  };
  const out = {vw, scrollWidth: document.documentElement.scrollWidth, wide: [], tables: [], small: []};
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right <= vw + 1 || r.width === 0 || scrollBox(el) || !shown(el)) continue;
    const p = el.parentElement, pr = p && p.getBoundingClientRect();
    if (p && p !== document.body && pr.right > vw + 1 && !scrollBox(p)) continue;  // report outermost only
    out.wide.push({text: `${name(el)} reaches ${Math.round(r.right)}px`, content: !!el.closest('.md-content article')});
  }
  for (const t of document.querySelectorAll('table')) {
    if (!shown(t)) continue;
    const box = scrollBox(t);
    const right = (box || t).getBoundingClientRect().right;
    if (right > vw + 1) out.tables.push({text: `${name(t).slice(0, 60)} is ${Math.round(t.getBoundingClientRect().width)}px wide`
                                        + (box ? ' and so is its scroll box' : ' and has no scroll box of its own'),
                                         content: !!t.closest('.md-content article')});
  }
  // Tap targets: at least 24 x 24 px, unless inline in a sentence, or spaced so that a 24 px
  // circle centred on each does not touch another target (WCAG 2.2 SC 2.5.8 exceptions).
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], [role=button], [tabindex]:not([tabindex="-1"])';
  // Scrolled out of its own scroll box (an evidence table's rows below the box's visible part):
  // not tappable there, though its box overlaps what follows the scroll box.
  const clipped = el => {
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (['visible', 'clip'].includes(css(a).overflowX) && ['visible', 'clip'].includes(css(a).overflowY)) continue;
      const b = a.getBoundingClientRect();
      if (r.bottom <= b.top || r.top >= b.bottom || r.right <= b.left || r.left >= b.right) return true;
    }
    return false;
  };
  const targets = [...document.querySelectorAll(sel)].filter(el => {
    if (!shown(el) || css(el).pointerEvents === 'none') return false;
    const r = el.getBoundingClientRect();
    return r.right > 0 && r.left < vw && !clipped(el);      // off-canvas or scrolled out of its box: not tappable now
  }).map(el => {
    const r = el.getBoundingClientRect();
    return {el, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height};
  });
  const inline = el => {
    if (!css(el).display.startsWith('inline') || css(el).display === 'inline-block' && el.tagName !== 'A') return false;
    let block = el.parentElement;
    while (block && css(block).display.startsWith('inline')) block = block.parentElement;
    const own = (el.textContent || '').trim().length;
    return block && (block.textContent || '').trim().length > own + 10;   // other words around it
  };
  const small = targets.filter(t => (t.w < 24 || t.h < 24) && !inline(t.el));
  for (const t of small) {
    const cx = t.x + t.w / 2, cy = t.y + t.h / 2;
    const clash = targets.find(o => {
      if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return false;
      if (small.includes(o)) return Math.hypot(o.x + o.w / 2 - cx, o.y + o.h / 2 - cy) < 24;
      const dx = Math.max(o.x - cx, 0, cx - (o.x + o.w)), dy = Math.max(o.y - cy, 0, cy - (o.y + o.h));
      return Math.hypot(dx, dy) < 12;
    });
    if (clash) out.small.push({text: `${name(t.el)} is ${Math.round(t.w)}x${Math.round(t.h)}px, too close to ${name(clash.el)}`,
                               content: !!t.el.closest('.md-content article')});
  }
  return out;
}"""

FOCUS_JS = r"""() => {
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  const name = e => {
    let s = e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className.trim()
      ? '.' + e.className.trim().split(/\s+/).filter(c => c !== 'focus-visible').slice(0, 2).join('.') : '');
    const text = (e.getAttribute('aria-label') || e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return text ? `${s} "${text}"` : s;
  };
  const label = name(el);
  let r = el.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) {
    // A visually hidden input (Material's palette switch, tab radios) shows focus on its label.
    const cand = [...(el.labels || []), el.nextElementSibling].filter(Boolean)
      .find(l => l.tagName === 'LABEL' && l.getBoundingClientRect().width > 1);
    if (cand) { el = cand; r = el.getBoundingClientRect(); }
  }
  const header = document.querySelector('.md-header') || document.querySelector('body > header');
  const hb = header && /fixed|sticky/.test(getComputedStyle(header).position) ? header.getBoundingClientRect().bottom : 0;
  let pinned = false, hidden = false;
  for (let a = el; a; a = a.parentElement) {
    const c = getComputedStyle(a);
    if (/fixed|sticky/.test(c.position)) pinned = true;
    if (c.visibility === 'hidden' || c.display === 'none') hidden = true;
  }
  let covered = null;
  if (r.width >= 2 && r.height >= 2 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth) {
    const line = el.getClientRects()[0] || r;   // a link wrapped over two lines: its first line
    const x = Math.min(Math.max(line.left + line.width / 2, 0), innerWidth - 1);
    const y = Math.min(Math.max(line.top + line.height / 2, 0), innerHeight - 1);
    const top = document.elementFromPoint(x, y);
    if (top && !el.contains(top) && !top.contains(el)) covered = name(top);
  }
  return {name: label, top: r.top, bottom: r.bottom, left: r.left, right: r.right, w: r.width, h: r.height,
          header: hb, vw: innerWidth, vh: innerHeight, hidden, pinned, covered,
          content: !!el.closest('.md-content article')};
}"""


# ----------------------------------------------------------------------------- checkers

def foreign_requests(urls: list[str], base: str) -> list[str]:
    """Every URL that is not on the site's own origin (data: and blob: are not requests)."""
    own = urlsplit(base)
    bad = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if (parts.scheme, parts.netloc) != (own.scheme, own.netloc) and url not in bad:
            bad.append(url)
    return bad


def other_origins(base: str) -> re.Pattern:
    """URL pattern for every request not to `base`'s origin (matched inside Playwright, so
    requests to the site itself are not slowed down by interception)."""
    own = urlsplit(base)
    return re.compile(rf"^(?!{re.escape(own.scheme)}://{re.escape(own.netloc)}/)(?!data:|blob:)")


def _source(label: str) -> str:
    return label.split(" ", 1)[0]


def reflow_problems(label: str, probe: dict) -> list[str]:
    problems = []
    wide = probe["wide"]
    if probe["scrollWidth"] > probe["vw"] + 1 or wide:
        who = blame(_source(label), bool(wide) and all(w["content"] for w in wide))
        problems.append(f"{label}: the page scrolls sideways at {probe['vw']}px ({who}).\n"
                        f"    page width: {probe['scrollWidth']}px; too wide: "
                        + "; ".join([w["text"] for w in wide[:6]] or ["(no single element found)"])
                        + "\n    fix: let it wrap, shorten it, or give it its own scroll box.")
    for table in probe["tables"]:
        problems.append(f"{label}: a table is wider than the screen ({blame(_source(label), table['content'])}).\n"
                        f"    table {table['text']}; tables must scroll inside their own box "
                        "(.md-typeset__scrollwrap), not the page.")
    return problems


def tap_target_problems(label: str, probe: dict) -> list[str]:
    return [f"{label}: a tap target is smaller than 24x24px ({blame(_source(label), t['content'])}).\n"
            f"    {t['text']}. Make it at least 24x24px or move it away (WCAG 2.5.8)." for t in probe["small"]]


def focus_problem(label: str, f: dict | None) -> str | None:
    """Why a focused element (FOCUS_JS result) cannot be seen, or None if it can."""
    if f is None:
        return None
    who = blame(_source(label), f["content"])
    where = f"{label}: focused {f['name']}"
    if f["hidden"] or f["w"] < 2 or f["h"] < 2:
        return (f"{where} is invisible (hidden, transparent or zero-sized) yet takes keyboard focus ({who}).\n"
                "    fix: hide it with visibility: hidden while it is not shown.")
    if f["right"] <= 0 or f["left"] >= f["vw"] or f["bottom"] <= 0 or f["top"] >= f["vh"]:
        return (f"{where} is off-screen (left {f['left']:.0f}, top {f['top']:.0f}px) yet takes keyboard "
                f"focus ({who}).")
    if not f["pinned"] and f["top"] < f["header"] - 1:
        return (f"{where} is hidden under the sticky header ({who}).\n    top {f['top']:.0f}px, header ends "
                f"at {f['header']:.0f}px. Check scroll-padding-top in docs/stylesheets/extra.css.")
    if f["covered"]:
        return f"{where} is covered by {f['covered']} ({who}).\n    fix: move or hide the covering element."
    return None


def tab_through(page, label: str, presses: int, key: str = "Tab") -> tuple[list[str], int]:
    """Press `key` up to `presses` times; problems for focused elements one cannot see."""
    problems, seen = [], 0
    for _ in range(presses):
        page.keyboard.press(key)
        f = page.evaluate(FOCUS_JS)
        if f is None:
            continue
        seen += 1
        problem = focus_problem(label, f)
        if problem:  # look again once transitions (search closing, fades, scrolling) have finished
            settle(page, "the page to stop moving after Tab")
            problem = focus_problem(label, page.evaluate(FOCUS_JS))
        if problem and problem not in problems:
            problems.append(problem)
    return problems, seen


def skip_link_problems(page, label: str) -> list[str]:
    """The first Tab lands on a visible skip link; following it puts the next Tab inside <main>."""
    page.keyboard.press("Tab")
    first = page.evaluate("""() => { const e = document.activeElement; return e && {
        skip: e.matches('a.md-skip, a[href^="#"]') && /skip/i.test(e.textContent),
        text: (e.textContent || e.tagName).trim().slice(0, 40), href: e.getAttribute('href') }; }""")
    if not first or not first["skip"]:
        return [f"{label}: the first Tab stop is {first and first['text']!r}, not a 'Skip to content' link."]
    problems = []
    try:  # Material fades the skip link in when it takes focus
        page.wait_for_function("""() => { const e = document.activeElement, r = e.getBoundingClientRect();
            return r.width > 0 && r.bottom > 0 && getComputedStyle(e).opacity === '1'; }""", timeout=3000)
    except Exception:
        problems.append(f"{label}: the skip link stays invisible when focused.")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('main, [role=main]')")
    if not inside:
        name = page.evaluate("() => document.activeElement.outerHTML.slice(0, 80)")
        problems.append(f"{label}: after following the skip link ({first['href']}), Tab went to {name} "
                        "outside the main content.")
    return problems


def search_keyboard_problems(page, base: str, query: str = SEARCH_QUERY, max_tabs: int = 8) -> list[str]:
    """Tab to the search field (no shortcuts), type, ArrowDown to a result, Enter follows it."""
    page.goto(base, wait_until="load")
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('input[type=search], input[name=query], [role=searchbox]')"):
            break
    else:
        return [f"{base}: no search field within {max_tabs} Tab presses."]
    if not page.evaluate("() => document.activeElement.getBoundingClientRect().width > 0"):
        return [f"{base}: the search field takes focus but cannot be seen."]
    try:
        open_search(page, query, keys=None)
    except WaitFailed as exc:
        return [f"{base}: typing {query!r} in the search field showed no results. {exc}"]
    page.keyboard.press("ArrowDown")
    href = page.evaluate("() => document.activeElement.closest('a') && document.activeElement.closest('a').href")
    if not href:
        return [f"{base}: ArrowDown in the search field did not move to a result."]
    try:
        with page.expect_navigation(timeout=10_000, wait_until="load"):
            page.keyboard.press("Enter")
    except Exception:
        return [f"{base}: Enter on the result {href} did not open it."]
    text = page.inner_text("main")
    if query.lower() not in text.lower():
        return [f"{page.url}: the search result for {query!r} does not mention it."]
    return []


def nojs_page_problems(page, label: str, min_nav_links: int) -> list[str]:
    """Without JavaScript: the main text and the site navigation are visible."""
    info = page.evaluate("""() => {
      const main = document.querySelector('main, [role=main]');
      const vis = e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);
                         return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0'; };
      const article = main && (main.querySelector('article') || main);
      return {main: !!main, text: article && vis(article) ? article.innerText.trim().length : 0,
              h1: !!(main && main.querySelector('h1') && vis(main.querySelector('h1'))),
              nav: [...document.querySelectorAll('nav a[href]')].filter(vis).length};
    }""")
    problems = []
    if not info["main"] or info["text"] < 100 or not info["h1"]:
        problems.append(f"{label}: without JavaScript the main content is not shown "
                        f"({info['text']} characters visible, heading visible: {info['h1']}).")
    if info["nav"] < min_nav_links:
        problems.append(f"{label}: without JavaScript only {info['nav']} navigation links are visible "
                        f"(expected at least {min_nav_links}).")
    return problems


NOJS_SEARCH_JS = r"""() => {
  const seen = e => { for (let a = e; a; a = a.parentElement) { const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden') return false; }
    const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.right > 0 && r.left < innerWidth; };
  const header = document.querySelector('header') || document.body;
  const notes = [...header.querySelectorAll('p, div, span')].filter(e => seen(e)
      && /search/i.test(e.textContent) && /javascript/i.test(e.textContent) && e.textContent.length < 200);
  const note = notes[notes.length - 1];
  const fields = [...document.querySelectorAll('input[type=text], input[type=search], input[name=query]')].filter(seen);
  return {note: note ? note.textContent.trim().replace(/\s+/g, ' ') : null,
          links: note ? [...note.querySelectorAll('a[href]')].filter(seen).map(a => ({text: a.textContent.trim(), href: a.href})) : [],
          fields: fields.length};
}"""


def nojs_search_problems(page, label: str) -> list[str]:
    """Without JavaScript the header says that search needs it, and links to all pages and the Glossary."""
    info = page.evaluate(NOJS_SEARCH_JS)
    if not info["note"]:
        return [f"{label}: without JavaScript search is simply missing: no note in the header says it needs "
                f"JavaScript ({DESIGN}: the header block in overrides/main.html)."]
    problems = []
    texts = " ".join(link["text"].lower() for link in info["links"])
    if "glossary" not in texts or not any(w in texts for w in ("all pages", "site map")):
        problems.append(f"{label}: the no-JavaScript search note {info['note']!r} must link to the list of all "
                        f"pages and to the Glossary; it links to {[l['text'] for l in info['links']]} ({DESIGN}).")
    if info["fields"]:
        problems.append(f"{label}: without JavaScript a search field is still shown, which cannot work ({DESIGN}).")
    return problems


def csp_console_problems(label: str, violations: list[str], console: list[str]) -> list[str]:
    return ([f"{label}: the Content-Security-Policy blocked something ({DESIGN}).\n    {v}\n    fix: allow "
             f"it in overrides/partials/head-meta.html only if it is needed, or remove the inline code."
             for v in violations]
            + [f"{label}: the browser console shows an error ({DESIGN}).\n    console {c}" for c in console])


def csp_of(html: str) -> str | None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    return m.group(1) if m else None


def inline_script_problems(site: Path) -> list[str]:
    """Every inline script after the CSP meta tag must be allowed by its hash."""
    problems = []
    for html_file in sorted(site.rglob("*.html")):
        text = html_file.read_text(encoding="utf-8")
        policy = csp_of(text)
        if policy is None:
            continue
        after = text[text.index("Content-Security-Policy"):]
        allowed = set(re.findall(r"'(sha256-[A-Za-z0-9+/=]+)'", policy))
        for m in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", after, re.S):
            attrs = m.group("attrs")
            if "src=" in attrs or re.search(r'type="(?!text/javascript|module)[^"]+"', attrs):
                continue  # external file, or data such as application/json
            digest = "sha256-" + base64.b64encode(hashlib.sha256(m.group("body").encode()).digest()).decode()
            if digest not in allowed:
                line = text[: text.index(m.group(0))].count("\n") + 1 if m.group(0) in text else "?"
                problems.append(f"{html_file.relative_to(site)}:{line}: inline script "
                                f"{m.group('body')[:60]!r}... is not allowed by the CSP. If it is "
                                f"meant to be there, add '{digest}' to script-src in "
                                "overrides/partials/head-meta.html.")
    return problems


def policy_problems(policy: str) -> list[str]:
    """The policy allows only this origin: no 'unsafe-*', no hosts, no wildcards."""
    problems = []
    for directive in filter(None, (d.strip() for d in policy.split(";"))):
        name, *sources = directive.split()
        for src in sources:
            ok = (src in ("'self'", "'none'", "data:") or src.startswith("'sha256-"))
            if not ok:
                problems.append(f"CSP {name} allows {src}; only 'self', 'none', data: and "
                                "'sha256-...' hashes are allowed (overrides/partials/head-meta.html).")
    return problems


# ----------------------------------------------------------------------------- page passes

def visit(page, url: str, tooltip: bool = False, load: bool = True) -> None:
    if load:
        page.goto(url, wait_until="load")
    # Wake up what reacts to the reader: scrolling (back-to-top button), and a glossary tooltip.
    page.evaluate("() => { scrollTo(0, document.body.scrollHeight); scrollBy(0, -600); }")
    if tooltip:
        abbr = page.locator(".md-content abbr[title]").first
        if abbr.count():
            abbr.hover()
    settle(page, "the page to stop moving after scrolling")


def phone_pass(browser, base: str, paths: list[str]) -> dict:
    """{path: {"probe", "csp", "console"}} with CSP enforced at 320 px."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(f"error: {m.text}"))
    page.on("pageerror", lambda e: console.append(f"uncaught error: {e}"))
    results = {}
    try:
        for path in paths:
            visit(page, base + path, tooltip=path == paths[0])
            probe = page.evaluate(PROBE_JS)
            if path == paths[0]:  # one search too, under the CSP (the search worker)
                open_search(page, SEARCH_QUERY)
                page.keyboard.press("Escape")
            results[path] = {"probe": probe, "csp": page.evaluate("window.__guideCsp"), "console": list(console)}
            console.clear()
    finally:
        context.close()
    return results


def privacy_pass(browser, base: str, paths: list[str]) -> dict:
    """Every page, plus a search on two of them; records requests, aborts foreign ones.
    Also tries the skip link on each page as it loads (one page load serves both checks)."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))

    def gate(route):
        seen.append(route.request.url)
        route.abort()

    context.route(other_origins(base), gate)
    page = context.new_page()
    probes, searched, skips = {}, [], {}
    try:
        for path in paths:
            if path in (paths[0], paths[-1]):
                # Search first, on a fresh load: following the skip link changes the #fragment, and
                # Material closes the search dialog 125 ms after any #fragment change.
                page.goto(base + path, wait_until="load")
                open_search(page, SEARCH_QUERY)
                with page.expect_navigation(wait_until="load"):
                    page.locator(".md-search-result__link").first.click()
                searched.append(path)
            page.goto(base + path, wait_until="load")
            if path != "404.html":  # Material gives the 404 page no skip link (it has no contents list)
                skips[path] = skip_link_problems(page, label_of(path, DESKTOP["width"]))
            visit(page, base + path, load=False)
            probes[path] = page.evaluate(PROBE_JS)
    finally:
        context.close()
    return {"requests": seen, "probes": probes, "searched": searched, "skips": skips}


@pytest.fixture(scope="module")
def phone(browser, base_url, site_urls):
    return phone_pass(browser, base_url, site_urls)


@pytest.fixture(scope="module")
def desktop(browser, base_url, site_urls):
    return privacy_pass(browser, base_url, site_urls)


def label_of(path: str, width: int, scheme: str = "light") -> str:
    return label_for(path, width, scheme)


# ----------------------------------------------------------------------------- privacy

def test_no_request_leaves_the_site(desktop, base_url, site_urls):
    assert len(desktop["searched"]) == 2 and any("search_index" in u for u in desktop["requests"])
    bad = foreign_requests(desktop["requests"], base_url)
    assert not bad, (f"Loading {len(site_urls)} pages and searching contacted other sites:\n  "
                     + "\n  ".join(bad) + "\nServe the file from this site, or remove the feature "
                     "(a theme option, a repo_url widget, an embed...).")


# ----------------------------------------------------------------------------- CSP and console

def test_csp_allows_only_this_site(site):
    policy = csp_of((site / "index.html").read_text(encoding="utf-8"))
    assert policy, "No Content-Security-Policy meta tag: overrides/partials/head-meta.html must add it."
    problems = policy_problems(policy)
    assert not problems, "\n".join(problems)


def test_csp_hashes_cover_every_inline_script(site):
    problems = inline_script_problems(site)
    assert not problems, "\n".join(problems)


def test_zero_csp_violations_and_console_errors(phone):
    problems = []
    for path, result in phone.items():
        problems += csp_console_problems(label_of(path, 320), result["csp"], result["console"])
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- reflow and tap targets

def test_no_sideways_scrolling_at_320px(phone):
    problems = [p for path, r in phone.items() for p in reflow_problems(label_of(path, 320), r["probe"])]
    assert not problems, "\n".join(problems)


def test_tap_targets_are_at_least_24px(phone, desktop):
    problems = [p for path, r in phone.items() for p in tap_target_problems(label_of(path, 320), r["probe"])]
    problems += [p for path, probe in desktop["probes"].items()
                 for p in tap_target_problems(label_of(path, 1280), probe)]
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- keyboard

@pytest.fixture(scope="module")
def keyboard_pages(browser):
    pages = {w: browser.new_context(viewport={"width": w, "height": 800}).new_page() for w in (360, 1280)}
    yield pages
    for page in pages.values():
        page.context.close()


def test_skip_link_is_first_and_leads_to_the_content(desktop, site_urls):
    assert len(desktop["skips"]) == len([p for p in site_urls if p != "404.html"])
    problems = [p for found in desktop["skips"].values() for p in found]
    assert not problems, "\n".join(problems)


def longest_page(site: Path, paths: list[str]) -> str:
    content = [p for p in paths if p not in ("", "404.html", "print/")]
    return max(content, key=lambda p: (site / p / "index.html").stat().st_size)


@pytest.mark.parametrize("width", [360, 1280])
def test_focus_is_never_hidden_under_the_header(keyboard_pages, base_url, site, site_urls, width):
    page, path = keyboard_pages[width], longest_page(site, site_urls)
    page.goto(base_url + path, wait_until="load")
    # 100 stops forward from the top and 100 back from the bottom: header, menus and both ends of the text.
    problems, forward = tab_through(page, label_of(path, width) + " Tab", 100)
    page.goto(base_url + path, wait_until="load")
    back, backward = tab_through(page, label_of(path, width) + " Shift+Tab", 100, "Shift+Tab")
    problems += back
    # Following an in-page link (a citation) must not park its target under the header.
    page.goto(base_url + path, wait_until="load")
    cite = page.locator(".md-content a[href^='#']:not(.headerlink):not(.md-skip)").first
    if cite.count():
        cite.focus()
        page.keyboard.press("Enter")
        wait_until(page, "() => location.hash.length > 1 && document.getAnimations().every(a => a.playState !== 'running')",
                   "the citation link to move to its reference", "() => location.href")
        top = page.evaluate("""() => { const t = document.getElementById(decodeURIComponent(location.hash.slice(1)));
            return t ? [t.getBoundingClientRect().top, document.querySelector('.md-header').getBoundingClientRect().bottom] : null; }""")
        if top and top[0] < top[1] - 1:
            problems.append(f"{label_of(path, width)}: the target of {page.url.split('/')[-1]} lands under the "
                            f"sticky header ({top[0]:.0f}px < {top[1]:.0f}px); check scroll-margin-top in extra.css.")
    assert forward > 40 and backward > 40, f"Only {forward}/{backward} focus stops on {path}: was the page tested?"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [360, 1280])
def test_search_with_the_keyboard_alone(keyboard_pages, base_url, width):
    problems = search_keyboard_problems(keyboard_pages[width], base_url)
    assert not problems, "\n".join(problems)




def test_menu_button_opens_the_drawer_with_the_keyboard(keyboard_pages, base_url):
    page = keyboard_pages[360]
    page.goto(base_url, wait_until="load")
    name = None
    for _ in range(6):
        page.keyboard.press("Tab")
        name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
        if name == "Menu":
            break
    assert name == "Menu", ("The menu button cannot be reached with Tab at 360px: check the "
                            "menu button in docs/javascripts/guide.js.")
    page.keyboard.press("Enter")
    wait_until(page, DRAWER_JS, "the menu to open after Enter on the menu button", DRAWER_STATE_JS, arg=True)
    links = page.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
        .filter(a => a.getBoundingClientRect().right > 0 && getComputedStyle(a).visibility === 'visible').length""")
    assert links >= 5, f"The opened drawer shows {links} links"
    page.keyboard.press("Escape")
    wait_until(page, DRAWER_JS, "the menu to close after Escape", DRAWER_STATE_JS, arg=False)
    problems, _ = tab_through(page, "/ [360px, menu closed]", 12)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [360, 1280])
def test_palette_switch_is_visible_when_reached_backwards(keyboard_pages, base_url, width):
    """Shift+Tab into the colour switch must land on the switch one can see, not a hidden radio."""
    page = keyboard_pages[width]
    page.goto(base_url, wait_until="load")
    start = page.evaluate("""() => { const f = document.querySelector('form[data-guide-palette]');
        const all = [...document.querySelectorAll('a[href], button, input, label[tabindex]')];
        const next = all.find(e => f.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING && !f.contains(e)
                                   && e.getBoundingClientRect().width > 0);
        if (next) next.focus(); return next ? next.outerHTML.slice(0, 60) : null; }""")
    assert start, "no focusable element after the colour switch in the header"
    problems, _ = tab_through(page, label_of("", width), 1, "Shift+Tab")
    assert "md-option" in page.evaluate("document.activeElement.className"), (
        f"{label_of('', width)}: Shift+Tab from {start} did not reach the colour switch ({DESIGN}).")
    assert not problems, "\n".join(problems)


GUIDE_PALETTE_JS = """() => { const f = document.querySelector('form[data-guide-palette]');
  const inputs = f ? [...f.querySelectorAll('input.md-option')] : [];
  return {form: !!f, material: !!document.querySelector('[data-md-component=palette]'),
          scheme: document.body.getAttribute('data-md-color-scheme'),
          checked: inputs.findIndex(i => i.checked),
          shown: inputs.map(i => i.nextElementSibling && !i.nextElementSibling.hidden),
          focused: inputs.indexOf(document.activeElement),
          saved: (window.__md_get && __md_get('__palette') || {}).index}; }"""


def test_colour_switch_keeps_the_readers_choice_across_pages(browser, base_url):
    """guide.js runs the colour switch (overrides/main.html, 5: Material's re-styled every element
    four times as a page opened). With no choice yet it follows the system setting; a click or
    Enter moves to the next palette; the choice holds on the next page, in Material's record."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    page = context.new_page()
    try:
        def expect(path: str, what: str, scheme: str, index: int, **more) -> None:
            wait_until(page, """([scheme, index, more]) => { const s = (%s)();
                return s.scheme === scheme && s.checked === index && s.shown.filter(Boolean).length === 1
                       && s.shown[index] && Object.entries(more).every(([k, v]) => s[k] === v); }""" % GUIDE_PALETTE_JS,
                       f"{label_for(path, 1280, 'dark')}: {what} ({DESIGN}: paletteSwitch in docs/javascripts/guide.js)",
                       GUIDE_PALETTE_JS, arg=[scheme, index, more])

        page.goto(base_url, wait_until="load")
        state = page.evaluate(GUIDE_PALETTE_JS)
        assert state["form"] and not state["material"], (
            f"{label_for('', 1280, 'dark')}: the colour switch should be marked data-guide-palette, not started "
            f"by Material ({state}); check block header in overrides/main.html.")
        expect("", "the system setting (dark) with no choice made yet", "slate", 0)
        page.locator("form[data-guide-palette] label:not([hidden])").click()
        expect("", "the light palette after a click on the switch, and the choice kept", "default", 1, saved=1)
        page.locator("#__palette_1").focus()
        page.keyboard.press("Enter")
        expect("", "the dark palette after Enter, with focus on the switch", "slate", 2, saved=2, focused=2)
        page.emulate_media(color_scheme="light")  # a chosen palette does not follow the system
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        expect("", "the dark palette kept when the system setting turned light", "slate", 2, saved=2)
        page.goto(base_url + "print/", wait_until="load")
        expect("print/", "the dark palette chosen on the home page", "slate", 2, saved=2)
        page.locator("form[data-guide-palette] label:not([hidden])").click()
        expect("print/", "the system setting (now light) after a click", "default", 0, saved=0)
        page.goto(base_url + "hsct/", wait_until="load")
        expect("hsct/", "the system setting chosen on the print page (light)", "default", 0, saved=0)
        page.emulate_media(color_scheme="dark")
        expect("hsct/", "the system setting, followed when it changes to dark", "slate", 0)
    finally:
        context.close()


# ----------------------------------------------------------------------------- no JavaScript

def test_every_page_works_without_javascript(browser, base_url, site_urls, site):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    try:
        nav = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
        links = {a.get_text(" ", strip=True): urljoin(base_url, a["href"])
                 for a in nav.select("nav.md-nav--primary a.md-nav__link[href]")
                 if not a["href"].startswith("#")}  # not the current page's own contents
        nav_hrefs = list(links.values())
        assert len(nav_hrefs) >= 5, "The home page has no primary navigation to test"
        problems = []
        for path in site_urls:
            page.goto(base_url + path, wait_until="load")
            problems += nojs_page_problems(page, label_of(path, 1280) + " no-JS", min_nav_links=len(nav_hrefs) // 2)
        # Walk the whole navigation by clicking: from the home page to the first entry, from
        # there to the next, and so on (each click starts on the page the last one opened).
        page.goto(base_url, wait_until="load")
        for title, expected in links.items():
            link = page.locator("nav.md-nav--primary a.md-nav__link:not([href^='#'])").filter(
                has_text=re.compile(rf"^\s*{re.escape(title)}\s*$")).first
            if not link.count() or not link.is_visible():
                problems.append(f"no-JS: on {page.url} the navigation link {title!r} is missing or hidden")
                page.goto(expected, wait_until="load")
                continue
            with page.expect_navigation(wait_until="load"):
                link.click()
            if page.url != expected:
                problems.append(f"no-JS: the navigation link {title!r} led to {page.url}, not {expected}")
            elif not page.evaluate("() => !!document.querySelector('main h1')"):
                problems.append(f"no-JS: {page.url} (navigation link {title!r}) shows no heading")
        # On a phone the menu is a CSS-only drawer: it must open without JavaScript too.
        phone = context.new_page()
        phone.set_viewport_size({"width": 360, "height": 800})
        phone.goto(base_url, wait_until="load")
        phone.locator('label.md-header__button[for="__drawer"]').click()
        wait_until(phone, DRAWER_JS, "the menu to open without JavaScript", DRAWER_STATE_JS, arg=True,
                   scripts=False)
        shown = phone.evaluate("""() => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
            .filter(a => a.getBoundingClientRect().right > 0 && getComputedStyle(a).visibility === 'visible').length""")
        if shown < 5:
            problems.append(f"no-JS at 360px: the menu opened with {shown} visible links.")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", [320, 1280])
def test_without_javascript_search_says_so_and_points_to_every_page(browser, base_url, site_urls, width):
    """Where the search would be: a note that it needs JavaScript, with links to the list of every
    page (the site map) and to the Glossary; the site map lists every page of the guide."""
    context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    problems = []
    try:
        for path in ("", "hsct/", "404.html"):
            page.goto(base_url + path, wait_until="load")
            problems += nojs_search_problems(page, label_of(path, width) + " no-JS")
        page.goto(base_url + "hsct/", wait_until="load")
        links = page.evaluate(NOJS_SEARCH_JS)["links"]
        pages = next((l["href"] for l in links if "all pages" in l["text"].lower()), None)
        if pages:
            page.goto(pages, wait_until="load")
            listed = set(page.evaluate("() => [...document.querySelectorAll('article a[href]')].map(a => a.href)"))
            wanted = {base_url + p for p in site_urls if p not in ("404.html",)}
            missing = sorted(u[len(base_url) - 1:] for u in wanted - listed if not u.endswith("/site-map/"))
            if missing:
                problems.append(f"no-JS: the list of all pages ({pages}) does not link to {missing} ({DESIGN}).")
    finally:
        context.close()
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- broken fixtures

_BROKEN_CSS = """
.wide { width: 1000px; height: 10px; background: #ccc; }
.tiny { width: 10px; height: 10px; padding: 0; border: 0; display: block; }
header { position: sticky; top: 0; height: 120px; background: #fff; }
.no-js main { display: none; }
"""
_BROKEN_PAGE = """<!doctype html><html lang="en"><head><title>Broken</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'">
<link rel="stylesheet" href="broken.css"></head><body>
<header><a href="#x">First link</a></header>
<div class="layout-band wide"></div>
<main><div class="md-content"><article><h1>Broken</h1><p>Some words.</p>
<div class="wide"></div>
<table><tr><td><div class="wide">a table wider than the phone</div></td></tr></table>
<button class="tiny" aria-label="one"></button><button class="tiny" aria-label="two"></button>
<img src="http://127.0.0.1:9/tracker.png" alt="">
<img src="missing.png" alt="">
<script>console.log("inline code the CSP blocks")</script>
""" + "".join(f'<p><a href="#p{i}" id="p{i}">link {i}</a></p>' for i in range(40)) + """
</article></div></main></body></html>"""
# Content that only a script reveals, and no navigation at all.
_BROKEN_NOJS_PAGE = """<!doctype html><html lang="en" class="no-js"><head><title>No JS</title>
<link rel="stylesheet" href="../broken.css"></head><body>
<main><h1>Hidden without JavaScript</h1><p>""" + "Words. " * 40 + """</p></main>
<script>document.documentElement.classList.remove("no-js")</script></body></html>"""


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("broken-browser")
    (root / "broken.css").write_text(_BROKEN_CSS, encoding="utf-8")
    (root / "index.html").write_text(_BROKEN_PAGE, encoding="utf-8")
    (root / "nojs").mkdir()
    (root / "nojs" / "index.html").write_text(_BROKEN_NOJS_PAGE, encoding="utf-8")
    with serve(root) as url:
        yield root, url


def test_checkers_fail_on_a_broken_page(browser, broken_site):
    root, url = broken_site
    phone = phone_pass_no_search(browser, url)
    label = "docs/broken.md [/, light, 320px]"
    reflow = "\n".join(reflow_problems(label, phone["probe"]))
    assert "scrolls sideways at 320px" in reflow and "div.wide" in reflow, reflow
    assert "div.layout-band" in reflow and f"({DESIGN})" in reflow, reflow  # one wide thing is layout
    assert "has no scroll box of its own" in reflow, reflow
    assert "(page content: fix the Markdown in docs/broken.md)" in reflow, reflow  # the table is text
    taps = "\n".join(tap_target_problems(label, phone["probe"]))
    assert 'button.tiny "one" is 10x10px' in taps and "WCAG 2.5.8" in taps, taps
    assert taps.startswith(label + ": a tap target is smaller than 24x24px (page content: fix the Markdown"), taps
    csp = "\n".join(csp_console_problems(label, phone["csp"], phone["console"]))
    assert "script-src" in csp and "head-meta.html" in csp, csp
    assert "console error: Failed to load resource" in csp, csp

    seen = privacy_pass_requests(browser, url)
    bad = foreign_requests(seen, url)
    assert bad == ["http://127.0.0.1:9/tracker.png"], bad


def phone_pass_no_search(browser, url: str) -> dict:
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(f"error: {m.text}"))
    try:
        page.goto(url, wait_until="load")
        return {"probe": page.evaluate(PROBE_JS), "csp": page.evaluate("window.__guideCsp"), "console": console}
    finally:
        context.close()


def privacy_pass_requests(browser, url: str) -> list[str]:
    context = browser.new_context(bypass_csp=True)
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    context.route(other_origins(url), lambda route: route.abort())
    try:
        context.new_page().goto(url, wait_until="load")
    finally:
        context.close()
    return seen


def test_keyboard_checkers_fail_on_a_broken_page(browser, broken_site):
    root, url = broken_site
    context = browser.new_context(viewport={"width": 800, "height": 600})
    page = context.new_page()
    try:
        page.goto(url, wait_until="load")
        skip = "\n".join(skip_link_problems(page, "docs/broken.md"))
        assert "not a 'Skip to content' link" in skip and "First link" in skip, skip
        page.goto(url, wait_until="load")
        page.keyboard.press("End")
        hidden, _ = tab_through(page, "docs/broken.md", 20, "Shift+Tab")
        assert any("hidden under the sticky header" in p for p in hidden), hidden
        search = "\n".join(search_keyboard_problems(page, url, max_tabs=3))
        assert "no search field within 3 Tab presses" in search, search
    finally:
        context.close()
    nojs = browser.new_context(java_script_enabled=False)
    try:
        page = nojs.new_page()
        page.goto(url + "nojs/", wait_until="load")
        problems = "\n".join(nojs_page_problems(page, "docs/nojs.md no-JS", min_nav_links=3))
        assert "without JavaScript the main content is not shown" in problems, problems
        assert "only 0 navigation links are visible" in problems, problems
        search = "\n".join(nojs_search_problems(page, "docs/nojs.md no-JS"))
        assert "without JavaScript search is simply missing: no note in the header" in search, search
    finally:
        nojs.close()


def test_static_csp_checkers_fail_on_a_broken_page(tmp_path):
    (tmp_path / "page").mkdir()
    (tmp_path / "page" / "index.html").write_text(
        '<html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
        "script-src 'self' 'sha256-AAAA'\"></head><body>\n<script>alert(1)</script>\n"
        '<script type="application/json">{"data": 1}</script></body></html>', encoding="utf-8")
    problems = "\n".join(inline_script_problems(tmp_path))
    assert "page/index.html:2: inline script 'alert(1)'" in problems, problems
    assert "add 'sha256-" in problems and problems.count("inline script") == 1, problems
    loose = "\n".join(policy_problems("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.example.com"))
    assert "script-src allows 'unsafe-inline'" in loose and "https://cdn.example.com" in loose, loose


# ----------------------------------------------------------------------------- screenshots

def test_screenshot_script_shoots_pages_in_both_palettes(browser, site, tmp_path):
    """scripts/screenshots.py (run it for every page) on a small subset: files, sizes, palettes."""
    import importlib.util
    import struct

    spec = importlib.util.spec_from_file_location("screenshots", Path(__file__).parent.parent / "scripts" / "screenshots.py")
    shots = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shots)
    files = shots.take_screenshots(browser, site, tmp_path, paths=["", "compare-options/"], devices=["phone"])
    names = sorted(f.name for f in files)
    assert names == ["compare-options-phone-dark.png", "compare-options-phone-light.png",
                     "home-phone-dark.png", "home-phone-light.png"], names
    for f in files:
        data = f.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{f.name} is not a PNG"
        width, height = struct.unpack(">II", data[16:24])
        assert width == 360 and height > 800, f"{f.name} is {width}x{height}; expected a full 360px-wide page"
    assert (tmp_path / "home-phone-dark.png").read_bytes() != (tmp_path / "home-phone-light.png").read_bytes(), \
        "The dark and light screenshots are identical: the palette did not switch"


# ----------------------------------------------------------------------------- browser discovery

def test_no_browser_skips_with_one_line_or_fails_under_require_browser(monkeypatch):
    import browser_support

    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        browser_support.no_browser("no Chromium found")
    message = str(skipped.value)
    assert "apt-get install chromium" in message and "\n" not in message, message
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        browser_support.no_browser("no Chromium found")
    assert "REQUIRE_BROWSER=1" in str(failed.value) and "apt-get install chromium" in str(failed.value)


def test_browser_is_found_through_chromium_path_then_system_paths(monkeypatch, tmp_path):
    import browser_support

    fake = tmp_path / "my-chrome"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("CHROMIUM_PATH", str(fake))
    assert browser_support.find_browser() == str(fake)
    monkeypatch.setenv("CHROMIUM_PATH", str(tmp_path / "missing"))
    monkeypatch.setattr(browser_support, "SYSTEM_BROWSERS", (str(tmp_path / "nope"), str(fake)))
    assert browser_support.find_browser() == str(fake)
    monkeypatch.setattr(browser_support, "SYSTEM_BROWSERS", (str(tmp_path / "nope"),))
    assert browser_support.find_browser() is None


def test_without_a_browser_browser_tests_are_left_out_with_one_line(monkeypatch):
    from types import SimpleNamespace

    import browser_support

    class Item:
        def __init__(self, browser: bool):
            self.browser = browser

        def get_closest_marker(self, name):
            return self.browser if name == "browser" and self.browser else None

    monkeypatch.setattr(browser_support, "browser_status", lambda: (None, "no Chromium found"))
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    deselected: list = []
    config = SimpleNamespace(hook=SimpleNamespace(pytest_deselected=lambda items: deselected.extend(items)))
    items = [Item(True), Item(False), Item(True)]
    browser_support.leave_out_browser_tests(config, items)
    assert len(items) == 1 and len(deselected) == 2
    lines: list[str] = []
    browser_support.pytest_terminal_summary(SimpleNamespace(write_line=lambda text, **kw: lines.append(text)), 0, config)
    assert len(lines) == 1 and "(2 tests)" in lines[0] and "apt-get install chromium" in lines[0], lines

    monkeypatch.setenv("REQUIRE_BROWSER", "1")  # CI: keep them, so they fail instead
    items = [Item(True), Item(False)]
    browser_support.leave_out_browser_tests(SimpleNamespace(), items)
    assert len(items) == 2
