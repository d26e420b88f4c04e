"""Reference data: the one home of how a guide entry maps to the standard citation formats.

Not a hook (mkdocs.yml does not list it): the exports hook and ``scripts/add_reference.py``
import it, so both directions share one mapping. The hub is a CSL-JSON item (a dict in the
CSL-JSON data model: ``id``, ``type``, ``author`` as ``{"family", "given"}`` or
``{"literal"}``, ``issued`` as ``{"date-parts": [[year]]}``, ``page`` as ``"469-477"``...):

    guide entry  --to_csl-->   CSL item  --csl_to_ris / csl_to_bibtex-->  rispy dict / pybtex Entry
    guide entry  <--from_csl-- CSL item  <--ris_to_csl / bibtex_to_csl / medline_to_csl-- a record

The libraries read and write the files: rispy (RIS), pybtex (BibTeX, whose Entry and Person this
module fills, and whose LaTeX reader turns BibTeX text back into plain text), the json module
(CSL-JSON) and Biopython's Bio.Medline (PubMed's MEDLINE .nbib). This module only maps fields.

Own code kept here, and why: the guide's own field formats are no standard format, so no library
parses them. They are the author names ("de Silva NL", "et al." last), the Vancouver volume
"16(5)" and abbreviated page range "469-77", and what an export's note says ("Author list
shortened (et al.)", "Not confirmed by the guide's editors: ..."). Identifiers written as text in
a note ("PMID: 123", "PMCID: PMC1", "ClinicalTrials.gov: NCT01539902") are read with regexes for
the same reason: each reference manager writes them in a note of its own.

Round trip: ``from_csl(to_csl(entry))`` gives back every field in ``BIBLIOGRAPHIC`` that the
entry has, except that an open page range ("2700-") comes back as its first page ("2700"),
as no format has an open range. Editorial fields (summary, design, n, results...) are not
exported. Unknown fields are ignored.

Errors: ``to_csl`` raises ValueError for an ``accessed`` date not written YYYY-MM-DD;
``from_csl`` raises ValueError, with a message for editors, for a record that is neither a journal
article nor a web page, or that has no title.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from pybtex.database import Entry, Person
from pybtex.richtext import Text

# The citations hook in this folder, for the plain names of fields (NAMES). MkDocs puts the hooks folder
# on sys.path while it loads a hook (tests/checkers/load_hook and scripts/add_reference.py do the same).
import citations  # noqa: E402

# The fields the exports carry and the importer fills, in the order the references file uses.
BIBLIOGRAPHIC = ("key", "type", "authors", "title", "journal", "year", "volume", "pages", "doi", "pmid",
                 "pmcid", "nct", "publisher", "sponsor", "url", "accessed", "not_confirmed")
# A trial registry record (type: trial) travels as a web page whose genre says so (CSL 'genre',
# RIS M3 'type of work', BibTeX 'type'); its sponsor travels as the publisher.
TRIAL_GENRE = "Trial registration"
# Plain names of fields for the notes: the same words as the References page uses.
FIELD_NAMES = citations.NAMES
ET_AL = "et al."
SHORTENED = "Author list shortened (et al.)."
UNCONFIRMED = "Not confirmed by the guide's editors: "
STUDY_TYPES = {"article-journal", "article", "article-magazine", "article-newspaper", "review"}
WEB_TYPES = {"webpage", "post", "post-weblog"}

_INITIALS = re.compile(r"[A-Z]{1,4}")
_PMID_NOTE = re.compile(r"\bPMID:?\s*([1-9]\d{0,8})\b")
_PMCID_NOTE = re.compile(r"\b(PMC\d+)\b")
_NCT_NOTE = re.compile(r"ClinicalTrials\.gov\s*[:/]?\s*(NCT\d{8})\b", re.I)
_UNCONFIRMED_NOTE = re.compile(re.escape(UNCONFIRMED) + r"([^.]*)\.")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)


def one_line(value) -> str:
    """Any value as text on one line, with single spaces."""
    return " ".join(str(value).split())


def _present(value) -> bool:
    return value not in (None, "", [])


# --- The guide's own formats ---------------------------------------------------------------

def split_name(name: str) -> tuple[str, str] | None:
    """'de Silva NL' -> ('de Silva', 'N. L.'); a body's name (no initials at the end) -> None."""
    parts = str(name).split()
    if len(parts) > 1 and _INITIALS.fullmatch(parts[-1]):
        return " ".join(parts[:-1]), " ".join(f"{c}." for c in parts[-1])
    return None


