"""Content lints on the built HTML of a page: reading level, sentences, words, citations, terms.

Each check takes a `Page` (the built HTML plus the Markdown source it came from) and returns
messages an editor can act on: the source file and line, the offending text, what to change.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString

CITE = "\u27e6cite:{}\u27e7"
CITE_RE = re.compile("\u27e6cite:([^\u27e7]*)\u27e7")
SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])")
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-.,%°]*")

MAX_FK, MAX_SMOG, MAX_WORDS, MAX_SENTENCES = 8.0, 10.0, 25, 4

BANNED = ("cure", "cures", "cured", "miracle", "miracles", "breakthrough", "breakthroughs",
          "guaranteed", "guarantee", "proven", "reverse", "reverses", "reversed")
NEGATORS = re.compile(r"\b(no|not|never|nor|without|cannot|can't|isn't|aren't|wasn't|doesn't|don't|"
                      r"didn't|won't|neither|none|nothing)\b", re.I)

# The source article's known errors. None may come back (see docs/about.md for the list).
REGRESSIONS = [
    (re.compile(r"healthy lesions", re.I), "the immune system attacks healthy tissues, not 'lesions'"),
    (re.compile(r"trained on data|September 2022", re.I), "this is leftover machine-generated text: delete it"),
    (re.compile(r"diet[- ]induced obesity", re.I), "this is unrelated leftover text: delete it"),
    (re.compile(r"condition(?:s|ing|ed)? (?:them|the (?:harvested|collected|stored|stem) cells)|"
                r"(?:stem cells|harvested cells|the cells) (?:are|were|get|is) conditioned", re.I),
     "in HSCT the patient, not the stem cells, gets the conditioning chemotherapy"),
    (re.compile(r"\b73 ?%|\b30\.8 ?%|three (?:patients )?died of infections", re.I),
     "these Leone 2017 figures are unconfirmed: leave them out"),
    (re.compile(r"in vitro and in vivo immunomodulation", re.I), "this heading did not match its content"),
    (re.compile(r"stem cell institute", re.I), "name no clinic as a place to go"),
    (re.compile(r"killing off rogue", re.I), "the conditioning chemotherapy removes the faulty immune cells, "
                                             "not the stem cells"),
]
MSC_TRIAL_FIGURES = re.compile(r"\b(?:92\.5|32\.5|27\.5) ?%")
MSC_WORDS = re.compile(r"\bMSCs?\b|mesenchymal|umbilical", re.I)
HSCT_WORDS = re.compile(r"\bHSCT\b|blood stem cell transplant", re.I)

_SMALL = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
# Every common way of writing a figure: "84%", "18 of 22", "1 in 3", "nine in ten",
# "9 times more common", "2 to 3 times", "two thirds", "half of", "a quarter of", "28 people".
NUMBER_CLAIM = re.compile(
    r"\b\d+(?:\.\d+)? ?%|\b\d+ (?:of|out of|in) \d+\b|"
    rf"\b{_SMALL} (?:in|out of) (?:\d+|two|three|four|five|six|seven|eight|nine|ten|a hundred|100)\b|"
    r"\b\d+(?:\.\d+)?(?: ?(?:to|-|–) ?\d+(?:\.\d+)?)? times (?:more|less|higher|lower|as)\b|"
    r"\b(?:half|(?:one|two|a) thirds?|(?:one|a|three) quarters?|(?:one|a) fifth) of\b|\btwo thirds\b|"
    r"\b\d[\d,]* (?:people|patients|adults|children|women|men|studies|trials|centres|participants)\b",
    re.I)

# Abbreviations that are ordinary English, not medical terms, so the glossary need not define them.
PLAIN_ABBREVIATIONS = {"US", "USA", "UK", "EU", "OK", "TV", "AM", "PM", "I", "A", "II", "III", "IV",
                       "V", "NHS", "PDF", "RIS", "URL", "ID", "IDs", "N", "Q", "A-Z"}
ABBREVIATION = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*s?(?![\w-])")


@dataclass
class Unit:
    """One block of text on a page: a paragraph, list item, table cell or heading."""

    kind: str
    text: str                       # with citation markers
    section: str = ""               # id of the nearest h2
    # Drawn from the results records by a hook (an icon array's caption, RENDERED below): its
    # figures are checked against the records by tests/test_decision_aid.py, so the checks of
    # hand-written figures skip it. Readability and sentence length still count it.
    rendered: bool = False

    @property
    def plain(self) -> str:
        return CITE_RE.sub("", self.text).strip()


@dataclass
class Page:
    name: str                       # docs/hsct.md
    source: Path | None
    units: list[Unit] = field(default_factory=list)

    def plain_text(self) -> str:
        return " ".join(unit.plain for unit in self.units)

    def line_of(self, text: str) -> str:
        """'docs/x.md:NN' for the line where `text` (or its first words) is written.

        Compares words, not characters: link targets, [@citations] and HTML tags on the source
        line are ignored, so "Lupus is [far more](x.md) common" is found from its built text."""
        if self.source is None or not self.source.exists():
            return self.name
        wanted = [w.lower() for w in re.findall(r"[A-Za-z0-9']+", text)][:8]
        if not wanted:
            return self.name
        lines = self.source.read_text(encoding="utf-8").splitlines()
        cleaned = [[w.lower() for w in re.findall(r"[A-Za-z0-9']+",
                                                  re.sub(r"\]\([^)]*\)|\[@[^\]]*\]|<[^>]+>|\{[^}]*\}", " ", line))]
                   for line in lines]
        for size in (8, 6, 4, 3, 2, 1):
            probe = wanted[:size]
            if len(probe) < size and size != len(wanted):
                continue
            for number, found in enumerate(cleaned, start=1):
                if any(found[i:i + len(probe)] == probe for i in range(len(found) - len(probe) + 1)):
                    return f"{self.name}:{number}"
        return self.name


# Elements whose text a hook writes from the results records (overrides/hooks/decision_aid.py).
RENDERED = ".da-array"


def _cite_keys(sup) -> str:
    keys = [a["href"].split("#ref-", 1)[1] for a in sup.find_all("a", href=True) if "#ref-" in a["href"]]
    return CITE.format(",".join(keys))


def drop_reference_list(article) -> None:
    """Remove the page's reference list (the h2#references and all that follows it) in place:
    its entries are titles of sources, not the page's own sentences."""
    refs = article.find("h2", id="references")
    if refs is not None:
        for sibling in list(refs.find_next_siblings()):
            sibling.decompose()
        refs.decompose()


