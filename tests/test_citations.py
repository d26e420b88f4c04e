"""Citations: every [@key] resolves, every source has well-formed identifiers and is cited."""
import pytest
from bs4 import BeautifulSoup
from checkers import load_hook
from conftest import DOCS, FIXTURES, fixture_site, mkdocs_build


citations = load_hook("citations")
REFS_FILE = DOCS / "data" / "references.yml"


def test_references_file_is_valid():
    refs, errors = citations.load_references(REFS_FILE)
    assert not errors, "Fix docs/data/references.yml:\n" + "\n".join(errors)
    assert len(refs) >= 15


def test_every_study_has_doi_and_pmid_or_says_why_not():
    refs, _ = citations.load_references(REFS_FILE)
    for ref in refs.values():
        if ref.get("type") != "study":
            continue
        for name in ("doi", "pmid"):
            assert ref.get(name) or name in (ref.get("not_confirmed") or []), (
                f"docs/data/references.yml:{ref.line}: {ref.key} has no {name}. Add it, or list it under "
                f"not_confirmed if no source you read shows it.")


def test_pages_show_numbered_citations_and_a_reference_list(site):
    soup = BeautifulSoup((site / "hsct" / "index.html").read_text(), "lxml")
    cites = soup.select("sup.citation a")
    assert cites, "hsct page has no rendered citations"
    first = cites[0]
    assert first.get_text() == "1" and first["href"].startswith("#ref-")
    target = soup.find(id=first["href"][1:])
    assert target is not None and target.find_parent("ol"), "citation 1 must link into the page's reference list"
    refs_heading = soup.find(id="references")
    assert refs_heading is not None and refs_heading.name == "h2"


def test_reference_lists_link_doi_pubmed_and_the_full_entry(site):
    refs, _ = citations.load_references(REFS_FILE)
    soup = BeautifulSoup((site / "references" / "index.html").read_text(), "lxml")
    for ref in refs.values():
        entry = soup.find(id=f"ref-{ref.key}")
        assert entry is not None, f"References page has no entry for {ref.key}"
        hrefs = [a["href"] for a in entry.find_all("a", href=True)]
        if ref.get("doi"):
            assert f"https://doi.org/{ref.get('doi')}" in hrefs, f"{ref.key}: DOI link missing"
        if ref.get("pmid"):
            assert f"https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/" in hrefs, f"{ref.key}: PubMed link missing"
        if ref.get("nct"):
            assert any(ref.get("nct") in h for h in hrefs), f"{ref.key}: trial registry link missing"
        assert "Cited on:" in entry.get_text(), f"{ref.key}: the entry must list the pages that cite it"
        cited_on = [h for h in hrefs if not h.startswith("http")]
        assert cited_on, f"{ref.key}: no page links under 'Cited on'"


# --- Each failure mode, with a broken fixture ----------------------------------------

def test_unknown_key_fails_naming_file_line_and_key(tmp_path):
    result = mkdocs_build(fixture_site("unknown-key"), tmp_path / "out")
    assert result.returncode != 0
    assert "docs/index.md:12: unknown citation key 'nosuchkey2020'" in result.output, result.output


def test_bad_doi_fails_naming_file_line_and_key(tmp_path):
    result = mkdocs_build(fixture_site("bad-doi"), tmp_path / "out")
    assert result.returncode != 0
    assert "docs/data/references.yml:10: reference 'smith2020' has doi 'doi.org/10.1000/xyz'" in result.output, result.output


@pytest.mark.parametrize("old, new, expected", [
    ('pmid: "12345"', "pmid: PMID12345", "has pmid 'PMID12345', which is not a PubMed ID"),
    ('pmid: "12345"', 'pmid: "12345"\n  nct: NCT123', "has nct 'NCT123', which is not a registry number"),
])
def test_bad_pmid_or_nct_is_reported_with_its_line(tmp_path, old, new, expected):
    source = (FIXTURES / "sites" / "bad-doi" / "docs" / "data" / "references.yml").read_text()
    source = source.replace(old, new)
    path = tmp_path / "references.yml"
    path.write_text(source)
    _, errors = citations.load_references(path)
    assert any(expected in e and f"{path}:" in e for e in errors), errors


def test_uncited_reference_fails(tmp_path):
    result = mkdocs_build(fixture_site("uncited-reference"), tmp_path / "out")
    assert result.returncode != 0
    assert "reference 'lonely2019' is not cited by any page" in result.output, result.output


def test_missing_required_field_is_reported(tmp_path):
    path = tmp_path / "references.yml"
    path.write_text("- key: a2020\n  type: study\n  title: T\n  summary: S\n")
    _, errors = citations.load_references(path)
    assert any("missing 'journal'" in e and ":1:" in e for e in errors), errors


def test_a_bad_indent_gives_one_error_with_its_line(tmp_path):
    result = mkdocs_build(fixture_site("bad-indent"), tmp_path / "out")
    assert result.returncode != 0
    errors = [line for line in result.output.splitlines() if "references.yml:" in line]
    assert len(errors) == 1 and "docs/data/references.yml:7: the file is not valid YAML" in errors[0], result.output
    assert "unknown citation key" not in result.output, "a file that cannot be read must not cause follow-on errors"
    assert len(result.output.splitlines()) < 15, result.output
