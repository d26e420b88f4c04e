"""Page furniture: key points, review dates, help boxes, footer, how to cite, metadata,
sitemap, stable URLs, redirects, the 404 page and the whole-guide print page."""
from __future__ import annotations

import collections
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from browser_support import is_redirect_stub
from checkers import load_hook
from conftest import DOCS, ROOT
from mkdocs.utils import meta as mkdocs_meta
from mkdocs.utils import yaml_load

GOLDEN = Path(__file__).with_name("golden_urls.txt")


def _front_matter():
    pages = {}
    for md in sorted(DOCS.glob("*.md")):
        pages[md.stem] = mkdocs_meta.get_data(md.read_text(encoding="utf-8"))[1]
    return pages


META = _front_matter()
CONTENT = [stem for stem, meta in META.items() if meta.get("audience", "patients") != "reference"]
TREATMENT_PAGES = [stem for stem, meta in META.items() if meta.get("treatment")]  # front matter: treatment: true
TREATMENT_SECTIONS = {"how-it-works": "How it works", "what-studies-found": "What studies found",
                      "risks": "Risks", "what-we-dont-know-yet": "What we don't know yet",
                      "other-treatment-choices": "Other treatment choices", "questions-to-ask": "Questions to ask"}
with open(ROOT / "mkdocs.yml", encoding="utf-8") as _f:
    CONFIG = yaml_load(_f)
SITE_URL = CONFIG["site_url"]


def url_of(stem: str) -> str:
    return "" if stem == "index" else f"{stem}/"


def soup_of(site: Path, stem: str) -> BeautifulSoup:
    return BeautifulSoup((site / url_of(stem) / "index.html").read_text(encoding="utf-8"), "lxml")


@pytest.mark.parametrize("stem", CONTENT)
def test_key_points_box_comes_before_the_first_h2(site, stem):
    article = soup_of(site, stem).find("article")
    box = article.select_one(".admonition.key-points")
    assert box is not None, (f"docs/{stem}.md: add a key points box right after the title:\n"
                             f'!!! key-points "Key points"\n\n    - first point')
    first_h2 = article.find("h2")
    assert first_h2 is None or first_h2 in box.find_all_next("h2"), \
        f"docs/{stem}.md: move the key points box above the first '## ' heading."
    bullets = box.find_all("li")
    assert 2 <= len(bullets) <= 4, f"docs/{stem}.md: the key points box has {len(bullets)} bullets; use 2 to 4."


@pytest.mark.parametrize("stem", list(META))
def test_review_dates_are_shown_in_time_elements(site, stem):
    dates = soup_of(site, stem).select(".review-dates time")
    assert len(dates) == 2, f"docs/{stem}.md: the page must show 'Page last reviewed' and 'Next review due'."
    assert dates[0]["datetime"] == str(META[stem]["last_reviewed"])
    assert dates[1]["datetime"] == str(META[stem]["next_review"])
    text = dates[0].find_parent("p").get_text(" ", strip=True)
    assert "Page last reviewed:" in text and "Next review due:" in text, text


@pytest.mark.parametrize("stem", TREATMENT_PAGES)
def test_treatment_pages_have_urgent_and_soon_help_boxes(site, stem):
    article = soup_of(site, stem).find("article")
    for level, word in (("help-urgent", "Urgent"), ("help-soon", "Soon")):
        box = article.select_one(f".admonition.{level}")
        assert box is not None, f'docs/{stem}.md: add a !!! {level} "{word}: ..." box.'
        title = box.select_one(".admonition-title").get_text(" ", strip=True)
        assert title.startswith(word), (f"docs/{stem}.md: the {level} box title must start with the word "
                                        f"'{word}' so screen readers hear the urgency: {title!r}")
        assert "note" not in box["class"], "a help box must not look like an ordinary note"


def test_there_are_treatment_pages():
    assert {"hsct", "msc"} <= set(TREATMENT_PAGES), "hsct.md and msc.md need 'treatment: true' in front matter"


@pytest.mark.parametrize("stem", TREATMENT_PAGES)
def test_treatment_pages_have_the_standard_sections(site, stem):
    h2 = {h.get("id") for h in soup_of(site, stem).find("article").find_all("h2")}
    missing = [title for anchor, title in TREATMENT_SECTIONS.items() if anchor not in h2]
    assert not missing, (f"docs/{stem}.md is a treatment page (treatment: true), so it needs these '## ' "
                         f"headings, spelled exactly: {missing}")