def load_page(html: str, name: str, source: Path | None = None) -> Page:
    """Split a built page's article into text units, dropping furniture and references."""
    soup = BeautifulSoup(html, "lxml")
    article = soup.find("article") or soup.body or soup
    for sup in article.select("sup.citation"):
        sup.replace_with(NavigableString(_cite_keys(sup)))
    for junk in article.select(".headerlink, .page-furniture, .md-source-file, script, style, "
                               "nav, .md-content__button, .tabbed-labels, .admonition-title, summary"):
        junk.decompose()
    drop_reference_list(article)
    page = Page(name, source)
    section = ""
    for el in article.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "th", "dt", "dd"]):
        if el.name == "h2":
            section = el.get("id", "")
        if el.name in ("p", "li", "dd") and el.find_parent(["td", "th"]):
            continue
        if el.name == "p" and el.find_parent("li"):
            continue
        label = el.find(["strong", "b"], recursive=False) if el.name in ("p", "li") else None
        if label is not None and el.get_text(strip=True).startswith(label.get_text(strip=True)) \
                and label.get_text(strip=True).endswith((".", ":")):
            # A bold lead-in ("**Second report, 15 people.**") is a label, not a sentence of prose.
            page.units.append(Unit("heading", label.get_text(" ", strip=True), section))
            el = BeautifulSoup(str(el), "lxml").find(el.name)
            el.find(["strong", "b"], recursive=False).decompose()
        if el.name == "li":
            clone = BeautifulSoup(str(el), "lxml").find("li")
            for nested in clone.find_all(["ul", "ol"]):
                nested.decompose()
            text = clone.get_text(" ", strip=True)
        else:
            text = el.get_text(" ", strip=True)
        text = re.sub(r"\s+", " ", text).replace(" .", ".").replace(" ,", ",")
        text = re.sub(r"\s+(\u27e6)", r"\1", text)
        if text:
            kind = "heading" if el.name.startswith("h") and el.name[1:].isdigit() else \
                "cell" if el.name in ("td", "th") else el.name
            page.units.append(Unit(kind, text, section, rendered=el.find_parent(class_=RENDERED[1:]) is not None))
    return page


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_END.split(text) if s.strip()]


def words(sentence: str) -> list[str]:
    return WORD.findall(CITE_RE.sub("", sentence))


