"""Adding a source: `python3 tasks.py add-reference FILE` turns an export into an entry of the references file.

The command runs on a copy of docs/data/references.yml (--references), so the real file is never touched.

* The steps in CONTRIBUTING.md ("Cite a source") work on the fixture files in every format (RIS,
  BibTeX, CSL JSON, PubMed .nbib): the same invented study comes out as the same, correct entry.
* --write appends: every byte before stays, the file still loads, and the build's checks keep failing
  until an editor has filled in the summary and the study fields.
* A malformed file gives one error, naming the file and the record. A source already in the file
  is refused, naming its entry and line. Nothing is guessed: a missing PubMed ID stays empty.
* Round trip: every reference the file holds today, exported by the exports hook as RIS, BibTeX and
  CSL JSON, reads back with the command's readers into the same fields.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from checkers import load_hook
from conftest import DOCS, FIXTURES, ROOT, fixture_site, mkdocs_build

SCRIPT = ROOT / "scripts" / "add_reference.py"
_spec = importlib.util.spec_from_file_location("guide_add_reference", SCRIPT)
add_reference = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = add_reference  # dataclasses look their module up there
_spec.loader.exec_module(add_reference)

citations = load_hook("citations")
evidence = load_hook("evidence")
exports = load_hook("exports")
refdata = load_hook("refdata")
RECORDS = FIXTURES / "references"
REFS_FILE = DOCS / "data" / "references.yml"
FORMATS = ["example.ris", "example.bib", "example.json", "example.nbib"]
MALFORMED = {  # file -> (the line named, the record named)
    "malformed.ris": ("malformed.ris:7:", "record 2"),
    "malformed.bib": ("malformed.bib:6:", "record 1"),
    "malformed.json": ("malformed.json:3:", "record 2"),
    "malformed.nbib": ("malformed.nbib:10:", "record 2"),
}
STUDY = {
    "key": "obriensmith2021", "type": "study",
    "authors": ["O'Brien-Smith MJ", "de la Cruz JL", "Nguyen TA"],
    "title": "An invented example trial of mesenchymal stem cells in lupus nephritis",
    "journal": "Arthritis Res Ther", "year": 2021, "volume": "23(4)", "pages": "612-20",  # codespell:ignore ther
    "doi": "10.5555/example.2021.0412", "pmid": "99999901", "pmcid": "PMC9999901", "nct": "NCT09999901",
    "summary": add_reference.SUMMARY,
}
WEBPAGE = {
    "key": "elc-2025", "type": "webpage", "publisher": "Example Lupus Charity (ELC)",
    "title": "Stem cell clinics: questions to ask before you pay", "year": 2025,
    "accessed": dt.date(2026, 11, 25), "url": "https://www.example.org/stem-cell-clinics",
    "summary": add_reference.WEB_SUMMARY,
}


def documented_commands() -> list[str]:
    """The add-reference commands CONTRIBUTING.md shows in 'Cite a source', in order."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = guide[guide.index("## 5. Cite a source"):guide.index("## 6.")]
    return re.findall(r"^python3 tasks\.py add-reference (.+?)\s*(?:#.*)?$", section, flags=re.M)