def initials(given: str) -> str:
    """Given names as the guide's initials: 'Nilmini L.' -> 'NL', 'Mary-Jane' -> 'MJ', 'A. M.' -> 'AM'."""
    given = one_line(given)
    if _INITIALS.fullmatch(given):
        return given
    return "".join(part[0].upper() for part in re.split(r"[\s.\-]+", given) if part and part[0].isalpha())


def people(entry) -> tuple[list[str], bool]:
    """(author names without 'et al.', True if the list was shortened with 'et al.')."""
    names = [str(a) for a in entry.get("authors") or []]
    cut = [a for a in names if a.strip(". ").lower() == "et al"]
    return [a for a in names if a not in cut], bool(cut)


def volume_issue(entry) -> tuple[str | None, str | None]:
    """'16(5)' -> ('16', '5'); '15' -> ('15', None); nothing -> (None, None)."""
    value = entry.get("volume")
    if not _present(value):
        return None, None
    match = re.fullmatch(r"\s*([^()]+?)\s*\(([^()]+)\)\s*", str(value))
    return (match.group(1), match.group(2)) if match else (str(value).strip(), None)


def page_range(entry) -> tuple[str | None, str | None]:
    """'469-77' -> ('469', '477'); '2700-' -> ('2700', None); 'R79' -> ('R79', None)."""
    value = entry.get("pages")
    if not _present(value):
        return None, None
    match = re.fullmatch(r"\s*(\d+)\s*[-\u2013]+\s*(\d*)\s*", str(value))
    if not match:
        return str(value).strip(), None
    start, end = match.groups()
    if end and len(end) < len(start):
        end = start[: len(start) - len(end)] + end
    return start, end or None


def short_pages(page: str) -> str:
    """A page range as the guide writes it (MEDLINE style): '469-477' -> '469-77', '1693-1698' -> '1693-8'."""
    start, end = page_range({"pages": page})
    if not end:
        return start or ""
    if len(end) == len(start):
        same = 0
        while same < len(start) - 1 and start[same] == end[same]:
            same += 1
        end = end[same:]
    return f"{start}-{end}"


def accessed(entry) -> list[int] | None:
    """A web page's 'accessed:' date as [year, month, day], or None. ValueError if not YYYY-MM-DD."""
    value = entry.get("accessed")
    if not _present(value):
        return None
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value))
    if not match:
        raise ValueError(f"reference '{entry.get('key')}' has accessed {value!r}; write it as YYYY-MM-DD, "
                         f"e.g. accessed: 2026-11-25")
    return [int(part) for part in match.groups()]


def remarks(entry) -> list[str]:
    """What our editors could not confirm, and whether the author list was cut, as sentences."""
    parts = []
    missing = [FIELD_NAMES.get(n, n) for n in entry.get("not_confirmed") or []]
    if missing:
        parts.append(UNCONFIRMED + ", ".join(missing) + ".")
    if people(entry)[1]:
        parts.append(SHORTENED)
    return parts


def key_stem(text: str) -> str:
    """Lower-case ASCII letters only: "O'Brien-Smith" -> 'obriensmith', 'Müller' -> 'muller'."""
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", ascii_text.lower())


# --- Guide entry <-> CSL-JSON item -----------------------------------------------------------

