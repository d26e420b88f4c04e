"""Glossary terms in the built pages: the first use of each term takes focus, later uses are plain text.

The abbr extension wraps every use of a glossary term in ``<abbr title="definition">``. Only the
first use on a page may stay wrapped, as ``<abbr role="term" tabindex="0" title="...">``: a
keyboard user can reach it, Material's tooltip shows the definition on focus, hover or tap, and
a screen reader names it by the term and describes it by the definition. Later uses are plain
text, so nobody hears the definition again and again. On the print page each page of the guide
(each ``section.print-section``) counts as a page; the print hook also leaves the remaining
ones plain (paper has no tooltips), which this allows ("one or fewer"). No term is wrapped inside a link, a heading,
a summary, a button, a label or a definition list's term (overrides/hooks/glossary_terms.py).
"""
from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup

from checkers import load_hook
from conftest import DOCS, source_for

NO_TERMS_INSIDE = ["a", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "button", "label", "dt"]
HOOK = "overrides/hooks/glossary_terms.py"


def term_problems(html: str, source: str) -> list[str]:
    """Glossary-term faults of one built page (see the module docstring), one line each."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.select_one("article") or soup
    scopes = article.select("section.print-section") or [article]
    repeated: Counter = Counter()
    unfocusable, nested = [], []
    for scope in scopes:
        seen: set[str] = set()
        for abbr in scope.find_all("abbr"):
            term, definition = abbr.get_text(), abbr.get("title", "")
            inside = abbr.find_parent(NO_TERMS_INSIDE)
            if inside is not None:
                nested.append(f"{term!r} in <{inside.name}>")
            if definition in seen:
                repeated[term] += 1
                continue
            seen.add(definition)
            if abbr.get("tabindex") != "0" or abbr.get("role") != "term":
                unfocusable.append(term)
    problems = []
    if repeated:
        top = ", ".join(f"{t!r} x{n}" for t, n in repeated.most_common(4))
        problems.append(f"{source}: {sum(repeated.values())} later use(s) of glossary terms are still wrapped in "
                        f"<abbr> ({top}); only the first use on a page should be, the rest plain text ({HOOK}).")
    if unfocusable:
        problems.append(f"{source}: the first use of {len(unfocusable)} glossary term(s) cannot take keyboard focus "
                        f"({', '.join(map(repr, unfocusable[:4]))}): it needs role=\"term\" tabindex=\"0\" ({HOOK}).")
    if nested:
        problems.append(f"{source}: {len(nested)} glossary term(s) are wrapped inside a link, heading or similar "
                        f"({', '.join(nested[:3])}); write them there as plain text ({HOOK}).")
    return problems


def test_first_use_of_each_glossary_term_takes_focus_later_uses_are_plain_text(site, html_pages):
    problems, terms = [], 0
    for html in html_pages:
        text = html.read_text(encoding="utf-8")
        terms += text.count("<abbr")
        problems += term_problems(text, source_for(site, html))
    assert terms > 100, f"only {terms} glossary terms on the whole site: is the glossary still appended?"
    assert not problems, "\n".join(problems)


def test_print_page_prints_terms_as_plain_words(site):
    """The whole guide on one page: a term inside a page's section is a plain word (paper has no
    tooltips; each page explains its words in the text). Only the print page's own introduction
    keeps its first use of a term as a tooltip, like any other page."""
    html = (site / "print" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    sections = soup.select("section.print-section")
    wrapped = {s["id"]: len(s.find_all("abbr")) for s in sections if s.find_all("abbr")}
    assert len(sections) > 10 and not wrapped, (
        f"docs/print.md (print/index.html): glossary tooltips inside the sections {wrapped}; "
        f"overrides/hooks/print_page.py (TERM) must print them as plain words.")
    intro = [a.get_text() for a in soup.find_all("abbr") if not a.find_parent("section", class_="print-section")]
    assert len(intro) == len(set(intro)), f"docs/print.md: a term wrapped twice in the introduction: {intro} ({HOOK})"


def test_glossary_page_explains_tap_keyboard_and_hover():
    intro = (DOCS / "glossary.md").read_text(encoding="utf-8").split("<!-- glossary:all -->")[0].lower()
    missing = [what for what, words in (("tapping on a phone", ("tap",)), ("the keyboard", ("tab", "keyboard")),
                                        ("pointing with a mouse", ("point", "hover", "mouse")))
               if not any(w in intro for w in words)]
    assert not missing, f"docs/glossary.md: the introduction must explain how to see a meaning by {', '.join(missing)}."


# ----------------------------------------------------------------------------- broken fixture and hook

_BROKEN = """<html><body><article>
<h2 id="x">What <abbr title="Blood stem cell transplant.">HSCT</abbr> is</h2>
<p><abbr title="Blood stem cell transplant.">HSCT</abbr> is a treatment. <abbr title="Blood stem cell transplant.">HSCT</abbr>
again, and <a href="#x"><abbr title="Mesenchymal stem cell.">MSC</abbr></a>.</p></article></body></html>"""


def test_term_checker_fails_on_a_broken_page():
    problems = "\n".join(term_problems(_BROKEN, "docs/broken.md"))
    assert "docs/broken.md: 2 later use(s) of glossary terms are still wrapped in <abbr> ('HSCT' x2)" in problems, problems
    assert "the first use of 2 glossary term(s) cannot take keyboard focus ('HSCT', 'MSC')" in problems, problems
    assert "2 glossary term(s) are wrapped inside a link, heading or similar ('HSCT' in <h2>, 'MSC' in <a>)" in problems, problems


def test_hook_output_passes_the_checker():
    hook = load_hook("glossary_terms")
    fixed = hook.first_uses(_BROKEN, "docs/broken.md")
    assert term_problems(fixed, "docs/broken.md") == [], fixed
    assert fixed.count("<abbr") == 1 and '<p><abbr role="term" tabindex="0" title="Blood stem cell transplant.">HSCT</abbr>' in fixed, fixed
    assert "<h2 id=\"x\">What HSCT is</h2>" in fixed and '<a href="#x">MSC</a>' in fixed, fixed


def test_hook_stops_on_an_abbr_it_did_not_expect():
    import pytest
    from mkdocs.exceptions import PluginError
    hook = load_hook("glossary_terms")
    with pytest.raises(PluginError, match=r"docs/x.md: an <abbr> that is not a glossary term: '<abbr class=\"x\">"):
        hook.first_uses('<p><abbr class="x">ABC</abbr></p>', "docs/x.md")
