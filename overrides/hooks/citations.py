"""Citations hook: turn ``[@key]`` in a page into numbered citations, from one data file.

One job: every source lives in ``docs/data/references.yml`` (``extra.references_file``).
Pages cite by key, ``[@wang2014]`` or ``[@wang2014; @wang2018]``. The hook

* replaces each citation with a numbered link to the page's own reference list;
* appends that numbered reference list ("## References") to the foot of the page;
* fills the marker ``<!-- references:all -->`` on the References page with every
  source, its DOI and PubMed links, and the pages that cite it.

It stops the build, naming the file, the line and the key, when

* a page cites a key that is not in the data file;
* an entry's DOI, PMID or NCT number does not have the right form, or a required
  field is missing;
* an entry is cited by no page (delete it, or cite it);
* an entry still holds the placeholder ``Edit me:`` that ``python3 tasks.py add-reference``
  writes where an editor must fill in a field by hand (``check_placeholders``).

Tests import ``load_references``, ``find_citations`` and ``check_placeholders`` to check fixtures directly.
"""
from __future__ import annotations

import html
import re
from urllib.parse import quote
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils import meta as mkdocs_meta

CITATION = re.compile(r"\s?\[(@[A-Za-z0-9_-]+(?:\s*;\s*@[A-Za-z0-9_-]+)*)\]")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
PMID = re.compile(r"^[1-9]\d{0,8}$")
PMCID = re.compile(r"^PMC\d+$")
NCT = re.compile(r"^NCT\d{8}$")
ALL_MARKER = "<!-- references:all -->"
PLACEHOLDER = "Edit me:"  # written by scripts/add_reference.py where an editor must fill in a field
FENCE = re.compile(r"^\s*(```|~~~)")

REQUIRED = {
    "study": ("authors", "title", "journal", "year", "volume", "pages", "doi", "pmid", "summary"),
    "webpage": ("publisher", "title", "url", "summary"),  # plus year (published) or accessed
    "trial": ("title", "sponsor", "nct", "url", "accessed", "summary"),  # a trial registry record
}
# A study's recorded results (see the comments at the top of the references file). Each figure a
# page gives must be one of these (tests/checkers/figures.py), and the evidence tables print them.
RESULT_FIELDS = {"id", "measure", "value", "unit", "count", "of", "time", "kind", "effect", "group", "note", "where"}
RESULT_REQUIRED = ("measure", "value", "unit", "kind", "effect", "where")
RESULT_UNITS = ("%", "people")
RESULT_KINDS = ("counted", "estimated")
RESULT_EFFECTS = ("benefit", "harm", "participants", "finding")
STUDY_DESIGNS = {
    "RCT", "single-arm trial", "registry", "case series", "systematic review",
    "guideline", "regulator notice", "cohort", "review", "position statement",
    "decision aid research",  # standards for, and tests of, patient decision aids (not lupus evidence)
}


@dataclass
class Reference:
    """One source from the data file, with the line it starts on."""

    key: str
    data: dict
    line: int
    cited_by: list = field(default_factory=list)  # (src_uri, title)

    def get(self, name, default=None):
        return self.data.get(name, default)