def to_csl(entry) -> dict:
    """One guide entry (a dict, or a citations.Reference) as a CSL-JSON item. Unknown fields are ignored."""
    webpage = entry.get("type") in ("webpage", "trial")  # a trial registry record is a web record
    item = {"id": str(entry.get("key")), "type": "webpage" if webpage else "article-journal",
            "title": one_line(entry.get("title"))}
    if webpage:
        item["author"] = [{"literal": one_line(entry.get("publisher") or entry.get("sponsor"))}]
    else:
        authors = []
        for name in people(entry)[0]:
            split = split_name(name)
            authors.append({"family": split[0], "given": split[1]} if split else {"literal": name})
        if authors:
            item["author"] = authors
    if _present(entry.get("journal")):
        item["container-title"] = item["container-title-short"] = one_line(entry.get("journal"))
    if _present(entry.get("publisher") or entry.get("sponsor")):
        item["publisher"] = one_line(entry.get("publisher") or entry.get("sponsor"))
    if entry.get("type") == "trial":
        item["genre"] = TRIAL_GENRE
    if _present(entry.get("year")):
        item["issued"] = {"date-parts": [[int(entry.get("year"))]]}
    if accessed(entry):
        item["accessed"] = {"date-parts": [accessed(entry)]}
    volume, issue = volume_issue(entry)
    start, end = page_range(entry)
    note = ([f"ClinicalTrials.gov: {entry.get('nct')}."] if _present(entry.get("nct")) else []) + remarks(entry)
    for name, value in (("volume", volume), ("issue", issue), ("page", f"{start}-{end}" if end else start),
                        ("DOI", entry.get("doi")), ("PMID", entry.get("pmid")), ("PMCID", entry.get("pmcid")),
                        ("URL", entry.get("url")), ("note", " ".join(note))):
        if _present(value):
            item[name] = str(value)
    return item


def _year(value) -> int | None:
    match = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", str(value or ""))
    return int(match.group(1)) if match else None


def _date_parts(value) -> list | None:
    """The first date of a CSL date: {'date-parts': [[2017, 5]]} -> [2017, 5]; {'raw': '2017'} -> [2017]."""
    if not isinstance(value, dict):
        return None
    parts = value.get("date-parts")
    if parts and parts[0] and str(parts[0][0]).strip():
        return [int(p) for p in parts[0] if str(p).strip()]
    year = _year(value.get("raw") or value.get("literal"))
    return [year] if year else None


def _name(author: dict) -> str:
    if author.get("literal"):
        return one_line(author["literal"])
    family = one_line(" ".join(str(author.get(p, "")) for p in ("non-dropping-particle", "family")))
    given = initials(author.get("given", ""))
    return f"{family} {given}" if given else family


def clean_doi(value) -> str | None:
    """'https://doi.org/10.1/X' or 'doi:10.1/X' -> '10.1/X'; nothing -> None."""
    if not _present(value):
        return None
    return _DOI_PREFIX.sub("", one_line(value)) or None


def kind_of(item: dict) -> str:
    """'study' or 'webpage' for a CSL item; ValueError (a message for editors) for anything else."""
    kind = str(item.get("type") or "")
    if kind in STUDY_TYPES or (item.get("container-title") and kind not in WEB_TYPES):
        return "study"
    if kind in WEB_TYPES or item.get("URL"):
        return "webpage"
    raise ValueError(f"it is a {kind or 'record without a type'} with no journal and no web address; the "
                     f"guide takes journal articles (type: study) and web pages (type: webpage)")


