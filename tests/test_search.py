"""Search finds what patients type: the site's own search (in a real browser) ranks the
right page first, finds every page that uses a glossary term, and finds the same pages for
British and American spellings and for plurals.

Words patients type live in each page's `tags:` front matter; spelling variants and plurals
live in docs/data/search-synonyms.yml (applied by overrides/hooks/search_synonyms.py). Which
pages use a word is read from the built pages, never from the search index under test.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote_plus, urlsplit

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from browser_support import search_results, search_separator, search_words, serve
from checkers import load_hook
from conftest import DOCS, FIXTURES, fixture_site, mkdocs_build

SYNONYMS_FILE = DOCS / "data" / "search-synonyms.yml"
# Reported in issue 13: each American spelling found nothing, while the British one worked.
REPORTED = {"randomized": "randomised", "tumor": "tumour", "anemia": "anaemia", "mobilization": "mobilisation"}

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
    "transplants": "hsct/",
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
    # Material splits the query with the site's search separator (mkdocs.yml).
    expected = "h=" + "+".join(quote_plus(word) for word in search_words(query))
    expect(first).to_have_attribute("href", re.compile(re.escape(expected), re.I), timeout=10_000)
    return first.get_attribute("href") or ""


@pytest.mark.browser
@pytest.mark.parametrize("query, expected", QUERIES.items())
def test_search_ranks_the_right_page_first(search_page, query, expected):
    href = top_result(search_page, query)
    page_part = urlsplit(href).path.lstrip("/")
    assert page_part == expected, (f"Searching for {query!r} shows {href!r} first; expected the page "
                                   f"docs/{expected.rstrip('/') or 'index'}.md. Add the words patients type "
                                   f"to that page's 'tags:' front matter.")


# ----------------------------------------------------------------------------- every page that uses a word

def searchable_pages(site: Path) -> list[str]:
    """Paths of the pages in the search index ("" for home); pages with `search: exclude` are not."""
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return sorted({doc["location"].split("#")[0] for doc in docs})


def article_of(site: Path, path: str):
    """The part of a page the search indexes: its article, without parts marked data-search-exclude
    (Material's mark; the site map's list of pages, which a template writes, carries it)."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    article = BeautifulSoup(html, "lxml").select_one("article")
    for part in article.select("[data-search-exclude]"):
        part.decompose()
    return article


def words_by_page(site: Path) -> dict[str, set[str]]:
    """{page path: every word of its text}, split as the site's search splits text, lower case."""
    return {path: {w.lower() for w in re.split(search_separator(), article_of(site, path).get_text(" ")) if w}
            for path in searchable_pages(site)}


def glossary_uses(site: Path) -> dict[str, set[str]]:
    """{glossary term: the pages whose text uses it}, from the <abbr> the glossary puts on each use."""
    uses: dict[str, set[str]] = {}
    for path in searchable_pages(site):
        for abbr in article_of(site, path).find_all("abbr"):
            uses.setdefault(abbr.get_text(" ", strip=True), set()).add(path)
    return uses


def missed(found: list[str], expected: set[str]) -> list[str]:
    return sorted(expected - set(found))


def docs_file(path: str) -> str:
    return "docs/" + (path.rstrip("/") or "index") + ".md"


def glossary_search_problems(page, base: str, site: Path, terms) -> list[str]:
    """One message per glossary term whose search misses a page that uses it."""
    uses = glossary_uses(site)
    problems = []
    for term in terms:
        if term not in uses:
            continue  # no searchable page uses it (test_content checks that every term is used)
        found = search_results(page, term, base)
        lost = missed(found, uses[term])
        if lost:
            problems.append(f"Searching for the glossary term {term!r} does not find "
                            + ", ".join(docs_file(p) for p in lost) + f", which use it (found: {found}).")
    if problems:
        problems.append("Search misses pages that use a word when punctuation sticks to the word in the "
                        "index: '(mobilisation).' is not 'mobilisation'. The search separator (mkdocs.yml, "
                        "plugins: search: separator) must split on it (site design, not the pages' Markdown).")
    return problems


def spelling_problems(page, base: str, pairs: dict[str, str], groups) -> list[str]:
    """One message per American spelling that does not find exactly the pages of the British one."""
    listed = {word for group in groups for word in group.words}
    problems = []
    for american, british in pairs.items():
        if american not in listed or british not in listed:
            problems.append(f"{SYNONYMS_FILE.relative_to(DOCS.parent)}: add the line - [{british}, {american}]")
            continue
        us, uk = search_results(page, american, base), search_results(page, british, base)
        if not uk or sorted(us) != sorted(uk):
            problems.append(f"Searching for {american!r} finds {sorted(us)}, but {british!r} finds {sorted(uk)}.")
    return problems


