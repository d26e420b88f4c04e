"""Identifiers online: every DOI and PubMed ID in docs/data/references.yml leads to the same paper.

Opt in with: python3 tasks.py test -m network. Then, for every entry,

* the DOI resolves at doi.org, and its registered title and year match the entry;
* the PubMed ID's record (NCBI E-utilities) has the same title and DOI.

Without the internet those tests skip with a one-line notice. The offline tests below feed the
same checker stored answers (tests/fixtures/references/online-answers.json) to prove it reports
each kind of difference, naming the key and the field.
"""
from __future__ import annotations

import json

import pytest
from checkers import load_hook
from checkers.identifiers import check_dois, check_pmids, doi_problems, fetch_doi, fetch_pubmed, normalise_title, online
from conftest import DOCS, FIXTURES

citations = load_hook("citations")
SHOWN = "docs/data/references.yml"
ANSWERS = json.loads((FIXTURES / "references" / "online-answers.json").read_text(encoding="utf-8"))
OFFLINE = "needs the internet (doi.org and NCBI); run it online with: python3 tasks.py test -m network"


@pytest.fixture(scope="module")
def refs():
    refs, errors = citations.load_references(DOCS / "data" / "references.yml", SHOWN)
    assert not errors, "Fix docs/data/references.yml:\n" + "\n".join(errors)
    return refs


@pytest.fixture(scope="module")
def internet():
    why = online()
    if why:
        pytest.skip(f"{OFFLINE} ({why})")


# --- Online (opt in) ----------------------------------------------------------------------------

@pytest.mark.network
def test_every_doi_resolves_to_the_entrys_title_and_year(internet, refs):
    problems = check_dois(refs, SHOWN)
    assert not problems, "DOIs that do not match their entries:\n" + "\n".join(problems)


@pytest.mark.network
def test_every_pubmed_id_has_the_entrys_title_and_doi(internet, refs):
    assert any(ref.get("pmid") for ref in refs.values()), "no entry has a PubMed ID"
    problems = check_pmids(refs, SHOWN)
    assert not problems, "PubMed IDs that do not match their entries:\n" + "\n".join(problems)


# --- Offline: the checker can fail ------------------------------------------------------------------

def fixture_problems() -> list[str]:
    refs, errors = citations.load_references(FIXTURES / "references" / "identifiers.yml", SHOWN)
    assert not errors, errors
    answers = ANSWERS["doi"]
    return (check_dois(refs, SHOWN, lambda doi: (answers[doi], "") if answers[doi] else (None, "doi.org answers HTTP 404"))
            + check_pmids(refs, SHOWN, lambda pmids: {pmid: ANSWERS["pubmed"].get(pmid) for pmid in pmids}))


def test_checker_names_the_key_and_the_field_that_differs():
    problems = fixture_problems()
    expected = [
        (SHOWN + ":15: reference 'title2021' title: the entry has 'A title typed from memory', the DOI's record has "
         "'The title as the publisher registered it'. Open the link, compare it with the paper, and correct the "
         "entry on that line. (https://doi.org/10.5555/title.2021)"),
        SHOWN + ":27: reference 'year2019' year: the entry has 2019, the DOI's record has 2018. Open the link",
        (SHOWN + ":39: reference 'gone2022' doi: 10.5555/gone.2022 does not resolve (doi.org answers HTTP 404). "
         "Check the DOI"),
        SHOWN + ":15: reference 'title2021' title: the entry has 'A title typed from memory', PubMed 99999912 has",
        SHOWN + ":39: reference 'gone2022' pmid: PubMed has no record 99999914. Search PubMed",
        (SHOWN + ":51: reference 'swap2023' doi: the entry has '10.5555/swap.2023', PubMed 99999915 has "
         "'10.5555/other.2023'. One of the two identifiers is wrong."),
    ]
    for message in expected:
        assert any(p.startswith(message) for p in problems), f"missing: {message}\n" + "\n".join(problems)
    assert len(problems) == len(expected), "\n".join(problems)
    assert not any("good2020" in p for p in problems), "markup, case and a final full stop are not differences"
    assert not any("swap2023 year" in p for p in problems), "a year matches any of the record's dates"


def test_titles_compare_without_case_markup_or_punctuation():
    assert normalise_title("<i>In vivo</i> MSCs &amp; lupus: a review.") == normalise_title("In vivo MSCs & lupus - "
                                                                                           "a review")
    assert normalise_title("Lupus nephritis") != normalise_title("Lupus arthritis")


def test_a_doi_that_does_not_resolve_is_one_message():
    ref = citations.Reference("x2020", {"doi": "10.5555/none", "title": "T", "year": 2020}, 7)
    assert doi_problems(ref, None, SHOWN, "doi.org answers HTTP 404") == [
        SHOWN + ":7: reference 'x2020' doi: 10.5555/none does not resolve (doi.org answers HTTP 404). Check the DOI "
        "on the paper's page and correct it, or list doi under not_confirmed. (https://doi.org/10.5555/none)"]


def test_fetchers_are_the_ones_the_online_tests_use():
    """The online tests call the real fetchers: doi.org content negotiation and NCBI esummary."""
    assert check_dois.__defaults__ == (fetch_doi,) and check_pmids.__defaults__ == (fetch_pubmed,)