def from_csl(item: dict) -> dict:
    """A CSL-JSON item as guide fields (no key), in the order of BIBLIOGRAPHIC; only what the item holds.

    Identifiers written in the note ('PMID: 123', 'ClinicalTrials.gov: NCT...') are read too.
    Raises ValueError with a message for editors (see ``kind_of``; a record without a title).
    """
    kind = kind_of(item)
    title = one_line(item.get("title") or "")
    if not title:
        raise ValueError("it has no title")
    notes = ("note", "extra", "annote")  # codespell:ignore annote
    note = one_line(" ".join(str(item.get(name) or "") for name in notes))
    found: dict = {"type": kind}
    authors = [_name(a) for a in item.get("author") or [] if isinstance(a, dict)]
    literal = next((one_line(a["literal"]) for a in item.get("author") or []
                    if isinstance(a, dict) and a.get("literal")), None)
    if kind == "study":
        authors = [a for a in authors if a]
        if SHORTENED in note or any(a.strip(". ").lower() == "et al" for a in authors):
            authors = [a for a in authors if a.strip(". ").lower() != "et al"] + [ET_AL]
        if authors:
            found["authors"] = authors
    found["title"] = title
    if kind == "study":
        journal = item.get("container-title-short") or item.get("journalAbbreviation") or item.get("container-title")
        if _present(journal):
            found["journal"] = one_line(journal)
    year = _date_parts(item.get("issued"))
    if year:
        found["year"] = year[0]
    if kind == "study":
        volume, issue = (one_line(item[name]) if _present(item.get(name)) else None for name in ("volume", "issue"))
        if volume:
            found["volume"] = f"{volume}({issue})" if issue else volume
        if _present(item.get("page")):
            found["pages"] = short_pages(one_line(item["page"]))
    doi = clean_doi(item.get("DOI"))
    pmid = one_line(item.get("PMID") or "") or (_PMID_NOTE.search(note).group(1) if _PMID_NOTE.search(note) else "")
    pmcid = one_line(item.get("PMCID") or "") or (_PMCID_NOTE.search(note).group(1)
                                                  if _PMCID_NOTE.search(note) else "")
    nct = _NCT_NOTE.search(note)
    for name, value in (("doi", doi), ("pmid", pmid), ("pmcid", pmcid), ("nct", nct and nct.group(1))):
        if value:
            found[name] = value
    if kind == "webpage":
        publisher = item.get("publisher") or literal or item.get("container-title")
        trial = one_line(item.get("genre") or "").lower() == TRIAL_GENRE.lower()
        if trial:
            found["type"] = "trial"
        if _present(publisher):
            found["sponsor" if trial else "publisher"] = one_line(publisher)
    urls = [u for u in ([item.get("URL")] if isinstance(item.get("URL"), str) else item.get("URL") or [])
            if u and not (doi and clean_doi(u) == doi)]
    if urls:
        found["url"] = one_line(urls[0])
    when = _date_parts(item.get("accessed"))
    if kind == "webpage" and when and len(when) == 3:
        found["accessed"] = dt.date(*when)
    unconfirmed = _UNCONFIRMED_NOTE.search(note)
    if unconfirmed:
        names = {v: k for k, v in FIELD_NAMES.items()}
        found["not_confirmed"] = [names.get(p.strip(), p.strip()) for p in unconfirmed.group(1).split(",")]
    return {name: found[name] for name in BIBLIOGRAPHIC if name in found}


# --- CSL item <-> RIS record (rispy's field names) ---------------------------------------------

RIS_TYPES = {"JOUR": "article-journal", "JFULL": "article-journal", "EJOUR": "article-journal",
             "MGZN": "article-magazine", "NEWS": "article-newspaper", "ELEC": "webpage", "WEB": "webpage",
             "BLOG": "post-weblog", "ICOMM": "webpage"}


def _first(record: dict, *names: str) -> str | None:
    """The first of these fields that the record fills, on one line."""
    return next((one_line(record[n]) for n in names if _present(record.get(n))), None)


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if _present(value) else []


def csl_to_ris(item: dict) -> dict:
    """A CSL item as a record for rispy.dumps (keys as in rispy.TAG_KEY_MAPPING), tags in a fixed order."""
    webpage = item["type"] in WEB_TYPES
    issued, when = _date_parts(item.get("issued")), _date_parts(item.get("accessed"))
    start, end = page_range({"pages": item.get("page")})
    ids = "; ".join(f"{name}: {item[name]}" for name in ("PMID", "PMCID") if item.get(name))
    urls = ([f"https://doi.org/{item['DOI']}"] if item.get("DOI") else []) + _as_list(item.get("URL"))
    values = (("type_of_reference", "ELEC" if webpage else "JOUR"), ("id", item["id"]),
              ("authors", [a["literal"] if "literal" in a else f"{a['family']}, {a['given']}"
                           for a in item.get("author", [])]),
              ("title", item.get("title")), ("secondary_title", item.get("container-title")),
              ("alternate_title1", item.get("container-title-short")), ("year", issued and str(issued[0])),
              ("access_date", when and "/".join(f"{p:02d}" for p in when)), ("volume", item.get("volume")),
              ("number", item.get("issue")), ("start_page", start), ("end_page", end), ("doi", item.get("DOI")),
              ("accession_number", item.get("PMID")), ("publisher", item.get("publisher")),
              ("type_of_work", item.get("genre")),
              ("notes", [n for n in (ids, item.get("note")) if n]), ("urls", urls))
    return {name: value for name, value in values if _present(value)}