def synonym_search_problems(page, base: str, site: Path, groups) -> list[str]:
    """One message per word of a synonym group whose search misses a page using any word of the group."""
    words = words_by_page(site)
    problems = []
    for group in groups:
        using = {path for path, found in words.items() if found & set(group.words)}
        for word in group.words:
            lost = missed(search_results(page, word, base), using)
            if lost:
                used = sorted(set(group.words) & set().union(*(words[p] for p in lost)))
                problems.append(f"{SYNONYMS_FILE.relative_to(DOCS.parent)}:{group.line}: searching for {word!r} "
                                "does not find " + ", ".join(docs_file(p) for p in lost) + f", which use {used}. "
                                "Check that mkdocs.yml lists overrides/hooks/search_synonyms.py under hooks:.")
    return problems


@pytest.fixture(scope="module")
def synonym_groups():
    groups, errors = load_hook("search_synonyms").load_synonyms(SYNONYMS_FILE)
    assert not errors, "\n".join(errors)
    return groups


@pytest.mark.browser
def test_every_glossary_term_finds_every_page_that_uses_it(search_page, base_url, site):
    terms, _ = load_hook("glossary").load_glossary(DOCS / "includes" / "glossary.md")
    assert len(glossary_uses(site)) >= len(terms) // 2, "Few glossary terms are marked (<abbr>) in the built pages"
    problems = glossary_search_problems(search_page, base_url, site, terms)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_american_spellings_find_the_same_pages_as_british_ones(search_page, base_url, site, synonym_groups):
    # A reported word the guide no longer uses (anaemia, after the 2026 corrections) cannot be
    # searched for; the synonyms file keeps it for when a page uses it again.
    used = set().union(*words_by_page(site).values())
    pairs = {us: uk for us, uk in REPORTED.items() if uk in used}
    assert len(pairs) >= 2, f"only {sorted(pairs)} of the reported words are still on a page: update REPORTED"
    problems = spelling_problems(search_page, base_url, pairs, synonym_groups)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_every_word_of_a_synonym_group_finds_every_page_using_the_group(search_page, base_url, site,
                                                                        synonym_groups):
    problems = synonym_search_problems(search_page, base_url, site, synonym_groups)
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- the checks can fail

@pytest.fixture(scope="module")
def unsplit_site(browser, tmp_path_factory):
    """tests/fixtures/sites/search-unsplit: Material's default separator, no synonyms hook."""
    built = mkdocs_build(fixture_site("search-unsplit"), tmp_path_factory.mktemp("search-unsplit") / "site")
    assert built.returncode == 0, built.output
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with serve(built.site) as url:
        page.goto(url, wait_until="load")
        yield page, url, built.site
    context.close()


@pytest.mark.browser
def test_search_checks_fail_on_a_site_with_the_default_separator_and_no_synonyms(unsplit_site):
    page, url, site = unsplit_site
    groups = [load_hook("search_synonyms").SynonymGroup(["tumour", "tumor"], 1)]
    glossary = "\n".join(glossary_search_problems(page, url, site, ["mobilisation", "tumour"]))
    assert "the glossary term 'mobilisation' does not find docs/stem.md, which use it" in glossary, glossary
    assert "'tumour'" not in glossary and "plugins: search: separator" in glossary, glossary
    spelling = "\n".join(spelling_problems(page, url, {"tumor": "tumour"}, groups))
    assert "Searching for 'tumor' finds [], but 'tumour' finds ['stem/']" in spelling, spelling
    missing = "\n".join(spelling_problems(page, url, {"anemia": "anaemia"}, groups))
    assert "search-synonyms.yml: add the line - [anaemia, anemia]" in missing, missing
    synonyms = "\n".join(synonym_search_problems(page, url, site, groups))
    assert "search-synonyms.yml:1: searching for 'tumor' does not find docs/stem.md, which use ['tumour']" \
        in synonyms and "'tumour' does not" not in synonyms, synonyms


def test_synonyms_file_problems_name_the_line_and_the_fix():
    groups, errors = load_hook("search_synonyms").load_synonyms(FIXTURES / "data" / "search-synonyms-broken.yml",
                                                                 "docs/data/search-synonyms.yml")
    assert [g.words for g in groups] == [["tumour", "tumor"]], groups
    text = "\n".join(errors)
    for line, needle in ((3, "write this group as a list of words in square brackets"),
                         (4, "['Anaemia'] must be single words in lower case"),
                         (5, "a group needs at least two different words: ['centre']"),
                         (6, "['tumor', 'tumour'] already in the group on line 2"),
                         (7, "['side effect', 'side effects'] must be single words")):
        assert f"docs/data/search-synonyms.yml:{line}: {needle}" in text, text
    assert len(errors) == 5, text
