"""Error messages for editors: each names file:line, quotes the offending text and says what to change.

One representative test per message that no other test file covers (the others are in
test_citations.py, test_frontmatter.py, test_links.py, test_privacy.py and test_content.py).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from checkers import load_hook
from checkers.buildlog import explain
from checkers.links import check_links
from checkers.privacy import bad_external_links, third_party_assets
from conftest import FIXTURES, ROOT, fixture_site, mkdocs_build

citations = load_hook("citations")
glossary = load_hook("glossary")
pages = load_hook("pages")

STUDY = ("  type: study\n  authors: [A B]\n  title: T\n  journal: J\n  year: 2020\n  volume: '1'\n"
         "  pages: 1-2\n  doi: 10.1000/x\n  pmid: '123'\n  summary: S\n")


# --- References file (docs/data/references.yml) ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("- key: a2020\n  type: study\n title: x\n",
     "references.yml:3: the file is not valid YAML (expected <block end>, but found '<block mapping start>'). "
     "Check the indentation and quotes"),
    ("- key: a2020\n  type: study\n  title: \"x\n  journal: y\n", "references.yml:3: the file is not valid YAML"),
    ("key: a2020\n", "references.yml:1: the file must be a YAML list of references (lines starting '- key:')"),
    ("- just a line\n", "references.yml:1: each reference must be a mapping with 'key:', 'type:'"),
    ("- key: Wang_2014\n" + STUDY, "references.yml:1: key 'Wang_2014' must be lower-case letters, digits and "
                                   "hyphens, e.g. 'wang2014'"),
    ("- key: a2020\n" + STUDY + "- key: a2020\n" + STUDY,
     "references.yml:12: key 'a2020' is already used on line 1; keys must be unique"),
    ("- key: a2020\n  type: article\n", "references.yml:1: reference 'a2020' has type 'article'; use 'study', "
                                        "'webpage'"),
    ("- key: a2020\n" + STUDY + "  not_confirmed: pmid\n",
     "references.yml:1: reference 'a2020' not_confirmed must be a list of field names, e.g. [pmid]"),
    ("- key: a2020\n" + STUDY.replace("  doi: 10.1000/x\n", "").replace("  pmid: '123'\n", "")
     + "  not_confirmed: [doi, pmid]\n",
     "references.yml:1: reference 'a2020' has no DOI; give its journal page as 'url:' instead"),
    ("- key: a2020\n" + STUDY + "  pmcid: '6751808'\n",
     "references.yml:12: reference 'a2020' has pmcid '6751808', which is not a PMC ID like PMC6751808"),
    ("- key: a2020\n" + STUDY + "  url: http://example.org/paper\n",
     "references.yml:12: reference 'a2020' url 'http://example.org/paper' must start with https://"),
    ("- key: a2020\n" + STUDY + "  design: anecdote\n",
     "references.yml:12: reference 'a2020' design 'anecdote' is not one of RCT"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: 84\n      unit: percent\n      of: 40\n"
     "      time: 1 year\n      kind: counted\n      effect: benefit\n      where: abstract\n",
     "references.yml:13: reference 'a2020' result 1 has unit 'percent'; use '%' (a percentage) or people"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: 84\n      unit: '%'\n      of: 40\n"
     "      kind: counted\n      effect: benefit\n      where: abstract\n",
     "references.yml:13: reference 'a2020' result 1 has no time point; give 'time:'"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: 84\n      unit: '%'\n"
     "      time: 1 year\n      kind: counted\n      effect: benefit\n      where: abstract\n",
     "references.yml:13: reference 'a2020' result 1 is a percentage but has no 'of'"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: 84%\n      unit: '%'\n      of: 40\n"
     "      time: 1 year\n      kind: counted\n      effect: benefit\n      where: abstract\n",
     "references.yml:13: reference 'a2020' result 1 has value '84%'; write the number alone"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: 5\n      unit: people\n      of: 4\n"
     "      time: 1 year\n      kind: guessed\n      effect: good\n      where: abstract\n",
     "has kind 'guessed'; use counted (people counted) or estimated"),
    ("- key: a2020\n" + STUDY + "  results:\n    - measure: alive\n      value: null\n      unit: null\n"
     "      time: 1 year\n      kind: counted\n      effect: benefit\n      where: abstract\n",
     "result 1 has no value. Only a harm or a finding that the source gives without a number"),
    ("- key: a2020\n" + STUDY + "  results: 84% alive\n",
     "references.yml:12: reference 'a2020' results must be a list of result records"),
])
def test_references_file_messages(tmp_path, text, expected):
    path = tmp_path / "references.yml"
    path.write_text(text)
    _, errors = citations.load_references(path, "docs/data/references.yml")
    assert any(expected in e for e in errors), errors


def test_data_file_paths_are_shown_from_the_project_folder(tmp_path, monkeypatch):
    """Editors run the tests from the project folder; messages name files as they would type them."""
    monkeypatch.chdir(tmp_path)
    refs = tmp_path / "docs" / "data" / "references.yml"
    terms = tmp_path / "docs" / "includes" / "glossary.md"
    for path in (refs, terms):
        path.parent.mkdir(parents=True)
    refs.write_text("- key: Bad\n")
    terms.write_text("not a term\n")
    assert citations.load_references(refs)[1][0].startswith("docs/data/references.yml:1: key 'Bad'")
    assert glossary.load_glossary(terms)[1][0].startswith("docs/includes/glossary.md:1: this line is not")


# --- Glossary (docs/includes/glossary.md) ------------------------------------------------------

def test_glossary_malformed_line_names_line_text_and_form(tmp_path):
    path = tmp_path / "glossary.md"
    path.write_text("<!-- comment -->\n*[HSCT]: Blood stem cell transplant.\n*[MSC] Mesenchymal stem cells.\n")
    _, errors = glossary.load_glossary(path, "docs/includes/glossary.md")
    assert errors == ["docs/includes/glossary.md:3: this line is not a glossary entry: '*[MSC] Mesenchymal stem "
                      "cells.'. Write it as '*[Term]: plain definition' on one line, starting with '*['."], errors


def test_glossary_duplicate_term_names_both_lines(tmp_path):
    path = tmp_path / "glossary.md"
    path.write_text("*[flare]: A time when lupus gets worse.\n*[flare]: Lupus getting worse.\n")
    _, errors = glossary.load_glossary(path, "docs/includes/glossary.md")
    assert errors == ["docs/includes/glossary.md:2: 'flare' is already defined on line 1. Keep one of the two "
                      "lines and delete the other."], errors


# --- Front matter: with the page's Markdown, each message gives the field's line -----------------

PAGE = """---
title: T
description: D
last_reviewed: 2026-01-01
next_review: {next}
---
# T
"""


def test_front_matter_that_yaml_cannot_read_is_named_with_its_line_and_cause():
    """MkDocs gives a page whose front matter it cannot read no metadata at all; the message must
    name the real cause and line, not four missing fields."""
    colon = PAGE.format(next="2027-01-01").replace("title: T", "title: Lupus: the basics")
    assert pages.check_meta({}, "docs/x.md", colon) == [
        "docs/x.md:2: the front matter is not valid YAML (mapping values are not allowed here): 'title: Lupus: "
        "the basics'. Put a value with a colon in quotes (title: \"Lupus: the basics\"), and write dates as real "
        "dates, YYYY-MM-DD."]
    month = pages.check_meta({}, "docs/x.md", PAGE.format(next="2026-13-01"))
    assert month == ["docs/x.md:5: 'next_review: 2026-13-01' is not a date that exists (month must be in 1..12). "
                     "Write a real date as YYYY-MM-DD."], month
    empty = pages.check_meta({"title": "", "description": "D", "last_reviewed": dt.date(2026, 1, 1),
                              "next_review": dt.date(2027, 1, 1)}, "docs/x.md",
                             PAGE.format(next="2027-01-01").replace("title: T", 'title: ""'))
    assert empty == ["docs/x.md:2: 'title:' is empty. Write its value after the colon (see CONTRIBUTING.md, "
                     "'Front matter')."], empty


def test_front_matter_messages_give_the_line_of_the_field():
    meta = {"title": "T", "description": "D", "last_reviewed": dt.date(2026, 1, 1)}
    late = pages.check_meta(dict(meta, next_review=dt.date(2030, 1, 1)), "docs/x.md",
                            PAGE.format(next="2030-01-01"))
    assert late == ["docs/x.md:5: next_review (2030-01-01) is more than 3 years after last_reviewed "
                    "(2026-01-01). Set it no later than 2029-01-01."], late
    text = pages.check_meta(dict(meta, next_review="next year"), "docs/x.md:1", PAGE.format(next="next year"))
    assert text == ["docs/x.md:5: 'next_review: next year' is not a date. Write it as YYYY-MM-DD, without "
                    "quotes, e.g. next_review: 2026-11-25"], text
    backwards = pages.check_meta(dict(meta, next_review=dt.date(2025, 1, 1)), "docs/x.md", PAGE.format(next="x"))
    assert backwards[0].startswith("docs/x.md:5: next_review (2025-01-01) must come after last_reviewed")
    assert "next_review: 2027-01-01" in backwards[0], backwards


def test_too_long_description_quotes_it_and_gives_its_line():
    long = "Word " * 50
    problems = pages.check_meta({"title": "T", "description": long, "last_reviewed": dt.date(2026, 1, 1),
                                 "next_review": dt.date(2027, 1, 1)}, "docs/x.md", PAGE.format(next="x"))
    assert len(problems) == 1 and problems[0].startswith("docs/x.md:3: the description ('Word Word"), problems
    assert "250 characters long; shorten it to under 200" in problems[0]


def test_a_29_february_review_date_gets_a_valid_suggestion():
    problems = pages.check_meta({"title": "T", "description": "D", "last_reviewed": dt.date(2028, 2, 29),
                                 "next_review": dt.date(2032, 1, 1)}, "docs/x.md")
    assert problems and "Set it no later than 2031-02-28." in problems[0], problems


# --- MkDocs's own warnings, explained with file:line --------------------------------------------

def test_build_log_explains_a_broken_link_and_anchor_from_a_real_build(tmp_path):
    for name, needle in (("broken-link", "docs/index.md:12: the link 'no-such-page.md' points to a page that "
                                         "does not exist."),
                         ("missing-anchor", "docs/index.md:12: the link '#no-such-heading' points to a heading "
                                            "that is not on this page. Fix the spelling")):
        config = fixture_site(name)
        result = mkdocs_build(config, tmp_path / name)
        assert result.returncode != 0
        assert needle in "\n".join(explain(result.output, config)), explain(result.output, config)


@pytest.mark.parametrize("warning, expected", [
    ("WARNING -  Doc file 'index.md' contains a link 'risks.md#no-such', but the doc 'risks.md' does not "
     "contain an anchor '#no-such'.",
     "docs/index.md:3: the link 'risks.md#no-such' points to #no-such, but docs/risks.md has no heading"),
    ("WARNING -  Doc file 'index.md' contains an absolute link '/hsct/', it was left as is. Did you mean "
     "'hsct.md'?", "docs/index.md:4: the link '/hsct/' starts with '/', so it breaks when the site is served "
                   "from a sub-path. Did you mean 'hsct.md'?"),
    ("WARNING -  Doc file 'index.md' contains an unrecognized relative link 'msc/', it was left as is.",
     "docs/index.md:5: the link 'msc/' does not name a .md file."),
    ("WARNING -  A reference to 'gone.md' is included in the 'nav' configuration, which is not found in the "
     "documentation files.", "mkdocs.yml:3: the nav lists 'gone.md', but docs/gone.md does not exist."),
    ("WARNING -  The following pages exist in the docs directory, but are not included in the \"nav\" "
     "configuration:\n  - orphan.md\n", "docs/orphan.md: this page is not in the nav. Add a line for it"),
    ("ERROR    -  Error reading page 'index.md': Snippet at path 'includes/terms.md' could not be found",
     "a '--8<--' line includes 'includes/terms.md', which does not exist in docs/"),
])
def test_build_log_explains_each_mkdocs_warning(tmp_path, warning, expected):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n[Risks](risks.md#no-such)\n[HSCT](/hsct/)\n[MSC](msc/)\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nnav:\n  - Gone: gone.md\n")
    messages = explain("INFO -  Building\n" + warning + "\n", tmp_path / "mkdocs.yml")
    assert any(expected in m for m in messages), messages


# --- Built-site checkers name the Markdown file and line when they know the source ---------------

def test_link_checker_names_the_markdown_line_relative_to_the_project(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "broken-link", site)
    source = ROOT / "tests" / "fixtures" / "sites" / "broken-link" / "docs" / "index.md"
    problems = check_links(site, source_of=lambda page: source)
    assert problems[0].startswith("tests/fixtures/sites/broken-link/docs/index.md:12: the link 'A page that "
                                  "was never written' (no-such-page/)"), problems
    assert "Fix the link target or create the page." in problems[0]


def test_external_link_and_privacy_checkers_name_the_markdown_line(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "bad-external", site)
    source = tmp_path / "page.md"
    source.write_text("# Home\n\n[Insecure](http://example.org/insecure)\n")
    problems = bad_external_links(site, source_of=lambda page: source)
    assert f"{source}:3: link 'http://example.org/insecure' must use https://" in problems[0], problems
    assert "Change the start of the address to https://" in problems[0]

    site = tmp_path / "site2"
    shutil.copytree(FIXTURES / "html" / "third-party", site)
    source.write_text("# Home\n\n<script src=\"//cdn.example.com/lib.js\"></script>\n")
    problems = "\n".join(third_party_assets(site, source_of=lambda page: source))
    assert f"{source}:3: <script src=\"//cdn.example.com/lib.js\"> loads from another site. Copy the file" \
        in problems, problems


# --- CONTRIBUTING.md stays true --------------------------------------------------------------

def test_contributing_describes_every_test_family_and_real_commands():
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = guide[guide.index("### What each test family checks"):]
    missing = [p.name for p in sorted((ROOT / "tests").glob("test_*.py")) if f"`{p.name}`" not in table]
    assert not missing, (f"CONTRIBUTING.md: add a row for {', '.join(missing)} to the table under "
                         f"'What each test family checks' (what it checks, what a failure means, how to fix it).")
    tasks = (ROOT / "tasks.py").read_text(encoding="utf-8")
    for command in sorted(set(re.findall(r"python3 tasks\.py ([a-z-]+)", guide))):
        assert f'"{command}"' in tasks, \
            f"CONTRIBUTING.md mentions 'python3 tasks.py {command}', which tasks.py does not have."
    assert "## 4. Front matter" in guide, "the build's messages point editors to CONTRIBUTING.md, 'Front matter'"


# --- Browser failures: the message first, no traceback ------------------------------------------

def test_browser_failures_print_the_message_first_without_a_traceback():
    from browser_support import WaitFailed
    from conftest import browser_failure_text
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    node = "tests/test_x.py::test_y"
    rewritten = AssertionError("docs/hsct.md [/hsct/, dark, 360px]: color-contrast (serious): low contrast "
                               "(site design: fix overrides/ or docs/stylesheets/extra.css).\n    where: p\n"
                               "assert not ['docs/hsct.md ...']")
    text = browser_failure_text(node, rewritten)
    assert text.startswith("docs/hsct.md [/hsct/, dark, 360px]: color-contrast (serious)"), text
    assert "assert not" not in text and 'python3 tasks.py test "tests/test_x.py::test_y"' in text, text
    waited = browser_failure_text(node, WaitFailed("Waited 15 s for the search results for 'kidney' on "
                                                   "http://127.0.0.1/, but the page showed: {}"))
    assert waited.startswith("Waited 15 s for the search results for 'kidney'"), waited
    log = "\n".join(f"  - step {n}" for n in range(40))
    raw = browser_failure_text(node, PlaywrightTimeout(f"Page.click: Timeout 10000ms exceeded.\nCall log:\n{log}"))
    assert raw.startswith("The browser could not do a step of this test: Page.click: Timeout 10000ms exceeded."), raw
    assert len(raw.splitlines()) < 12, raw
    assert browser_failure_text(node, KeyError("x")) is None  # a bug in a test keeps its traceback



# --- The date the evidence was last checked (overrides/hooks/checked.py) -----------------------

def test_evidence_date_token_errors_name_the_line_and_the_fix():
    import datetime as dt
    from mkdocs.exceptions import PluginError
    checked = load_hook("checked")
    day = dt.date(2026, 11, 30)
    assert checked.fill("Last checked {{ evidence_checked }}.\n", "x.md", day) == "Last checked 30 November 2026.\n"
    with pytest.raises(PluginError, match=r"docs/x.md:2: unknown '\{\{ evidence_check \}\}'. The only one is"):
        checked.fill("Fine.\nLast checked {{ evidence_check }}.\n", "x.md", day)
    with pytest.raises(PluginError, match="mkdocs.yml: extra: evidence_checked is 'soon'. Write the day"):
        checked.checked_date({"extra": {"evidence_checked": "soon"}})
    assert checked.checked_date({"extra": {"evidence_checked": day}}) == day


# --- Template fixes (overrides/hooks/headings.py, overrides/hooks/toggles.py) -------------------

def test_headings_hook_names_heading_and_permalink_and_stops_on_unknown_markup():
    from mkdocs.exceptions import PluginError
    headings = load_hook("headings")
    html = ('<h2 id="risks">Risks of <abbr title="x">HSCT</abbr> &amp; MSC<a class="headerlink" href="#risks" '
            'title="Link to this section">&para;</a></h2>')
    out = headings.name_headings(html, "Link to this section", "docs/x.md")
    assert out == ('<h2 id="risks" aria-label="Risks of HSCT &amp; MSC">Risks of <abbr title="x">HSCT</abbr> '
                   '&amp; MSC<a class="headerlink" href="#risks" title="Link to this section: Risks of HSCT &amp; MSC" '
                   'aria-label="Link to this section: Risks of HSCT &amp; MSC">&para;</a></h2>'), out
    with pytest.raises(PluginError, match=r"docs/x.md has a heading permalink in a form this hook does not know"):
        headings.name_headings('<h2 id="a">A<a class="headerlink" href="#a">#</a></h2>', "Link", "docs/x.md")


def test_toggles_hook_drops_autocomplete_and_stops_on_a_changed_toggle():
    from mkdocs.exceptions import PluginError
    toggles = load_hook("toggles")
    page = ('<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">\n'
            '<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">')
    assert "autocomplete" not in toggles.drop_autocomplete(page, "docs/x.md")
    with pytest.raises(PluginError, match=r"docs/x.md has Material's drawer toggle in a new form"):
        toggles.drop_autocomplete('<input data-md-toggle="drawer" id="__drawer" type="checkbox">', "docs/x.md")
