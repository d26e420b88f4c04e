"""Decision aid hook: the "Weigh your options" page's decision aid, from docs/data/decision-aid.yml.

One job. Where a page has a marker line ``<!-- decision-aid: NAME -->`` (alone on its line),
the hook puts the HTML for that part of the decision aid, drawn from the data file
(``extra.decision_aid_file`` in mkdocs.yml) and the study results in the references file:

    decision          the decision in plain words, and who it is for
    natural-course    icon arrays of what happens with standard care alone
    option ID         one option's amount-of-evidence strip and its icon arrays
    values            the values exercise ("What matters most to you?"), a worksheet without JavaScript
    leaning           "Which way are you leaning now?"
    sure              the SURE test, with what to do about each "no"
    knowledge         three questions, each with its answer explained
    questions         a box for the reader's own questions
    summary           the one-page personal summary to print (id="your-summary")

Icon arrays (the IPDAS "same denominator" picture) are inline SVG made at build time, so they
need no JavaScript. Each shows 100 people like those in ONE group of ONE study, at the time
point of its result records: one ``<path>`` per group of icons, filled, outlined, crossed out
or dashed ("not known"), so the groups differ by shape, not colour alone, and ``currentColor``
keeps them right in both palettes, in forced colours and in print. The caption says the same
thing in words: "Out of 100 people like the 28 in a European transplant registry, after 5
years: 29 were alive with no active lupus; ...". Each number is a result record's percentage
rounded to a whole person (half up); see ``array_groups``. tests/test_decision_aid.py checks
the built arrays against the records independently.

The hook runs in ``on_files``, before citations.py (it must come first under ``hooks:`` in
mkdocs.yml), so the ``[@key]`` citations in the data are numbered and listed like any other.
Each part is written on the marker's own line, so line numbers in later messages still match
the page's Markdown.

It stops the build, naming the file and line, when the data file is missing or malformed, a
study key or result id is unknown, an array mixes studies, groups, time points or
denominators, its groups add up to more than 100, a statement names an unknown option, a
marker is unknown, or the page that holds the markers does not list ``decision_aid: true``
in its front matter (that flag loads docs/javascripts/decision-aid.js on that page only).

Shapes: the data file is a mapping; see its header comments for every field.
"""
from __future__ import annotations

import html
import math
import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils import meta as mkdocs_meta

import citations  # noqa: E402 - the hooks folder is on sys.path while MkDocs loads a hook
import results  # noqa: E402

MARKER = re.compile(r"^<!-- decision-aid: ([a-z-]+)(?: ([a-z0-9-]+))? -->$")
PARTS = ("decision", "natural-course", "option", "values", "leaning", "sure", "knowledge", "questions", "summary")
STYLES = ("filled", "outline", "crossed", "unknown")
# Columns and rows of an icon array, and the size of one icon's cell in SVG units.
COLUMNS, ROWS, CELL_W, CELL_H = 10, 10, 12, 16
# Plain names for study designs in the evidence strip.
DESIGN_WORDS = {
    "RCT": "a randomised trial", "single-arm trial": "a trial with no comparison group",
    "registry": "a registry", "cohort": "a study that followed one group over time",
    "case series": "a report on a few people", "systematic review": "a review that pooled several studies",
}

_STATE: dict = {}


class DataError(Exception):
    """A problem in the data file, with its line."""


# --- Loading and checking ----------------------------------------------------------------

def _lines(text: str) -> dict[tuple, int]:
    """Line numbers (1-based) of every mapping and list item in the YAML, keyed by their path."""
    where: dict[tuple, int] = {}

    def walk(node, path):
        where[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, path + (index,))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        walk(root, ())
    return where


