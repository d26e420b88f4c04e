"""Exports hook: the references as files for reference managers, built from the one data file.

One job: turn ``docs/data/references.yml`` (``extra.references_file``) into downloads.

* ``on_files`` adds generated files to the site: ``references.ris`` (EndNote, Zotero,
  Mendeley), ``references.bib`` (BibTeX) and ``references.csl.json`` (CSL-JSON) with every
  source, and ``refs/<page>.ris`` with the sources one page cites, in the order they are
  numbered there. They are MkDocs File objects, so links to them are checked like any other.
* ``on_page_markdown`` adds "Download this page's references (RIS)" under the reference list
  that citations.py appends to a citing page. This hook reads ``page.meta["citation_keys"]``,
  which citations.py sets, so it must be listed after citations.py under ``hooks:``.

The libraries write the formats: rispy (RIS), pybtex (BibTeX) and the json module (CSL-JSON).
This hook only maps each entry with refdata.py (the one home of the field mapping, which
scripts/add_reference.py uses the other way) and calls them. The output is byte-for-byte the
same for the same data: entries in file order, fields in a fixed order, no dates of the build.

It stops the build, naming the file or key, when the data file has problems, when a generated
file would replace a file in docs/, or when it runs before citations.py.
Tests import ``to_ris``, ``to_bibtex`` and ``to_csl`` and parse their output back.
"""
from __future__ import annotations

import json
import posixpath
from pathlib import Path

import rispy
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from pybtex.database import BibliographyData

# The citations hook and the field mapping in this folder. MkDocs puts the hooks folder on sys.path
# while it loads a hook (tests/checkers/load_hook does the same).
import citations  # noqa: E402
import refdata  # noqa: E402

ALL_FILES = ("references.ris", "references.bib", "references.csl.json")
LINK_TEXT = "Download this page's references (RIS)"


class RisWriter(rispy.RisWriter):
    """rispy's writer without its record numbers ('1.'), with the CRLF line ends the RIS spec asks for."""

    NEWLINE = "\r\n"

    def set_header(self, count: int) -> str:
        return ""


def to_ris(refs) -> str:
    """RIS records (TY ... ER), one per reference, with CRLF line ends."""
    return rispy.dumps([refdata.csl_to_ris(refdata.to_csl(ref)) for ref in refs], implementation=RisWriter)


def to_bibtex(refs) -> str:
    """One BibTeX entry per reference (@article or @misc), UTF-8, titles kept as written."""
    entries = {ref.key: refdata.csl_to_bibtex(refdata.to_csl(ref)) for ref in refs}
    return BibliographyData(entries=entries).to_string("bibtex")


def to_csl(refs) -> str:
    """A CSL-JSON list (the format of Zotero, Pandoc and citeproc), one item per reference."""
    return json.dumps([refdata.to_csl(ref) for ref in refs], ensure_ascii=False, indent=2) + "\n"


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
    try:
        outputs = {"references.ris": to_ris(everything), "references.bib": to_bibtex(everything),
                   "references.csl.json": to_csl(everything)}
    except ValueError as problem:  # refdata's messages name the key and the fix
        raise PluginError(f"Reference export problems:\n  {shown}: {problem}") from None
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
