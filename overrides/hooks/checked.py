"""Evidence-date hook: fill in the date the evidence was last checked, from one place.

One job. Claims that something does not exist ("no stem cell product is approved for lupus",
"no randomised trial", "the only published placebo-controlled trial") are true only on the day
they were checked, so each says when. That date lives once, in mkdocs.yml:

    extra:
      evidence_checked: 2026-11-30

and pages write ``{{ evidence_checked }}`` where it goes; this hook puts "30 November 2026"
there. A review then updates every page at once, by changing that one line.

It stops the build when the date is missing or not a date, and when a page has a ``{{ ... }}``
token other than ``{{ evidence_checked }}`` (a typo would otherwise be printed to readers).
The content tests check that every such claim carries the date (tests/checkers/prose.py).
"""
from __future__ import annotations

import datetime as dt
import re

from mkdocs.exceptions import PluginError

TOKEN = "{{ evidence_checked }}"
ANY_TOKEN = re.compile(r"\{\{\s*([^}]*?)\s*\}\}")


def checked_date(config) -> dt.date:
    """The date from extra.evidence_checked in mkdocs.yml; PluginError when it is missing or bad."""
    value = (config.get("extra") or {}).get("evidence_checked")
    if isinstance(value, dt.date):
        return value
    raise PluginError(f"mkdocs.yml: extra: evidence_checked is {value!r}. Write the day the evidence was last "
                      f"checked as YYYY-MM-DD, without quotes, e.g. evidence_checked: 2026-11-30")


def readable(day: dt.date) -> str:
    """30 November 2026."""
    return f"{day.day} {day:%B %Y}"


def fill(markdown: str, src_uri: str, day: dt.date) -> str:
    """``markdown`` with each token replaced; PluginError naming file and line for an unknown one."""
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in ANY_TOKEN.finditer(line):
            if match.group(1) != "evidence_checked":
                raise PluginError(f"docs/{src_uri}:{number}: unknown '{match.group(0)}'. The only one is {TOKEN}, "
                                  f"the date the evidence was last checked (mkdocs.yml, extra).")
    return markdown.replace(TOKEN, readable(day))


def on_page_markdown(markdown, page, config, files):
    return fill(markdown, page.file.src_uri, checked_date(config))