def load(path: Path, shown: str, refs: dict) -> tuple[dict, list[str]]:
    """Read and check the data file. Returns (data, error messages naming ``shown``:line)."""
    if not path.is_file():
        return {}, [f"{shown}: the decision aid's data file is missing. Restore it, or remove "
                    f"overrides/hooks/decision_aid.py from 'hooks:' in mkdocs.yml."]
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        where = _lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return {}, [f"{shown}:{mark.line + 1 if mark else 1}: not valid YAML ({getattr(exc, 'problem', exc)}). "
                    f"Check the indentation and quotes on this line and the one before."]
    if not isinstance(data, dict):
        return {}, [f"{shown}:1: the file must be a mapping with decision, options, values, sure and knowledge"]

    errors: list[str] = []

    def at(*path) -> str:
        while path and path not in where:
            path = path[:-1]
        return f"{shown}:{where.get(path, 1)}"

    for name in ("decision", "who_for", "options", "scale", "values", "leaning", "sure", "knowledge"):
        if not data.get(name):
            errors.append(f"{at()}: '{name}:' is missing or empty")
    if errors:
        return data, errors
    option_ids = [o.get("id") for o in data["options"] if isinstance(o, dict)]
    for index, option in enumerate(data["options"]):
        if not isinstance(option, dict) or not all(option.get(k) for k in ("id", "name", "short")):
            errors.append(f"{at('options', index)}: each option needs id, name and short")
            continue
        if option_ids.count(option["id"]) > 1:
            errors.append(f"{at('options', index, 'id')}: option id {option['id']!r} is used twice")
        evidence = option.get("evidence")
        if not isinstance(evidence, dict) or "comparison" not in evidence:
            errors.append(f"{at('options', index)}: option {option['id']!r} needs evidence: with largest, "
                          f"comparison and longest (use null or [] where there are none)")
        else:
            for name in ("largest", "longest"):
                key = evidence.get(name)
                if key is not None and key not in refs:
                    errors.append(f"{at('options', index, 'evidence', name)}: {name}: {key!r} is not a key in "
                                  f"references.yml")
            for key in evidence.get("comparison") or []:
                if key not in refs:
                    errors.append(f"{at('options', index, 'evidence', 'comparison')}: comparison study {key!r} "
                                  f"is not a key in references.yml")
        for a_index, spec in enumerate(option.get("arrays") or []):
            try:
                array_groups(spec, refs)
            except DataError as exc:
                errors.append(f"{at('options', index, 'arrays', a_index)}: {exc}")
    for a_index, spec in enumerate(data.get("natural_course") or []):
        try:
            array_groups(spec, refs)
        except DataError as exc:
            errors.append(f"{at('natural_course', a_index)}: {exc}")
    if not 6 <= len(data["values"]) <= 8:
        errors.append(f"{at('values')}: give 6 to 8 statements (there are {len(data['values'])})")
    for index, value in enumerate(data["values"]):
        if not isinstance(value, dict) or not all(value.get(k) for k in ("id", "statement", "tradeoff")):
            errors.append(f"{at('values', index)}: each statement needs id, statement and tradeoff")
            continue
        for side in ("fits", "against"):
            for option in value.get(side) or []:
                if option not in option_ids:
                    errors.append(f"{at('values', index, side)}: {side} names {option!r}, which is not an option "
                                  f"id ({', '.join(map(str, option_ids))})")
    for index, item in enumerate(data["sure"]):
        if not isinstance(item, dict) or not all(item.get(k) for k in ("letter", "name", "question", "if_no")):
            errors.append(f"{at('sure', index)}: each SURE item needs letter, name, question and if_no")
    for index, item in enumerate(data["knowledge"]):
        choices = item.get("choices") if isinstance(item, dict) else None
        if (not isinstance(item, dict) or not all(item.get(k) for k in ("id", "question", "explain"))
                or not isinstance(choices, list) or not isinstance(item.get("answer"), int)
                or not 0 <= item["answer"] < len(choices)):
            errors.append(f"{at('knowledge', index)}: each question needs id, question, choices, explain and "
                          f"answer (the number of the right choice, counting from 0)")
    return data, errors


