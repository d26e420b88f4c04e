"""Search finds what patients type: the site's own search (in a real browser) ranks the
right page first. Synonyms live in each page's `tags:` front matter, not in the prose."""
from __future__ import annotations

from urllib.parse import quote_plus, urlsplit

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

QUERIES = {
    "bone marrow transplant": "hsct/",
    "stem cell transplant": "hsct/",
    "kidney": "lupus-basics/",
    "trial": "trials-and-clinics/",
    "clinic": "trials-and-clinics/",
    "side effects": "risks/",
    "cost": "risks/",
    "Panama": "patient-stories/",
    "CAR-T": "outlook/",
    "placebo": "msc/",
}


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base_url.rstrip("/") + "/", wait_until="networkidle")  # the search index is loaded
    yield page
    context.close()


def top_result(page, query: str) -> str:
    box = page.locator("input.md-search__input")
    box.click(timeout=5_000)
    box.fill("")
    box.press_sequentially(query, delay=20)  # typed like a person, so every key event fires
    first = page.locator(".md-search-result__item > a.md-search-result__link").first
    # Wait until the results are for this query (each result link carries ?h=<query>).
    # Material splits the query on spaces and hyphens (its search separator).
    expected = "h=" + "+".join(quote_plus(word) for word in re.split(r"[\s\-]+", query))
    expect(first).to_have_attribute("href", re.compile(re.escape(expected), re.I), timeout=10_000)
    return first.get_attribute("href") or ""


@pytest.mark.parametrize("query, expected", QUERIES.items())
def test_search_ranks_the_right_page_first(search_page, query, expected):
    href = top_result(search_page, query)
    page_part = urlsplit(href).path.lstrip("/")
    assert page_part == expected, (f"Searching for {query!r} shows {href!r} first; expected the page "
                                   f"docs/{expected.rstrip('/') or 'index'}.md. Add the words patients type "
                                   f"to that page's 'tags:' front matter.")
