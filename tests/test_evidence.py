"""Evidence page and citation exports: built from the references data file, never drifting from it.

* The evidence page has a row for every study the pages cite, in its intervention's table,
  and each cell shows the data (or "not reported" where the data leaves it out).
* A study without design or n stops the build, naming the key and its line.
* references.ris / .bib / .csl.json parse back with every reference, DOI and PMID, each with another
  library than the one that wrote it (RIS: rispy writes, pybtexris reads; BibTeX: pybtex writes,
  bibtexparser reads; CSL-JSON: json writes, the CSL processor citeproc-py reads and formats it).
* The downloads are the same, byte for byte, in two builds.
* Every citing page links its own RIS file under its reference list, and that file parses.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
import bibtexparser
import pybtexris  # noqa: F401 - registers the "ris" format with pybtex
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from pybtex.database import parse_string

from checkers import load_hook
from conftest import DOCS, ROOT, fixture_site, mkdocs_build

citations = load_hook("citations")
evidence = load_hook("evidence")
exports = load_hook("exports")
refdata = load_hook("refdata")
REFS_FILE = DOCS / "data" / "references.yml"
SHOWN = "docs/data/references.yml"
RIS_LINE = re.compile(r"^[A-Z][A-Z0-9]  - (.*)$")
LINK_TEXT = "Download this page's references (RIS)"


@pytest.fixture(scope="module")
def refs():
    refs, errors = citations.load_references(REFS_FILE)
    assert not errors, "Fix docs/data/references.yml:\n" + "\n".join(errors)
    return refs


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def text(tag) -> str:
    """A cell's visible text on one line (glossary <abbr> tags add no spaces)."""
    return " ".join(tag.get_text("").split())


def cited_keys_in_built_site(site: Path) -> dict[str, list[str]]:
    """{page: keys in its numbered reference list}, read from the built HTML."""
    found = {}
    for page in sorted(site.rglob("index.html")):
        heading = soup_of(page).find("h2", id="references")
        if heading is None:
            continue
        items = heading.find_next_sibling("ol")
        assert items is not None, f"{page}: the References heading has no list after it"
        found[page.relative_to(site).as_posix()] = [
            span["id"].removeprefix("ref-") for span in items.select("li > span[id^=ref-]")]
    return found


# --- The evidence page ---------------------------------------------------------------------

def test_evidence_page_has_a_row_for_every_cited_study(site, refs):
    cited = {key for keys in cited_keys_in_built_site(site).values() for key in keys}
    studies = sorted(key for key in cited if evidence.is_study(refs[key]))
    assert len(studies) >= 10, f"expected the guide to cite at least 10 studies, found {studies}"
    soup = soup_of(site / "evidence" / "index.html")
    for key in studies:
        ref = refs[key]
        links = soup.select(f'.evidence-tables a[href="../references/#ref-{key}"]')
        assert len(links) == 1, (f"docs/evidence.md: the evidence tables need exactly one row for {key} "
                                 f"(docs/data/references.yml:{ref.line}); found {len(links)}")
        table = links[0].find_parent("table")
        slug = re.sub(r"[^a-z0-9]+", "-", ref.get("intervention").lower()).strip("-")
        heading = table.find_previous(["h2", "h3"])
        assert heading.get("id") == f"studies-{slug}", (
            f"{key} (intervention {ref.get('intervention')}) is in the table under #{heading.get('id')}, "
            f"not #studies-{slug}")