def _percent(result: dict, base: int | None, part: str | None) -> float:
    """The share of people, in %, that one group of an array shows."""
    if base:
        count = result.get("count") if result.get("unit") == "%" else result.get("value")
        if count is None:
            raise DataError(f"result {result.get('id')!r} gives no count of people, so 'base: all' cannot "
                            f"count it out of the whole study")
        return 100.0 * ((result["of"] - count) if part == "not" else count) / base
    # The count out of the denominator when the record has both (28 of 81 is 34.6%, though the
    # source prints 34%): a picture of 100 people should not lose a person to rounding twice.
    if isinstance(result.get("count"), int) and result.get("of"):
        percent = 100.0 * result["count"] / result["of"]
    else:
        percent = results._percent_of(result)
    if percent is None:
        raise DataError(f"result {result.get('id')!r} has no figure out of a number of people to draw")
    return 100.0 - percent if part == "not" else percent


def array_groups(spec: dict, refs: dict) -> dict:
    """Resolve one icon array's spec against the references. DataError on any problem.

    Returns {"study", "size" (people in the group studied), "time", "estimated" (bool),
    "like", "groups": [(label, style, count)], "results": [result records]} where the counts
    are whole people out of 100 and include the leftover group (style outline, or unknown
    when ``base: all``).
    """
    if not isinstance(spec, dict) or not spec.get("study") or not spec.get("like") or not spec.get("show"):
        raise DataError("an icon array needs study, like and show")
    key = spec["study"]
    if key not in refs:
        raise DataError(f"study {key!r} is not a key in references.yml")
    records = {r.get("id"): r for r in (refs[key].get("results") or []) if isinstance(r, dict) and r.get("id")}
    base = None
    if spec.get("base") not in (None, "all"):
        raise DataError(f"base is {spec.get('base')!r}; leave it out, or write base: all")
    if spec.get("base") == "all":
        base = refs[key].get("n")
        if not isinstance(base, int):
            raise DataError(f"base: all needs the study's n in references.yml ({key} has none)")
    shown, groups = [], []
    for item in spec["show"]:
        if not isinstance(item, dict) or not item.get("result") or not item.get("label"):
            raise DataError("each group under show needs result (an id) and label")
        if item["result"] not in records:
            raise DataError(f"{key} has no result with id {item['result']!r}. Its ids: "
                            f"{', '.join(sorted(records)) or 'none; add id: to its results'}")
        if item.get("style", "filled") not in STYLES:
            raise DataError(f"style {item['style']!r} is not one of {', '.join(STYLES)}")
        result = records[item["result"]]
        if result.get("value") is None:
            raise DataError(f"result {item['result']!r} of {key} has no number to draw")
        shown.append(result)
        count = math.floor(_percent(result, base, item.get("part")) + 0.5)
        groups.append((str(item["label"]), item.get("style", "filled"), count))
    for name, what in (("time", "time point"), ("group", "group"), ("kind", "kind (counted or estimated)")):
        if len({str(r.get(name)) for r in shown}) > 1:
            raise DataError(f"the results shown together have different {what}s; one array shows one group of one "
                            f"study at one time point: make two arrays")
    if not base and len({r.get("of") for r in shown}) > 1:
        raise DataError("the results shown together are out of different numbers of people; make two arrays")
    total = sum(count for _, _, count in groups)
    if total > 100:
        raise DataError(f"the groups add up to {total} of 100; an array's groups must not overlap")
    if total < 100:
        if not spec.get("rest"):
            raise DataError(f"the groups add up to {total} of 100: give rest: the words for the other {100 - total}")
        style = spec.get("rest_style") or ("unknown" if base else "outline")
        if style not in STYLES:
            raise DataError(f"rest_style {style!r} is not one of {', '.join(STYLES)}")
        groups.append((str(spec["rest"]), style, 100 - total))
    return {"study": key, "size": base or shown[0].get("of"), "time": shown[0].get("time"),
            "estimated": shown[0].get("kind") == "estimated", "like": str(spec["like"]).strip(),
            "groups": groups, "results": shown}


# --- Drawing -----------------------------------------------------------------------------

# One person, drawn from the top left of its cell: a head (two arcs), a body and, for "crossed",
# a stroke through it. Everything after the first M is relative, so the 100 icons of an array
# repeat one string and the page compresses well (the print page holds every array too).
HEAD = "a2.3,2.3 0 1,0 4.6,0a2.3,2.3 0 1,0 -4.6,0z"
BODY = "m-1.7,11v-5.5q0,-2.5 2.5,-2.5h3q2.5,0 2.5,2.5v5.5z"
CROSS = "m-1,0.5l10,-15"


