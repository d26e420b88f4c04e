"""Study results: how a result record reads, and which figures in a sentence it supports.

Not a hook (mkdocs.yml does not list it): a module that the evidence hook (to print results)
and the tests (to check every figure on a page against the records) both import, so there is
one home for the rules.

A result record is one mapping in a study's ``results:`` list in docs/data/references.yml:

    measure: overall survival   what was measured, in plain words
    value: 81                   the figure: a percentage (unit '%') or a number of people (unit people)
    unit: '%'                   '%' or people
    count: 68                   optional: how many people had it
    of: 81                      the denominator: how many people it is out of
    time: 5 years               when: '5 years', '12 months', 'week 12', 'during the trial'...
    kind: estimated             counted (people counted) or estimated (e.g. Kaplan-Meier)
    effect: benefit             benefit, harm, participants (who took part) or finding
    group: MSC                  optional: which group of a trial with a comparison group
    note: ...                   optional: a short qualifier printed after the figure
    where: abstract, Results    where in the source it appears

A figure in text is a percentage ("84%", "12.5 %"; not the "95%" of "95% confidence interval"), a count out of a total ("18 of 22",
"7 of the 24"), or a natural frequency ("1 in 50", "nine in ten", "84 out of 100").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_WORDS = {"no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
                "fifteen": 15, "twenty": 20, "fifty": 50, "hundred": 100, "a hundred": 100}
_NUM = r"(?:\d[\d,]*(?:\.\d+)?|" + "|".join(sorted((w for w in NUMBER_WORDS if w not in ("no", "none")),
                                                   key=len, reverse=True)) + r")"
# "95% confidence interval" names the kind of interval, not a result, so it is not a figure
PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?) ?%(?! ?(?:CI\b|confidence interval))")
OUT_OF = re.compile(rf"(?<![\w.])({_NUM}) (?:people |patients |persons? )?(?:of|out of) (?:the |these |those )?"
                    rf"(\d[\d,]*)\b", re.I)
IN_EVERY = re.compile(rf"(?<![\w.])({_NUM}) (?:people |patients |persons? |women |men )?in (?:every )?"
                      rf"({_NUM})\b(?! (?:days?|weeks?|months?|years?|centres?|countries)\b)", re.I)
TIME_UNIT = re.compile(r"(\d+(?:\.\d+)?|" + "|".join(k for k in NUMBER_WORDS if k.isalpha()) +
                       r")[ -](day|week|month|year)s?\b|\b(day|week|month|year) (\d+)\b", re.I)


def number(text: str) -> float:
    """'1,951' -> 1951.0; 'nine' -> 9.0."""
    text = text.strip().lower()
    return float(NUMBER_WORDS[text]) if text in NUMBER_WORDS else float(text.replace(",", ""))


@dataclass(frozen=True)
class Figure:
    """A figure found in text: kind 'percent' (a), 'out_of' (a of b) or 'in_every' (a in b)."""

    kind: str
    text: str
    a: float
    b: float | None = None


def figures_in(text: str) -> list[Figure]:
    """Every percentage, 'X of Y' and 'X in Y' in ``text``, in order, without overlaps."""
    found: list[tuple[int, int, Figure]] = []
    for pattern, kind in ((OUT_OF, "out_of"), (IN_EVERY, "in_every"), (PERCENT, "percent")):
        for m in pattern.finditer(text):
            if any(start < m.end() and m.start() < end for start, end, _ in found):
                continue
            if kind == "percent":
                figure = Figure(kind, m.group(0), float(m.group(1)))
            else:
                figure = Figure(kind, m.group(0), number(m.group(1)), number(m.group(2)))
                if figure.b == 0:
                    continue
            found.append((m.start(), m.end(), figure))
    return [figure for _, _, figure in sorted(found, key=lambda item: item[0])]


def _percent_of(result: dict) -> float | None:
    if result.get("value") is None:
        return None
    if result.get("unit") == "%":
        return float(result["value"])
    count, of = result.get("count", result.get("value")), result.get("of")
    return 100.0 * count / of if isinstance(count, (int, float)) and of else None


def _count(result: dict) -> float | None:
    if result.get("value") is None:
        return None
    if result.get("unit") == "people":
        return float(result["value"])
    return float(result["count"]) if result.get("count") is not None else None


def matches(figure: Figure, result: dict) -> bool:
    """True when ``figure`` states ``result`` (its value, or its count and denominator)."""
    percent, count, of = _percent_of(result), _count(result), result.get("of")
    if figure.kind == "percent":
        shown = figure.text.split("%")[0].strip()
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        return percent is not None and abs(round(percent, decimals) - figure.a) < 10 ** -decimals / 2 + 1e-9
    if figure.kind == "out_of":
        return count is not None and of is not None and count == figure.a and of == figure.b
    # "1 in 50" states the exact count out of the denominator; "84 in 100" or "nine in ten" a rounded share
    if count is not None and of is not None and count * figure.b == figure.a * of:
        return True
    return percent is not None and figure.b in (10, 100) and abs(percent - 100 * figure.a / figure.b) <= 50 / figure.b


def time_words(result: dict) -> str:
    return str(result.get("time") or "")


def time_stated(text: str, result: dict) -> bool:
    """True when ``text`` says when ``result`` was measured (its ``time``), in any usual form:
    '5 years' also matches 'five years', '5-year' and 'year 5'; a time without a number
    ('during the trial') needs each of its longer words."""
    wanted = time_words(result)
    if not wanted or result.get("effect") == "participants":
        return True
    lower = text.lower()
    spans = [(number(m.group(1)), m.group(2).lower()) if m.group(1) else (number(m.group(4)), m.group(3).lower())
             for m in TIME_UNIT.finditer(wanted)]
    if spans:
        said = {(number(m.group(1)), m.group(2).lower()) if m.group(1) else (number(m.group(4)), m.group(3).lower())
                for m in TIME_UNIT.finditer(lower)}
        return any(span in said for span in spans)
    return all(word in lower for word in re.findall(r"[a-z][a-z-]{3,}", wanted.lower()))


def describe(result: dict) -> str:
    """For readers, without a final full stop: 'Overall survival, 5 years: 81% of 28 (estimated)',
    then '. Note.' when the record has a note (so each piece stays a short sentence)."""
    measure = str(result["measure"])
    measure = measure[0].upper() + measure[1:]
    when = result.get("time")
    group = f" ({result['group']})" if result.get("group") else ""
    head = f"{measure}{group}" + (f", {when}" if when else "")
    value, unit, count, of = result.get("value"), result.get("unit"), result.get("count"), result.get("of")
    if value is None:  # a harm or finding the source gives without a number
        note = str(result.get("note")).strip().rstrip(".")
        return f"{head}: {note}"
    value_text = f"{value:g}" if isinstance(value, float) else f"{value:,}"
    if unit == "%":
        figure = f"{value_text}%" + (f" ({count} of {of})" if count is not None and of else f" of {of:,}")
    else:
        figure = f"{value_text} of {of:,}" if of else f"{value_text} people"
    estimated = " (estimated)" if result.get("kind") == "estimated" else ""
    note = str(result.get("note") or "").strip().rstrip(".")
    note = f". {note[0].upper()}{note[1:]}" if note else ""
    return f"{head}: {figure}{estimated}{note}"
