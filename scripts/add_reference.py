"""Add sources to docs/data/references.yml from a reference manager's or PubMed's export.

    python3 tasks.py add-reference path/to/export.ris             # show what would be added
    python3 tasks.py add-reference path/to/export.ris --write     # add it to the end of the file
    python3 tasks.py add-reference pubmed-28279836.nbib --key leone2017 --write

It reads RIS (.ris: Zotero, EndNote, Mendeley), BibTeX (.bib), CSL-JSON (.json) and PubMed's
MEDLINE format (.nbib, or the .txt that PubMed's "Save" with format "PubMed" gives). Other file
names are recognised by their content. For each record it

* prints the entry it would add, with a suggested key (first author's surname and the year);
* lists what an editor must still fill in by hand: the plain-language summary, and for a study
  its design, n, intervention and results. The entry gets ``summary: "Edit me: ..."`` and a
  comment; the build fails until an editor replaces them (citations.check_placeholders, and the
  evidence hook for a study without design or n);
* refuses a source whose DOI or PubMed ID, or a key, is already in the file, naming that entry and
  its line;
* with ``--write``, appends the entry as text to the end of the file, so its comments and layout
  stay as they are. Nothing else in the file changes.

Only what the record holds is taken: a missing PubMed ID or DOI is never guessed. It is left empty,
listed under ``not_confirmed`` and named in the output, so the editor can look it up.

The libraries read the formats (rispy, pybtex, json, Bio.Medline); overrides/hooks/refdata.py maps
their records to guide entries, the same mapping the exports hook uses the other way. Own code kept
here, and why:

* a structure check for RIS and MEDLINE files before parsing: rispy and Bio.Medline skip a broken
  record without a word, and an editor must hear which record is broken;
* writing the entry as YAML text in the file's own layout (flow list of authors, folded title,
  quoted PMID and volume): no YAML emitter writes that layout, and a round-trip YAML library would
  rewrite the rest of the file. Each entry is read back with PyYAML before it is written.

Exit status: 0 when every record was fine, 1 when any was refused (the others are still shown or,
with --write, added), 2 for wrong arguments. Tests run it with --references pointing at a copy.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import rispy
import yaml
from Bio import Medline
from pybtex.database import parse_string
from pybtex.exceptions import PybtexError

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "docs" / "data" / "references.yml"
sys.path.insert(0, str(ROOT / "overrides" / "hooks"))
import citations  # noqa: E402
import refdata  # noqa: E402

PLACEHOLDER = citations.PLACEHOLDER
SUMMARY = f"{PLACEHOLDER} who was studied, how many, what kind of study, for how long."
WEB_SUMMARY = f"{PLACEHOLDER} what this page is and why the guide cites it."
FORMATS = {".ris": "RIS", ".bib": "BibTeX", ".bibtex": "BibTeX", ".json": "CSL-JSON", ".nbib": "MEDLINE",
           ".medline": "MEDLINE"}
STUDY_ORDER = ("key", "type", "authors", "title", "journal", "year", "volume", "pages", "doi", "pmid", "pmcid",
               "nct", "url", "not_confirmed", "summary")
WEB_ORDER = ("key", "type", "publisher", "title", "year", "accessed", "url", "nct", "summary")
# Fields a study needs that a record may lack: left empty and listed under not_confirmed, with a hint.
LOOK_UP = {
    "pmid": "the record has no PubMed ID. Search PubMed for the DOI or title; if you find it, write it "
            "(digits only, in quotes) and take pmid out of not_confirmed",
    "doi": "the record has no DOI. Look on the journal's page; if there is one, write it and take doi out of "
           "not_confirmed",
    "authors": "the record has no authors. Copy them from the paper as 'Surname Initials' and take authors "
               "out of not_confirmed",
    "journal": "the record has no journal. Write the journal's abbreviation as PubMed shows it",
    "year": "the record has no year. Write the year of publication",
    "volume": "the record has no volume. Write it from the paper, in quotes, like \"16(5)\"",
    "pages": "the record has no page numbers. Write them from the paper, like 469-77",
}
MEDLINE_LINE = re.compile(r"^[A-Z][A-Z0-9]{1,3} {0,3}- ")
RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


class Refused(Exception):
    """A problem the editor must fix; the message names the file and the record and says what to do."""


@dataclass
class Record:
    """One record read from a file: where it came from, and the CSL-JSON item it maps to."""

    source: str  # 'tests/fixtures/references/example.ris, record 2 (line 14)'
    item: dict


@dataclass
class Proposal:
    """What the command would add for one record, or why it refuses it."""

    record: Record
    entry: dict = field(default_factory=dict)
    to_fill: list[str] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)
    refused: str = ""


def shown(path: Path) -> str:
    """The path as an editor types it from the project folder, when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# --- Reading the four formats ---------------------------------------------------------------------