# Where each icon's drawing ends, from the top left of its cell (the pen is then moved on to
# the next icon by a relative move, so a row of icons repeats one string).
END = {"crossed": (11.0, 0.5)}
START = (3.7, 4.0)


def _icon(x: float, y: float, style: str) -> str:
    """Path data for one person icon in the cell whose top left is (x, y)."""
    return f"M{x + START[0]:g},{y + START[1]:g}" + HEAD + BODY + (CROSS if style == "crossed" else "")


def _icons(cells: list[tuple[float, float]], style: str) -> str:
    """Path data for icons in the cells whose top left corners are ``cells``, in order: one
    absolute move, then each next icon by a move relative to where the last one ended."""
    if not cells:
        return ""
    end = END.get(style, (2.0, 15.0))  # after BODY's "z", the pen is back at the body's start
    parts = [_icon(*cells[0], style)]
    for (px, py), (x, y) in zip(cells, cells[1:]):
        dx, dy = round(x + START[0] - px - end[0], 3), round(y + START[1] - py - end[1], 3)
        parts.append(f"m{dx:g},{dy:g}" + HEAD + BODY + (CROSS if style == "crossed" else ""))
    return "".join(parts)


PAINT = {
    "filled": 'fill="currentColor"',
    "outline": 'fill="none" stroke="currentColor" stroke-width="1"',
    "crossed": 'fill="none" stroke="currentColor" stroke-width="1.2"',
    "unknown": 'fill="none" stroke="currentColor" stroke-width="0.9" stroke-dasharray="1.4 1.2"',
}