def test_evidence_cells_show_the_data_or_not_reported(site, refs):
    """Text fields as written; benefits and harms as the study's results, worded by results.py."""
    results = load_hook("results")
    soup = soup_of(site / "evidence" / "index.html")

    def recorded(ref, *effects):
        return [results.describe(r).rstrip(".") + "." for r in ref.get("results") or [] if r.get("effect") in effects]

    for table in soup.select(".evidence-tables table"):
        header = [text(th) for th in table.select("thead th")]
        if header[0] != "Study":
            continue
        for row in table.select("tbody tr"):
            cells = dict(zip(header, row.select("td")))
            key = cells["Study"].find("a")["href"].split("#ref-")[1]
            ref = refs[key]
            n = ref.get("n")
            assert text(cells["N"]) == (f"{n:,}" if n else "not reported"), f"{key}: wrong N cell"
            design = evidence.DESIGN_LABELS.get(ref.get("design"), ref.get("design"))
            assert text(cells["Design"]).startswith(design), f"{key}: wrong design cell"
            if ref.get("comparator"):
                assert "Comparator: " + " ".join(ref.get("comparator").split()) in text(cells["Design"])
            expected = {
                "Who took part": ([" ".join(str(ref.get("population")).split())] if ref.get("population") else [])
                + recorded(ref, "participants"),
                "Follow-up": [" ".join(str(ref.get("follow_up")).split())] if ref.get("follow_up") else [],
                "Benefits": recorded(ref, "benefit", "finding"),
                "Findings": recorded(ref, "finding", "benefit"),
                "Harms": recorded(ref, "harm"),
                "Key limitation": [" ".join(str(ref.get("limitation")).split())] if ref.get("limitation") else [],
            }
            for column, lines in expected.items():
                if column not in cells:
                    continue
                for br in cells[column].find_all("br"):
                    br.replace_with(" ")
                shown = cells[column].get_text("")
                want = " ".join(lines) if lines else "not reported"
                assert " ".join(shown.split()) == " ".join(want.split()), (
                    f"{key}: the {column} cell shows {shown!r}, the data says {want!r}")


def test_every_study_with_a_benefit_records_a_harm(refs):
    for ref in refs.values():
        effects = {r.get("effect") for r in ref.get("results") or []}
        assert "harm" in effects or "benefit" not in effects, (
            f"docs/data/references.yml:{ref.line}: {ref.key} records benefits but no harm")


def test_sources_that_are_not_studies_are_listed_too(site, refs):
    soup = soup_of(site / "evidence" / "index.html")
    others = soup.find(id="studies-other").find_next("table")
    listed = {a["href"].split("#ref-")[1] for a in others.select("a[href*='#ref-']")}
    expected = {r.key for r in refs.values() if r.get("type") == "study" and not evidence.is_study(r)}
    assert listed == expected, f"guidelines/position statements/reviews table: {sorted(listed ^ expected)}"


def test_evidence_page_is_a_clinician_page_in_the_nav():
    meta_text = (DOCS / "evidence.md").read_text(encoding="utf-8")
    assert "\naudience: clinicians\n" in meta_text, "docs/evidence.md: add 'audience: clinicians' to the front matter"
    assert evidence.MARKER in meta_text
    assert "evidence.md" in (DOCS.parent / "mkdocs.yml").read_text(encoding="utf-8")


# --- Each failure mode of the evidence hook -----------------------------------------------

def test_study_missing_design_or_n_fails_the_build_naming_key_and_line(tmp_path):
    result = mkdocs_build(fixture_site("evidence-missing-fields"), tmp_path / "out")
    assert result.returncode != 0, "A study without design or n must fail the build.\n" + result.output
    assert "docs/data/references.yml:17: reference 'nodesign2020' has no design" in result.output, result.output
    assert ("docs/data/references.yml:30: reference 'non2021' is a study (case series) but has no n"
            in result.output), result.output
    assert "fine2019" not in result.output, "a complete entry must not be reported"


@pytest.mark.parametrize("extra, expected", [
    ("  design: RCT\n  n: \"40\"\n  intervention: MSC\n", "has n '40'; n is the number of people"),
    ("  design: RCT\n  n: 0\n  intervention: MSC\n", "has n 0"),
    ("  design: RCT\n  n: 40\n", "is a study (RCT) but has no intervention"),
    ("  design: RCT\n  n: 40\n  intervention: stem cells\n", "has intervention 'stem cells'"),
    ("  design: RCT\n  n: 40\n  intervention: MSC\n  population: [a, b]\n", "'population' must be one piece of text"),
    ("  design: RCT\n  n: 40\n  intervention: MSC\n  harms: One death.\n", "has 'harms:' text. Write each figure as a record"),
    ("  design: RCT\n  n: 40\n  intervention: MSC\n  results:\n    - {measure: alive, value: 90, unit: '%', of: 40, "
     "time: 1 year, kind: counted, effect: benefit, where: abstract}\n", "records benefits but no harm"),
])
def test_bad_study_fields_are_reported_with_key_and_line(tmp_path, extra, expected):
    path = tmp_path / "references.yml"
    path.write_text("- key: a2020\n  type: study\n  authors: [A B]\n  title: T\n  journal: J\n  year: 2020\n"
                    "  volume: \"1\"\n  pages: \"1\"\n  doi: 10.1000/a\n  pmid: \"1\"\n  summary: S\n" + extra)
    refs, errors = citations.load_references(path)
    assert not errors, errors
    problems = evidence.check_study_fields(refs, SHOWN)
    assert any(expected in p and f"{SHOWN}:1: reference 'a2020'" in p for p in problems), problems


