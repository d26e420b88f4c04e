"""Page metadata hook: check every page's front matter, and warn when a review is overdue.

One job: the front matter is the single home of each page's metadata (title,
description, review dates, and the search synonyms in ``tags:``, which Material's search
indexes without showing them). The hook stops the build, naming the
file, when a page lacks a required field or its dates are not sensible:

* ``title``, ``description``, ``last_reviewed`` and ``next_review`` are required;
* dates are written ``YYYY-MM-DD``;
* ``next_review`` comes after ``last_reviewed`` and at most 3 years after it.

A ``next_review`` date in the past only prints a notice (``REVIEW OVERDUE``), so the
build and tests keep passing on a future date while editors are told to review.
Tests import ``check_meta`` and ``overdue_notice`` to feed them broken fixtures.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

import yaml

from mkdocs.exceptions import PluginError

REQUIRED = ("title", "description", "last_reviewed", "next_review")
MAX_REVIEW_GAP = dt.timedelta(days=3 * 366)
# Not a child of the "mkdocs" logger: strict mode would count it and fail the build.
notice = logging.getLogger("lupus_guide.review_dates")


def _field_lines(source: str | None) -> dict[str, int]:
    """{field: line number} for the front matter at the top of a page's Markdown."""
    found: dict[str, int] = {}
    lines = (source or "").splitlines()
    if not lines or lines[0].strip() != "---":
        return found
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() in ("---", "..."):
            break
        match = re.match(r"([A-Za-z_][\w-]*)\s*:", line)
        if match:
            found.setdefault(match[1], number)
    return found


def yaml_problem(source: str | None, file: str) -> str | None:
    """The front matter's YAML error as "file:line: ..." with a hint, or None when it reads.

    MkDocs drops front matter it cannot read and gives the page no metadata at all, which
    would be reported as four missing fields; this names the real cause. Uses the same YAML
    library as MkDocs."""
    lines = (source or "").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    end = next((i for i, line in enumerate(lines[1:], start=1) if line.strip() in ("---", "...")), None)
    if end is None:
        return f"{file}:1: the front matter has no closing '---' line. Add one after the last field."
    try:
        yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return (f"{file}:{line}: the front matter is not valid YAML ({reason}): "
                f"{lines[line - 1].strip() if line - 1 < len(lines) else ''!r}. Put a value with a colon in "
                f"quotes (title: \"Lupus: the basics\"), and write dates as real dates, YYYY-MM-DD.")
    except ValueError as error:   # a date that does not exist, such as 2026-13-01
        field = next((f"{lines[i].strip()!r}" for i in range(1, end)
                      if re.match(r"[\w-]+\s*:\s*\d{4}-\d{2}-\d{2}\s*$", lines[i])
                      and not _is_date(lines[i].split(":", 1)[1].strip())), "a date")
        number = next((i + 1 for i in range(1, end) if f"{lines[i].strip()!r}" == field), 1)
        return (f"{file}:{number}: {field} is not a date that exists ({error}). Write a real date as "
                f"YYYY-MM-DD.")
    return None


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_meta(meta: dict, where: str, source: str | None = None) -> list[str]:
    """Return the problems with one page's front matter (empty when it is fine).

    ``where`` names the file; with the page's Markdown as ``source`` each message also gives
    the line of the field concerned.
    """
    problems = []
    lines = _field_lines(source)
    file = re.sub(r":\d+$", "", where)

    def at(name: str) -> str:
        return f"{file}:{lines[name]}" if name in lines else where
    unreadable = yaml_problem(source, file)
    if unreadable:
        return [unreadable]
    for name in REQUIRED:
        if meta.get(name) in (None, "") and name in lines:
            problems.append(f"{at(name)}: '{name}:' is empty. Write its value after the colon "
                            f"(see CONTRIBUTING.md, 'Front matter').")
        elif meta.get(name) in (None, ""):
            problems.append(f"{where}: front matter is missing '{name}:'. Add it between the '---' lines "
                            f"at the top (see CONTRIBUTING.md, 'Front matter').")
    for name in ("last_reviewed", "next_review"):
        value = meta.get(name)
        if value not in (None, "") and not isinstance(value, dt.date):
            problems.append(f"{at(name)}: '{name}: {value}' is not a date. Write it as YYYY-MM-DD, "
                            f"without quotes, e.g. {name}: 2026-11-25")
    last, nxt = meta.get("last_reviewed"), meta.get("next_review")
    if isinstance(last, dt.date) and isinstance(nxt, dt.date):
        if nxt <= last:
            problems.append(f"{at('next_review')}: next_review ({nxt}) must come after last_reviewed ({last}). "
                            f"Usually it is one year later: next_review: {_years_later(last, 1)}")
        elif nxt - last > MAX_REVIEW_GAP:
            problems.append(f"{at('next_review')}: next_review ({nxt}) is more than 3 years after "
                            f"last_reviewed ({last}). Set it no later than {_years_later(last, 3)}.")
    description = str(meta.get("description", ""))
    if len(description) > 200:
        problems.append(f"{at('description')}: the description ({description[:50]!r}...) is "
                        f"{len(description)} characters long; shorten it to under 200 (search results "
                        f"show it).")
    return problems


def overdue_notice(meta: dict, where: str, today: dt.date | None = None) -> str | None:
    """Return a notice if the page's next review date has passed, else None."""
    today = today or dt.date.today()
    nxt = meta.get("next_review")
    if isinstance(nxt, dt.date) and nxt < today:
        return (f"REVIEW OVERDUE: {where} was due for review on {nxt}. An editor should review the page "
                f"against its sources, then update last_reviewed and next_review.")
    return None


def on_page_markdown(markdown, page, config, files):
    """Stop on bad front matter; print a notice for an overdue review."""
    where = f"docs/{page.file.src_uri}"
    problems = check_meta(page.meta, where, page.file.content_string)
    if problems:
        raise PluginError("Front matter problems:\n  " + "\n  ".join(problems))
    message = overdue_notice(page.meta, where)
    if message:
        notice.warning(message)
    return markdown
