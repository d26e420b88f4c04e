"""Checks of the built decision aid (docs/compare-options.md) against its data, and of the IPDAS
self-assessment (docs/ipdas.md) against what the built site contains.

Independent of overrides/hooks/decision_aid.py on purpose: the expected numbers are worked out
here again, from docs/data/decision-aid.yml and the results records in references.yml, and
compared with the numbers in the BUILT page (icons drawn, numbers in the caption). A bug in the
hook's arithmetic, or an edited page, makes them differ.

    array_problems(html, data, refs)        -> messages, one per icon array that differs
    ipdas_problems(ipdas_html, pages, data, refs) -> messages, one per verdict the site contradicts
"""
from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup

from checkers import load_hook

results_rules = load_hook("results")
HEAD = load_hook("decision_aid").HEAD  # the arcs of one icon's head

DATA = "docs/data/decision-aid.yml"
QUALIFYING = ["1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.2.1"]
CERTIFICATION = ["2.1.1", "2.2.1", "2.2.2", "2.2.3", "2.2.4", "2.3.1"]
SCREENING_ONLY = ["2.4.1", "2.4.2", "2.4.3", "2.4.4"]
QUALITY = [f"Q{n}" for n in range(1, 29)]
VERDICTS = ("Met", "Partly met", "Not met", "Not applicable")


# --- Icon arrays --------------------------------------------------------------------------

def _round(x: float) -> int:
    """Half up, as people count: 12.5 -> 13 (Python's round() would give 12)."""
    return int(x + 0.5)


def expected_arrays(data: dict, refs: dict) -> list[dict]:
    """Every icon array the data asks for, in page order: study, result ids, size, time, counts."""
    specs = list(data.get("natural_course") or [])
    for option in data["options"]:
        specs += option.get("arrays") or []
    arrays = []
    for spec in specs:
        ref = refs[spec["study"]]
        records = {r.get("id"): r for r in ref.get("results") or []}
        n = ref.get("n") if spec.get("base") == "all" else None
        counts, shown = [], []
        for item in spec["show"]:
            r = records[item["result"]]
            shown.append(r)
            people = r.get("count") if r.get("unit") == "%" and r.get("count") is not None else r.get("value")
            if n:
                share = 100.0 * ((r["of"] - people) if item.get("part") == "not" else people) / n
            else:
                if r.get("count") is not None:
                    share = 100.0 * r["count"] / r["of"]
                else:
                    share = float(r["value"]) if r.get("unit") == "%" else 100.0 * r["value"] / r["of"]
                share = 100.0 - share if item.get("part") == "not" else share
            counts.append((item["label"], _round(share)))
        if sum(c for _, c in counts) < 100:
            counts.append((spec["rest"], 100 - sum(c for _, c in counts)))
        arrays.append({"study": spec["study"], "results": [r["id"] for r in shown], "size": n or shown[0]["of"],
                       "records": shown, "counts": counts})
    return arrays


def built_arrays(html: str) -> list[dict]:
    """The icon arrays of a built page: study, result ids, caption lead, legend and icons drawn."""
    soup = BeautifulSoup(html, "lxml")
    found = []
    for figure in soup.select("figure.da-array"):
        legend = [(li.select_one(".da-count").get_text(strip=True),
                   li.get_text(" ", strip=True).split(" ", 1)[1] if " " in li.get_text(" ", strip=True) else "")
                  for li in figure.select(".da-legend li")]
        # each person icon draws its head with the same two arcs, so count the heads
        drawn = [(int(p.get("data-icons", -1)), p.get("d", "").count(HEAD)) for p in figure.select("svg.da-array-icons path")]
        caption = figure.find("figcaption")
        found.append({"study": figure.get("data-study"), "results": (figure.get("data-results") or "").split(),
                      "lead": figure.select_one(".da-lead").get_text(" ", strip=True) if figure.select_one(".da-lead") else "",
                      "legend": legend, "drawn": drawn,
                      "caption": caption.get_text(" ", strip=True) if caption else "",
                      "cites": [a["href"].split("#ref-", 1)[1] for a in figure.select("sup.citation a[href*='#ref-']")]})
    return found


