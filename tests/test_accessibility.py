"""axe-core on every page, light and dark palettes, phone (360 px) and desktop (1280 px) widths.

Zero violations of WCAG 2.0/2.1/2.2 A and AA plus axe's best-practice rules. Known Material
problems are fixed in overrides/ and docs/stylesheets/extra.css, not by turning rules off:

* footer copyright text 4.47:1 in the light scheme -> extra.css (".md-copyright");
* search dialog without an accessible name          -> overrides/main.html (header block);
* instant-loading progress bar without a label      -> navigation.instant(.progress) stays off;
* scrolling tab-label strip (scrollable-region-focusable) -> labels wrap, extra.css ("Tabs").

DISABLED_RULES is empty. A rule may only be added there with a comment saying why, and a test
in this file proving the underlying problem is handled another way.

Speed: one browser, one context per (scheme, width) with axe injected into every document by
an init script, one tab per context reused for every page. axe starts in all four tabs before
the first result is collected, so the four renderer processes share both CPU cores. Two
savings, each checked rather than assumed:
* the dark palette changes colours only, so there axe runs the colour rules (COLOUR_RULES);
  every other rule has already run, at the same width, on the same markup in the light
  palette. The audit fails if the two palettes' markup differs (then run everything twice).
* ASSEMBLED_PAGES are built from other pages (the whole guide on one page); they are audited
  with every rule in the light palette at both widths, and their dark colours are those of the
  pages they are made of, which are audited in full.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from conftest import ROOT, mkdocs_build
from browser_support import CONTRAST_JS, DESIGN, blame, SCHEMES, open_search, page_paths, serve, settle, source_of

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DISABLED_RULES: dict[str, str] = {}  # rule id -> why (see the module docstring)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
    "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
}
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # the rules whose result depends on colours
COLOUR_OPTIONS = {**AXE_OPTIONS, "runOnly": {"type": "rule", "values": COLOUR_RULES}}
ASSEMBLED_PAGES = {"print/": "every page of the guide in one, for printing (overrides/hooks/print_page.py)"}
WIDTHS = (360, 1280)
FIRST_SCHEME = next(iter(SCHEMES))
COMBOS = [(scheme, width) for scheme in SCHEMES for width in WIDTHS]


# ----------------------------------------------------------------------------- checker

def start_axe(page, url: str, options: dict = AXE_OPTIONS) -> int:
    """Load `url` and start axe without waiting for it (see collect_axe); returns the element count."""
    page.goto(url, wait_until="load")
    # setTimeout: most of axe.run is synchronous; defer it so evaluate() returns at once.
    return page.evaluate("opts => { window.__guideAxe = new Promise(r => setTimeout(r, 0))"
                         ".then(() => axe.run(document, opts)); return document.getElementsByTagName('*').length; }",
                         options)


def collect_axe(page, label: str, scheme: str | None = None) -> list[str]:
    """Wait for the axe run started by start_axe; one readable line per violation."""
    problems = []
    if scheme is not None:
        got = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if got != SCHEMES[scheme]:
            problems.append(f"{label}: the page did not switch to the {scheme} palette "
                            f"(data-md-color-scheme={got!r}); check theme.palette in mkdocs.yml.")
    result = page.evaluate("() => window.__guideAxe")
    # For each violation: are all its elements in the page's own text (its Markdown)?
    in_text = page.evaluate("""vs => vs.map(targets => targets.every(t => {
        const sel = Array.isArray(t) ? t[t.length - 1] : t, el = document.querySelector(sel);
        return !!(el && el.closest('.md-content article')); }))""",
                            [[n["target"] for n in v["nodes"]] for v in result["violations"]])
    source = label.split(" ", 1)[0]
    for v, content in zip(result["violations"], in_text):
        targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:4])
        more = f" (+{len(v['nodes']) - 4} more)" if len(v["nodes"]) > 4 else ""
        summary = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ").strip()
        summary = re.sub(r"\s+", " ", summary)[:240]
        problems.append(f"{label}: {v['id']} ({v['impact']}): {v['help']} ({blame(source, content)}).\n"
                        f"    where: {targets}{more}\n    why:   {summary}\n    help:  {v['helpUrl']}")
    return problems


def axe_contexts(browser, combos=COMBOS):
    """{(scheme, width): page} - one context and one reusable tab per combination."""
    pages = {}
    for scheme, width in combos:
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
        context.add_init_script(AXE_SCRIPT)
        pages[(scheme, width)] = context.new_page()
    return pages


def audit(pages: dict, base: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        started, elements = [], {}
        for (scheme, width), page in pages.items():
            if path in ASSEMBLED_PAGES and scheme != FIRST_SCHEME:
                continue
            options = AXE_OPTIONS if scheme == FIRST_SCHEME else COLOUR_OPTIONS
            elements[(scheme, width)] = start_axe(page, base + path, options)
            started.append((scheme, width, page))
        for scheme, width, page in started:
            label = f"{source_of(path)} [/{path}, {scheme}, {width}px]"
            problems += collect_axe(page, label, scheme)
            first = elements.get((FIRST_SCHEME, width))
            if scheme != FIRST_SCHEME and first != elements[(scheme, width)]:
                problems.append(f"{label}: the markup differs between palettes ({first} and "
                                f"{elements[(scheme, width)]} elements), so the {scheme} palette needs every "
                                "axe rule: drop the COLOUR_OPTIONS shortcut in tests/test_accessibility.py.")
    return problems


@pytest.fixture(scope="module")
def axe_pages(browser):
    pages = axe_contexts(browser)
    yield pages
    for page in pages.values():
        page.context.close()


# ----------------------------------------------------------------------------- tests

def test_axe_every_page_both_palettes_phone_and_desktop(axe_pages, base_url, site_urls):
    problems = audit(axe_pages, base_url, site_urls)
    assert not problems, "\n".join(problems) + (
        f"\n\naxe found {len(problems)} accessibility problem(s). Fix each where its first line says; "
        "never switch an axe rule off.")


def test_axe_with_search_open(axe_pages, base_url):
    """The search dialog with results, in both palettes (the dialog is hidden on page load)."""
    problems = []
    for (scheme, width), page in axe_pages.items():
        if width != 360:
            continue
        page.goto(base_url, wait_until="load")
        open_search(page, "transplant")  # waits until the results are shown and no transition runs
        page.evaluate("opts => { window.__guideAxe = axe.run('.md-search', opts); }", AXE_OPTIONS)
        problems += collect_axe(page, f"search dialog [/, {scheme}, {width}px]", scheme)
    assert not problems, "\n".join(problems)


MORE_SUMMARY = ".md-search-result__more > summary"
MIN_CONTRAST = 4.5


def summary_states(page) -> dict[str, dict]:
    """Contrast of the first "N more on this page" summary of the search results, state by state:
    closed and open, each at rest, hovered and keyboard-focused. {state: CONTRAST_JS result}."""
    summary = page.locator(MORE_SUMMARY).first
    text = summary.locator("div")
    found = {}
    for opened in (False, True):
        if summary.evaluate("s => s.parentElement.open") != opened:
            summary.click()
        for state in ("rest", "hover", "focus"):
            page.mouse.move(0, 0)
            page.evaluate("() => document.activeElement && document.activeElement.blur()")
            if state == "hover":
                summary.hover()
            elif state == "focus":
                summary.focus()
            settle(page, f"the search result summary to finish its {state} transition")
            found[f"{'open' if opened else 'closed'}, {state}"] = text.evaluate(CONTRAST_JS)
    return found


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_search_more_results_link_is_readable_in_every_state(browser, base_url, scheme):
    """axe measures only the state the page happens to be in; this measures each one."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(base_url, wait_until="load")
        open_search(page, "transplant")
        assert page.locator(MORE_SUMMARY).count(), (
            "search dialog: no result for 'transplant' has a 'more on this page' summary any more; "
            "choose another query in tests/test_accessibility.py so this check still measures something.")
        states = summary_states(page)
    finally:
        context.close()
    low = [f"{state}: {c['fg']} on {c['bg']} is {c['ratio']}:1" for state, c in states.items()
           if c["ratio"] < MIN_CONTRAST]
    assert len(states) == 6 and not low, (
        f"search dialog [/, {scheme}, 360px]: the 'more on this page' text in the search results is below "
        f"{MIN_CONTRAST}:1 (site design: fix the colours in docs/stylesheets/extra.css): " + "; ".join(low))