def _relative_to_cwd(path: Path) -> str:
    """The path as an editor would type it from the project folder, when it is inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_references(path: Path, display: str | None = None) -> tuple[dict[str, Reference], list[str]]:
    """Read and check the references file. Return (references by key, error messages).

    ``display`` is the path shown in messages (relative to mkdocs.yml in a build).
    """
    errors: list[str] = []
    shown = display or _relative_to_cwd(path)
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if "scalar" in str(getattr(exc, "context", "")):  # an unclosed quote: point at where it opened
            mark = exc.context_mark
        at = f"{shown}:{mark.line + 1}" if mark else shown
        return {}, [f"{at}: the file is not valid YAML ({getattr(exc, 'problem', None) or exc}). Check the "
                    f"indentation and quotes on this line and the one before: each entry starts '- key:' "
                    f"and its fields are indented by two more spaces."]
    if root is None or not isinstance(root, yaml.SequenceNode):
        return {}, [f"{shown}:1: the file must be a YAML list of references (lines starting '- key:')"]
    refs: dict[str, Reference] = {}
    for node in root.value:
        line = node.start_mark.line + 1
        data = yaml.safe_load(yaml.serialize(node)) if node is not None else None
        where = f"{shown}:{line}"
        if not isinstance(data, dict):
            errors.append(f"{where}: each reference must be a mapping with 'key:', 'type:' and its fields")
            continue
        key = str(data.get("key", ""))
        if not KEY.match(key):
            errors.append(f"{where}: key {key!r} must be lower-case letters, digits and hyphens, e.g. 'wang2014'")
            continue
        if key in refs:
            errors.append(f"{where}: key {key!r} is already used on line {refs[key].line}; keys must be unique")
            continue
        kind = data.get("type")
        if kind not in REQUIRED:
            errors.append(f"{where}: reference {key!r} has type {kind!r}; use 'study', 'webpage' or 'trial' (a "
                          f"trial registry record)")
            continue

        def field_line(name: str) -> int:
            for k, v in node.value:
                if k.value == name:
                    return v.start_mark.line + 1
            return line

        unconfirmed = data.get("not_confirmed") or []
        if not isinstance(unconfirmed, list):
            errors.append(f"{where}: reference {key!r} not_confirmed must be a list of field names, e.g. [pmid]")
            unconfirmed = []
        if kind == "study" and not data.get("doi") and not data.get("url") and not data.get("pmid"):
            errors.append(f"{where}: reference {key!r} has no DOI; give its journal page as 'url:' instead "
                          f"(or its PubMed ID, which links to its record)")
        if kind in ("webpage", "trial") and not data.get("year") and not data.get("accessed"):
            errors.append(f"{where}: reference {key!r} needs 'year:' (when published) or 'accessed:' "
                          f"(the date you read it, YYYY-MM-DD)")
        for name in REQUIRED[kind]:
            if name in unconfirmed:
                continue
            if data.get(name) in (None, "", []):
                errors.append(f"{where}: reference {key!r} is missing '{name}'; add it (type {kind} needs: "
                              f"{', '.join(REQUIRED[kind])}), or list it under not_confirmed if no "
                              f"source you read shows it")
        checks = (("doi", DOI, "a DOI like 10.1186/ar4520 (no https://doi.org/ prefix)"),
                  ("pmid", PMID, "a PubMed ID of digits only, like 24661633"),
                  ("pmcid", PMCID, "a PMC ID like PMC6751808"),
                  ("nct", NCT, "a registry number like NCT01539902 (NCT + 8 digits)"))
        for name, pattern, hint in checks:
            value = data.get(name)
            if value not in (None, "") and not pattern.match(str(value)):
                errors.append(f"{shown}:{field_line(name)}: reference {key!r} has {name} {value!r}, "
                              f"which is not {hint}")
        url = data.get("url")
        if url and not str(url).startswith("https://"):
            errors.append(f"{shown}:{field_line('url')}: reference {key!r} url {url!r} must start with https://")
        design = data.get("design")
        if design is not None and design not in STUDY_DESIGNS:
            errors.append(f"{shown}:{field_line('design')}: reference {key!r} design {design!r} is not one of "
                          f"{', '.join(sorted(STUDY_DESIGNS))}")
        if "results" in data:
            errors += check_results(key, data.get("results"), _result_lines(node), shown, field_line("results"))
        refs[key] = Reference(key, data, line)
    return refs, errors


def _result_lines(node) -> list[int]:
    """The line of each item of a reference's ``results:`` list (for messages)."""
    for k, v in node.value:
        if k.value == "results" and isinstance(v, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in v.value]
    return []


