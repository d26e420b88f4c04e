"""Anchor jumps: a link to a #section puts the section's top just under the sticky header.

Clinicians link to headings and references (``/hsct/#risks``, ``/references/#ref-alchi2013``);
citation numbers jump to the page's reference list. The target's top must land between the
header's bottom edge and 1.5rem below it, at every width: a phone (360 px), a tablet (768 px),
a desktop (1280 px) and a desktop at 400% zoom (a 320 px wide layout). Too high and the header
hides it; too low and, at 400% zoom, only two lines of a reference show.

Three kinds of target, each reached two ways (opening the address, and following a link on the
page): a heading, a citation's reference in the page's own list, and an entry on the References
page. A broken page proves the checker fails when the offsets add up (the old fault).
"""
from __future__ import annotations

import pytest

from browser_support import DESIGN, WaitFailed, label_for, serve, wait_until

pytestmark = pytest.mark.browser

WIDTHS = (360, 768, 1280, 320)   # 320: the 1280 px desktop at 400% zoom
MAX_GAP_REM = 1.5

# The target's top has been the same for two polls, the page has loaded and nothing moves.
STABLE_JS = """(id) => { const t = document.getElementById(id); if (!t) return false;
  const top = Math.round(t.getBoundingClientRect().top), same = window.__guideTop === top;
  window.__guideTop = top;
  return same && document.readyState === 'complete' && document.getAnimations().every(a => a.playState !== 'running'); }"""
WHERE_JS = """(id) => { const t = document.getElementById(id), h = document.querySelector('.md-header, body > header');
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return t && {top: t.getBoundingClientRect().top, header: h ? h.getBoundingClientRect().bottom : 0, rem,
               scrollY, hash: location.hash, text: (t.textContent || '').replace('\u00b6', '').trim().slice(0, 50)}; }"""


def landing_problem(page, target: str, label: str, how: str) -> str | None:
    """Why the element with id ``target`` is not just under the header after ``how``, or None."""
    try:
        wait_until(page, STABLE_JS, f"the page to stop scrolling to #{target}", WHERE_JS, arg=target)
    except WaitFailed as exc:
        return f"{label}: {how}: {exc}"
    w = page.evaluate(WHERE_JS, target)
    lowest = w["header"] + MAX_GAP_REM * w["rem"]
    if w["top"] < w["header"] - 1 or w["top"] > lowest + 1:
        where = "under the header" if w["top"] < w["header"] - 1 else f"{w['top'] - w['header']:.0f} px below the header"
        return (f"{label}: {how} puts #{target} ({w['text']!r}) at {w['top']:.0f} px from the top, {where}; it should be "
                f"between {w['header']:.0f} px (the header's bottom) and {lowest:.0f} px ({MAX_GAP_REM}rem below it) "
                f"({DESIGN}: scroll-padding-top and scroll-margin-top in docs/stylesheets/extra.css add up).")
    return None


def jump_problems(page, base: str, path: str, target: str, label: str, link: bool = True) -> list[str]:
    """Open ``path#target`` directly, then (``link``) follow the page's first link to ``#target``."""
    problems = []
    page.goto(f"{base}{path}#{target}", wait_until="load")
    problems.append(landing_problem(page, target, label, f"opening /{path}#{target}"))
    if link:
        page.goto(base + path, wait_until="load")
        anchor = page.locator(f"article a[href='#{target}']").first
        anchor.scroll_into_view_if_needed()
        anchor.click()
        problems.append(landing_problem(page, target, label, f"following the link to #{target}"))
    return [p for p in problems if p]


@pytest.fixture(scope="module")
def anchor_pages(browser):
    pages = {w: browser.new_context(viewport={"width": w, "height": 800}).new_page() for w in WIDTHS}
    yield pages
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_anchor_targets_land_just_under_the_header(anchor_pages, base_url, site, width):
    page = anchor_pages[width]
    hsct = (site / "hsct" / "index.html").read_text(encoding="utf-8")
    assert 'id="risks"' in hsct and 'href="#ref-alchi2013"' in hsct, (
        "docs/hsct.md no longer has a 'Risks' heading or cites alchi2013: choose other targets in tests/test_anchors.py.")
    problems = []
    problems += jump_problems(page, base_url, "hsct/", "risks", label_for("hsct/", width), link=False)
    problems += jump_problems(page, base_url, "hsct/", "ref-alchi2013", label_for("hsct/", width))
    problems += jump_problems(page, base_url, "references/", "ref-alchi2013", label_for("references/", width),
                              link=False)
    # The table of contents links to the heading; at 1280 px it is on screen.
    if width == 1280:
        page.goto(base_url + "hsct/", wait_until="load")
        page.locator(".md-sidebar--secondary a[href='#risks']").click()
        problems.append(landing_problem(page, "risks", label_for("hsct/", width), "the contents link 'Risks'"))
    problems = [p for p in problems if p]
    assert not problems, "\n".join(problems)


_BROKEN_CSS = """html { scroll-padding-top: 110px; } :target { scroll-margin-top: 80px; }
header { position: sticky; top: 0; height: 48px; background: #ddd; } p { height: 400px; }"""
_BROKEN_PAGE = ("""<!doctype html><html lang="en"><head><title>Jumps</title><link rel="stylesheet" href="jumps.css">
</head><body><header>Header</header><main><article><h1>Jumps</h1><p><a href="#far">to the far heading</a></p>"""
                + "<p>Words.</p>" * 6 + '<h2 id="far">Far heading</h2>' + "<p>Words.</p>" * 6
                + "</article></main></body></html>")


def test_anchor_checker_fails_when_the_offsets_add_up(browser, tmp_path):
    (tmp_path / "jumps.css").write_text(_BROKEN_CSS, encoding="utf-8")
    (tmp_path / "index.html").write_text(_BROKEN_PAGE, encoding="utf-8")
    context = browser.new_context(viewport={"width": 360, "height": 800})
    try:
        with serve(tmp_path) as url:
            problems = "\n".join(jump_problems(context.new_page(), url, "", "far", "docs/jumps.md [/, light, 360px]"))
    finally:
        context.close()
    assert problems.count("puts #far ('Far heading') at 190 px from the top, 142 px below the header") == 2, problems
    assert "opening /#far" in problems and "following the link to #far" in problems, problems