def run(references: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the command as tasks.py does, on a copy of the references file."""
    return subprocess.run([sys.executable, str(SCRIPT), *args, "--references", str(references)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture
def references(tmp_path) -> Path:
    """A copy of today's docs/data/references.yml, to add to."""
    copy = tmp_path / "references.yml"
    shutil.copyfile(REFS_FILE, copy)
    return copy


def entries(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- The documented steps, in every format ------------------------------------------------------

def test_contributing_shows_the_command_with_and_without_write():
    commands = documented_commands()
    assert len(commands) >= 2 and any("--write" in c for c in commands) and any("--write" not in c for c in commands), (
        "CONTRIBUTING.md, 'Cite a source': show `python3 tasks.py add-reference path/to/file.ris` and the same "
        f"command with --write, each on its own line in a code block. Found: {commands}")


@pytest.mark.parametrize("name", FORMATS)
def test_documented_steps_import_each_format_into_the_right_entry(references, name):
    before = references.read_bytes()
    expected = [STUDY, WEBPAGE] if name in ("example.ris", "example.json") else [STUDY]
    for command in documented_commands():
        args = [str(RECORDS / name) if a.startswith("path/to/") else a for a in command.split()]
        result = run(references, *args)
        assert result.returncode == 0, f"`add-reference {' '.join(args)}` failed:\n{result.stdout}{result.stderr}"
        for entry in expected:
            assert f"- key: {entry['key']}" in result.stdout, result.stdout
        assert "summary: one or two plain sentences" in result.stdout or "summary: one plain sentence" in result.stdout
        if "--write" not in args:
            assert references.read_bytes() == before, "without --write the references file must not change"
            assert "Nothing was written" in result.stdout and "design: one of" in result.stdout
    after = references.read_bytes()
    assert after.startswith(before), "--write must leave every byte of the file before the new entries as it was"
    assert entries(references)[-len(expected):] == expected
    refs, errors = citations.load_references(references, "docs/data/references.yml")
    assert not errors, errors
    assert all(entry["key"] in refs for entry in expected)


def test_written_entries_keep_the_build_failing_until_an_editor_fills_them(references):
    result = run(references, str(RECORDS / "example.ris"), "--write")
    assert result.returncode == 0, result.stderr
    refs, errors = citations.load_references(references, "docs/data/references.yml")
    assert not errors, errors
    text = references.read_text(encoding="utf-8")
    start = refs["obriensmith2021"].line
    problems = citations.check_placeholders(text, refs, "docs/data/references.yml")
    assert any(p.startswith(f"docs/data/references.yml:{start + 12}: reference 'obriensmith2021' still has "
                            f"'Edit me:' here") for p in problems), problems
    assert any("reference 'elc-2025' still has 'Edit me:'" in p for p in problems), problems
    assert any(f"docs/data/references.yml:{start}: reference 'obriensmith2021' has no design" in p
               for p in evidence.check_study_fields(refs, "docs/data/references.yml"))


def test_a_placeholder_left_in_the_references_file_stops_the_build(tmp_path):
    result = mkdocs_build(fixture_site("placeholder-summary"), tmp_path / "out")
    assert result.returncode != 0, "An 'Edit me:' left in the references file must fail the build.\n" + result.output
    assert ("docs/data/references.yml:12: reference 'smith2020' still has 'Edit me:' here: 'summary: \"Edit me: who "
            "was studied") in result.output, result.output
    assert "Write that field yourself (see CONTRIBUTING.md, 'Cite a source')" in result.output


def test_placeholder_check_passes_a_filled_entry_and_the_real_file():
    refs, errors = citations.load_references(REFS_FILE)
    assert not errors
    assert citations.check_placeholders(REFS_FILE.read_text(encoding="utf-8"), refs, "x") == []


# --- Broken input: one clear error each ---------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_file_gives_one_error_naming_the_file_and_the_record(references, name):
    before = references.read_bytes()
    result = run(references, str(RECORDS / name), "--write")
    assert result.returncode == 1, result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("REFUSED")]
    assert len(errors) == 1, f"{name}: expected one error, got:\n{result.stderr}"
    line, record = MALFORMED[name]
    assert f"tests/fixtures/references/{line}" in errors[0] and record in errors[0], errors[0]
    assert "again" in errors[0], f"the message must say what to do: {errors[0]}"
    assert references.read_bytes() == before


def test_a_source_already_in_the_file_is_refused_naming_its_entry_and_line(references):
    line = citations.load_references(references)[0]["leone2017"].line
    result = run(references, str(RECORDS / "duplicate.nbib"), "--write")
    assert result.returncode == 1
    assert (f"already there as 'leone2017' ({references}, line {line}): same DOI 10.1016/j.autrev.2017.03.008. "
            f"Cite it as [@leone2017]") in result.stderr, result.stderr
    assert references.read_bytes() == REFS_FILE.read_bytes()


def test_a_key_in_use_is_refused_naming_its_line(references):
    line = citations.load_references(references)[0]["leone2017"].line
    result = run(references, str(RECORDS / "example.nbib"), "--key", "leone2017", "--write")
    assert result.returncode == 1
    assert f"the key 'leone2017' is already used ({references}, line {line})" in result.stderr, result.stderr


def test_the_same_source_twice_in_one_import_is_added_once(references):
    result = run(references, str(RECORDS / "example.nbib"), str(RECORDS / "example.bib"), "--write")
    assert result.returncode == 1
    assert "already there as 'obriensmith2021' (tests/fixtures/references/example.nbib, record 1 (line 2), " \
           "earlier in this import)" in result.stderr, result.stderr
    assert [e["key"] for e in entries(references)].count("obriensmith2021") == 1


def test_a_taken_suggested_key_gets_a_letter():
    record = add_reference.Record("x.json, record 1", {"type": "article-journal", "title": "T",
                                                       "author": [{"family": "Wang", "given": "Dandan"}],
                                                       "issued": {"date-parts": [[2014]]}, "DOI": "10.5555/new"})
    proposal = add_reference.propose(record, [("wang2014", {"doi": "10.1/other"}, "line 3")], None)
    assert proposal.entry["key"] == "wang2014b", proposal
    assert any("'wang2014' is already used (line 3)" in note for note in proposal.to_check)


def test_nothing_is_guessed_a_missing_pmid_stays_empty_and_is_named():
    record = add_reference.Record("x.ris, record 1", {"type": "article-journal", "title": "T", "DOI": "10.5555/x",
                                                      "author": [{"family": "Lee", "given": "Ann"}],
                                                      "container-title": "Lupus", "volume": "1", "page": "1-9",
                                                      "issued": {"date-parts": [[2020]]}})
    proposal = add_reference.propose(record, [], None)
    assert proposal.entry["pmid"] is None and proposal.entry["not_confirmed"] == ["pmid"], proposal.entry
    assert any(note.startswith("pmid: the record has no PubMed ID. Search PubMed") for note in proposal.to_check)
    assert any("journal: the record gives the full name 'Lupus'" in note for note in proposal.to_check)


def test_a_record_of_another_kind_is_refused_with_a_reason():
    proposal = add_reference.propose(add_reference.Record("x.bib, record 1 ('b')", {"type": "book", "title": "B"}),
                                     [], None)
    assert proposal.refused == ("x.bib, record 1 ('b'): it is a book with no journal and no web address; the guide "
                                "takes journal articles (type: study) and web pages (type: webpage). Add it by hand, "
                                "or export it again as a journal article."), proposal.refused


def test_new_entry_yaml_reads_back_and_folds_long_titles():
    entry = dict(STUDY, title="A " * 60 + "title: with a colon", authors=["Al-Saleh J", "Smith, Jr. A"])
    text = add_reference.entry_yaml(entry)
    assert yaml.safe_load(text) == [entry]
    assert "  title: >-\n    A A" in text and max(len(line) for line in text.splitlines()) <= 100


# --- Round trip: export every reference, import it again -------------------------------------------

@pytest.mark.parametrize("writer, suffix", [("to_ris", ".ris"), ("to_bibtex", ".bib"), ("to_csl", ".json")])
def test_every_reference_survives_a_round_trip_through_each_format(tmp_path, writer, suffix):
    refs, errors = citations.load_references(REFS_FILE)  # whatever the file holds today
    assert not errors, errors
    path = tmp_path / f"references{suffix}"
    path.write_text(getattr(exports, writer)(list(refs.values())), encoding="utf-8", newline="")
    records = add_reference.read_records(path)
    assert len(records) == len(refs), f"{path.name}: {len(records)} records for {len(refs)} references"
    for ref, record in zip(refs.values(), records):
        expected = {name: ref.get(name) for name in refdata.BIBLIOGRAPHIC if ref.get(name) not in (None, "", [])}
        expected["title"] = refdata.one_line(expected["title"])
        if "volume" in expected:
            expected["volume"] = str(expected["volume"])
        found = {"key": record.item["id"], **refdata.from_csl(record.item)}
        for fields in (expected, found):  # no format has an open range: '2700-' comes back as '2700'
            if "pages" in fields:
                fields["pages"] = refdata.page_range(fields)
        assert found == expected, (
            f"{ref.key} (docs/data/references.yml:{ref.line}) comes back from {path.name} with other fields: "
            + ", ".join(f"{k}: {expected.get(k)!r} -> {found.get(k)!r}"
                        for k in sorted(set(expected) | set(found)) if expected.get(k) != found.get(k)))