def _person(name: str, webpage: bool = False) -> dict:
    """'Leone, Alberto' or 'Leone A' -> family and given; a body's name -> literal."""
    family, comma, given = (part.strip() for part in str(name).partition(","))
    if comma and family:
        return {"family": family, "given": given}
    split = None if webpage else split_name(name)
    return {"family": split[0], "given": split[1]} if split else {"literal": one_line(name)}


def ris_to_csl(record: dict) -> dict:
    """A record from rispy.loads as a CSL item (only what the record holds)."""
    ris_type = str(record.get("type_of_reference") or "").upper()
    kind = RIS_TYPES.get(ris_type, ris_type.lower())
    names = _as_list(record.get("authors")) + _as_list(record.get("first_authors"))
    notes = _as_list(record.get("notes")) + _as_list(record.get("note")) + _as_list(record.get("custom2"))
    item = {"id": _first(record, "id") or "", "type": kind,
            "author": [_person(n, kind in WEB_TYPES) for n in names if one_line(n)],
            "title": _first(record, "title", "primary_title"),
            "container-title": _first(record, "secondary_title", "journal_name", "alternate_title3"),
            "container-title-short": _first(record, "alternate_title1", "alternate_title2"),
            "volume": _first(record, "volume"), "issue": _first(record, "number"), "DOI": _first(record, "doi"),
            "publisher": _first(record, "publisher"), "genre": _first(record, "type_of_work"),
            "note": " ".join(one_line(n) for n in notes),
            "URL": [u.strip() for url in _as_list(record.get("urls")) for u in str(url).split(";") if u.strip()]}
    year = _year(_first(record, "year", "publication_year", "date"))
    if year:
        item["issued"] = {"date-parts": [[year]]}
    when = re.fullmatch(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})/?", _first(record, "access_date") or "")
    if when:
        item["accessed"] = {"date-parts": [[int(p) for p in when.groups()]]}
    start, end = _first(record, "start_page"), _first(record, "end_page")
    if start:
        item["page"] = f"{start}-{end}" if end and end != start and "-" not in start else start
    accession = _first(record, "accession_number")
    if accession and re.fullmatch(r"[1-9]\d{0,8}", accession):
        item["PMID"] = accession
    return {name: value for name, value in item.items() if _present(value)}


# --- CSL item <-> BibTeX entry (pybtex's data model: Entry and Person) ----------------------------

def _latex_to_text(value: str) -> str:
    """BibTeX's LaTeX as plain text ('M{\\"u}ller' -> 'Müller', '{CAR-T}' -> 'CAR-T'), with pybtex."""
    return one_line(Text.from_latex(str(value)).render_as("text"))


def csl_to_bibtex(item: dict) -> Entry:
    """A CSL item as a pybtex Entry: titles keep their capitals (one pair of braces), and a shortened
    author list ends with 'others', as BibTeX writes 'et al.'."""
    webpage = item["type"] in WEB_TYPES
    persons = [Person(last="{" + a["literal"] + "}") if "literal" in a else Person(last=a["family"], first=a["given"])
               for a in item.get("author", [])]
    if SHORTENED in item.get("note", ""):
        persons.append(Person("others"))
    issued, when = _date_parts(item.get("issued")), _date_parts(item.get("accessed"))
    start, end = page_range({"pages": item.get("page")})
    pmid = item.get("PMID")
    values = (("title", "{" + item["title"] + "}"), ("journal", item.get("container-title")),
              ("shortjournal", item.get("container-title-short")), ("year", issued and str(issued[0])),
              ("urldate", when and "-".join(f"{p:02d}" for p in when)), ("volume", item.get("volume")),
              ("number", item.get("issue")), ("pages", f"{start}--{end}" if end else start),
              ("publisher", item.get("publisher") if webpage else None), ("doi", item.get("DOI")), ("pmid", pmid),
              ("pmcid", item.get("PMCID")), ("eprint", pmid), ("eprinttype", pmid and "pubmed"),
              ("url", item.get("URL")), ("type", item.get("genre")), ("note", item.get("note")))
    return Entry("misc" if webpage else "article", fields=[(name, str(value)) for name, value in values
                                                           if _present(value)],
                 persons={"author": persons} if persons else {})