def test_no_axe_rule_is_switched_off_without_a_reason():
    for rule, why in DISABLED_RULES.items():
        assert len(why) > 30, f"DISABLED_RULES[{rule!r}] needs a real explanation, not {why!r}"


def test_colour_rules_exist_and_assembled_pages_are_built(axe_pages, base_url, site):
    page = axe_pages[(FIRST_SCHEME, WIDTHS[0])]
    page.goto(base_url, wait_until="load")
    rules = page.evaluate("tags => axe.getRules(tags).map(r => r.ruleId)", AXE_TAGS)
    missing = [r for r in COLOUR_RULES if r not in rules]
    assert not missing, f"axe has no rule {missing} for {AXE_TAGS}: update COLOUR_RULES in tests/test_accessibility.py"
    for path in ASSEMBLED_PAGES:
        assert (site / path / "index.html").exists(), (
            f"ASSEMBLED_PAGES lists {path}, which is no longer built: remove it from tests/test_accessibility.py")


_BROKEN_PAGE = """<!doctype html><html><head><title>broken</title></head><body>
<main><div class="md-content"><article><h1>Broken page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></article></div>
<p style="color:#aaa;background:#fff">Grey text that is far too pale to read.</p>
<a href="#x"></a></main></body></html>"""


def test_axe_checker_reports_a_broken_page(browser, tmp_path):
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "index.html").write_text(_BROKEN_PAGE, encoding="utf-8")
    pages = axe_contexts(browser, [("light", 360)])
    try:
        with serve(tmp_path) as url:
            page = pages[("light", 360)]
            start_axe(page, url + "broken/")
            problems = "\n".join(collect_axe(page, "docs/broken.md [light, 360px]"))
    finally:
        pages[("light", 360)].context.close()
    for rule in ("html-has-lang", "image-alt", "color-contrast", "link-name"):
        assert f"docs/broken.md [light, 360px]: {rule} (" in problems, problems
    assert "help:  https://dequeuniversity.com/" in problems, problems
    first_line = {line.split(": ", 2)[1].split(" ")[0]: line for line in problems.splitlines()
                  if line.startswith("docs/broken.md")}
    assert first_line["image-alt"].endswith("(page content: fix the Markdown in docs/broken.md)."), first_line
    assert first_line["html-has-lang"].endswith(f"({DESIGN})."), first_line