def icon_array_svg(groups: list[tuple[str, str, int]]) -> str:
    """100 icons, row by row, one <path> per group (data-group = its position, data-icons = its count)."""
    paths, position = [], 0
    for index, (_, style, count) in enumerate(groups):
        d = _icons([((p % COLUMNS) * CELL_W, (p // COLUMNS) * CELL_H) for p in range(position, position + count)], style)
        position += count
        if count:
            paths.append(f'<path class="da-icons da-{style}" data-group="{index}" data-icons="{count}" '
                         f'{PAINT[style]} d="{d}"/>')
    return (f'<svg class="da-array-icons" viewBox="-1 -1 {COLUMNS * CELL_W + 2} {ROWS * CELL_H + 2}" '
            f'aria-hidden="true" focusable="false">{"".join(paths)}</svg>')


def when(time: str | None) -> str:
    """How the caption says the time point, after a comma: '5 years' -> ', after 5 years';
    '5 years after transplant' -> ', at 5 years after transplant'; 'during the trial' stays;
    anything else goes in brackets without the comma: ' (time point not given)'."""
    time = str(time or "").strip()
    if re.fullmatch(r"\d+(?:\.\d+)? (?:days?|weeks?|months?|years?)", time):
        return f", after {time}"
    if re.match(r"\d+(?:\.\d+)? (?:days?|weeks?|months?|years?) ", time):
        return f", at {time}"
    if re.match(r"(?:during|after|before|by|within|at|in) ", time):
        return f", {time}"
    return f" ({time})"


def render_array(spec: dict, refs: dict, anchor: str) -> str:
    """One icon array as a <figure>: the SVG and a caption that says the same in words."""
    info = array_groups(spec, refs)
    # da-k-<style>: extra.css draws the group's icon before the item (a CSS mask, no element)
    items = "".join(f'<li class="da-group da-k-{style}"><span class="da-count">{count}</span> '
                    f'{html.escape(label)}</li>' for label, style, count in info["groups"])
    estimate = " These are estimates from the study." if info["estimated"] else ""
    lead = f'Out of 100 people like the {info["size"]} {html.escape(info["like"])}{html.escape(when(info["time"]))}:'
    return (f'<figure class="da-array" id="{anchor}" data-study="{info["study"]}" '
            f'data-results="{" ".join(str(r["id"]) for r in info["results"])}">'
            f'{icon_array_svg(info["groups"])}<figcaption><p class="da-lead">{lead}</p>'
            f'<ul class="da-legend">{items}</ul>{estimate.strip()} '
            f'Source: [@{info["study"]}]</figcaption></figure>')


def _people(ref) -> str:
    n = ref.get("n")
    return f"{n:,} people" if isinstance(n, int) else "an unknown number of people"


def render_evidence(option: dict, refs: dict) -> str:
    """The amount-of-evidence strip: largest study, studies with a comparison group, longest follow-up."""
    ev = option["evidence"]
    if ev.get("largest"):
        ref = refs[ev["largest"]]
        largest = f"{_people(ref)}, in {DESIGN_WORDS.get(ref.get('design'), ref.get('design'))} [@{ev['largest']}]"
    else:
        largest = "No published study that we found, when we last checked, on {{ evidence_checked }}"
    compared = ev.get("comparison") or []
    if compared:
        sizes = [_people(refs[k]).replace(" people", "") for k in compared]
        listed = sizes[0] if len(sizes) == 1 else ", ".join(sizes[:-1]) + " and " + sizes[-1]
        comparison = (f"{len(compared)} of the studies we cite, with {listed} people "
                      f"[{'; '.join('@' + k for k in compared)}]")
        if len(compared) == 1:
            comparison = f"1 of the studies we cite, with {listed} people [@{compared[0]}]"
    else:
        comparison = "None that we found, when we last checked, on {{ evidence_checked }}"
    if ev.get("longest"):
        follow = refs[ev["longest"]].get("follow_up") or "not reported"
        longest = f"{html.escape(str(follow))} [@{ev['longest']}]"
    else:
        longest = "Not known"
    note = f'<p class="da-evidence-note">{ev["note"].strip()}</p>' if ev.get("note") else ""
    return (f'<div class="da-evidence" role="group" aria-label="Amount of evidence: {html.escape(option["name"])}">'
            f'<p class="da-evidence-title">Amount of evidence</p><dl>'
            f'<dt>Most people in one study</dt><dd>{largest}</dd>'
            f'<dt>Studies with a comparison group</dt><dd>{comparison}</dd>'
            f'<dt>Longest follow-up</dt><dd>{longest}</dd></dl>{note}</div>')


def _text(value) -> str:
    """Folded YAML text on one line (citations stay as [@key])."""
    return " ".join(str(value).split())


def _radios(name: str, choices: list[str], legend: str, extra: str = "", cls: str = "da-choices") -> str:
    options = "".join(f'<label class="da-choice"><input type="radio" name="{name}" value="{i}"> '
                      f'{html.escape(str(c))}</label>' for i, c in enumerate(choices))
    return (f'<fieldset class="{cls}" data-name="{name}"><legend>{legend}</legend>'
            f'{options}{extra}</fieldset>')


def render_values(data: dict) -> str:
    """The values exercise: a rating per statement, tradeoffs in words, and (with JS) how options fit."""
    names = {o["id"]: o.get("label") or o["name"] for o in data["options"]}   # short, for the sentences below
    blocks = []
    for value in data["values"]:
        fits = ", ".join(names[o] for o in value.get("fits") or []) or "none clearly"
        against = ", ".join(names[o] for o in value.get("against") or []) or "none clearly"
        details = (f'<details class="da-tradeoff"><summary>How the options differ on this</summary>'
                   f'<p>{_text(value["tradeoff"])}</p><p>If this matters a lot to you, it fits: '
                   f'{html.escape(fits)}. It weighs against: {html.escape(against)}.</p></details>')
        fieldset = _radios(f"value-{value['id']}", data["scale"], html.escape(str(value["statement"])), details,
                           "da-statement")
        blocks.append(fieldset.replace('<fieldset class="da-statement"',
                                       f'<fieldset class="da-statement" data-fits="{" ".join(value.get("fits") or [])}" '
                                       f'data-against="{" ".join(value.get("against") or [])}"', 1))
    options = "".join(f'<li data-option="{o["id"]}" data-name="{html.escape(o["name"])}">{html.escape(o["name"])}</li>'
                      for o in data["options"])
    return ('<div class="da-values" id="values-exercise">' + "".join(blocks) +
            '<button type="button" class="md-button md-button--primary da-js-only" id="values-show">'
            'Show how the options fit what I said</button>'
            '<div class="da-result" id="values-result" tabindex="-1" hidden>'
            '<p class="da-result-title" id="values-result-title"><strong>How the options fit what you said</strong></p>'
            '<p>This is not a score, and there is no single right answer. It lists, for each option, the '
            'statements you said matter to you (a lot or a little) that fit it or weigh against it.</p>'
            f'<ul class="da-fit-list">{options}</ul></div></div>')


def render_leaning(data: dict) -> str:
    lean = data["leaning"]
    return '<div class="da-leaning">' + _radios("leaning", lean["choices"], html.escape(lean["question"])) + "</div>"


def render_sure(data: dict) -> str:
    items = []
    for index, item in enumerate(data["sure"]):
        advice = f'<p class="da-if-no">If no: {_text(item["if_no"])}</p>'
        legend = f'{html.escape(item["letter"])}: {html.escape(item["name"])}. {html.escape(item["question"])}'
        items.append(_radios(f"sure-{index}", ["Yes", "No"], legend, advice, "da-sure-item"))
    return '<div class="da-sure">' + "".join(items) + "</div>"


def render_knowledge(data: dict) -> str:
    items = []
    for number, item in enumerate(data["knowledge"], start=1):
        # The explanation starts with the right answer ("No. At 6 months, ..."): no need to repeat it.
        details = (f'<details class="da-answer"><summary>See the answer</summary>'
                   f'<p>{_text(item["explain"])}</p></details>')
        items.append(_radios(f"knowledge-{item['id']}", item["choices"],
                             f"{number}. {html.escape(_text(item['question']))}", details, "da-question"))
    return '<div class="da-knowledge">' + "".join(items) + "</div>"


def render_questions() -> str:
    return ('<div class="da-my-questions"><label for="my-questions">My questions for my care team '
            '(nothing you type leaves this page or is kept)</label>'
            '<textarea id="my-questions" rows="4" autocomplete="off" spellcheck="true"></textarea></div>')


def render_summary(data: dict, page_url: str, reviewed: str) -> str:
    """The one-page summary to print: filled in by decision-aid.js, blank lines without it."""
    rows = "".join(f'<tr><td>{html.escape(str(v["statement"]))}</td><td class="da-fill" data-fill="value-{v["id"]}"></td></tr>'
                   for v in data["values"])
    lean = "".join(f'<li class="da-tick">{html.escape(str(c))}</li>'
                   for c in data["leaning"]["choices"])
    sure = "".join(f'<li>{html.escape(item["question"])} <span data-fill="sure-{i}">Yes / No</span></li>'
                   for i, item in enumerate(data["sure"]))
    return (
        '<section class="da-summary" id="your-summary" aria-labelledby="your-summary-title">'
        '<p class="da-summary-title" id="your-summary-title">My lupus treatment decision: a summary for my appointment</p>'
        f'<p><strong>The decision:</strong> {html.escape(_text(data["decision"]))}</p>'
        '<table class="da-summary-ratings" data-no-cards><thead><tr><th scope="col">What matters to me</th>'
        f'<th scope="col">My rating</th></tr></thead><tbody>{rows}</tbody></table>'
        f'<p><strong>Where I am leaning:</strong> <span data-fill="leaning" data-blank="choices"></span></p>'
        f'<ul class="da-summary-leaning" data-fill-list="leaning">{lean}</ul>'
        f'<p><strong>Am I ready to decide?</strong></p><ul class="da-summary-sure">{sure}</ul>'
        '<p><strong>My questions:</strong></p><div class="da-summary-questions" data-fill="my-questions">'
        '<span class="da-line"></span><span class="da-line"></span><span class="da-line"></span></div>'
        f'<p class="da-summary-source">From "Stem Cell Therapy for Lupus: a patient guide", {html.escape(page_url)}. '
        f'Page last reviewed {html.escape(reviewed)}; evidence last checked on {{{{ evidence_checked }}}}. '
        'General information, not medical advice.</p></section>')


# --- MkDocs events -----------------------------------------------------------------------

def expand(markdown: str, src_uri: str, data: dict, refs: dict, page_url: str, reviewed: str) -> str:
    """``markdown`` with every marker line replaced by its HTML (one line each). PluginError on a bad marker."""
    options = {o["id"]: o for o in data["options"]}
    out, arrays = [], 0
    for number, line in enumerate(markdown.split("\n"), start=1):
        match = MARKER.match(line.strip())
        if not match and "<!-- decision-aid:" in line:
            raise PluginError(f"docs/{src_uri}:{number}: a decision-aid marker must be alone on its line, "
                              f"written <!-- decision-aid: NAME -->")
        if not match:
            out.append(line)
            continue
        part, arg = match.groups()
        if part not in PARTS or (part == "option") != bool(arg):
            raise PluginError(f"docs/{src_uri}:{number}: unknown marker '{line.strip()}'. The parts are: "
                              f"{', '.join(PARTS)} (option takes an option id: {', '.join(options)})")
        if part == "option" and arg not in options:
            raise PluginError(f"docs/{src_uri}:{number}: no option with id {arg!r} in the decision aid's data "
                              f"({', '.join(options)})")
        if part == "decision":
            html_part = (f'<div class="da-decision" id="the-decision"><p class="da-decision-label">The decision</p>'
                         f'<p class="da-decision-text">{html.escape(_text(data["decision"]))}</p>'
                         f'<p class="da-who-for"><strong>Who this is for:</strong> {html.escape(_text(data["who_for"]))}</p></div>')
        elif part in ("natural-course", "option"):
            specs = (data.get("natural_course") if part == "natural-course" else options[arg].get("arrays")) or []
            figures = []
            for spec in specs:
                arrays += 1
                figures.append(render_array(spec, refs, f"icon-array-{arrays}"))
            strip = render_evidence(options[arg], refs) if part == "option" else ""
            html_part = f'<div class="da-option" data-option="{arg or "natural-course"}">{strip}{"".join(figures)}</div>'
        elif part == "values":
            html_part = render_values(data)
        elif part == "leaning":
            html_part = render_leaning(data)
        elif part == "sure":
            html_part = render_sure(data)
        elif part == "knowledge":
            html_part = render_knowledge(data)
        elif part == "questions":
            html_part = render_questions()
        else:
            html_part = render_summary(data, page_url, reviewed)
        out.append(html_part)
    return "\n".join(out)


def on_files(files, config):
    """Load the data and put each part where its marker is, before citations.py reads the pages."""
    shown = (config.get("extra") or {}).get("decision_aid_file")
    if not shown:
        raise PluginError("mkdocs.yml: add 'decision_aid_file: docs/data/decision-aid.yml' under extra: "
                          "(overrides/hooks/decision_aid.py reads it)")
    root = Path(config["config_file_path"]).parent
    refs_shown = config["extra"]["references_file"]
    refs, ref_errors = citations.load_references(root / refs_shown, refs_shown)
    if ref_errors:
        return files  # citations.py reports these with their lines
    data, errors = load(root / shown, shown, refs)
    if errors:
        raise PluginError("Decision aid problems:\n  " + "\n  ".join(errors))
    site_url = str(config.get("site_url") or "").rstrip("/")
    used = False
    for file in files.documentation_pages():
        text = file.content_string
        if "<!-- decision-aid:" not in text:
            continue
        meta = mkdocs_meta.get_data(text)[1]
        if not meta.get("decision_aid"):
            raise PluginError(f"docs/{file.src_uri}:1: this page has decision-aid markers, so its front matter "
                              f"needs 'decision_aid: true' (it loads the decision aid's script on this page)")
        url = f"{site_url}/{file.url}" if site_url else file.url
        reviewed = meta.get("last_reviewed")
        reviewed = f"{reviewed.day} {reviewed:%B %Y}" if hasattr(reviewed, "strftime") else str(reviewed or "")
        file.content_string = expand(text, file.src_uri, data, refs, url, reviewed)
        used = True
    _STATE["used"] = used
    return files