def array_problems(html: str, data: dict, refs: dict, page: str = "docs/compare-options.md") -> list[str]:
    """One message per icon array of the built page that does not match the data and records."""
    expected, built = expected_arrays(data, refs), built_arrays(html)
    problems = []
    if len(expected) != len(built):
        problems.append(f"{page}: the built page has {len(built)} icon arrays, the data asks for {len(expected)}. "
                        f"Check the <!-- decision-aid: ... --> markers against {DATA}.")
    for number, (want, got) in enumerate(zip(expected, built), start=1):
        where = f"{page}: icon array {number} ({want['study']}: {', '.join(want['results'])})"
        if (got["study"], got["results"]) != (want["study"], want["results"]):
            problems.append(f"{where} is drawn from {got['study']}: {', '.join(got['results'])}; the data and the "
                            f"page are out of step. Rebuild, and check {DATA}.")
            continue
        numbers = [(label, str(count)) for label, count in want["counts"]]
        if [(c, l) for l, c in numbers] != got["legend"]:
            problems.append(f"{where}: the caption says {got['legend']}, but the results records give "
                            f"{[(c, l) for l, c in numbers]} out of 100. The figure must come from the records in "
                            f"docs/data/references.yml, never be typed on the page.")
        if [d for d, _ in got["drawn"]] != [c for _, c in want["counts"] if c] or any(d != m for d, m in got["drawn"]):
            problems.append(f"{where}: the picture draws {[m for _, m in got['drawn']]} icons per group, but the records "
                            f"give {[c for _, c in want['counts'] if c]}.")
        if sum(m for _, m in got["drawn"]) != 100:
            problems.append(f"{where}: the picture has {sum(m for _, m in got['drawn'])} icons, not 100.")
        if f"like the {want['size']} " not in got["lead"]:
            problems.append(f"{where}: the caption \"{got['lead']}\" does not give the study's size "
                            f"({want['size']} people) as \"like the {want['size']} ...\".")
        record = want["records"][0]
        if not results_rules.time_stated(got["lead"], record):
            problems.append(f"{where}: the caption \"{got['lead']}\" does not give the time point ({record.get('time')}).")
        if (record.get("kind") == "estimated") != ("estimates" in got["caption"]):
            problems.append(f"{where}: the caption must say the figures are estimates exactly when the record's kind "
                            f"is estimated (it is {record.get('kind')}).")
        if got["cites"] != [want["study"]]:
            problems.append(f"{where}: the caption cites {got['cites']}; it must cite only {want['study']}.")
    return problems


# --- IPDAS self-assessment ----------------------------------------------------------------