def test_audit_notices_markup_that_differs_between_palettes(browser, tmp_path):
    """The COLOUR_OPTIONS shortcut is only safe while both palettes share one markup."""
    (tmp_path / "shifty").mkdir()
    (tmp_path / "shifty" / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Shifty</title></head>'
        '<body data-md-color-scheme="default"><main><h1>Shifty</h1><p>Text.</p></main>'
        "<script>if (matchMedia('(prefers-color-scheme: dark)').matches) {"
        "document.body.dataset.mdColorScheme = 'slate'; document.querySelector('main').append(document.createElement('p'));}"
        "</script></body></html>", encoding="utf-8")
    pages = axe_contexts(browser, [("light", 360), ("dark", 360)])
    try:
        with serve(tmp_path) as url:
            problems = "\n".join(audit(pages, url, ["shifty/"]))
    finally:
        for page in pages.values():
            page.context.close()
    assert "docs/shifty.md [/shifty/, dark, 360px]: the markup differs between palettes" in problems, problems
    assert "light, 360px]: the markup differs" not in problems, problems


# ----------------------------------------------------------------------------- a longer navigation

EXTRA_PAGES = 10
LONG_NAV_RULES = ["target-size"]


def site_with_extra_pages(tmp: Path, count: int = EXTRA_PAGES) -> Path:
    """A copy of the project (docs/, overrides/, mkdocs.yml) with `count` more pages in the nav,
    as an editor adds them. Returns the mkdocs.yml to build."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    lines = []
    for n in range(1, count + 1):
        slug = f"extra-page-{n}"
        (tmp / "docs" / f"{slug}.md").write_text(
            f"---\ntitle: Extra page {n}\ndescription: A page added to make the navigation longer.\n"
            f"last_reviewed: 2026-11-25\nnext_review: 2027-11-25\n---\n\n# Extra page {n}\n\n"
            f'!!! key-points "Key points"\n\n    - This page is here to make the navigation longer.\n'
            f"    - It has no other content.\n\n## About this page\n\nIt tests the menu.\n", encoding="utf-8")
        lines.append(f"      - Extra page {n}: {slug}.md")
    anchor = "      - Patient stories: patient-stories.md\n"
    assert anchor in config, "tests/test_accessibility.py: the nav changed; update site_with_extra_pages()"
    config = config.replace(anchor, anchor + "\n".join(lines) + "\n")
    (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
    return tmp / "mkdocs.yml"


@pytest.fixture(scope="module")
def long_nav_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("long-nav")
    result = mkdocs_build(site_with_extra_pages(tmp / "project"), tmp / "site")
    assert result.returncode == 0, "The site with 10 extra pages did not build:\n" + result.output[-3000:]
    with serve(tmp / "site") as url:
        yield tmp / "site", url


def test_long_nav_sidebar_title_covers_no_link(browser, long_nav_site):
    """With 10 more pages the sidebar scrolls; its title must never cover a link (target size)
    and no link that takes keyboard focus may sit under it (WCAG 2.4.11 focus not obscured)."""
    from test_browser import tab_through  # the keyboard walker the other focus tests use
    site, url = long_nav_site
    paths = [p for p in page_paths(site) if p != "404.html"]
    options = {**AXE_OPTIONS, "runOnly": {"type": "rule", "values": LONG_NAV_RULES}}
    pages = axe_contexts(browser, [("light", 1280)])
    page = pages[("light", 1280)]
    problems = []
    try:
        for path in paths:
            start_axe(page, url + path, options)
            problems += collect_axe(page, f"{source_of(path)} [/{path}, light, 1280px, 10 extra pages]")
        # Walk the sidebar up from its last link with Shift+Tab: each link the browser scrolls into
        # view arrives at the top of the sidebar, where the title is.
        for path in ("", "about/"):
            page.goto(url + path, wait_until="load")
            page.locator(".md-sidebar--primary a.md-nav__link").last.focus()
            found, _ = tab_through(page, f"{source_of(path)} [/{path}, 1280px, 10 extra pages] Shift+Tab", 30,
                                   "Shift+Tab")
            problems += found
    finally:
        page.context.close()
    assert len(paths) >= 25, f"the long-nav site has only {len(paths)} pages; were the extra pages built?"
    assert not problems, "\n".join(problems) + (
        "\n\nWith 10 more pages in the navigation, the sidebar covers or shrinks links. This is the site's "
        "design, not any page's content: see 'Desktop sidebars' in docs/stylesheets/extra.css.")
