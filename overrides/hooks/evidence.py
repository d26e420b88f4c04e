"""Evidence hook: the clinicians' evidence tables, built from the study fields in the references file.

One job: on the page that holds the marker ``<!-- evidence:tables -->`` (docs/evidence.md) it
writes one Markdown table per intervention (HSCT, MSC, CAR-T, standard care, then studies of
lupus itself), a row per study or registered trial, with design, N, who took part, follow-up,
benefits, harms and key limitation. The benefits and harms are the study's recorded results
(``results:``, worded by results.describe), so each figure is written once, in the data.
Each row links to the source's full entry on the References page. Guidelines, position
statements and reviews, which are not studies, get one short table of their own. A field that
the data leaves out is shown as "not reported".

The fields live in ``docs/data/references.yml`` (``extra.references_file``), read with the
citations hook's own loader, so there is one home for the data and one for its rules. The
design vocabulary is ``STUDY_DESIGNS`` in citations.py.

It stops the build, naming the file, the line and the key, when

* a ``type: study`` entry has no ``design``;
* an entry whose design is a study (anything but guideline, position statement, review or
  regulator notice) has no ``n``, or ``n`` is not a whole number of people (an ``n`` that no
  source shows is listed under ``not_confirmed`` instead);
* a study has no ``intervention``, or any entry has one outside ``INTERVENTIONS``;
* a study field is a list or a mapping instead of text;
* a study still has the old free-text ``outcomes:`` or ``harms:`` fields (figures now live in
  ``results:``, one record per figure);
* a study records a benefit but no harm (harms stand beside benefits);
* no page holds the marker, or the Markdown extension ``md_in_html`` is off.

Tests import ``check_study_fields`` and ``check_marker`` to feed them broken data.
"""
from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError


# The citations hook in this folder, for its loader and design vocabulary. MkDocs puts the hooks folder
# on sys.path while it loads a hook (tests/checkers/load_hook does the same).
import citations  # noqa: E402
import results  # noqa: E402

MARKER = "<!-- evidence:tables -->"
NOT_STUDIES = ("guideline", "position statement", "review", "regulator notice", "decision aid research")
# Study designs, strongest first; rows are sorted in this order, then newest first.
DESIGN_ORDER = ("RCT", "systematic review", "single-arm trial", "cohort", "registry", "case series")
# Value in the data file -> heading on the evidence page, in page order.
INTERVENTIONS = {
    "HSCT": "Blood stem cell transplant (HSCT)",
    "MSC": "Mesenchymal stem cells (MSC)",
    "CAR-T": "CAR-T cells (engineered T cells, not stem cells)",
    "standard care": "Standard care",
    "none": "Studies of lupus itself (no treatment studied)",
}
# How a design is written on the page (the data keeps the short form).
DESIGN_LABELS = {"RCT": "randomised controlled trial"}
TEXT_FIELDS = ("population", "comparator", "follow_up", "limitation")
OLD_FIELDS = ("outcomes", "harms")
NOT_REPORTED = "*not reported*"

_unknown = (set(NOT_STUDIES) | set(DESIGN_ORDER)) ^ set(citations.STUDY_DESIGNS)
if _unknown:
    raise PluginError(f"overrides/hooks/evidence.py: designs {sorted(_unknown)} are not shared with "
                      f"STUDY_DESIGNS in citations.py. Put each design in NOT_STUDIES or DESIGN_ORDER.")


def is_study(ref) -> bool:
    """True for an entry that is a study or a registered trial (a row in an intervention table)."""
    return ref.get("type") in ("study", "trial") and ref.get("design") not in (None, "", *NOT_STUDIES)