def check_results(key: str, results, lines: list[int], shown: str, line: int) -> list[str]:
    """One message per malformed result record of reference ``key`` (see RESULT_FIELDS)."""
    if not isinstance(results, list) or not results:
        return [f"{shown}:{line}: reference {key!r} results must be a list of result records, each starting "
                f"'- measure:' (or leave 'results:' out)"]
    errors, ids = [], set()
    for index, result in enumerate(results):
        at = f"{shown}:{lines[index] if index < len(lines) else line}: reference {key!r} result {index + 1}"
        if isinstance(result, dict) and result.get("id") is not None:
            if not KEY.match(str(result["id"])) or result["id"] in ids:
                errors.append(f"{at} has id {result['id']!r}; an id is short, lower case with hyphens, and unique "
                              f"within the study, e.g. id: os-5y")
            ids.add(result["id"])
        if not isinstance(result, dict):
            errors.append(f"{at} must be a mapping with measure, value, unit, of, time, kind, effect and where")
            continue
        unknown = sorted(set(result) - RESULT_FIELDS)
        if unknown:
            errors.append(f"{at} has unknown field(s) {', '.join(unknown)}; the fields are "
                          f"{', '.join(sorted(RESULT_FIELDS))}")
        qualitative = result.get("value") is None and result.get("unit") is None
        if qualitative and (result.get("effect") not in ("harm", "finding") or not result.get("note")):
            errors.append(f"{at} has no value. Only a harm or a finding that the source gives without a number "
                          f"may leave out value and unit, and its note must say so")
            continue
        missing = [name for name in RESULT_REQUIRED if result.get(name) in (None, "")
                   and not (qualitative and name in ("value", "unit"))]
        if missing:
            errors.append(f"{at} is missing {', '.join(missing)}")
            continue
        if qualitative:
            continue
        value, unit = result.get("value"), result.get("unit")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            errors.append(f"{at} has value {value!r}; write the number alone, e.g. value: 84 with unit: '%'")
        if unit not in RESULT_UNITS:
            errors.append(f"{at} has unit {unit!r}; use '%' (a percentage) or people (a number of people)")
        if result.get("kind") not in RESULT_KINDS:
            errors.append(f"{at} has kind {result.get('kind')!r}; use counted (people counted) or estimated "
                          f"(a statistical estimate, e.g. Kaplan-Meier)")
        if result.get("effect") not in RESULT_EFFECTS:
            errors.append(f"{at} has effect {result.get('effect')!r}; use one of {', '.join(RESULT_EFFECTS)}")
        for name in ("count", "of"):
            number = result.get(name)
            if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
                errors.append(f"{at} has {name} {number!r}; it must be a whole number of people")
        if unit == "%" and result.get("of") in (None, ""):
            errors.append(f"{at} is a percentage but has no 'of': give the number of people it is out of")
        if isinstance(result.get("count"), int) and isinstance(result.get("of"), int) and result["count"] > result["of"]:
            errors.append(f"{at} has count {result['count']} larger than of {result['of']}")
        if result.get("effect") != "participants" and result.get("time") in (None, ""):
            errors.append(f"{at} has no time point; give 'time:' (e.g. 5 years, 12 months, during the trial)")
    return errors


def check_placeholders(text: str, refs: dict[str, Reference], shown: str) -> list[str]:
    """One message per line of the references file that still holds PLACEHOLDER, naming the entry.

    ``text`` is the file's text, ``refs`` what load_references returned for it, ``shown`` the path
    for messages. A placeholder loads (it is text), so the build stops here instead.
    """
    starts = sorted((ref.line, ref.key) for ref in refs.values())
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        if PLACEHOLDER not in line:
            continue
        owner = [key for start, key in starts if start <= number]
        what = f"reference '{owner[-1]}'" if owner else "the file"
        problems.append(f"{shown}:{number}: {what} still has '{PLACEHOLDER}' here: {line.strip()[:80]!r}. Write "
                        f"that field yourself (see CONTRIBUTING.md, 'Cite a source'), then delete the "
                        f"'{PLACEHOLDER}' text.")
    return problems


def _lines_outside_code(markdown: str):
    """Yield (line number, line) for lines that are not inside fenced code blocks."""
    in_fence = False
    for number, line in enumerate(markdown.splitlines(), start=1):
        if FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield number, line


def find_citations(markdown: str) -> list[tuple[int, str]]:
    """Return (line number, key) for every citation in a page's Markdown, in order."""
    found = []
    for number, line in _lines_outside_code(markdown):
        for match in CITATION.finditer(line):
            for key in re.findall(r"@([A-Za-z0-9_-]+)", match.group(1)):
                found.append((number, key))
    return found