def detect_format(path: Path, text: str) -> str:
    """'RIS', 'BibTeX', 'CSL-JSON' or 'MEDLINE', from the file name, else from the content."""
    if path.suffix.lower() in FORMATS:
        return FORMATS[path.suffix.lower()]
    start = text.lstrip()
    if start.startswith(("[", "{")):
        return "CSL-JSON"
    if start.startswith("@"):
        return "BibTeX"
    if re.match(r"TY  -", start):
        return "RIS"
    if re.match(r"PMID- ", start):
        return "MEDLINE"
    raise Refused(f"{shown(path)}: this is not a file the command can read. Export your sources as RIS "
                  f"(.ris), BibTeX (.bib) or CSL JSON (.json), or from PubMed as format 'PubMed' (.nbib or .txt).")


def _record_starts(lines: list[str], pattern: str) -> list[int]:
    return [number for number, line in enumerate(lines, start=1) if re.match(pattern, line)]


def read_ris(path: Path, text: str) -> list[Record]:
    """RIS records, with rispy. A record must run from 'TY  - ' to 'ER  - '."""
    lines = text.splitlines()
    open_at, count = None, 0
    for number, line in enumerate(lines, start=1):
        tag = RIS_LINE.match(line)
        if tag and tag.group(1) == "TY":
            count += 1
            if open_at is not None:
                raise Refused(f"{shown(path)}:{open_at}: record {count - 1} has no end line 'ER  - ' before the "
                              f"next record starts on line {number}. Export the file again from your reference "
                              f"manager; do not edit it by hand.")
            open_at = number
        elif tag and tag.group(1) == "ER":
            if open_at is None:
                raise Refused(f"{shown(path)}:{number}: 'ER  - ' ends a record that never started with "
                              f"'TY  - '. Export the file again from your reference manager.")
            open_at = None
        elif line.strip() and open_at is None:
            raise Refused(f"{shown(path)}:{number}: record {count + 1} does not start with 'TY  - ' "
                          f"(the line is {line.strip()[:60]!r}). Each RIS record starts 'TY  - ' and ends "
                          f"'ER  - '. Export the file again from your reference manager.")
    if open_at is not None:
        raise Refused(f"{shown(path)}:{open_at}: record {count} has no end line 'ER  - '. The file may be cut "
                      f"short: export it again from your reference manager.")
    if count == 0:
        raise Refused(f"{shown(path)}: no RIS record in this file (a record starts 'TY  - ').")
    starts = _record_starts(lines, r"TY  -")
    return [Record(f"{shown(path)}, record {n} (line {start})", refdata.ris_to_csl(record))
            for n, (start, record) in enumerate(zip(starts, rispy.loads(text)), start=1)]


def read_bibtex(path: Path, text: str) -> list[Record]:
    """BibTeX entries, with pybtex."""
    starts = _record_starts(text.splitlines(), r"\s*@")
    try:
        data = parse_string(text, "bibtex")
    except PybtexError as problem:
        line = getattr(problem, "lineno", None)
        before = [s for s in starts if line and s < line] or [s for s in starts if line and s <= line]
        where = (f"{shown(path)}:{line}: record {starts.index(before[-1]) + 1} (starting on line {before[-1]})"
                 if before else f"{shown(path)}:{line}" if line else shown(path))
        raise Refused(f"{where} is not valid BibTeX ({problem}). Export the file again from your reference "
                      f"manager; do not edit it by hand.") from None
    if not data.entries:
        raise Refused(f"{shown(path)}: no BibTeX entry in this file (an entry starts '@article{{').")
    return [Record(f"{shown(path)}, record {n} ('{key}', line {start})", refdata.bibtex_to_csl(key, entry))
            for n, ((key, entry), start) in enumerate(zip(data.entries.items(), starts), start=1)]