def test_help_boxes_are_styled_differently_from_notes():
    css = (DOCS / "stylesheets" / "extra.css").read_text()
    for level in ("help-urgent", "help-soon"):
        assert re.search(rf"\.admonition\.{level}\s*[{{,]", css), f"extra.css has no style for .{level}"


def _all_pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if not is_redirect_stub(p.read_text(encoding="utf-8"))]


def test_footer_on_every_page(site):
    for path in _all_pages(site):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        footer = soup.select_one(".guide-footer")
        rel = path.relative_to(site)
        assert footer is not None, f"{rel}: the guide footer is missing (overrides/partials/guide-footer.html)"
        text = footer.get_text(" ", strip=True)
        assert "This guide does not replace advice from your own doctor" in text, rel
        assert "No advertising, no sponsorship" in text, rel
        about = [a for a in footer.find_all("a") if "How this guide was made" in a.get_text()]
        assert about, f"{rel}: footer must link to 'How this guide was made'"
        title = soup.title.get_text().split(" - ")[0]
        report = footer.select_one("a.report-problem")
        assert report is not None and "Report a problem with this page" in report.get_text(), rel
        if path.name == "index.html":
            assert title in unquote(report["href"]) or title in report.get_text(), \
                f"{rel}: the report link must name the page"


@pytest.mark.parametrize("stem", CONTENT)
def test_how_to_cite_this_page(site, stem):
    box = soup_of(site, stem).select_one("details.how-to-cite")
    assert box is not None, f"docs/{stem}.md: 'How to cite this page' is missing"
    text = box.get_text(" ", strip=True)
    for part in (META[stem]["title"], CONFIG["site_name"], SITE_URL + url_of(stem),
                 META[stem]["last_reviewed"].strftime("%-d %B %Y")):
        assert part in text, f"docs/{stem}.md: 'How to cite' lacks {part!r}: {text}"


def test_titles_are_unique(site):
    titles = collections.Counter()
    for stem in META:
        titles[soup_of(site, stem).title.get_text()] += 1
    dupes = [t for t, n in titles.items() if n > 1]
    assert not dupes, f"Each page needs its own title; these repeat: {dupes}"