def test_unseen_n_and_non_studies_need_no_n(tmp_path):
    path = tmp_path / "references.yml"
    base = ("  type: study\n  authors: [A B]\n  title: T\n  journal: J\n  year: 2020\n  volume: \"1\"\n"
            "  pages: \"1\"\n  doi: 10.1000/a\n  pmid: \"1\"\n  summary: S\n")
    path.write_text(f"- key: a2020\n{base}  design: systematic review\n  not_confirmed: [n]\n  intervention: HSCT\n"
                    f"- key: b2020\n{base}  design: guideline\n")
    refs, _ = citations.load_references(path)
    assert evidence.check_study_fields(refs, SHOWN) == []


def test_missing_marker_is_reported():
    problems = evidence.check_marker({"index.md": "# Home\n", "evidence.md": "# Evidence\n"})
    assert problems and "no page holds the marker <!-- evidence:tables -->" in problems[0]
    assert evidence.check_marker({"evidence.md": evidence.MARKER}) == []


# --- Citation exports ----------------------------------------------------------------------

def ris_records(content: str) -> tuple[list[dict[str, list[str]]], list[str]]:
    """Parse RIS: (records as {tag: [values]}, problems). Each record runs from TY to ER."""
    records, problems, current = [], [], None
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        match = RIS_LINE.match(line)
        if not match:
            problems.append(f"line {number}: {line!r} is not 'XX  - value'")
            continue
        tag = line[:2]
        if tag == "TY":
            if current is not None:
                problems.append(f"line {number}: TY before the previous record's ER")
            current = {}
        elif current is None:
            problems.append(f"line {number}: {tag} outside a record (no TY before it)")
            continue
        if tag == "ER":
            records.append(current)
            current = None
        else:
            current.setdefault(tag, []).append(match.group(1))
    if current is not None:
        problems.append("the last record has no ER line")
    return records, problems


def test_ris_checker_reports_broken_records():
    _, problems = ris_records("TY  - JOUR\nTI - one space\nER  - \nAU  - Smith, A.\nTY  - JOUR\n")
    assert any("is not 'XX  - value'" in p for p in problems), problems
    assert any("outside a record" in p for p in problems), problems
    assert any("no ER line" in p for p in problems), problems


def test_exports_are_linked_from_the_references_page(site):
    soup = soup_of(site / "references" / "index.html")
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    for name in exports.ALL_FILES:
        assert f"../{name}" in hrefs, f"docs/references.md: link the export {name}"
        assert (site / name).is_file(), f"{name} was not generated"


def test_ris_export_has_every_reference_with_doi_and_pmid(site, refs):
    records, problems = ris_records((site / "references.ris").read_text(encoding="utf-8"))
    assert not problems, "references.ris is not well-formed RIS:\n" + "\n".join(problems)
    by_id = {record["ID"][0]: record for record in records}
    assert sorted(by_id) == sorted(refs), "references.ris must hold every reference exactly once"
    for ref in refs.values():
        record = by_id[ref.key]
        assert record["TY"] == ["JOUR" if ref.get("type") == "study" else "ELEC"]
        assert record["TI"] == [" ".join(str(ref.get("title")).split())], ref.key
        if ref.get("doi"):
            assert record.get("DO") == [ref.get("doi")], f"{ref.key}: DOI missing from references.ris"
        if ref.get("pmid"):
            assert record.get("AN") == [ref.get("pmid")], f"{ref.key}: PMID missing from references.ris"


def test_bibtex_export_parses_with_every_reference(site, refs):
    data = parse_string((site / "references.bib").read_text(encoding="utf-8"), "bibtex")
    assert sorted(data.entries) == sorted(refs), "references.bib must hold every reference exactly once"
    for ref in refs.values():
        entry = data.entries[ref.key]
        assert entry.type == ("article" if ref.get("type") == "study" else "misc")
        assert entry.persons.get("author") or "authors" in (ref.get("not_confirmed") or []), (
            f"{ref.key}: no author in references.bib")
        if ref.get("doi"):
            assert entry.fields["doi"] == ref.get("doi"), ref.key
        if ref.get("pmid"):
            assert entry.fields["pmid"] == ref.get("pmid"), ref.key
    assert str(data.entries["leone2017"].persons["author"][0]) == "Leone, A."
    assert data.entries["leone2017"].fields["pages"] == "469--477"


