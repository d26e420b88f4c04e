"""Every figure on a page is a recorded result of a study cited beside it, with its time point;
and wherever a benefit figure stands, a harm from the same study stands with it.

The records are the ``results:`` of each study in docs/data/references.yml; the rules for
reading a figure and matching it to a record are in overrides/hooks/results.py (one home, also
used by the evidence hook). This module finds the places on a built page:

* a *sentence* of a paragraph or list item (its citations are the ones in that sentence; a list
  item may take its time point from the lead-in paragraph just before its list, as in "After 12
  months:" followed by the figures);
* a *table row* (the citations and the time point may be in any cell of the row, and the time
  point may be in a column heading, as in "Remission at 6 months");
* a *key-points bullet* (for harms beside benefits).

The evidence tables (``.evidence-tables``) are printed from the records themselves, so they are
left out here; evidence.py checks that every study with a benefit records a harm.

Each message names the Markdown file and line, quotes the figure, and lists the nearest
recorded results of the cited studies, so an editor can see what the data says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

from checkers import load_hook
from checkers.prose import CITE, CITE_RE, Page, drop_reference_list, sentences

results_rules = load_hook("results")


@dataclass
class Place:
    """A sentence, table row or bullet: its text (citation markers removed), the keys it cites,
    extra text that may state the time point (a list's lead-in), and where it is written."""

    kind: str
    text: str
    keys: list[str]
    context: str = ""
    anchor: str = ""          # text to find the Markdown line by
    figures: list = field(default_factory=list)


def results_by_key(refs: dict) -> dict[str, list[dict]]:
    """{key: [result records]} for every study or trial that records results."""
    return {key: list(ref.get("results") or []) for key, ref in refs.items() if ref.get("results")}


def _cited(el) -> str:
    """The element's text with each citation replaced by a marker naming its keys."""
    clone = BeautifulSoup(str(el), "lxml")
    for sup in clone.select("sup.citation"):
        keys = [a["href"].split("#ref-", 1)[1] for a in sup.find_all("a", href=True) if "#ref-" in a["href"]]
        sup.replace_with(NavigableString(CITE.format(",".join(keys))))
    for nested in clone.find_all(["ul", "ol"]):
        if nested.find_parent("li") is not None and el.name == "li":
            nested.decompose()
    text = re.sub(r"\s+", " ", clone.get_text(" ", strip=True))
    return re.sub(r"\s+(\u27e6)", r"\1", text).replace(" .", ".").replace(" ,", ",")


def _plain(text: str) -> str:
    """Text without citation markers, with no space left before punctuation."""
    return re.sub(r"\s+([.,;:])", r"\1", CITE_RE.sub("", text)).strip()


def _keys(text: str) -> list[str]:
    return [k for group in CITE_RE.findall(text) for k in group.split(",") if k]


def places(html: str, include_tables: bool = True) -> list[Place]:
    """The sentences, table rows and key-points bullets of a built page's article."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.find("article") or soup
    # .da-array: icon arrays are drawn from the records; tests/test_decision_aid.py checks them.
    for junk in article.select(".headerlink, .page-furniture, script, style, .evidence-tables, "
                               ".tabbed-labels, .admonition-title, summary, .da-array"):
        junk.decompose()
    drop_reference_list(article)
    found: list[Place] = []
    for el in article.find_all(["p", "li", "dd", "tr"]):
        if el.name == "tr":
            if include_tables and el.find("td") is not None:
                text = " | ".join(_cited(cell) for cell in el.find_all(["td", "th"]))
                table = el.find_parent("table")
                head = table.find("thead") if table is not None else None
                header = _plain(head.get_text(" | ", strip=True)) if head is not None else ""
                found.append(Place("row", _plain(text), _keys(text), header, anchor=_plain(text)))
            continue
        if el.find_parent(["td", "th"]) or (el.name == "p" and el.find_parent("li")):
            continue
        text = _cited(el)
        context = ""
        if el.name == "li":
            lead = el.find_parent(["ul", "ol"]).find_previous_sibling()
            if lead is not None and lead.name == "p":
                context = _plain(lead.get_text(" ", strip=True))
            if el.find_parent(class_="key-points") is not None:
                found.append(Place("bullet", _plain(text), _keys(text), anchor=_plain(text)))
        for sentence in sentences(text):
            found.append(Place("sentence", _plain(sentence).strip(), _keys(sentence), context,
                               anchor=_plain(sentence)))
    return found


def _nearest(figure, records: list[tuple[str, dict]], limit: int = 3) -> str:
    def distance(item):
        key, r = item
        percent = results_rules._percent_of(r)
        target = figure.a if figure.kind == "percent" else (100 * figure.a / figure.b if figure.b else 0)
        return abs((percent if percent is not None else 1e9) - target)
    shown = [f"{key}: {results_rules.describe(r)}" for key, r in sorted(records, key=distance)[:limit]]
    return "; ".join(shown) if shown else "(none)"


def figure_problems(page: Page, html: str, results: dict[str, list[dict]], studies: set[str]) -> list[str]:
    """One message per figure that is not a recorded result of a study cited in the same
    sentence or row, or whose sentence or row does not say when it was measured."""
    problems = []
    for place in places(html):
        if place.kind == "bullet":
            continue
        for figure in results_rules.figures_in(place.text):
            where = page.line_of(place.anchor)
            cited = [k for k in dict.fromkeys(place.keys) if k in studies]
            if not cited:
                continue  # check_numbers_cited (prose.py) already asks for a study citation
            records = [(k, r) for k in cited for r in results.get(k, [])]
            matched = [(k, r) for k, r in records if results_rules.matches(figure, r)]
            quote = place.text if len(place.text) < 160 else place.text[:157] + "..."
            if not matched:
                problems.append(
                    f"{where}: \"{figure.text}\" in \"{quote}\" is not a recorded result of "
                    f"{', '.join(cited)}. Give the figure as the study reports it, or add it to the study's "
                    f"results in docs/data/references.yml. Nearest recorded results: {_nearest(figure, records)}")
                continue
            text = f"{place.text} {place.context}"
            if not any(results_rules.time_stated(text, r) for _, r in matched):
                times = sorted({str(r.get("time")) for _, r in matched})
                problems.append(f"{where}: \"{figure.text}\" in \"{quote}\" does not say when it was measured. "
                                f"The study records it at: {' / '.join(times)}. Add that to the sentence.")
    return problems


def _harm_named(text: str, record: dict) -> bool:
    """A harm the source gives without a number counts as shown when its name is in the text."""
    name = re.split(r"[,(;]", str(record.get("measure")))[0].strip().lower()
    return record.get("value") is None and len(name) > 3 and name in text.lower()


def harms_beside_benefits(page: Page, html: str, results: dict[str, list[dict]]) -> list[str]:
    """One message per table row or key-points bullet that gives a benefit figure of a study
    without a harm of the same study (a harm figure, or a harm the study gives without numbers)."""
    problems = []
    for place in places(html):
        if place.kind not in ("row", "bullet"):
            continue
        figures = results_rules.figures_in(place.text)
        for key in dict.fromkeys(place.keys):
            records = results.get(key, [])
            benefits = [r for r in records if r.get("effect") == "benefit"
                        and any(results_rules.matches(f, r) for f in figures)]
            if not benefits:
                continue
            harms = [r for r in records if r.get("effect") == "harm"]
            shown = [r for r in harms if any(results_rules.matches(f, r) for f in figures) or _harm_named(place.text, r)]
            if not shown:
                what = "table row" if place.kind == "row" else "key-points bullet"
                options = "; ".join(results_rules.describe(r) for r in harms[:4]) or "(the study records no harms)"
                quote = place.text if len(place.text) < 160 else place.text[:157] + "..."
                problems.append(f"{page.line_of(place.anchor)}: this {what} gives a benefit of {key} "
                                f"({results_rules.describe(benefits[0])}) but no harm from the same study: "
                                f"\"{quote}\". Add one of its recorded harms in the same {what}: {options}")
    return problems


def load(path: Path) -> str:
    return path.read_text(encoding="utf-8")