def prose_text(page: Page) -> str:
    """Body prose for readability: every paragraph and list item, and every table cell that holds
    prose (5 words or more, as in the option grid), each ending as a sentence."""
    parts = []
    for unit in page.units:
        if unit.kind in ("p", "li", "dd") or (unit.kind == "cell" and len(words(unit.plain)) >= 5):
            text = unit.plain
            parts.append(text if text.endswith((".", "!", "?", ":")) else text + ".")
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
def check_reading_level(page: Page) -> list[str]:
    import textstat  # imported here: 0.7.8 loads its offline dictionary on first use
    text = prose_text(page)
    if len(text.split()) < 30:
        return []
    fk, smog = textstat.flesch_kincaid_grade(text), textstat.smog_index(text)
    problems = []
    if fk > MAX_FK or smog > MAX_SMOG:
        hardest = sorted((s for u in page.units if u.kind in ("p", "li") for s in sentences(u.plain)),
                         key=lambda s: textstat.flesch_kincaid_grade(s) if len(s.split()) > 3 else 0,
                         reverse=True)[:3]
        examples = "\n".join(f"    {page.line_of(s)}: \"{s}\"" for s in hardest)
        problems.append(
            f"{page.name}: reading level is too high (Flesch-Kincaid grade {fk:.1f}, limit {MAX_FK:.0f}; "
            f"SMOG {smog:.1f}, limit {MAX_SMOG:.0f}). Use shorter sentences and everyday words, and say a "
            f"long medical word once, then its plain name. The hardest sentences:\n{examples}")
    return problems


def check_sentence_length(page: Page) -> list[str]:
    long = []
    for unit in page.units:
        if unit.kind == "heading":
            continue
        for s in sentences(unit.text):
            n = len(words(s))
            if n > MAX_WORDS:
                long.append((n, s))
    if not long:
        return []
    long.sort(reverse=True)
    shown = "\n".join(f"    {page.line_of(CITE_RE.sub('', s))}: {n} words: \"{CITE_RE.sub('', s)}\""
                      for n, s in long[:5])
    return [f"{page.name}: {len(long)} sentence(s) longer than {MAX_WORDS} words. Split each into two. "
            f"The longest:\n{shown}"]


def check_paragraph_length(page: Page) -> list[str]:
    problems = []
    for unit in page.units:
        if unit.kind == "p":
            count = len(sentences(unit.plain))
            if count > MAX_SENTENCES:
                problems.append(f"{page.line_of(unit.plain)}: paragraph of {count} sentences (limit "
                                f"{MAX_SENTENCES}): \"{unit.plain[:80]}...\". Split it or use a list.")
    return problems


def check_banned_words(page: Page) -> list[str]:
    problems = []
    pattern = re.compile(r"\b(" + "|".join(BANNED) + r")\b", re.I)
    for unit in page.units:
        for s in sentences(unit.plain):
            for match in pattern.finditer(s):
                before = s[:match.start()]
                window = " ".join(before.split()[-5:])
                quoted = before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1
                if NEGATORS.search(window) or quoted:
                    continue
                problems.append(f"{page.line_of(s)}: \"{match.group(0)}\" overstates the evidence in: \"{s}\". "
                                f"Use a plainer, accurate word (it is allowed only when negated, e.g. "
                                f"'there is no cure', or quoted from a source).")
    return problems


def check_regressions(page: Page, skip_sections: tuple[str, ...] = ()) -> list[str]:
    problems = []
    for unit in page.units:
        if unit.section in skip_sections:
            continue
        for s in sentences(unit.plain):
            for pattern, fix in REGRESSIONS:
                match = pattern.search(s)
                if match:
                    problems.append(f"{page.line_of(s)}: the source article's error \"{match.group(0)}\" "
                                    f"is back in: \"{s}\". Fix: {fix}.")
            if MSC_TRIAL_FIGURES.search(s):
                if page.name.endswith("hsct.md") or (HSCT_WORDS.search(s) and not MSC_WORDS.search(s)):
                    problems.append(f"{page.line_of(s)}: \"{s}\" presents the 40-person umbilical cord MSC "
                                    f"trial's figures as HSCT results. They belong on the MSC page, "
                                    f"labelled as MSC results.")
    return problems


def check_numbers_cited(page: Page, studies: set[str], skip_sections: tuple[str, ...] = ()) -> list[str]:
    """A sentence that gives a result as a number or percentage must cite a study."""
    problems = []
    for unit in page.units:
        if unit.section in skip_sections or unit.kind == "heading" or unit.rendered:
            continue
        for s in sentences(unit.text):
            plain = CITE_RE.sub("", s)
            match = NUMBER_CLAIM.search(plain)
            if not match:
                continue
            keys = {k for group in CITE_RE.findall(s) for k in group.split(",") if k}
            if not keys:
                problems.append(f"{page.line_of(plain)}: \"{match.group(0)}\" in \"{plain}\" has no citation. "
                                f"Add [@key] for the study it comes from, right after the figure.")
            elif not keys & studies:
                problems.append(f"{page.line_of(plain)}: \"{match.group(0)}\" in \"{plain}\" cites only "
                                f"{', '.join(sorted(keys))}, which is not a study. Cite the study (with its DOI "
                                f"and PubMed ID) that reports the figure.")
    return problems