def test_csl_json_export_loads_with_every_reference(site, refs):
    items = json.loads((site / "references.csl.json").read_text(encoding="utf-8"))
    by_id = {item["id"]: item for item in items}
    assert sorted(by_id) == sorted(refs), "references.csl.json must hold every reference exactly once"
    for ref in refs.values():
        item = by_id[ref.key]
        assert item["type"] in ("article-journal", "webpage") and item["title"], ref.key
        assert item.get("DOI") == ref.get("doi"), f"{ref.key}: DOI in references.csl.json"
        assert item.get("PMID") == ref.get("pmid"), f"{ref.key}: PMID in references.csl.json"
        assert item.get("PMCID") == ref.get("pmcid"), f"{ref.key}: PMCID in references.csl.json"
        if ref.get("accessed"):
            assert item["accessed"] == {"date-parts": [[ref.get("accessed").year, ref.get("accessed").month,
                                                        ref.get("accessed").day]]}, ref.key


def test_exports_are_the_same_byte_for_byte_in_two_builds(site, tmp_path):
    again = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "again")
    assert again.returncode == 0, again.output
    names = list(exports.ALL_FILES) + sorted(p.relative_to(site).as_posix() for p in (site / "refs").glob("*.ris"))
    assert len(names) > len(exports.ALL_FILES), "no per-page RIS files were generated"
    for name in names:
        assert (site / name).read_bytes() == (again.site / name).read_bytes(), (
            f"{name} differs between two builds of the same data; the exports must not hold build dates or "
            f"an unstable order")


def test_ris_export_reads_back_with_another_library(site, refs):
    """rispy wrote it; pybtex's RIS reader (pybtexris), as a reference manager would, reads it."""
    data = parse_string((site / "references.ris").read_text(encoding="utf-8"), "ris")
    entries = list(data.entries.values())
    assert len(entries) == len(refs), f"pybtexris read {len(entries)} records from references.ris, not {len(refs)}"
    for ref, entry in zip(refs.values(), entries):
        assert entry.fields["title"] == " ".join(str(ref.get("title")).split()), ref.key
        assert entry.fields.get("doi") == ref.get("doi"), f"{ref.key}: DOI as read back from references.ris"
        if ref.get("authors") or "authors" not in (ref.get("not_confirmed") or []):
            assert entry.persons.get("author"), f"{ref.key}: no author read back from references.ris"