def format_reference(ref: Reference) -> str:
    """A Vancouver-style citation in Markdown (no links)."""
    esc = html.escape
    if ref.get("type") == "webpage":
        when = ref.get("year") or f"Accessed {ref.get('accessed'):%-d %B %Y}"
        return f"{esc(ref.get('publisher'))}. *{esc(ref.get('title'))}*. {when}."
    if ref.get("type") == "trial":
        return (f"{esc(ref.get('sponsor'))}. *{esc(str(ref.get('title')).rstrip('.'))}*. Trial registration "
                f"{esc(ref.get('nct'))}. Record read {ref.get('accessed'):%-d %B %Y}.")
    authors = [str(a) for a in ref.get("authors") or []]
    if len(authors) > 6:
        authors = authors[:6] + ["et al."]
    who = ", ".join(a for a in authors if a != "et al.")
    if "et al." in authors:
        who += ", et al."
    where = f"{ref.get('year')}"
    if ref.get("volume"):
        where += f";{ref.get('volume')}"
    if ref.get("pages"):
        where += f":{ref.get('pages')}"
    who = who if who.endswith(".") or not who else who + "."
    start = f"{esc(who)} " if who else ""
    return f"{start}{esc(str(ref.get('title')).rstrip('.'))}. *{esc(ref.get('journal'))}*. {where}."


NAMES = {"pmid": "PubMed ID", "doi": "DOI", "authors": "full author list", "volume": "volume",
         "pages": "page numbers", "n": "number of people"}


def format_unconfirmed(ref: Reference) -> str:
    """A plain sentence naming the details our editors could not confirm, or ''."""
    missing = [NAMES.get(name, name) for name in ref.get("not_confirmed") or []]
    if not missing:
        return ""
    return f"Not yet confirmed by our editors: {', '.join(missing)}."


def format_links(ref: Reference) -> str:
    """DOI, PubMed, trial registry and web links for one reference, in Markdown."""
    links = []
    if ref.get("doi"):
        links.append(f"[doi:{ref.get('doi')}](https://doi.org/{ref.get('doi')})")
    if ref.get("pmid"):
        links.append(f"[PubMed {ref.get('pmid')}](https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/)")
    elif ref.get("doi"):
        term = quote(f"{ref.get('doi')}[doi]", safe="")
        links.append(f"[Find it on PubMed](https://pubmed.ncbi.nlm.nih.gov/?term={term})")
    if ref.get("nct"):
        links.append(f"[ClinicalTrials.gov {ref.get('nct')}](https://clinicaltrials.gov/study/{ref.get('nct')})")
    if ref.get("url") and ref.get("type") == "webpage":
        links.append(f"[Read it on the {html.escape(str(ref.get('publisher')))} website]({ref.get('url')})")
    elif ref.get("url") and ref.get("type") == "trial":
        if "clinicaltrials.gov" not in str(ref.get("url")):
            links.append(f"[The sponsor's trial page]({ref.get('url')})")
    elif ref.get("url"):
        links.append(f"[Journal page]({ref.get('url')})")
    return " · ".join(links)


_STATE: dict = {}


def on_files(files, config):
    """Load the data file, collect every page's citations and stop on any error."""
    shown = config["extra"]["references_file"]
    path = Path(config["config_file_path"]).parent / shown
    refs, errors = load_references(path, shown)
    if errors and not refs:  # the file could not be read at all: every citation would look unknown
        raise PluginError("Citation problems:\n  " + "\n  ".join(errors))
    errors += check_placeholders(path.read_text(encoding="utf-8"), refs, shown)
    for file in files.documentation_pages():
        text = file.content_string
        page_meta = mkdocs_meta.get_data(text)[1]
        title = page_meta.get("title", file.src_uri)
        for line, key in find_citations(text):
            if key not in refs:
                errors.append(f"docs/{file.src_uri}:{line}: unknown citation key '{key}'. "
                              f"Add it to {config['extra']['references_file']} or fix the spelling.")
            elif (file.src_uri, title) not in refs[key].cited_by:
                refs[key].cited_by.append((file.src_uri, title))
    for ref in refs.values():
        if not ref.cited_by:
            errors.append(f"{shown}:{ref.line}: reference '{ref.key}' is not cited by any page. "
                          f"Cite it with [@{ref.key}] or delete the entry.")
    if errors:
        raise PluginError("Citation problems:\n  " + "\n  ".join(errors))
    _STATE["refs"] = refs
    return files


