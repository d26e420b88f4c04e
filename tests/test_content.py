"""Content lints on every built page: plain language, no hype, no returning errors, cited numbers.

Which lints apply depends on the page's `audience:` front matter (patients by default;
`reference`, `editorial` and `clinicians` pages are exempt from the reading-level limits).
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from checkers import load_hook
from checkers.images import missing_alt_text
from checkers.prose import (check_abbreviations, check_banned_words, check_numbers_cited,
                            check_paragraph_length, check_reading_level, check_regressions,
                            check_sentence_length, load_page)
from conftest import DOCS, FIXTURES, ROOT
from mkdocs.utils import meta as mkdocs_meta

CORRECTIONS = ("corrections-to-the-source-article",)  # about.md quotes the article's errors here


def _sources():
    pages = []
    for md in sorted(DOCS.glob("*.md")):
        meta = mkdocs_meta.get_data(md.read_text(encoding="utf-8"))[1]
        pages.append((md, meta.get("audience", "patients")))
    return pages


SOURCES = _sources()
PATIENT_PAGES = [md.stem for md, audience in SOURCES if audience == "patients"]
LINTED_PAGES = [md.stem for md, audience in SOURCES if audience != "reference"]


def built(site, stem):
    html = site / ("index.html" if stem == "index" else f"{stem}/index.html")
    return load_page(html.read_text(encoding="utf-8"), f"docs/{stem}.md", DOCS / f"{stem}.md")


@pytest.fixture(scope="session")
def studies():
    refs, _ = load_hook("citations").load_references(DOCS / "data" / "references.yml")
    return {key for key, ref in refs.items() if ref.get("type") == "study"}


@pytest.fixture(scope="session")
def glossary_terms():
    terms, _ = load_hook("glossary").load_glossary(DOCS / "includes" / "glossary.md")
    return set(terms)


@pytest.mark.parametrize("stem", PATIENT_PAGES)
def test_reading_level(site, stem):
    problems = check_reading_level(built(site, stem))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", LINTED_PAGES)
def test_sentences_and_paragraphs_are_short(site, stem):
    page = built(site, stem)
    problems = check_sentence_length(page) + check_paragraph_length(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", LINTED_PAGES)
def test_no_banned_words(site, stem):
    problems = check_banned_words(built(site, stem))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", [md.stem for md, _ in SOURCES if md.stem != "print"])  # print = other pages
def test_source_article_errors_do_not_come_back(site, stem):
    problems = check_regressions(built(site, stem), skip_sections=CORRECTIONS)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", PATIENT_PAGES + [md.stem for md, a in SOURCES if a == "editorial"])
def test_numbers_cite_a_study(site, stem, studies):
    problems = check_numbers_cited(built(site, stem), studies, skip_sections=CORRECTIONS)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", LINTED_PAGES)
def test_abbreviations_are_in_the_glossary(site, stem, glossary_terms):
    problems = check_abbreviations(built(site, stem), glossary_terms)
    assert not problems, "\n".join(problems)


def test_every_glossary_term_is_used_on_the_site(site, glossary_terms):
    import re
    text = " ".join(built(site, md.stem).plain_text() for md, a in SOURCES if md.stem != "glossary")
    unused = sorted(t for t in glossary_terms if not re.search(r"(?<!\w)" + re.escape(t) + r"(?!\w)", text))
    assert not unused, ("These glossary terms are used on no page; delete their lines from "
                        "docs/includes/glossary.md: " + ", ".join(unused))


@pytest.mark.parametrize("stem", [md.stem for md, _ in SOURCES])
def test_images_have_alt_text(site, stem):
    html = site / ("index.html" if stem == "index" else f"{stem}/index.html")
    problems = missing_alt_text(html.read_text(encoding="utf-8"), DOCS / f"{stem}.md")
    assert not problems, "\n".join(problems)


def test_spelling():
    proc = subprocess.run([sys.executable, "-m", "codespell_lib", "--ignore-words", "tests/wordlist.txt",
                           "docs", "README.md"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, ("Spelling mistakes (file:line: wrong ==> right). Fix them, or add a correct "
                                  "word to tests/wordlist.txt:\n" + proc.stdout + proc.stderr)


# --- Each lint fails on a deliberately broken page -------------------------------------

@pytest.fixture(scope="module")
def broken():
    source = FIXTURES / "prose" / "broken.md"
    html = (FIXTURES / "prose" / "broken.html").read_text(encoding="utf-8")
    return load_page(html, "tests/fixtures/prose/broken.md", source)


def test_reading_level_lint_fails_on_hard_text(broken):
    problems = "\n".join(check_reading_level(broken))
    assert "reading level is too high" in problems and "Flesch-Kincaid grade" in problems, problems
    assert "broken.md:" in problems, problems


def test_sentence_lint_shows_the_longest_sentence_with_its_line(broken):
    problems = "\n".join(check_sentence_length(broken))
    assert "longer than 25 words" in problems and "broken.md:9:" in problems, problems


def test_banned_word_lint_allows_negation(broken):
    problems = "\n".join(check_banned_words(broken))
    assert "\"miracle\" overstates" in problems and "broken.md:11" in problems, problems
    assert "There is no cure for lupus" not in problems, "a negated banned word must be allowed"


def test_regression_guard_catches_each_known_error(broken):
    problems = "\n".join(check_regressions(broken))
    for needle in ("healthy lesions", "trained on data", "diet-induced obesity", "conditions them",
                   "presents the 40-person umbilical cord MSC trial's figures as HSCT results"):
        assert needle in problems, f"regression guard missed: {needle}\n{problems}"


def test_number_lint_requires_a_study_citation(broken):
    problems = "\n".join(check_numbers_cited(broken, studies={"wang2014"}))
    assert "\"40 people\"" in problems and "has no citation" in problems, problems
    assert "which is not a study" in problems, problems


def test_abbreviation_lint_names_the_missing_term(broken):
    problems = "\n".join(check_abbreviations(broken, glossary={"HSCT", "MSC"}))
    assert "\"XYZT\" is not in the glossary" in problems, problems


def test_spelling_lint_fails_on_a_misspelling(tmp_path):
    bad = tmp_path / "page.md"
    bad.write_text("The treatmnet was recieved by every patient.\n")
    proc = subprocess.run([sys.executable, "-m", "codespell_lib", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0 and "recieved ==> received" in proc.stdout, proc.stdout


def test_alt_text_check_fails_on_images_without_a_description():
    html = (FIXTURES / "html" / "image-alt" / "page" / "index.html").read_text(encoding="utf-8")
    problems = missing_alt_text(html, FIXTURES / "html" / "image-alt" / "page.md")
    assert len(problems) == 2, problems  # not the described image, the decorative one or the header logo
    assert problems[0].startswith("tests/fixtures/html/image-alt/page.md:5: the image '../images/chart.png' has "
                                  "empty alt text"), problems
    assert problems[1].startswith("tests/fixtures/html/image-alt/page.md:7: the image '../images/photo.jpg' has "
                                  "no alt text"), problems
    assert "{ .decorative }" in problems[0], problems


def test_number_lint_catches_every_common_form_of_a_figure():
    source = FIXTURES / "prose" / "uncited-figures.md"
    page = load_page((FIXTURES / "prose" / "uncited-figures.html").read_text(encoding="utf-8"),
                     "tests/fixtures/prose/uncited-figures.md", source)
    problems = "\n".join(check_numbers_cited(page, studies={"wang2014"}))
    for line, figure in ((3, "9 times more"), (4, "1 in 3"), (5, "Nine in ten"), (6, "Two thirds"), (7, "Half of"),
                         (8, "84%"), (9, "18 of 22"), (10, "2 to 3 times as"), (11, "A quarter of")):
        assert f'uncited-figures.md:{line}: "{figure}"' in problems, f"missed {figure!r}:\n{problems}"
    assert ":12:" not in problems, problems
