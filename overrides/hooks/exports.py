"""Exports hook: the references as files for reference managers, built from the one data file.

One job: turn ``docs/data/references.yml`` (``extra.references_file``) into downloads.

* ``on_files`` adds generated files to the site: ``references.ris`` (EndNote, Zotero,
  Mendeley), ``references.bib`` (BibTeX) and ``references.csl.json`` (CSL-JSON) with every
  source, and ``refs/<page>.ris`` with the sources one page cites, in the order they are
  numbered there. They are MkDocs File objects, so links to them are checked like any other.
* ``on_page_markdown`` adds "Download this page's references (RIS)" under the reference list
  that citations.py appends to a citing page. This hook reads ``page.meta["citation_keys"]``,
  which citations.py sets, so it must be listed after citations.py under ``hooks:``.

It stops the build, naming the file or key, when the data file has problems, when a generated
file would replace a file in docs/, or when it runs before citations.py.
Tests import ``to_ris``, ``to_bibtex`` and ``to_csl`` and parse their output back.
"""
from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File


# The citations hook in this folder, for its loader and citation finder. MkDocs puts the hooks folder
# on sys.path while it loads a hook (tests/checkers/load_hook does the same).
import citations  # noqa: E402

ALL_FILES = ("references.ris", "references.bib", "references.csl.json")
LINK_TEXT = "Download this page's references (RIS)"


# --- Parsing the Vancouver-style fields --------------------------------------------------

def split_name(name: str) -> tuple[str, str] | None:
    """'de Silva NL' -> ('de Silva', 'N. L.'); a body's name (no initials) -> None."""
    parts = str(name).split()
    if len(parts) > 1 and re.fullmatch(r"[A-Z]{1,4}", parts[-1]):
        return " ".join(parts[:-1]), " ".join(f"{c}." for c in parts[-1])
    return None


def people(ref) -> tuple[list[str], bool]:
    """(author names without 'et al.', True if the list was shortened with 'et al.')."""
    names = [str(a) for a in ref.get("authors") or []]
    return [a for a in names if a.strip(". ").lower() != "et al"], any(
        a.strip(". ").lower() == "et al" for a in names)


def volume_issue(ref) -> tuple[str | None, str | None]:
    """'16(5)' -> ('16', '5'); '15' -> ('15', None)."""
    value = ref.get("volume")
    if value in (None, ""):
        return None, None
    match = re.fullmatch(r"\s*([^()]+?)\s*\(([^()]+)\)\s*", str(value))
    return (match.group(1), match.group(2)) if match else (str(value).strip(), None)


def page_range(ref) -> tuple[str | None, str | None]:
    """'469-77' -> ('469', '477'); '2700-' -> ('2700', None); 'R79' -> ('R79', None)."""
    value = ref.get("pages")
    if value in (None, ""):
        return None, None
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d*)\s*", str(value))
    if not match:
        return str(value).strip(), None
    start, end = match.groups()
    if end and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return start, end or None


def note(ref) -> str:
    """What our editors could not confirm, for the export's note field."""
    parts = []
    missing = [citations.NAMES.get(n, n) for n in ref.get("not_confirmed") or []]
    if missing:
        parts.append("Not confirmed by the guide's editors: " + ", ".join(missing) + ".")
    if people(ref)[1]:
        parts.append("Author list shortened (et al.).")
    return " ".join(parts)


def _one_line(value) -> str:
    return " ".join(str(value).split())


def accessed(ref) -> list[int] | None:
    """A web page's 'accessed:' date as [year, month, day], or None."""
    value = ref.get("accessed")
    if value in (None, ""):
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        raise PluginError(f"Reference export problems:\n  reference '{ref.key}' has accessed {value!r}; "
                          f"write it as YYYY-MM-DD, e.g. accessed: 2026-11-25")
    return [int(part) for part in match.groups()]


# --- RIS -----------------------------------------------------------------------------------