def test_bibtex_export_reads_back_with_another_library(site, refs):
    """pybtex wrote it; bibtexparser reads it."""
    library = bibtexparser.parse_string((site / "references.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks, f"bibtexparser could not read: {library.failed_blocks}"
    by_key = {entry.key: entry for entry in library.entries}
    assert sorted(by_key) == sorted(refs), "references.bib must hold every reference exactly once"
    for ref in refs.values():
        fields = by_key[ref.key].fields_dict
        assert "title" in fields, ref.key
        assert "author" in fields or (not ref.get("authors") and "authors" in (ref.get("not_confirmed") or [])), \
            f"{ref.key}: no author in references.bib, and the entry does not list authors as not confirmed"
        if ref.get("doi"):
            assert fields["doi"].value == ref.get("doi"), ref.key
        if ref.get("pmid"):
            assert fields["pmid"].value == ref.get("pmid"), ref.key


def test_csl_json_export_is_read_and_formatted_by_a_csl_processor(site, refs):
    """json wrote it; citeproc-py, a CSL processor, reads every item and formats a bibliography."""
    items = json.loads((site / "references.csl.json").read_text(encoding="utf-8"))
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)  # the style citeproc-py ships
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == len(refs), f"citeproc-py formatted {len(rendered)} of {len(refs)} references"
    text = "\n".join(rendered)
    for ref in refs.values():
        words = " ".join(str(ref.get("title")).split())[:40]
        assert words in text, f"{ref.key}: its title is missing from the formatted bibliography"
        if ref.get("doi"):
            assert f"https://doi.org/{ref.get('doi')}" in text, f"{ref.key}: its DOI is missing"


def test_export_parsers_split_volume_pages_and_names():
    ref = citations.Reference("x", {"volume": "16(5)", "pages": "469-77", "authors": ["de Silva NL", "et al."]}, 1)
    assert refdata.volume_issue(ref) == ("16", "5")
    assert refdata.page_range(ref) == ("469", "477")
    assert refdata.split_name("de Silva NL") == ("de Silva", "N. L.")
    assert refdata.split_name("ISSCR Task Force on Unproven Stem Cell Treatments") is None
    assert refdata.people(ref) == (["de Silva NL"], True)


def test_every_citing_page_links_its_own_ris_file(site):
    pages = cited_keys_in_built_site(site)
    assert len(pages) >= 10, pages
    for page, keys in pages.items():
        soup = soup_of(site / page)
        link = soup.find("a", string=LINK_TEXT)
        assert link is not None, f"{page}: no '{LINK_TEXT}' link"
        assert link.find_parent("p").find_previous_sibling() is soup.find("h2", id="references").find_next_sibling(
            "ol"), f"{page}: the RIS link must come right after the reference list"
        target = (site / page).parent / link["href"]
        assert target.resolve().is_file(), f"{page}: {link['href']} does not exist"
        records, problems = ris_records(target.read_text(encoding="utf-8"))
        assert not problems, f"{link['href']}:\n" + "\n".join(problems)
        assert [r["ID"][0] for r in records] == keys, f"{link['href']} must list the page's sources in order"


def test_exports_hook_before_citations_hook_fails(tmp_path):
    result = mkdocs_build(fixture_site("evidence-exports-order"), tmp_path / "out")
    assert result.returncode != 0
    assert ("docs/index.md: the page's reference list is not there yet. List overrides/hooks/exports.py "
            "after overrides/hooks/citations.py") in result.output, result.output


# --- Phone and print -----------------------------------------------------------------------

@pytest.mark.browser
def test_evidence_tables_scroll_in_their_own_box_and_print_within_the_page(browser, base_url):
    """Desktop: a table wider than the text scrolls in its own box, not the page. Phone: each row is
    a card that fits the screen (tests/test_tables.py checks every cell of every table). Print:
    within the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(base_url + "evidence/")
        measure = """() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
            tables: [...document.querySelectorAll('.evidence-tables table')].map(t => {
              let box = t; while (box && box.scrollWidth <= box.clientWidth + 1) box = box.parentElement;
              return {wide: t.scrollWidth, right: t.getBoundingClientRect().right,
                      scroller: box ? box.className || box.tagName : null}; })})"""
        desktop = page.evaluate(measure)
        assert desktop["page"] <= desktop["view"], f"evidence page scrolls sideways on a desktop: {desktop}"
        assert any(t["wide"] > 1000 for t in desktop["tables"]), f"expected wide evidence tables: {desktop}"
        for table in desktop["tables"]:
            assert table["wide"] <= 1000 or table["scroller"] not in (None, "HTML", "BODY"), (
                f"a wide evidence table must scroll inside its own box: {table}")
        page.set_viewport_size({"width": 360, "height": 800})
        phone = page.evaluate(measure)
        assert phone["page"] <= phone["view"], f"evidence page scrolls sideways on a phone: {phone}"
        for table in phone["tables"]:
            assert table["wide"] <= 360 and table["right"] <= 360, (
                f"on a phone an evidence table must fit the screen as cards: {table}")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.emulate_media(media="print")
        printed = page.evaluate("""() => [...document.querySelectorAll('.evidence-tables table')].map(
            t => [t.getBoundingClientRect().right, t.closest('article').getBoundingClientRect().right])""")
        assert printed and all(right <= limit + 1 for right, limit in printed), (
            f"printed evidence tables run past the page: {printed}")
    finally:
        page.close()


def test_figures_in_finds_results_but_not_the_kind_of_interval():
    rules = load_hook("results")
    text = ("84% were alive, 1 in 50 died and 45 of 64 reached remission "
            "(odds ratio 0.26, 95% confidence interval 0.07 to 0.89; 95% CI 0.1 to 0.9).")
    assert [f.text for f in rules.figures_in(text)] == ["84%", "1 in 50", "45 of 64"]
