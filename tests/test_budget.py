"""Page-weight budgets, from the built files (bytes and counts, never timings).

First view of any content page: at most 150 KB (150,000 bytes) on the wire and at most 15
requests, counting the HTML, CSS, JS (Material's search worker included: it starts on every
page), fonts and images. Text is counted gzipped at level 6, as any static host serves it;
PNG/WOFF2 and the like as they are. The search index is left out (it is fetched once and cached).

DOM size: at most 1,500 elements in a page's HTML as built (counted by parsing it, before any
script runs). The element count drives how long a phone takes to lay out and script the page
(Lighthouse flags more than 1,400); the print page has its own, explicit budget (OWN_DOM_BUDGETS).
Speed itself is measured by scripts/bench.py (Lighthouse), never by a test.

What a page fetches comes from its HTML and its stylesheets (browser_support.first_view); a
browser test checks that a real first load fetches nothing that list does not know about.

No page starts Material's colour switch (the form marked data-md-component="palette"): as it
starts, that switch makes the browser work out the style of every element four times over,
which was most of the blocking time of the biggest pages on a phone. docs/javascripts/guide.js
runs the switch instead (overrides/main.html, 5).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import lxml.html
import pytest

from browser_support import DESIGN, SEARCH_INDEX, first_view, serve, transfer_size
from conftest import FIXTURES, ROOT, source_for

MAX_BYTES = 150_000
MAX_REQUESTS = 15
# Pages with their own, explicit budget: path -> (bytes, why). Keep this short.
OWN_BUDGETS: dict[str, tuple[int, str]] = {
    # The print page needed 200 KB until its glossary wrappers and permalinks went (issue 13).
}


MAX_ELEMENTS = 1_500
# Pages with their own element budget: path -> (elements, why). Keep this short.
OWN_DOM_BUDGETS = {
    "print/index.html": (4_000, "the whole guide on one page (about 3,400 elements), opened on purpose to print "
                                "it; grows with every page added to the guide, so raise this only with a new page"),
}


def element_count(html: Path) -> int:
    """Elements in a built HTML file as parsed (head and body), before any script runs."""
    return sum(1 for el in lxml.html.parse(str(html)).getroot().iter() if isinstance(el.tag, str))


def dom_problems(site: Path, pages: list[Path], max_elements: int = MAX_ELEMENTS,
                 own: dict | None = None) -> list[str]:
    """One message per page with more elements than its budget."""
    own = OWN_DOM_BUDGETS if own is None else own
    problems = []
    for html in pages:
        rel = html.relative_to(site).as_posix()
        limit = own.get(rel, (max_elements, ""))[0]
        count = element_count(html)
        if count > limit:
            problems.append(f"{source_for(site, html)} ({rel}): {count:,} HTML elements, over the budget of "
                            f"{limit:,}. A big page is slow to lay out on a phone. Split the page, shorten long "
                            "tables or lists, or (in a template) drop repeated markup.")
    return problems


MATERIAL_PALETTE = 'data-md-component="palette"'
PRINT_PAGES = ("print/index.html", "print.html")  # the whole guide on one page (online, offline copy)


def palette_problems(site: Path, pages: list[Path], template: Path = ROOT / "overrides" / "main.html") -> list[str]:
    """One message (or none) for all the pages whose header still starts Material's colour switch.

    It is never the pages' fault: the template edit in ``template`` stopped matching, usually
    after a Material upgrade changed the form. The message names the template's line."""
    found = [source_for(site, html) for html in pages if MATERIAL_PALETTE in html.read_text(encoding="utf-8")]
    if not found:
        return []
    lines = template.read_text(encoding="utf-8").splitlines()
    line = next((n for n, text in enumerate(lines, 1) if "set palette_form" in text), None)
    name = template.relative_to(ROOT).as_posix()
    where = f"{name}:{line}" if line else f"{name} (block header)"
    return [f"{len(found)} page(s) start Material's colour switch ({MATERIAL_PALETTE}), which re-styles every element "
            f"four times as a page opens: {', '.join(found[:4])}{' ...' if len(found) > 4 else ''} ({DESIGN}). "
            f"{where}: palette_form no longer matches Material's form; copy the form's opening tag from a built "
            f"page into it, so the header edit marks it data-guide-palette again."]