def to_ris(refs) -> str:
    """RIS records (TY ... ER), one per reference, with CRLF line ends."""
    lines = []

    def tag(name: str, value) -> None:
        if value not in (None, ""):
            lines.append(f"{name}  - {_one_line(value)}")

    for ref in refs:
        webpage = ref.get("type") in ("webpage", "trial")  # a trial record is a web record
        tag("TY", "ELEC" if webpage else "JOUR")
        tag("ID", ref.key)
        if webpage:
            tag("AU", ref.get("publisher") or ref.get("sponsor"))
        for name in people(ref)[0]:
            split = split_name(name)
            tag("AU", f"{split[0]}, {split[1]}" if split else name)
        tag("TI", ref.get("title"))
        tag("T2", ref.get("journal"))
        tag("J2", ref.get("journal"))
        tag("PY", ref.get("year"))
        tag("Y2", "/".join(f"{part:02d}" for part in accessed(ref)) if accessed(ref) else None)
        volume, issue = volume_issue(ref)
        tag("VL", volume)
        tag("IS", issue)
        start, end = page_range(ref)
        tag("SP", start)
        tag("EP", end)
        tag("DO", ref.get("doi"))
        tag("AN", ref.get("pmid"))
        tag("PB", ref.get("publisher"))
        ids = [f"{label}: {ref.get(name)}" for name, label in
               (("pmid", "PMID"), ("pmcid", "PMCID"), ("nct", "ClinicalTrials.gov"))
               if ref.get(name)]
        tag("N1", "; ".join(ids))
        tag("N1", note(ref))
        tag("UR", f"https://doi.org/{ref.get('doi')}" if ref.get("doi") else ref.get("url"))
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


# --- BibTeX --------------------------------------------------------------------------------

_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(value) -> str:
    return "".join(_TEX.get(c, c) for c in _one_line(value))