def read_csl(path: Path, text: str) -> list[Record]:
    """CSL-JSON items (a list, or one item), with the json module."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        lines = text.splitlines()
        opens = [(n, len(line) - len(line.lstrip())) for n, line in enumerate(lines, start=1)
                 if line.lstrip().startswith("{")]
        items = [n for n, indent in opens if indent == opens[0][1]] if opens else []
        before = [n for n in items if n <= problem.lineno]
        which = f" in record {len(before)} (starting on line {before[-1]})" if before else ""
        raise Refused(f"{shown(path)}:{problem.lineno}: the file is not valid JSON{which} ({problem.msg}). Export "
                      f"it again as 'CSL JSON'; do not edit it by hand.") from None
    items = data if isinstance(data, list) else [data]
    records = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not item.get("type"):
            raise Refused(f"{shown(path)}: record {n} is not a CSL-JSON item (an object with 'type' and "
                          f"'title'). Export the file again as 'CSL JSON'.")
        records.append(Record(f"{shown(path)}, record {n} ('{item.get('id', '')}')", item))
    if not records:
        raise Refused(f"{shown(path)}: the file holds no record.")
    return records


def read_medline(path: Path, text: str) -> list[Record]:
    """PubMed MEDLINE records (.nbib), with Bio.Medline. Each record starts 'PMID- '."""
    lines = text.splitlines()
    count = 0
    for number, line in enumerate(lines, start=1):
        if line.startswith("PMID-"):
            count += 1
        if not line.strip() or line.startswith("      "):
            continue
        if not MEDLINE_LINE.match(line) or count == 0:
            raise Refused(f"{shown(path)}:{number}: record {max(count, 1)} has a line that is not in PubMed's "
                          f"format ('TAG - value', each record starting 'PMID- '): {line.strip()[:60]!r}. Save it "
                          f"again from PubMed with format 'PubMed'; do not edit it by hand.")
    starts = _record_starts(lines, r"PMID- ")
    if not starts:
        raise Refused(f"{shown(path)}: no PubMed record in this file (a record starts 'PMID- ').")
    return [Record(f"{shown(path)}, record {n} (line {start})", refdata.medline_to_csl(record))
            for n, (start, record) in enumerate(zip(starts, Medline.parse(lines_with_ends(text))), start=1)]


def lines_with_ends(text: str) -> list[str]:
    return [line + "\n" for line in text.splitlines()] + ["\n"]


READERS = {"RIS": read_ris, "BibTeX": read_bibtex, "CSL-JSON": read_csl, "MEDLINE": read_medline}


def read_records(path: Path) -> list[Record]:
    """Every record in one file as CSL-JSON items. Raises Refused, naming the file and the record."""
    if not path.is_file():
        raise Refused(f"{shown(path)}: there is no such file. Give the path of the file you exported, e.g. "
                      f"python3 tasks.py add-reference ~/Downloads/export.ris")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(f"{shown(path)}: the file is not UTF-8 text. Export it again with the encoding "
                      f"'Unicode (UTF-8)'.") from None
    return READERS[detect_format(path, text)](path, text)


# --- Turning a record into an entry ---------------------------------------------------------------

def suggest_key(entry: dict) -> str:
    """First author's surname (or the publisher's short name) and the year: 'wang2014', 'cdc-2024'."""
    year = str(entry.get("year") or (entry.get("accessed").year if entry.get("accessed") else ""))
    if entry["type"] == "webpage":
        publisher = str(entry.get("publisher") or "")
        short = re.search(r"\(([A-Za-z]{2,10})\)", publisher)
        stem = refdata.key_stem(short.group(1) if short else (publisher.split() or ["web"])[0]) or "web"
        return f"{stem}-{year}" if year else stem
    first = (entry.get("authors") or [""])[0]
    split = refdata.split_name(first)
    stem = refdata.key_stem(split[0] if split else (first.split() or [""])[0]) or "source"
    return f"{stem}{year}"


def find_duplicate(entry: dict, known: list[tuple[str, dict, str]]) -> str:
    """'' or a message naming the known entry (key, fields, where it is) with the same DOI or PubMed ID."""
    for key, data, where in known:
        for name, label in (("doi", "DOI"), ("pmid", "PubMed ID")):
            mine, theirs = entry.get(name), data.get(name)
            if mine and theirs and str(mine).lower() == str(theirs).lower():
                return (f"this source is already there as '{key}' ({where}): same {label} {theirs}. "
                        f"Cite it as [@{key}] instead of adding it again.")
    return ""


def propose(record: Record, known: list[tuple[str, dict, str]], key: str | None) -> Proposal:
    """The entry for one record. ``known``: (key, fields, where) of every entry in the file or added before."""
    proposal = Proposal(record)
    try:
        entry = refdata.from_csl(record.item)
    except ValueError as problem:
        proposal.refused = f"{record.source}: {problem}. Add it by hand, or export it again as a journal article."
        return proposal
    duplicate = find_duplicate(entry, known)
    taken = {known_key: where for known_key, _, where in known}
    if duplicate:
        proposal.refused = f"{record.source}: {duplicate}"
        return proposal
    if key:
        if not citations.KEY.match(key):
            proposal.refused = (f"{record.source}: the key {key!r} is not allowed. Use lower-case letters, digits "
                                f"and hyphens, e.g. --key wang2014")
            return proposal
        if key in taken:
            proposal.refused = (f"{record.source}: the key '{key}' is already used ({taken[key]}). "
                                f"Choose another with --key, e.g. --key {key}b")
            return proposal
    else:
        key = base = suggest_key(entry)
        for suffix in "bcdefghijklmnopqrstuvwxyz":
            if key not in taken:
                break
            key = base + suffix
        if key != base:
            proposal.to_check.append(f"key: '{base}' is already used ({taken[base]}), so the suggested key is "
                                     f"'{key}'. Choose another with --key if you like.")
    entry = {"key": key, **entry}
    if entry["type"] == "study":
        missing = [name for name in LOOK_UP if not entry.get(name)]
        for name in missing:
            entry.setdefault(name, None)
            proposal.to_check.append(f"{name}: {LOOK_UP[name]}.")
        if missing:
            entry["not_confirmed"] = list(dict.fromkeys((entry.get("not_confirmed") or []) + missing))
        if entry.get("journal") and not record.item.get("container-title-short") \
                and not record.item.get("journalAbbreviation"):
            proposal.to_check.append(f"journal: the record gives the full name {entry['journal']!r}. The guide "
                                     f"writes the abbreviation PubMed uses (for example 'Autoimmun Rev').")
        entry["summary"] = SUMMARY
        proposal.to_fill = [
            "summary: one or two plain sentences: who was studied, how many, what kind of study, how long.",
            f"design: one of {', '.join(sorted(citations.STUDY_DESIGNS))}.",
            "n: the number of people studied (a whole number), for every design except guideline, position "
            "statement, review and regulator notice.",
            "intervention: HSCT, MSC, CAR-T, standard care, or none.",
            "results: the figures the guide cites from it, and population, follow_up, outcomes, harms and "
            "limitation from what you read (see the comments at the top of the references file).",
        ]
    else:
        if not entry.get("accessed"):
            proposal.to_check.append("accessed: add the date you read the page, as YYYY-MM-DD.")
        entry["summary"] = WEB_SUMMARY
        proposal.to_fill = ["summary: one plain sentence: what this page is and why the guide cites it."]
    order = STUDY_ORDER if entry["type"] == "study" else WEB_ORDER
    proposal.entry = {name: entry[name] for name in order if name in entry}
    return proposal


# --- Writing the entry as YAML text ------------------------------------------------------------------

def _scalar(value, flow: bool = False) -> str:
    """A YAML scalar that reads back as the value: plain when it can be, else double-quoted."""
    if value is None:
        return "null"
    if isinstance(value, (int, dt.date)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    try:
        if flow and yaml.safe_load(f"k: [{text}]") == {"k": [text]}:
            return text
        if not flow and yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def entry_yaml(entry: dict, comment: str = "") -> str:
    """One entry as YAML text in the references file's layout; raises AssertionError if it does not read back."""
    lines = []
    for number, (name, value) in enumerate(entry.items()):
        lead = "- " if number == 0 else "  "
        if isinstance(value, list):
            text = f"{lead}{name}: [{', '.join(_scalar(v, flow=True) for v in value)}]"
        elif name in ("pmid", "volume") and value is not None:
            text = f"{lead}{name}: {json.dumps(str(value))}"
        else:
            text = f"{lead}{name}: {_scalar(value)}"
        if len(text) > 100 and number and isinstance(value, str) and value == " ".join(value.split()):
            folded = textwrap.wrap(value, 92, break_long_words=False, break_on_hyphens=False)
            block = f"  {name}: >-\n" + "\n".join("    " + part for part in folded)
            if yaml.safe_load(block) == {name: value}:
                text = block
        lines.append(text)
    if comment:
        lines.append(f"  # {comment}")
    text = "\n".join(lines) + "\n"
    assert yaml.safe_load(text) == [entry], f"could not write {entry.get('key')} as YAML: {text}"
    return text


