"""Identifiers checked against the public services: a DOI's registered record, a PubMed ID's summary.

* ``fetch_doi(doi)`` asks doi.org for the DOI's record as CSL-JSON (content negotiation, which
  answers for Crossref, DataCite and the other registration agencies).
* ``fetch_pubmed(pmids)`` asks NCBI E-utilities (esummary, JSON) for the PubMed records, in one request.
* ``doi_problems`` and ``pmid_problems`` compare an entry with those answers. They do no I/O, so
  tests feed them stored answers (tests/fixtures/references/online-answers.json) to prove the
  check can fail; ``check_dois`` and ``check_pmids`` run them on every entry, with the fetcher
  passed in (the real one by default).

Each message names the file, the line, the key and the field that differs, and what to do.
Titles are compared without case, punctuation, markup or a final full stop; a year matches any of
the record's dates (printed, online, issued), because a paper can come online the year before its
issue.
"""
from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request

USER_AGENT = "lupus-guide-identifier-check (python urllib)"
DOI_URL = "https://doi.org/{doi}"
ESUMMARY_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi?db=pubmed&retmode=json&id={ids}"
FIX = "Open the link, compare it with the paper, and correct the entry on that line."


def normalise_title(title) -> str:
    """Lower case, no markup, entities, punctuation or extra spaces: '<i>In vivo</i> MSCs.' -> 'in vivo mscs'."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", " ".join(str(title or "").split())))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def _years(record: dict) -> set[int]:
    years = set()
    for name in ("issued", "published-print", "published-online", "created"):
        parts = (record.get(name) or {}).get("date-parts") or [[]]
        if parts[0] and str(parts[0][0]).strip():
            years.add(int(parts[0][0]))
    issue = ((record.get("journal-issue") or {}).get("published-print") or {}).get("date-parts") or [[]]
    if issue[0]:
        years.add(int(issue[0][0]))
    years.discard(None)
    return years


def _title(record: dict) -> str:
    title = record.get("title")
    return " ".join(title) if isinstance(title, list) else str(title or "")


def doi_problems(ref, record: dict | None, shown: str, failure: str = "") -> list[str]:
    """Problems with one entry's DOI, given doi.org's CSL-JSON record (None and failure if it did not resolve)."""
    where = f"{shown}:{ref.line}: reference '{ref.key}'"
    link = DOI_URL.format(doi=ref.get("doi"))
    if record is None:
        return [f"{where} doi: {ref.get('doi')} does not resolve ({failure}). Check the DOI on the paper's "
                f"page and correct it, or list doi under not_confirmed. ({link})"]
    problems = []
    theirs = _title(record)
    if normalise_title(theirs) != normalise_title(ref.get("title")):
        problems.append(f"{where} title: the entry has {' '.join(str(ref.get('title')).split())!r}, the DOI's "
                        f"record has {' '.join(theirs.split())!r}. {FIX} ({link})")
    years = _years(record)
    if ref.get("year") and years and int(ref.get("year")) not in years:
        problems.append(f"{where} year: the entry has {ref.get('year')}, the DOI's record has "
                        f"{' or '.join(str(y) for y in sorted(years))}. {FIX} ({link})")
    return problems


def pmid_problems(ref, summary: dict | None, shown: str) -> list[str]:
    """Problems with one entry's PubMed ID, given its esummary record (None if PubMed has none)."""
    where = f"{shown}:{ref.line}: reference '{ref.key}'"
    link = f"https://pubmed.ncbi.nlm.nih.gov/{ref.get('pmid')}/"
    if summary is None or summary.get("error"):
        return [f"{where} pmid: PubMed has no record {ref.get('pmid')}. Search PubMed for the title or DOI "
                f"and correct the PubMed ID. ({link})"]
    problems = []
    if normalise_title(summary.get("title")) != normalise_title(ref.get("title")):
        problems.append(f"{where} title: the entry has {' '.join(str(ref.get('title')).split())!r}, PubMed "
                        f"{ref.get('pmid')} has {summary.get('title')!r}. Is the PubMed ID right? {FIX} ({link})")
    dois = [i.get("value", "") for i in summary.get("articleids") or [] if i.get("idtype") == "doi"]
    if dois and str(ref.get("doi") or "").lower() not in {d.lower() for d in dois}:
        problems.append(f"{where} doi: the entry has {ref.get('doi')!r}, PubMed {ref.get('pmid')} has "
                        f"{dois[0]!r}. One of the two identifiers is wrong. {FIX} ({link})")
    return problems


def _open(url: str, accept: str, timeout: float = 30):
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read().decode("utf-8"))


def fetch_doi(doi: str) -> tuple[dict | None, str]:
    """(doi.org's CSL-JSON record, '') or (None, why it failed). Network errors other than 404 raise."""
    try:
        return _open(DOI_URL.format(doi=urllib.parse.quote(doi, safe="/:;()")),
                     "application/vnd.citationstyles.csl+json"), ""
    except urllib.error.HTTPError as error:
        if error.code in (404, 410):
            return None, f"doi.org answers HTTP {error.code}"
        raise


def fetch_pubmed(pmids: list[str]) -> dict[str, dict]:
    """{pmid: esummary record} for every PubMed ID, in one request (E-utilities allows a few hundred)."""
    if not pmids:
        return {}
    answer = _open(ESUMMARY_URL.format(ids=",".join(pmids)), "application/json")
    result = answer.get("result") or {}
    return {pmid: result.get(pmid) for pmid in pmids}


def check_dois(refs: dict, shown: str, fetcher=fetch_doi) -> list[str]:
    """Every problem with the entries' DOIs (refs as citations.load_references returns them)."""
    problems = []
    for ref in refs.values():
        if ref.get("doi"):
            record, failure = fetcher(str(ref.get("doi")))
            problems += doi_problems(ref, record, shown, failure)
    return problems


def check_pmids(refs: dict, shown: str, fetcher=fetch_pubmed) -> list[str]:
    """Every problem with the entries' PubMed IDs, from one request for all of them."""
    with_pmid = [ref for ref in refs.values() if ref.get("pmid")]
    summaries = fetcher([str(ref.get("pmid")) for ref in with_pmid])
    return [problem for ref in with_pmid for problem in pmid_problems(ref, summaries.get(str(ref.get("pmid"))), shown)]


def online(timeout: float = 8) -> str:
    """'' when doi.org and NCBI answer, else why not (for the skip message)."""
    for url in ("https://doi.org/", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/einfo.fcgi?retmode=json"):
        try:
            urllib.request.urlopen(urllib.request.Request(url, method="HEAD", headers={"User-Agent": USER_AGENT}),
                                   timeout=timeout)
        except urllib.error.HTTPError:
            continue  # the host answered
        except OSError as error:
            return f"{urllib.parse.urlsplit(url).netloc} cannot be reached ({getattr(error, 'reason', error)})"
    return ""
