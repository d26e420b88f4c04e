"""Keyboard and screen readers, in a real Chromium: what a keyboard-only or screen-reader user meets.

* Headings and permalinks: a heading's accessible name is its text alone (no trailing "¶"), and
  each heading's permalink is named after its section ("Link to this section: Risks").

Accessible names come from Chromium's own accessibility tree (the Chrome DevTools Protocol's
Accessibility.getFullAXTree), which is what screen readers are given. Each checker also runs
on a small broken page (the _BROKEN_* strings below) to prove it can fail.
"""
from __future__ import annotations

import pytest

from browser_support import DESIGN, label_for, serve

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
