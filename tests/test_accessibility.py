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
the first result is collected, so the four renderer processes share both CPU cores.
"""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from browser_support import SCHEMES, serve, source_of

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
DISABLED_RULES: dict[str, str] = {}  # rule id -> why (see the module docstring)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": AXE_TAGS},
    "resultTypes": ["violations"],
    "rules": {rule: {"enabled": False} for rule in DISABLED_RULES},
}
WIDTHS = (360, 1280)
COMBOS = [(scheme, width) for scheme in SCHEMES for width in WIDTHS]


# ----------------------------------------------------------------------------- checker

def start_axe(page, url: str) -> None:
    """Load `url` and start axe in the page without waiting for it (see collect_axe)."""
    page.goto(url, wait_until="load")
    # setTimeout: most of axe.run is synchronous; defer it so evaluate() returns at once.
    page.evaluate("opts => { window.__guideAxe = new Promise(r => setTimeout(r, 0))"
                  ".then(() => axe.run(document, opts)); }", AXE_OPTIONS)


def collect_axe(page, label: str, scheme: str | None = None) -> list[str]:
    """Wait for the axe run started by start_axe; one readable line per violation."""
    problems = []
    if scheme is not None:
        got = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        if got != SCHEMES[scheme]:
            problems.append(f"{label}: the page did not switch to the {scheme} palette "
                            f"(data-md-color-scheme={got!r}); check theme.palette in mkdocs.yml.")
    result = page.evaluate("() => window.__guideAxe")
    for v in result["violations"]:
        targets = ", ".join(" ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"])
                            for n in v["nodes"][:4])
        more = f" (+{len(v['nodes']) - 4} more)" if len(v["nodes"]) > 4 else ""
        summary = (v["nodes"][0].get("failureSummary") or "").replace("\n", " ").strip()
        summary = re.sub(r"\s+", " ", summary)[:240]
        problems.append(f"{label}: {v['id']} ({v['impact']}) {v['help']}\n"
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
        for (scheme, width), page in pages.items():
            start_axe(page, base + path)
        for (scheme, width), page in pages.items():
            problems += collect_axe(page, f"{source_of(path)} [/{path}, {scheme}, {width}px]", scheme)
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
    assert not problems, (
        f"axe found {len(problems)} accessibility problem(s). Fix them in the page, in overrides/ "
        "or in docs/stylesheets/extra.css - do not switch the rule off:\n\n" + "\n".join(problems))


def test_axe_with_search_open(axe_pages, base_url):
    """The search dialog with results, in both palettes (the dialog is hidden on page load)."""
    problems = []
    for (scheme, width), page in axe_pages.items():
        if width != 360:
            continue
        page.goto(base_url, wait_until="load")
        page.keyboard.press("/")
        page.keyboard.type("transplant")
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        page.evaluate("opts => { window.__guideAxe = axe.run('.md-search', opts); }", AXE_OPTIONS)
        problems += collect_axe(page, f"search dialog [{scheme}, {width}px]", scheme)
    assert not problems, "axe found problems in the open search dialog:\n" + "\n".join(problems)


def test_no_axe_rule_is_switched_off_without_a_reason():
    for rule, why in DISABLED_RULES.items():
        assert len(why) > 30, f"DISABLED_RULES[{rule!r}] needs a real explanation, not {why!r}"


def test_search_dialog_has_an_accessible_name(site):
    missing = []
    for html in sorted(site.rglob("*.html")):
        text = html.read_text(encoding="utf-8")
        for tag in re.findall(r'<div class="md-search"[^>]*>', text):
            if 'role="dialog"' in tag and not re.search(r'aria-label(ledby)?="[^"]+"', tag):
                missing.append(str(html.relative_to(site)))
    assert not missing, ("Material's search dialog has no accessible name on: " + ", ".join(missing)
                         + ". The header block in overrides/main.html adds aria-label; Material's "
                         "partials/search.html markup probably changed - update the replace() there.")


def test_instant_loading_progress_bar_stays_off(site):
    """navigation.instant.progress draws an unlabelled progress bar (axe: aria-progressbar-name)."""
    offenders = [str(p.relative_to(site)) for p in sorted(site.rglob("*.html"))
                 if 'class="md-progress"' in p.read_text(encoding="utf-8")]
    assert not offenders, ("These pages contain Material's unlabelled instant-loading progress bar: "
                           + ", ".join(offenders[:5]) + ". Remove navigation.instant.progress from "
                           "theme.features in mkdocs.yml.")


_BROKEN_PAGE = """<!doctype html><html><head><title>broken</title></head><body>
<main><h1>Broken page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
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