def check_study_fields(refs: dict, shown: str) -> list[str]:
    """Return one message per entry whose study fields cannot fill the evidence tables."""
    errors = []
    allowed = ", ".join(INTERVENTIONS)
    for ref in refs.values():
        if ref.get("type") not in ("study", "trial"):
            continue
        where = f"{shown}:{ref.line}: reference '{ref.key}'"
        for name in OLD_FIELDS:
            if name in ref.data:
                errors.append(f"{where} has '{name}:' text. Write each figure as a record under 'results:' "
                              f"instead (see the comments at the top of the file), then delete '{name}:'.")
        design = ref.get("design")
        if design in (None, "") and ref.get("type") == "trial":
            continue  # a registry record without a confirmed design is listed on the References page only
        if design in (None, ""):
            errors.append(f"{where} has no design. Add 'design:' (one of "
                          f"{', '.join(sorted(citations.STUDY_DESIGNS))}); use guideline, position "
                          f"statement or review for a source that is not a study.")
            continue
        intervention = ref.get("intervention")
        if intervention is not None and intervention not in INTERVENTIONS:
            errors.append(f"{where} has intervention {intervention!r}; use one of {allowed}.")
        for name in TEXT_FIELDS:
            if isinstance(ref.get(name), (list, dict)):
                errors.append(f"{where}: '{name}' must be one piece of text, not a list or a mapping.")
        effects = {r.get("effect") for r in ref.get("results") or [] if isinstance(r, dict)}
        if "benefit" in effects and "harm" not in effects:
            errors.append(f"{where} records benefits but no harm. Harms stand beside benefits: record what the "
                          f"study reports (deaths, side effects, relapse), or 'none reported' as value: 0, "
                          f"unit: people, of: <n>.")
        if design in NOT_STUDIES:
            continue
        n = ref.get("n")
        if n in (None, ""):
            if "n" not in (ref.get("not_confirmed") or []):
                errors.append(f"{where} is a study ({design}) but has no n. Add 'n:' (the number of people, "
                              f"e.g. n: 40), or list n under not_confirmed if no source you read shows it.")
        elif isinstance(n, bool) or not isinstance(n, int) or n < 1:
            errors.append(f"{where} has n {n!r}; n is the number of people, a whole number such as n: 40.")
        if intervention is None:
            errors.append(f"{where} is a study ({design}) but has no intervention. Add 'intervention:' "
                          f"(one of {allowed}).")
    return errors


def check_marker(pages: dict[str, str]) -> list[str]:
    """Return a message unless some page (src_uri -> Markdown) holds the marker."""
    if any(MARKER in text for text in pages.values()):
        return []
    return [f"no page holds the marker {MARKER}. Put it in docs/evidence.md where the tables go, or "
            f"remove overrides/hooks/evidence.py from 'hooks:' in mkdocs.yml."]


_STATE: dict = {}


def on_config(config):
    """The tables sit in a <div markdown> so that CSS can size them: md_in_html must be on."""
    if "md_in_html" not in config["markdown_extensions"]:
        raise PluginError("Evidence table problems:\n  mkdocs.yml: add 'md_in_html' under markdown_extensions "
                          "(overrides/hooks/evidence.py wraps its tables in <div markdown>).")
    return config


def on_files(files, config):
    """Load the references, check every study's fields and that the page marker exists."""
    shown = config["extra"]["references_file"]
    refs, errors = citations.load_references(Path(config["config_file_path"]).parent / shown, shown)
    if not errors:
        errors = check_study_fields(refs, shown)
        errors += check_marker({f.src_uri: f.content_string for f in files.documentation_pages()})
    if errors:
        raise PluginError("Evidence table problems:\n  " + "\n  ".join(errors))
    _STATE["refs"] = refs
    return files


def on_page_markdown(markdown, page, config, files):
    """Replace the marker with the evidence tables."""
    if MARKER in markdown:
        markdown = markdown.replace(MARKER, render_tables(_STATE["refs"], page.file.src_uri))
    return markdown


# --- Rendering ---------------------------------------------------------------------------

def _cell(value) -> str:
    """One table cell: text on one line, escaped for Markdown, or 'not reported'."""
    if value in (None, ""):
        return NOT_REPORTED
    text = html.escape(" ".join(str(value).split()), quote=False).replace("\\", "\\\\")
    return re.sub(r"([|*_\[\]`])", r"\\\1", text)