def to_bibtex(refs) -> str:
    """One BibTeX entry per reference (@article or @misc), UTF-8, titles kept as written."""
    entries = []
    for ref in refs:
        fields = []

        def field(name: str, value, raw: bool = False) -> None:
            if value not in (None, ""):
                fields.append(f"  {name} = {{{_one_line(value) if raw else _tex(value)}}}")

        names, shortened = people(ref)
        authors = []
        for name in names:
            split = split_name(name)
            authors.append(f"{_tex(split[0])}, {_tex(split[1])}" if split else f"{{{_tex(name)}}}")
        if ref.get("type") in ("webpage", "trial"):
            authors = [f"{{{_tex(ref.get('publisher') or ref.get('sponsor'))}}}"]
        if shortened:
            authors.append("others")
        if authors:
            fields.append("  author = {" + " and ".join(authors) + "}")
        fields.append(f"  title = {{{{{_tex(ref.get('title'))}}}}}")
        field("journal", ref.get("journal"))
        field("year", ref.get("year"))
        field("urldate", "-".join(f"{part:02d}" for part in accessed(ref)) if accessed(ref) else None, raw=True)
        volume, issue = volume_issue(ref)
        field("volume", volume)
        field("number", issue)
        start, end = page_range(ref)
        field("pages", f"{start}--{end}" if end else start)
        field("publisher", (ref.get("publisher") or ref.get("sponsor")) if ref.get("type") in ("webpage", "trial") else None)
        field("doi", ref.get("doi"), raw=True)
        field("pmid", ref.get("pmid"), raw=True)
        field("pmcid", ref.get("pmcid"), raw=True)
        field("eprint", ref.get("pmid"), raw=True)
        field("eprinttype", "pubmed" if ref.get("pmid") else None, raw=True)
        field("url", ref.get("url"), raw=True)
        field("note", note(ref))
        kind = "misc" if ref.get("type") in ("webpage", "trial") else "article"
        entries.append(f"@{kind}{{{ref.key},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(entries)


# --- CSL-JSON ------------------------------------------------------------------------------

def to_csl(refs) -> str:
    """A CSL-JSON list (the format of Zotero, Pandoc and citeproc), one item per reference."""
    items = []
    for ref in refs:
        webpage = ref.get("type") in ("webpage", "trial")  # a trial record is a web record
        item = {"id": ref.key, "type": "webpage" if webpage else "article-journal",
                "title": _one_line(ref.get("title"))}
        authors = []
        for name in people(ref)[0]:
            split = split_name(name)
            authors.append({"family": split[0], "given": split[1]} if split else {"literal": name})
        if webpage:
            authors = [{"literal": ref.get("publisher") or ref.get("sponsor")}]
            item["publisher"] = ref.get("publisher") or ref.get("sponsor")
        if authors:
            item["author"] = authors
        if ref.get("journal"):
            item["container-title"] = ref.get("journal")
            item["container-title-short"] = ref.get("journal")
        if ref.get("year"):
            item["issued"] = {"date-parts": [[int(ref.get("year"))]]}
        if accessed(ref):
            item["accessed"] = {"date-parts": [accessed(ref)]}
        volume, issue = volume_issue(ref)
        start, end = page_range(ref)
        for name, value in (("volume", volume), ("issue", issue),
                            ("page", f"{start}-{end}" if end else start),
                            ("DOI", ref.get("doi")), ("PMID", ref.get("pmid")),
                            ("PMCID", ref.get("pmcid")), ("URL", ref.get("url")), ("note", note(ref))):
            if value not in (None, ""):
                item[name] = str(value)
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


# --- MkDocs events -------------------------------------------------------------------------

def ris_path(src_uri: str) -> str:
    """Where one page's RIS file goes: hsct.md -> refs/hsct.ris."""
    return "refs/" + posixpath.splitext(src_uri)[0].replace("/", "-") + ".ris"


_STATE: dict = {}


def on_files(files, config):
    """Generate the site-wide exports and one RIS file per citing page."""
    shown = config["extra"]["references_file"]
    refs, errors = citations.load_references(Path(config["config_file_path"]).parent / shown, shown)
    if errors:
        raise PluginError("Reference export problems:\n  " + "\n  ".join(errors))
    everything = list(refs.values())
    outputs = {"references.ris": to_ris(everything), "references.bib": to_bibtex(everything),
               "references.csl.json": to_csl(everything)}
    page_keys = {}
    for file in files.documentation_pages():
        keys = list(dict.fromkeys(key for _, key in citations.find_citations(file.content_string)))
        keys = [key for key in keys if key in refs]
        if keys:
            page_keys[file.src_uri] = keys
            outputs[ris_path(file.src_uri)] = to_ris([refs[key] for key in keys])
    for uri, content in outputs.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"Reference export problems:\n  docs/{uri} exists, but the build generates "
                              f"{uri} from {shown}. Delete docs/{uri}.")
        files.append(File.generated(config, uri, content=content))
    _STATE["page_keys"] = page_keys
    return files


def on_page_markdown(markdown, page, config, files):
    """Add the per-page RIS download link under the reference list citations.py appended."""
    keys = _STATE["page_keys"].get(page.file.src_uri)
    if not keys:
        return markdown
    if page.meta.get("citation_keys") != keys:
        raise PluginError(f"Reference export problems:\n  docs/{page.file.src_uri}: the page's reference list "
                          f"is not there yet. List overrides/hooks/exports.py after overrides/hooks/citations.py "
                          f"under 'hooks:' in mkdocs.yml.")
    uri = ris_path(page.file.src_uri)
    link = posixpath.relpath(uri, posixpath.dirname(page.file.src_uri) or ".")
    name = "lupus-guide-" + posixpath.basename(uri)
    return (markdown.rstrip("\n") + f'\n\n[{LINK_TEXT}]({link}){{ download="{name}" }}\n')
