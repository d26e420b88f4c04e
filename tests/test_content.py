"""Content lints on every built page: plain language, no hype, no returning errors, cited numbers.

Which lints apply depends on the page's `audience:` front matter (patients by default;
`reference`, `editorial` and `clinicians` pages are exempt from the reading-level limits).
"""
from __future__ import annotations

import subprocess
import sys

import pytest
from checkers import load_hook
from checkers.figures import figure_problems, harms_beside_benefits, results_by_key
from checkers.images import missing_alt_text
from checkers.prose import (check_abbreviations, check_absence_claims, check_banned_words,
                            check_medicine_safety, check_numbers_cited, check_paragraph_length,
                            check_reading_level, check_regressions, check_sentence_length, load_page)
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
def references():
    refs, errors = load_hook("citations").load_references(DOCS / "data" / "references.yml")
    assert not errors, "\n".join(errors)
    return refs


@pytest.fixture(scope="session")
def studies(references):
    """Sources a figure may cite: studies, and trial registry records (for what a trial plans)."""
    return {key for key, ref in references.items() if ref.get("type") in ("study", "trial")}


@pytest.fixture(scope="session")
def checked_date():
    """The date the evidence was last checked, as pages print it (mkdocs.yml, extra.evidence_checked)."""
    import yaml
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_YamlIgnoringTags)
    return load_hook("checked").readable(config["extra"]["evidence_checked"])


class _YamlIgnoringTags(__import__("yaml").SafeLoader):
    """mkdocs.yml has !ENV tags; the tests only read plain values from it."""


_YamlIgnoringTags.add_multi_constructor("!", lambda loader, suffix, node: None)


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


FIGURE_PAGES = PATIENT_PAGES + [md.stem for md, a in SOURCES if a == "clinicians"]


@pytest.mark.parametrize("stem", FIGURE_PAGES)
def test_every_figure_is_a_recorded_result_with_its_time_point(site, stem, references, studies):
    html = (site / ("index.html" if stem == "index" else f"{stem}/index.html")).read_text(encoding="utf-8")
    problems = figure_problems(built(site, stem), html, results_by_key(references), studies)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", FIGURE_PAGES)
def test_harms_stand_beside_benefits(site, stem, references):
    html = (site / ("index.html" if stem == "index" else f"{stem}/index.html")).read_text(encoding="utf-8")
    problems = harms_beside_benefits(built(site, stem), html, results_by_key(references))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("stem", LINTED_PAGES)
def test_only_the_care_team_stops_a_medicine(site, stem):
    problems = check_medicine_safety(built(site, stem), skip_sections=CORRECTIONS)
    assert not problems, "\n".join(problems)


# The References page's summaries say what each source found, as of that source; they are not
# the guide's own claims, and the source's date stands beside them.
@pytest.mark.parametrize("stem", [md.stem for md, _ in SOURCES if md.stem not in ("print", "references")])
def test_claims_that_something_does_not_exist_say_when_we_checked(site, stem, checked_date):
    problems = check_absence_claims(built(site, stem), checked_date, skip_sections=CORRECTIONS)
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
    bad.write_text("The treatmnet was recieved by every patient.\n")  # codespell:ignore
    proc = subprocess.run([sys.executable, "-m", "codespell_lib", str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0 and "recieved ==> received" in proc.stdout, proc.stdout  # codespell:ignore


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


# --- The figure, harm, medicine and date checks fail on a broken page ---------------------

@pytest.fixture(scope="module")
def figures_fixture():
    folder = FIXTURES / "figures"
    refs, errors = load_hook("citations").load_references(folder / "references.yml")
    assert not errors, errors
    html = (folder / "page.html").read_text(encoding="utf-8")
    page = load_page(html, "tests/fixtures/figures/page.md", folder / "page.md")
    return page, html, results_by_key(refs), set(refs)


def test_figure_check_fails_on_the_case_1_sentence_and_an_unrecorded_figure(figures_fixture):
    page, html, results, studies = figures_fixture
    problems = "\n".join(figure_problems(page, html, results, studies))
    assert ('page.md:8: "84%" in "By then about 84% were alive." does not say when it was measured. '
            "The study records it at: 5 years.") in problems, problems
    assert 'page.md:10: "16.7%" in "Lupus came back in 16.7% by 12 months." is not a recorded result of wang2014' \
        in problems, problems
    assert "Nearest recorded results: wang2014: Relapse after a response, 9 months: 12.5% (3 of 24)" in problems
    assert "page.md:14" not in problems, "the list's lead-in ('after 12 months') gives its items their time point"
    assert "page.md:5" not in problems and "page.md:6" not in problems, problems
    assert len(problems.splitlines()) == 2, problems


def test_harms_check_fails_where_a_benefit_stands_alone(figures_fixture):
    page, html, results, _ = figures_fixture
    problems = harms_beside_benefits(page, html, results)
    text = "\n".join(problems)
    assert len(problems) == 2, text
    assert text.count("gives a benefit of burt2006 (Overall survival, 5 years: 84% of 48 (estimated))") == 2, text
    assert "page.md:5: this key-points bullet" in text and "page.md:18: this table row" in text, text
    assert "Treatment-related deaths, during the trial: 2% (1 of 50)" in text, text


def test_medicine_safety_lint_needs_the_care_team(figures_fixture):
    page = figures_fixture[0]
    problems = "\n".join(check_medicine_safety(page))
    assert "page.md:21:" in problems and "page.md:23:" in problems, problems
    assert "without lupus drugs" in problems and "page.md:25" not in problems, problems


def test_absence_claims_must_give_the_date(figures_fixture):
    page = figures_fixture[0]
    problems = check_absence_claims(page, "30 November 2026")
    assert [p.split(": ", 1)[0] for p in problems] == [f"tests/fixtures/figures/page.md:{n}" for n in (27, 31, 33)], problems
    assert all("{{ evidence_checked }}" in p for p in problems), problems
    assert '"Only one small trial"' in problems[1] and 'No randomised trial has compared the two.' in problems[2], problems