def budget_problems(site: Path, pages: list[Path], max_bytes: int = MAX_BYTES,
                    max_requests: int = MAX_REQUESTS, own: dict | None = None) -> list[str]:
    """One message per page over its byte or request budget (or referencing a missing file)."""
    own = OWN_BUDGETS if own is None else own
    problems = []
    for html in pages:
        rel = html.relative_to(site).as_posix()
        limit = own.get(rel, (max_bytes, ""))[0]
        files, missing = first_view(site, html)
        problems += missing
        sizes = [(html, *transfer_size(html))] + [(f, *transfer_size(f)) for f in files]
        wire = sum(s[2] for s in sizes)
        requests = len(sizes)
        biggest = ", ".join(f"{f.relative_to(site).as_posix()} {w / 1000:.1f} KB"
                            for f, _, w in sorted(sizes, key=lambda s: -s[2])[:4])
        where = f"{source_for(site, html)} ({rel})"
        if wire > limit:
            fix = ("Shorten the page, or shrink or drop the asset (extra_css / extra_javascript in mkdocs.yml).")
            if rel in PRINT_PAGES:  # it holds every page, so an edit anywhere can push it over
                fix = ("This page holds every page of the guide, so whatever you added on any page counts here "
                       "too: shorten your addition, or ask a developer to make room (site design: "
                       "overrides/hooks/print_page.py leaves screen-only parts out of this page).")
            problems.append(f"{where}: first view is {wire:,} bytes ({wire / 1000:.1f} KB) on the wire, over the "
                            f"{limit:,}-byte budget by {wire - limit:,} bytes. Largest: {biggest}. {fix}")
        if requests > max_requests:
            problems.append(f"{where}: first view makes {requests} requests, over the budget of "
                            f"{max_requests}. Combine or drop stylesheets, scripts and images.")
    return problems


def test_first_view_of_every_content_page_is_within_budget(site, html_pages):
    problems = budget_problems(site, html_pages)
    assert not problems, "\n".join(problems)


def test_own_budgets_are_explained_and_still_needed(site):
    for rel, (limit, why) in OWN_BUDGETS.items():
        assert len(why) > 30, f"OWN_BUDGETS[{rel!r}] needs a reason"
        page = site / rel
        assert page.exists(), f"OWN_BUDGETS lists {rel}, which is no longer built: remove it from tests/test_budget.py"
        with_default = budget_problems(site, [page], own={})
        assert with_default, (f"{rel} now fits the normal {MAX_BYTES / 1000:.0f} KB budget: "
                              "remove it from OWN_BUDGETS in tests/test_budget.py")


def test_every_page_is_within_its_dom_budget(site, html_pages):
    problems = dom_problems(site, html_pages + [site / "404.html"])
    assert not problems, "\n".join(problems)


def test_no_page_starts_materials_colour_switch(site, html_pages):
    problems = palette_problems(site, html_pages + [site / "404.html"])
    assert not problems, "\n".join(problems)


def test_own_dom_budgets_are_explained_and_still_needed(site):
    for rel, (limit, why) in OWN_DOM_BUDGETS.items():
        assert len(why) > 30, f"OWN_DOM_BUDGETS[{rel!r}] needs a reason"
        page = site / rel
        assert page.exists(), f"OWN_DOM_BUDGETS lists {rel}, which is no longer built: remove it from tests/test_budget.py"
        assert dom_problems(site, [page], own={}), (f"{rel} now fits the normal {MAX_ELEMENTS:,}-element budget: "
                                                    "remove it from OWN_DOM_BUDGETS in tests/test_budget.py")


def test_search_index_is_not_counted_but_exists(site):
    assert (site / SEARCH_INDEX).is_file(), f"{SEARCH_INDEX} missing: is the search plugin on?"
    files, _ = first_view(site, site / "index.html")
    assert site / SEARCH_INDEX not in files


# ----------------------------------------------------------------------------- broken fixtures

def _copy_fixture(name: str, tmp_path: Path) -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    return site


def test_byte_budget_fails_on_a_page_with_a_huge_asset(tmp_path):
    site = _copy_fixture("budget-heavy", tmp_path)
    # 200 KB of random bytes: gzip cannot shrink them, so the page must go over budget.
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "huge.js").write_bytes(os.urandom(200_000))
    problems = "\n".join(budget_problems(site, [site / "index.html"]))
    assert "docs/index.md (index.html): first view is" in problems, problems
    assert "over the 150,000-byte budget by " in problems and "Largest: assets/huge.js" in problems, problems
    assert "references 'assets/missing.css', which is not in the built site" in problems, problems


def test_byte_budget_on_the_print_page_says_any_page_can_push_it_over(tmp_path):
    site = _copy_fixture("budget-heavy", tmp_path)
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "huge.js").write_bytes(os.urandom(200_000))
    shutil.copy(site / "index.html", site / "print.html")  # the print page's name in the offline copy
    problems = "\n".join(budget_problems(site, [site / "print.html"]))
    assert "(print.html): first view is" in problems and "-byte budget by" in problems, problems
    assert "This page holds every page of the guide" in problems, problems