def check_abbreviations(page: Page, glossary: set[str]) -> list[str]:
    problems, seen = [], set()
    for unit in page.units:
        for match in ABBREVIATION.finditer(unit.plain):
            term = match.group(0)
            if sum(c.isupper() for c in term) < 2:
                continue
            base = term[:-1] if term.endswith("s") and term[:-1] in glossary else term
            if term in glossary or base in glossary or term in PLAIN_ABBREVIATIONS or term in seen:
                continue
            if re.fullmatch(r"NCT\d{8}|[A-Z]?\d+[A-Z]*|CD\d+|PMC\d+", term):
                continue
            seen.add(term)
            problems.append(f"{page.line_of(unit.plain)}: the abbreviation \"{term}\" is not in the glossary. "
                            f"Add a line '*[{term}]: plain meaning' to docs/includes/glossary.md, and explain "
                            f"it in words where the page first uses it.")
    return problems


# --- Medicine safety: only the care team stops or lowers a medicine ------------------------

MEDICINE = (r"(?:medicines?|medications?|drugs?|tablets?|pills?|steroids?|prednisone|prednisolone|"
            r"hydroxychloroquine|blood thinners?|anticoagula\w*|immunosuppress\w*|biologics?)")
STOPPING = re.compile(
    r"\b(?:stop|stops|stopped|stopping|lower|lowers|lowered|lowering|cut|cuts|cutting|reduce|reduces|reduced|"
    r"reducing|taper\w*|wean\w*|discontinu\w*|come off|coming off|came off|quit)\b[^.;]*?\b" + MEDICINE + r"\b|"
    r"\b" + MEDICINE + r"\b[^.;]*?\b(?:stopped|lowered|cut down|cut|reduced|tapered|withdrawn)\b|"
    r"\bwithout (?:\w+ ){0,2}" + MEDICINE + r"\b|\b(?:drug|medicine|medication)-free\b", re.I)
CARE_TEAM = re.compile(r"\b(?:care team|your team|lupus team|kidney team|transplant team|trial team|medical team|"
                       r"(?:your|their|the|study|trial) doctors?|study plan|trial plan|specialists?|"
                       r"rheumatologists?|nurses?)\b", re.I)


def check_medicine_safety(page: Page, skip_sections: tuple[str, ...] = ()) -> list[str]:
    """A sentence about stopping, lowering or cutting a medicine must say the care team does it."""
    problems = []
    for unit in page.units:
        if unit.kind == "heading" or unit.section in skip_sections:
            continue
        for s in sentences(unit.plain):
            match = STOPPING.search(s)
            if match and not CARE_TEAM.search(s):
                problems.append(f"{page.line_of(s)}: \"{match.group(0)}\" in \"{s}\" talks about stopping or "
                                f"lowering a medicine without saying who does it. A frightened reader could stop "
                                f"their own medicines. Say in the same sentence that the care team (or the study "
                                f"doctors) does it, step by step.")
    return problems


# --- Claims that something does not exist say when they were last checked ------------------

ABSENCE = re.compile(
    r"\bno (?:\w+ ){0,3}(?:products?|treatments?|therapy|therapies) (?:\w+ ){0,3}(?:is|are|was|were|has been|have been)"
    r" approved\b|\bnone (?:is|are|has been|have been) approved\b|\bnot (?:yet )?approved\b|"
    r"\bno (?:published )?(?:randomi[sz]ed|controlled|placebo)|\bonly (?:published )?(?:randomi[sz]ed|controlled|"
    r"placebo|double-blind)|\bwe found (?:no|none)\b|\bno (?:published )?results\b|"
    r"\b(?:the )?only (?:one|1) (?:(?!or\b)[\w-]+ ){0,3}(?:trials?|stud(?:y|ies))\b|"
    r"\bno (?:\w+ ){0,2}(?:trials?|stud(?:y|ies)) (?:has|have) (?:yet )?(?:compared|reported|published)\b", re.I)


def check_absence_claims(page: Page, checked: str, skip_sections: tuple[str, ...] = ()) -> list[str]:
    """A claim that something does not exist (no approval, no trial, the only trial) must say
    when it was last checked: the sentence gives ``checked`` (the date from mkdocs.yml)."""
    problems = []
    for unit in page.units:
        if unit.kind == "heading" or unit.section in skip_sections:
            continue
        for s in sentences(unit.plain):
            match = ABSENCE.search(s)
            if match and checked not in s:
                problems.append(f"{page.line_of(s)}: \"{match.group(0)}\" in \"{s}\" says something does not "
                                f"exist, but not when we last checked. Add \"when we last checked, on "
                                f"{{{{ evidence_checked }}}}\" (it prints {checked}) to the sentence.")
    return problems