def _relative(from_uri: str, to_uri: str) -> str:
    """Relative link between two docs, as MkDocs expects in Markdown."""
    import posixpath
    return posixpath.relpath(to_uri, posixpath.dirname(from_uri) or ".")


def on_page_markdown(markdown, page, config, files):
    """Number this page's citations and append its reference list."""
    refs: dict[str, Reference] = _STATE["refs"]
    src = page.file.src_uri
    if ALL_MARKER in markdown:
        markdown = markdown.replace(ALL_MARKER, _all_references(refs, src))
    order: list[str] = []
    out_lines = []
    in_fence = False
    for line in markdown.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence:
            line = CITATION.sub(lambda m: _render_citation(m, order), line)
        out_lines.append(line)
    markdown = "\n".join(out_lines)
    if order:
        page.meta["citation_keys"] = list(order)
        page.meta["citations"] = [_jsonld(refs[key]) for key in order]
        to_refs = _relative(src, "references.md")
        items = []
        for number, key in enumerate(order, start=1):
            ref = refs[key]
            items.append(f'{number}. <span id="ref-{key}"></span>{format_reference(ref)} '
                         f"{format_links(ref)} · [More about this source]({to_refs}#ref-{key})")
        markdown += "\n\n## References { #references }\n\n" + "\n".join(items) + "\n"
    return markdown


def _jsonld(ref: Reference) -> dict:
    """schema.org description of one reference, for the page's JSON-LD."""
    if ref.get("type") == "webpage":
        return {"@type": "WebPage", "name": ref.get("title"), "url": ref.get("url"),
                "publisher": ref.get("publisher")}
    if ref.get("type") == "trial":
        return {"@type": "MedicalTrial", "name": " ".join(str(ref.get("title")).split()), "url": ref.get("url"),
                "identifier": ref.get("nct"), "sponsor": ref.get("sponsor")}
    item = {"@type": "ScholarlyArticle", "name": " ".join(str(ref.get("title")).split()),
            "datePublished": str(ref.get("year")), "isPartOf": ref.get("journal")}
    # Only identifiers we have: no "doi.org/None" or "pubmed/None/" for a source without one.
    pubmed = f"https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/" if ref.get("pmid") else None
    url = f"https://doi.org/{ref.get('doi')}" if ref.get("doi") else pubmed or ref.get("url")
    if url:
        item["url"] = url
    if pubmed and pubmed != url:
        item["sameAs"] = pubmed
    return item


def _render_citation(match: re.Match, order: list[str]) -> str:
    keys = re.findall(r"@([A-Za-z0-9_-]+)", match.group(1))
    parts = []
    for key in keys:
        if key not in order:
            order.append(key)
        n = order.index(key) + 1
        parts.append(f'<a href="#ref-{key}" aria-label="Reference {n}">{n}</a>')
    return '<sup class="citation">[' + ", ".join(parts) + "]</sup>"


def _all_references(refs: dict[str, Reference], src: str) -> str:
    """Markdown for the site-wide list, sorted by first author or publisher."""
    def sort_key(ref: Reference):
        first = (ref.get("authors") or [ref.get("publisher") or ""])[0]
        return (str(first).lower(), ref.get("year") or 0)

    blocks = []
    for ref in sorted(refs.values(), key=sort_key):
        cited = ", ".join(f"[{html.escape(str(title))}]({_relative(src, uri)})" for uri, title in ref.cited_by)
        nct = f" Trial registry number: {ref.get('nct')}." if ref.get("nct") else ""
        blocks.append(
            f'<div class="reference-entry" id="ref-{ref.key}" markdown>\n\n'
            f"{format_reference(ref)}\n\n"
            f"*{html.escape(' '.join(str(ref.get('summary')).split()))}*{nct} {format_unconfirmed(ref)}\n\n"
            f"{format_links(ref)}\n\n"
            f"Cited on: {cited}\n\n</div>"
        )
    return "\n\n".join(blocks)