@pytest.mark.parametrize("stem", list(META))
def test_metadata(site, stem):
    soup = soup_of(site, stem)
    meta = META[stem]
    where = f"docs/{stem}.md"
    description = soup.find("meta", attrs={"name": "description"})
    assert description and description["content"] == meta["description"], f"{where}: meta description"
    canonical = soup.find("link", rel="canonical")
    assert canonical and canonical["href"] == SITE_URL + url_of(stem), f"{where}: canonical URL"
    for prop, expected in (("og:title", meta["title"]), ("og:description", meta["description"]),
                           ("og:url", SITE_URL + url_of(stem)), ("og:type", "article")):
        tag = soup.find("meta", property=prop)
        assert tag and tag["content"] == expected, f"{where}: {prop} should be {expected!r}"
    blocks = soup.find_all("script", type="application/ld+json")
    assert len(blocks) == 1, f"{where}: expected one JSON-LD block"
    data = json.loads(blocks[0].string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "MedicalWebPage"
    assert data["name"] == meta["title"] and data["description"] == meta["description"]
    assert data["lastReviewed"] == str(meta["last_reviewed"])
    assert "lupus" in data["about"]["name"].lower()
    listed = soup.select("h2#references + ol > li")
    assert len(data["citation"]) == len(listed), f"{where}: JSON-LD citation must list the page's references"
    for item in data["citation"]:
        assert item["url"].startswith("https://"), item
    assert "None" not in blocks[0].string, f"{where}: the JSON-LD has a missing identifier written as None"


def test_sitemap_lists_every_page(site):
    sitemap = (site / "sitemap.xml").read_text()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    missing = [SITE_URL + url_of(stem) for stem in META if SITE_URL + url_of(stem) not in listed]
    assert not missing, f"sitemap.xml is missing: {missing}"


def test_page_urls_match_the_golden_list(site):
    """Clinicians link to these addresses. Changing one needs a redirect and an update here."""
    built = sorted(str(p.parent.relative_to(site)) + "/" for p in site.rglob("index.html"))
    built = ["/" if u == "./" else "/" + u for u in built]
    golden = [line.strip() for line in GOLDEN.read_text().splitlines() if line.strip() and not line.startswith("#")]
    gone = sorted(set(golden) - set(built))
    new = sorted(set(built) - set(golden))
    assert not gone, (f"These page addresses disappeared: {gone}. Clinicians may link to them. Add a redirect "
                      f"under plugins: redirects: redirect_maps in mkdocs.yml (old.md: new.md).")
    stubs = [u for u in new if is_redirect_stub((site / u.strip("/") / "index.html").read_text(encoding="utf-8"))]
    assert not stubs, (f"These addresses are old addresses of renamed pages, which now send readers on: {stubs}. "
                       f"Keep each one listed in tests/golden_urls.txt (clinicians may still link to it), next to "
                       f"the page's new address.")
    assert not new, (f"New page addresses: {new}. If a page moved, add a redirect from its old address; then add "
                     f"the new address to tests/golden_urls.txt.")


def test_moved_page_redirects():
    maps = next(p["redirects"]["redirect_maps"] for p in CONFIG["plugins"] if isinstance(p, dict) and "redirects" in p)
    assert maps.get("stem-cell-transplant.md") == "hsct.md"


REDIRECTS = next(p["redirects"]["redirect_maps"] for p in CONFIG["plugins"] if isinstance(p, dict) and "redirects" in p)


def csp_meta(html: str) -> str | None:
    m = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    return m.group(1) if m else None


def sections_of(site: Path, stem: str) -> list[tuple[str, str]]:
    """(id, heading) of every section (h2) of a built page."""
    article = soup_of(site, stem).find("article")
    return [(h["id"], h.get_text(" ", strip=True).rstrip("¶").strip()) for h in article.find_all("h2", id=True)]


def moved_page_problems(html: str, where: str, target: str, sections: list[tuple[str, str]],
                        policy: str | None) -> list[str]:
    """What a page left at an old address (a redirect page) lacks; one message each.

    ``target``: the new address, relative to the old page (``../hsct/``); ``sections``: (id,
    heading) of the new page's sections; ``policy``: the CSP every other page carries."""
    soup = BeautifulSoup(html, "lxml")
    problems = []
    fix = "(site design: overrides/hooks/redirect_pages.py writes this page)"
    if csp_meta(html) != policy:
        problems.append(f"{where}: it must carry the same Content-Security-Policy meta tag as every other page "
                        f"{fix}; it has {csp_meta(html)!r}.")
    for script in soup.find_all("script"):
        if not script.get("src") and script.get("type", "text/javascript") in ("text/javascript", "module"):
            problems.append(f"{where}: inline script {script.get_text()[:50]!r}; our JavaScript lives in "
                            f"docs/javascripts/guide.js {fix}.")
    if soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}):
        problems.append(f"{where}: a meta refresh sends readers without JavaScript to {target} and drops the "
                        f"#section of their link; offer links instead {fix}.")
    links = {a.get("href") for a in soup.find_all("a")}
    if target not in links:
        problems.append(f"{where}: no link to the new address {target} {fix}.")
    lost = [f"{target}#{anchor}" for anchor, _ in sections if f"{target}#{anchor}" not in links]
    if lost:
        problems.append(f"{where}: without JavaScript the #section of an old link is lost, so the page must link "
                        f"to every section of the new page; missing: {lost} {fix}.")
    return problems


@pytest.mark.parametrize("old, new", REDIRECTS.items())
def test_redirect_page_links_to_every_section_and_keeps_the_security_policy(site, old, new):
    stub = site / old[:-3] / "index.html"
    target = posixpath.relpath(new[:-3], old[:-3]) + "/"
    problems = moved_page_problems(stub.read_text(encoding="utf-8"), f"{old[:-3]}/index.html (mkdocs.yml, "
                                   f"redirect_maps: {old}: {new})", target, sections_of(site, new[:-3]),
                                   csp_meta((site / "index.html").read_text(encoding="utf-8")))
    assert not problems, "\n".join(problems)