def test_request_budget_fails_on_a_page_with_many_files(tmp_path):
    site = _copy_fixture("budget-requests", tmp_path)
    (site / "js").mkdir(exist_ok=True)
    for n in range(1, 21):
        (site / "js" / f"part{n}.js").write_text(f"console.log({n});\n", encoding="utf-8")
    problems = "\n".join(budget_problems(site, [site / "index.html"]))
    assert "docs/index.md (index.html): first view makes 22 requests, over the budget of 15" in problems, problems
    assert "KB budget" not in problems, problems


def test_dom_budget_fails_on_a_page_with_too_many_elements(tmp_path):
    site = _copy_fixture("budget-heavy", tmp_path)
    page = site / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</main>", "<ul>" + "<li><span>item</span></li>" * 800 + "</ul></main>"), encoding="utf-8")
    problems = "\n".join(dom_problems(site, [page]))
    assert "docs/index.md (index.html): 1,611 HTML elements, over the budget of 1,500" in problems, problems
    assert not dom_problems(site, [page], own={"index.html": (2_000, "a page allowed to be big")})


def test_palette_rule_fails_on_a_page_with_materials_switch(tmp_path):
    site = _copy_fixture("budget-heavy", tmp_path)
    page = site / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</main>", f'<form class="md-header__option" {MATERIAL_PALETTE}></form></main>'), encoding="utf-8")
    problems = "\n".join(palette_problems(site, [page]))
    line = next(n for n, text in enumerate((ROOT / "overrides" / "main.html").read_text().splitlines(), 1)
                if "set palette_form" in text)
    assert ("1 page(s) start Material's colour switch" in problems and "docs/index.md" in problems
            and "not the page's Markdown" in problems
            and f"overrides/main.html:{line}: palette_form no longer matches" in problems), problems
    page.write_text(page.read_text(encoding="utf-8").replace(MATERIAL_PALETTE, "data-guide-palette"), encoding="utf-8")
    assert not palette_problems(site, [page])


# ----------------------------------------------------------------------------- browser cross-check

def fetched_on_first_view(browser, url: str) -> list[str]:
    context = browser.new_context()  # empty cache: a first visit
    urls: list[str] = []
    context.on("request", lambda r: urls.append(r.url))
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        # Material's search worker (on every page with its __config) fetches the index last.
        if page.evaluate("() => !!document.getElementById('__config')") and "search_index" not in " ".join(urls):
            page.wait_for_response(lambda r: "search_index.json" in r.url, timeout=15_000)
    finally:
        context.close()
    return urls


def unexpected_requests(site: Path, html: Path, base: str, urls: list[str]) -> list[str]:
    """Requests the browser made that first_view() does not count (so the budget would miss them)."""
    files, _ = first_view(site, html)
    known = {html, Path(os.path.normpath(site / SEARCH_INDEX)), *files}
    extra = []
    for url in urls:
        if not url.startswith(base):
            extra.append(url)
            continue
        path = url[len(base):].split("?")[0].split("#")[0]
        target = Path(os.path.normpath(site / path)) if path else site / "index.html"
        if path.endswith("/") or target.is_dir():
            target = target / "index.html"
        if target not in known:
            extra.append(url)
    return extra


@pytest.mark.browser
def test_budget_counts_everything_a_browser_fetches(browser, base_url, site, html_pages):
    problems = []
    for html in html_pages:
        rel = html.relative_to(site).parent.as_posix()
        url = base_url + ("" if rel == "." else rel + "/")
        extra = unexpected_requests(site, html, base_url, fetched_on_first_view(browser, url))
        if extra:
            problems.append(f"{source_for(site, html)}: the browser fetched {extra} on first view, which "
                            "browser_support.first_view() does not count; teach it about them.")
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_cross_check_fails_when_the_count_misses_a_file(browser, tmp_path):
    site = _copy_fixture("budget-requests", tmp_path)
    (site / "js").mkdir(exist_ok=True)
    for n in range(1, 21):
        (site / "js" / f"part{n}.js").write_text(f"console.log({n});\n", encoding="utf-8")
    (site / "late.js").write_text("console.log('late');\n", encoding="utf-8")
    # A script that loads another file at run time, which parsing the HTML cannot see.
    (site / "js" / "part20.js").write_text(
        "var s = document.createElement('script'); s.src = 'late.js'; document.head.appendChild(s);\n",
        encoding="utf-8")
    with serve(site) as url:
        extra = unexpected_requests(site, site / "index.html", url, fetched_on_first_view(browser, url))
    assert extra == [url + "late.js"], extra