BIBTEX_NOTES = ("note", "annote", "addendum", "extra")  # codespell:ignore annote


def bibtex_to_csl(key: str, entry: Entry) -> dict:
    """A pybtex Entry (from pybtex.database.parse_string) as a CSL item; LaTeX turned into text."""
    fields = {name.lower(): _latex_to_text(value) for name, value in entry.fields.items()}
    journal = _first(fields, "journal", "journaltitle")
    kind = str(entry.type).lower()
    if kind == "article" or (journal and kind in ("misc", "online")):
        kind = "article-journal"
    elif kind in ("online", "electronic", "www", "misc") and fields.get("url"):
        kind = "webpage"
    authors = []
    for person in entry.persons.get("author", []):
        family = _latex_to_text(" ".join(person.prelast_names + person.last_names))
        given = _latex_to_text(" ".join(person.first_names + person.middle_names))
        if family.lower() == "others" and not given:
            authors.append({"literal": ET_AL})
        else:
            authors.append({"family": family, "given": given} if given else {"literal": family})
    pubmed = (fields.get("eprinttype") or "").lower() in ("pubmed", "pmid")
    item = {"id": key, "type": kind, "author": authors, "title": fields.get("title"), "container-title": journal,
            "container-title-short": _first(fields, "shortjournal", "journalabbrev"),
            "volume": fields.get("volume"), "issue": _first(fields, "number", "issue"),
            "page": (fields.get("pages") or "").replace("--", "-"), "DOI": fields.get("doi"),
            "PMID": fields.get("pmid") or (fields.get("eprint") if pubmed else None), "PMCID": fields.get("pmcid"),
            "URL": fields.get("url"), "publisher": _first(fields, "publisher", "organization", "institution"),
            "genre": fields.get("type"),
            "note": " ".join(fields[n] for n in BIBTEX_NOTES if fields.get(n))}
    year = _year(_first(fields, "year", "date"))
    if year:
        item["issued"] = {"date-parts": [[year]]}
    when = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", fields.get("urldate") or "")
    if when:
        item["accessed"] = {"date-parts": [[int(p) for p in when.groups()]]}
    return {name: value for name, value in item.items() if _present(value)}


# --- MEDLINE record (Bio.Medline's Record: a dict of MEDLINE tags) -> CSL item --------------------

def medline_to_csl(record: dict) -> dict:
    """A PubMed MEDLINE record (.nbib) as a CSL item. Authors come as PubMed writes them: 'Leone A'."""
    authors = [_person(a) for a in _as_list(record.get("AU"))]
    authors += [{"literal": one_line(c)} for c in _as_list(record.get("CN"))]
    ids = " ".join(one_line(v) for v in _as_list(record.get("AID")) + _as_list(record.get("LID")))
    doi = re.search(r"(10\.\d{4,9}/\S+)\s*\[doi\]", ids)
    title = _first(record, "TI") or ""
    item = {"id": _first(record, "PMID") or "", "type": "article-journal", "author": authors,
            "title": title[:-1] if title.endswith(".") else title,
            "container-title": _first(record, "JT"), "container-title-short": _first(record, "TA"),
            "volume": _first(record, "VI"), "issue": _first(record, "IP"), "page": _first(record, "PG"),
            "DOI": doi and doi.group(1), "PMID": _first(record, "PMID"), "PMCID": _first(record, "PMC"),
            "note": " ".join(one_line(v) for v in _as_list(record.get("SI")) if "NCT" in str(v))}
    year = _year(_first(record, "DP"))
    if year:
        item["issued"] = {"date-parts": [[year]]}
    return {name: value for name, value in item.items() if _present(value)}