def test_moved_page_check_fails_on_the_redirect_plugins_own_page():
    from mkdocs_redirects.plugin import HTML_TEMPLATE
    problems = "\n".join(moved_page_problems(HTML_TEMPLATE.format(url="../hsct/"), "old/index.html", "../hsct/",
                                             [("risks", "Risks")], "default-src 'self'"))
    for needle in ("same Content-Security-Policy meta tag", "inline script 'var anchor=window.location.hash",
                   "a meta refresh sends readers without JavaScript", "missing: ['../hsct/#risks']"):
        assert needle in problems, problems
    assert "no link to the new address" not in problems, problems


def test_404_page_has_search_and_links_to_main_pages(site):
    soup = BeautifulSoup((site / "404.html").read_text(), "lxml")
    assert soup.find("h1").get_text(strip=True) == "Page not found"
    assert soup.select_one(".md-search input"), "the 404 page must offer search"
    links = {a["href"] for a in soup.select("ul.not-found-links a")}
    for stem in ("index", "hsct", "msc", "trials-and-clinics", "glossary"):
        assert any(h.rstrip("/").endswith(url_of(stem).rstrip("/") or ".") for h in links), (stem, links)


def test_print_page_holds_every_page_in_order(site):
    soup = BeautifulSoup((site / "print" / "index.html").read_text(), "lxml")
    sections = [s["id"] for s in soup.select("section.print-section")]
    expected = []

    def walk(items):
        for item in items:
            for value in item.values():
                if isinstance(value, list):
                    walk(value)
                elif value != "print.md" and META.get(value[:-3], {}).get("print", True) is not False:
                    expected.append("home" if value == "index.md" else value[:-3])
    walk(CONFIG["nav"])
    assert sections == expected, f"print page sections {sections} != nav order {expected}"
    assert len(soup.find_all("h1")) == 1, "the print page must keep a single H1"
    ids = [t["id"] for t in soup.find_all(id=True)]
    dupes = [i for i, n in collections.Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids on the print page: {dupes[:10]}"
    assert soup.select("section#hsct sup.citation a[href^='#hsct--ref-']"), "citations must link within the section"


SCREEN_ONLY_AIDS = {  # what overrides/hooks/print_page.py leaves out of each section, as the page shows it
    "a glossary term's tooltip wrapper": re.compile(r'<abbr role="term"'),
    "a permalink symbol": re.compile(r'class="headerlink"'),
    "a link to the References page": re.compile(r">More about this source<"),
    "the RIS download": re.compile(r'download="[^"]*\.ris"'),
    "an HTML comment": re.compile(r"<!--"),
}


def screen_only_aids(html: str) -> list[str]:
    """What screen-only aids the print page's sections still carry: "<section id>: <aid> (N)"."""
    soup = BeautifulSoup(html, "lxml")
    found = []
    for section in soup.select("section.print-section"):
        text = str(section)
        for aid, pattern in SCREEN_ONLY_AIDS.items():
            if pattern.search(text):
                found.append(f"{section['id']}: {aid} ({len(pattern.findall(text))})")
    return found


def test_print_page_leaves_out_the_screen_only_aids(site):
    found = screen_only_aids((site / "print" / "index.html").read_text(encoding="utf-8"))
    assert not found, ("docs/print.md (print/index.html) still carries screen-only aids that "
                       "overrides/hooks/print_page.py (SCREEN_ONLY, TERM, PERMALINK) must leave out:\n  "
                       + "\n  ".join(found))


def test_print_page_hook_strips_each_aid_from_a_page():
    hook = load_hook("print_page")
    page = ('<h2 id="a">Risks<a class="headerlink" href="#a" title="Link">&para;</a></h2>\n'
            '<p><abbr role="term" tabindex="0" title="A kind of cell.">MSC</abbr> <!-- note --></p>\n'
            '<li>Ref · <a href="../references/#ref-x">More about this source</a></li>\n'
            '<p><a download="lupus-guide-x.ris" href="../refs/x.ris">Download this page\'s references (RIS)</a></p>')
    stripped = hook.SCREEN_ONLY.sub("", hook.PERMALINK.sub("", hook.TERM.sub(r"\1", page)))
    section = f'<section class="print-section" id="x">{stripped}</section>'
    assert screen_only_aids(section) == [], screen_only_aids(section)
    # and the check sees each aid when the hook leaves it in
    assert len(screen_only_aids(f'<section class="print-section" id="x">{page}</section>')) == len(SCREEN_ONLY_AIDS)


def test_print_stylesheet_hides_navigation_and_shows_link_urls():
    css = (DOCS / "stylesheets" / "extra.css").read_text()
    block = css[css.index("@media print"):]
    for selector in (".md-header", ".md-sidebar", ".md-search", "[data-guide-palette]"):
        assert selector in block, f"print CSS must hide {selector}"
    assert 'content: " (" attr(href) ")"' in block, "print CSS must show each link's URL after its text"
    assert "break-inside: avoid" in block, "tables and boxes must not split across printed pages"


# ----------------------------------------------------------------------------- old links in a real browser

def old_link_problems(browser, base: str, old: str, new: str, anchor: str) -> list[str]:
    """Open ``old``#``anchor`` (paths relative to ``base``) with JavaScript off, then on.

    Off: the page must show a link to ``new``#``anchor`` that one can see, and following it must
    land there. On: the browser must end up at ``new``#``anchor`` by itself."""
    from browser_support import wait_until
    problems, want = [], f"{base}{new}#{anchor}"
    where = f"{old}#{anchor} (mkdocs.yml, redirect_maps)"
    link_js = """(want) => [...document.querySelectorAll('a[href]')].some(a => a.href === want
        && a.getBoundingClientRect().height > 0 && getComputedStyle(a).visibility === 'visible')"""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{base}{old}#{anchor}", wait_until="load")
        # The old page either shows the link, or (a meta refresh) moves on to another address.
        wait_until(page, f"() => document.readyState === 'complete' && (location.pathname !== "
                         f"new URL({(base + old)!r}).pathname || ({link_js})({want!r}))",
                   f"a link to {want} on {old}", "() => location.href", scripts=False)
        if page.url != f"{base}{old}#{anchor}":
            problems.append(f"{where}: without JavaScript the old address went on to {page.url}, so the reader "
                            f"lost #{anchor}; it must stay and offer a link to {new}#{anchor}.")
        else:
            with page.expect_navigation(wait_until="load"):
                page.locator(f'a[href$="#{anchor}"]').first.click()
            if page.url != want:
                problems.append(f"{where}: without JavaScript its link to #{anchor} led to {page.url}, not {want}.")
    finally:
        context.close()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}{old}#{anchor}")
        try:
            wait_until(page, "(want) => location.href === want", f"the old address to move on to {want}",
                       "() => location.href", arg=want)
        except AssertionError as exc:
            problems.append(f"{where}: with JavaScript it did not move on to {want}. {exc}")
    finally:
        context.close()
    return problems