def verdicts(ipdas_html: str) -> dict[str, str]:
    """{criterion id: verdict} from the built self-assessment page's tables."""
    soup = BeautifulSoup(ipdas_html, "lxml")
    found = {}
    for row in soup.select("article table tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["td", "th"])]
        if len(cells) >= 3:
            found[cells[0]] = cells[2]
    return found


def _tab_tables(soup) -> dict[str, list[list[str]]]:
    """{tab label: rows of cell text} for the option grid's tabs."""
    tables = {}
    section = soup.find(id="options")
    block = section.find_next("div", class_="tabbed-set") if section else None
    if block is None:
        return tables
    labels = [label.get_text(" ", strip=True) for label in block.select(".tabbed-labels > label")]
    for label, content in zip(labels, block.select(".tabbed-content > .tabbed-block")):
        tables[label] = [[c.get_text(" ", strip=True) for c in tr.find_all("td")] for tr in content.select("tbody tr")]
    return tables


def site_facts(pages: dict[str, str], data: dict, refs: dict) -> dict[str, tuple[bool, str]]:
    """What a machine can tell about the built decision aid: {criterion id: (holds, what was checked)}.

    ``pages`` maps 'compare-options' and 'about' to their built HTML."""
    soup = BeautifulSoup(pages["compare-options"], "lxml")
    about = BeautifulSoup(pages["about"], "lxml")
    n_options = len(data["options"])
    tabs = _tab_tables(soup)
    full = lambda rows: len(rows) == n_options and all(len(r) >= 2 and r[1] for r in rows)  # noqa: E731
    arrays = soup.select("figure.da-array")
    effects = {}
    for block in soup.select(".da-option[data-option]"):
        kinds = set()
        for figure in block.select("figure.da-array"):
            records = {r.get("id"): r for r in refs.get(figure.get("data-study"), {}).get("results") or []}
            kinds |= {records[i].get("effect") for i in figure.get("data-results", "").split() if i in records}
        effects[block["data-option"]] = kinds
    with_arrays = [o["id"] for o in data["options"] if o.get("arrays")]
    about_aid = soup.find(id="about-this-decision-aid")
    about_text = " ".join(about_aid.find_next("ul").get_text(" ", strip=True).split()) if about_aid else ""
    decision = soup.select_one(".da-decision-text")
    icons = [sum(int(p.get("data-icons", 0)) for p in a.select("svg path")) for a in arrays]
    leads = [a.select_one(".da-lead").get_text(" ", strip=True) for a in arrays if a.select_one(".da-lead")]
    statements = soup.select(".da-values fieldset.da-statement")
    sure = soup.select(".da-sure fieldset")
    summary = soup.find(id="your-summary")
    return {
        "1.1.1": (soup.find(id="standard-care-alone") is not None and bool(soup.select('[data-option="natural-course"] figure.da-array')),
                  "a 'What happens with standard care alone' section with a natural-course icon array"),
        "1.1.2": (decision is not None and decision.get_text(strip=True).endswith("?") and len(decision.get_text().split()) >= 8,
                  "the decision, as a question, in the box at the top (.da-decision-text)"),
        "1.1.3": (bool(tabs) and all(len(rows) == n_options for rows in tabs.values()),
                  f"every tab of the option grid has a row for each of the {n_options} options"),
        "1.1.4": (full(tabs.get("Benefits and harms", [])) and all("benefit" in effects.get(o, set()) for o in with_arrays),
                  "a 'Benefits and harms' tab for every option, and a benefit icon array for every option with data"),
        "1.1.5": (full(tabs.get("Benefits and harms", [])) and all("harm" in effects.get(o, set()) for o in with_arrays),
                  "a 'Benefits and harms' tab for every option, and a harm icon array for every option with data"),
        "1.2.1": (full(tabs.get("What it is like", [])), "a 'What it is like' tab with an answer for every option"),
        "2.1.1": (bool(tabs) and all(full(rows) for rows in tabs.values())
                  and len(soup.select(".da-evidence")) == n_options,
                  "every tab answered for every option, and an amount-of-evidence box per option"),
        "2.2.1": (soup.find("h2", id="references") is not None and bool(soup.select("sup.citation")),
                  "citations and a reference list"),
        "2.2.2": (bool(soup.select(".review-dates time")), "the date last reviewed at the foot of the page"),
        "2.2.3": ("review this page" in about_text, "'About this decision aid' gives the update policy"),
        "2.2.4": ("How sure the numbers are" in about_text and any("estimates" in a.get_text() for a in arrays),
                  "'How sure the numbers are', and arrays that say when figures are estimates"),
        "2.3.1": ("Who pays for it" in about_text and "unfunded" in about_text,
                  "'About this decision aid' says who pays for the guide"),
        "Q1": (bool(soup.select('[data-option="natural-course"] figure.da-array')), "a natural-course icon array"),
        "Q3": (bool(arrays), "icon arrays"),
        "Q4": (bool(leads) and all(re.search(r"like the \d", lead) for lead in leads), "each array names its group"),
        "Q5": (bool(arrays) and all(a.select(".da-legend .da-count") for a in arrays), "each array gives its counts"),
        "Q7": (bool(icons) and all(n == 100 for n in icons), "every array has 100 icons"),
        "Q8": (bool(arrays) and all(a.find("svg") and a.find("figcaption") for a in arrays), "pictures with words"),
        "Q9": (6 <= len(statements) <= 8 and all(len(s.select("input[type=radio]")) == len(data["scale"]) for s in statements),
               "6 to 8 statements to rate, each on the same scale"),
        "Q10": (soup.find(id="ready") is not None and len(sure) == 4
                and all(len(s.select("input[type=radio]")) == 2 for s in sure),
                "'Ready to decide?' with the 4 SURE questions"),
        "Q11": (summary is not None and len(summary.select("tbody tr")) == len(data["values"]),
                "a summary to print with a row per statement"),
        "Q21": (about.find(id="plain-language") is not None, "the About page's 'Plain language' section"),
    }


def ipdas_problems(ipdas_html: str, pages: dict[str, str], data: dict, refs: dict,
                   page: str = "docs/ipdas.md") -> list[str]:
    """One message per criterion whose verdict on the self-assessment page the site contradicts."""
    found = verdicts(ipdas_html)
    problems = []
    for criterion in QUALIFYING + CERTIFICATION + SCREENING_ONLY + QUALITY:
        if criterion not in found:
            problems.append(f"{page}: criterion {criterion} is missing. List every IPDAS criterion, even one that "
                            f"does not apply, with a verdict and a reason.")
        elif found[criterion] not in VERDICTS:
            problems.append(f"{page}: criterion {criterion} has verdict {found[criterion]!r}; use one of {', '.join(VERDICTS)}")
    for criterion in QUALIFYING + CERTIFICATION:
        if found.get(criterion, "Met") != "Met":
            problems.append(f"{page}: {criterion} is a qualifying or certification criterion, so it must be met; "
                            f"it says {found[criterion]!r}. Fix the decision aid, then the verdict.")
    for criterion in SCREENING_ONLY:
        if found.get(criterion, "Not applicable") != "Not applicable":
            problems.append(f"{page}: {criterion} is for screening or test decisions only: 'Not applicable'.")
    for criterion, (holds, what) in site_facts(pages, data, refs).items():
        verdict = found.get(criterion)
        if verdict == "Met" and not holds:
            problems.append(f"{page}: {criterion} says Met, but the built site lacks {what}. Put it back on "
                            f"docs/compare-options.md (or change the verdict and say why).")
        if verdict == "Not met" and holds:
            problems.append(f"{page}: {criterion} says {verdict}, but the built site has {what}. Update the verdict.")
    soup = BeautifulSoup(ipdas_html, "lxml")
    if "has not been tested with patients" not in " ".join(soup.get_text(" ").split()).replace("**", ""):
        problems.append(f"{page}: say plainly that the decision aid has not been tested with patients or clinicians.")
    return problems


def verdict_counts(ipdas_html: str) -> Counter:
    return Counter(verdicts(ipdas_html).values())