def addition(proposals: list[Proposal]) -> str:
    """The text appended to the references file for the accepted proposals."""
    blocks = []
    for proposal in proposals:
        fields = "design, n and intervention (and results)" if proposal.entry["type"] == "study" else "nothing else"
        comment = (f"{PLACEHOLDER} write the summary above; then add {fields}; then delete this line."
                   if proposal.entry["type"] == "study" else f"{PLACEHOLDER} write the summary above; then delete "
                   f"this line.")
        blocks.append(entry_yaml(proposal.entry, comment))
    return "".join("\n" + block for block in blocks)


def check_file(before: str, added: str, path: Path, shown_refs: str) -> list[str]:
    """Load the file as it would be with the addition, with the build's own loader; problems in the new lines."""
    first_new = before.count("\n") + 1
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / path.name
        trial.write_text(before + added, encoding="utf-8")
        _, errors = citations.load_references(trial, shown_refs)
    new = []
    for error in errors:
        line = re.match(re.escape(shown_refs) + r":(\d+):", error)
        if line and int(line.group(1)) >= first_new:
            new.append(error)
    return new


# --- The command ---------------------------------------------------------------------------------------

def report(proposal: Proposal) -> str:
    """What the command prints for an accepted record: the entry, what to fill in, what to check."""
    out = [f"From {proposal.record.source}:", "", entry_yaml(proposal.entry).rstrip("\n"), "",
           "Still to fill in by hand (the site does not build until you do):"]
    out += [f"  - {item}" for item in proposal.to_fill]
    if proposal.to_check:
        out += ["Check by hand:"] + [f"  - {item}" for item in proposal.to_check]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 tasks.py add-reference",
        description="Add sources from a reference manager (RIS, BibTeX, CSL JSON) or PubMed (.nbib) to "
                    "docs/data/references.yml.")
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="the exported file(s)")
    parser.add_argument("--write", action="store_true", help="add the entries to the end of the references file")
    parser.add_argument("--key", help="the key to use (only for a file with one record), e.g. --key wang2014")
    parser.add_argument("--references", type=Path, default=REFERENCES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = args.references
    shown_refs = shown(path)
    refs, errors = citations.load_references(path, shown_refs)
    if errors:
        print(f"add-reference: fix {shown_refs} first; nothing was read:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    records, problems = [], []  # problems: one line each, also printed to stderr at the end
    for file in args.files:
        try:
            records += read_records(file)
        except Refused as problem:
            problems.append(f"REFUSED {problem}")
    if args.key and len(records) > 1:
        print(f"add-reference: --key works for one record; these files hold {len(records)}. Run it without --key "
              f"and change the keys afterwards, or export one source at a time.", file=sys.stderr)
        return 2
    known = [(key, ref.data, f"{shown_refs}, line {ref.line}") for key, ref in refs.items()]
    accepted = []
    for record in records:
        proposal = propose(record, known, args.key)
        if not proposal.refused:
            print(report(proposal))
        if proposal.refused:
            problems.append(f"REFUSED {proposal.refused}")
        else:
            accepted.append(proposal)
            known.append((proposal.entry["key"], proposal.entry, f"{record.source}, earlier in this import"))
    before = path.read_text(encoding="utf-8")
    if not before.endswith("\n"):
        before += "\n"
    added = addition(accepted)
    invalid = check_file(before, added, path, shown_refs) if accepted else []
    if invalid:
        problems.append(f"REFUSED the new entries would not load; nothing was written:\n  " + "\n  ".join(invalid))
    sys.stdout.flush()
    for problem in problems:
        print(problem, file=sys.stderr, flush=True)
    if not accepted or invalid:
        print("Nothing to add." if not invalid else "Nothing was written.")
        return 1 if problems else 0
    keys = ", ".join(p.entry["key"] for p in accepted)
    if not args.write:
        print(f"Nothing was written. To add {keys} to the end of {shown_refs}, run the same command with --write.")
        return 1 if problems else 0
    path.write_text(before + added, encoding="utf-8")
    print(f"Added {keys} to the end of {shown_refs} (from line {before.count(chr(10)) + 2}). Next:\n"
          f"1. Open {shown_refs}, go to the end, and replace every '{PLACEHOLDER}' (see the list above).\n"
          f"2. Move the entry to the section where it belongs, if you like.\n"
          f"3. Cite it on a page as [@{accepted[0].entry['key']}], then run: python3 tasks.py test")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