def _label(ref) -> str:
    """'Burt 2006': the first author's family name (or the body's name) and the year; for a
    registered trial, its short name and registry number ('MiSLE, NCT02633163')."""
    if ref.get("type") == "trial":
        return f"{ref.get('acronym')}, {ref.get('nct')}" if ref.get("acronym") else str(ref.get("nct"))
    first = str((ref.get("authors") or [ref.get("publisher") or ref.get("journal") or ref.key])[0])
    parts = first.split()
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,4}", parts[-1]):
        first = " ".join(parts[:-1])
    return f"{first} {ref.get('year')}"


def _link(ref, to_refs: str) -> str:
    return f"[{_cell(_label(ref))}]({to_refs}#ref-{ref.key})"


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _results(ref, *effects: str) -> list[str]:
    """The study's recorded results with one of ``effects``, worded for the table, one sentence each."""
    return [results.describe(r).rstrip(".") + "." for r in ref.get("results") or [] if r.get("effect") in effects]


def _cells(text, lines: list[str]) -> str:
    """A cell holding an optional text and one line per result, or 'not reported'."""
    parts = ([_cell(text)] if text not in (None, "") else []) + [_cell(line) for line in lines]
    return "<br>".join(parts) if parts else NOT_REPORTED


def _n(ref) -> str:
    return f"{ref.get('n'):,}" if isinstance(ref.get("n"), int) else NOT_REPORTED


def render_tables(refs: dict, src: str) -> str:
    """Markdown for every evidence table, with links relative to the page at ``src``."""
    to_refs = posixpath.relpath("references.md", posixpath.dirname(src) or ".")

    def order(ref):
        return (DESIGN_ORDER.index(ref.get("design")), -int(ref.get("year") or 0), ref.key)

    blocks = []
    for intervention, heading in INTERVENTIONS.items():
        studies = sorted((r for r in refs.values() if is_study(r) and r.get("intervention") == intervention),
                         key=order)
        if not studies:
            continue
        slug = re.sub(r"[^a-z0-9]+", "-", intervention.lower()).strip("-")
        rows = []
        for ref in studies:
            design = _cell(DESIGN_LABELS.get(ref.get("design"), ref.get("design")))
            if ref.get("type") == "trial":
                design += f"<br>Registered trial {_cell(ref.get('nct'))}"
            if ref.get("comparator"):
                design += f"<br>Comparator: {_cell(ref.get('comparator'))}"
            who = _cells(ref.get("population"), _results(ref, "participants"))
            row = [_link(ref, to_refs), design, _n(ref), who]
            if intervention == "none":
                row += [_cells(None, _results(ref, "finding", "benefit")), _cell(ref.get("limitation"))]
            else:
                row += [_cell(ref.get("follow_up")), _cells(None, _results(ref, "benefit", "finding")),
                        _cells(None, _results(ref, "harm")), _cell(ref.get("limitation"))]
            rows.append(row)
        header = ["Study", "Design", "N", "Who took part"]
        header += (["Findings", "Key limitation"] if intervention == "none"
                   else ["Follow-up", "Benefits", "Harms", "Key limitation"])
        blocks.append(f"### {heading}: studies {{ #studies-{slug} }}\n\n{_table(header, rows)}")

    others = sorted((r for r in refs.values() if r.get("type") == "study" and not is_study(r)),
                    key=lambda r: (NOT_STUDIES.index(r.get("design")), _label(r)))
    if others:
        rows = [[_link(r, to_refs), _cell(r.get("design")),
                 _cell(INTERVENTIONS.get(r.get("intervention"), "General")), _cell(r.get("summary"))]
                for r in others]
        blocks.append("### Guidelines, position statements and reviews { #studies-other }\n\n"
                      "These are not studies, so they have no N or outcomes.\n\n"
                      + _table(["Source", "Type", "Topic", "What it is"], rows))
    return '<div class="evidence-tables" markdown>\n\n' + "\n\n".join(blocks) + "\n\n</div>"