@pytest.mark.browser
@pytest.mark.parametrize("old, new", REDIRECTS.items())
def test_old_links_keep_their_section_with_and_without_javascript(browser, base_url, site, old, new):
    anchor = sections_of(site, new[:-3])[1][0]  # a section halfway down, not the first
    if "risks" in dict(sections_of(site, new[:-3])):
        anchor = "risks"  # the link clinicians used (issue 13)
    problems = old_link_problems(browser, base_url, old[:-3] + "/", new[:-3] + "/", anchor)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_old_link_check_fails_on_the_redirect_plugins_own_page(browser, tmp_path):
    from browser_support import serve
    from mkdocs_redirects.plugin import HTML_TEMPLATE
    (tmp_path / "old").mkdir()
    (tmp_path / "new").mkdir()
    (tmp_path / "old" / "index.html").write_text(HTML_TEMPLATE.format(url="../new/"), encoding="utf-8")
    (tmp_path / "new" / "index.html").write_text('<!doctype html><html lang="en"><title>New</title><h1>New</h1>'
                                                 '<h2 id="risks">Risks</h2>', encoding="utf-8")
    with serve(tmp_path) as url:
        problems = "\n".join(old_link_problems(browser, url, "old/", "new/", "risks"))
    assert f"old/#risks (mkdocs.yml, redirect_maps): without JavaScript the old address went on to {url}new/, " \
           "so the reader lost #risks" in problems, problems
    assert "with JavaScript" not in problems.replace("without JavaScript", ""), problems  # the plugin's script works
