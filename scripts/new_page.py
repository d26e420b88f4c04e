"""Create a new page from scripts/page-template.md, with its front matter filled in.

    python3 tasks.py new-page "Living with lupus"
    python3 tasks.py new-page "Living with lupus" --slug living-well
    python3 tasks.py new-page "CAR-T cell therapy" --treatment   # adds the treatment sections

It writes docs/<slug>.md (the slug comes from the title unless you give one), sets
last_reviewed to today and next_review to one year from today, refuses to overwrite a
page, and prints the exact line to paste into the nav in mkdocs.yml.
Tests run it with --docs-dir pointing at a temporary folder.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "page-template.md"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 60
# Names the built site already uses for its own folders; a page there would clash with them.
RESERVED = {"assets", "search", "stylesheets", "data", "includes", "404", "sitemap"}
PLACEHOLDER = "Edit me:"


class Refused(Exception):
    """A problem the editor must fix; the message says what to do."""


def slug_from_title(title: str) -> str:
    """'Living with lupus: day to day' -> 'living-with-lupus-day-to-day'."""
    title = title.replace("’", "'")
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", ascii_title.lower())).strip("-")
    return slug[:MAX_SLUG].rstrip("-")


def check_slug(slug: str) -> None:
    if not SLUG.match(slug) or len(slug) > MAX_SLUG:
        raise Refused(f"the slug {slug!r} is not allowed. Use only lower-case letters, digits and single "
                      f"hyphens, at most {MAX_SLUG} characters, for example --slug living-with-lupus")
    if slug in RESERVED:
        raise Refused(f"the slug {slug!r} is used by the site itself. Choose another, "
                      f"for example --slug {slug}-guide")


def review_dates(today: dt.date) -> tuple[dt.date, dt.date]:
    """(last_reviewed, next_review): today, and the same day one year later (28 Feb for 29 Feb)."""
    try:
        return today, today.replace(year=today.year + 1)
    except ValueError:
        return today, today.replace(year=today.year + 1, day=28)


def yaml_scalar(text: str) -> str:
    """The text as a YAML value: as it is when that reads back the same, else double-quoted."""
    try:
        if yaml.safe_load(f"k: {text}") == {"k": text}:
            return text
    except yaml.YAMLError:
        pass
    return json.dumps(text, ensure_ascii=False)


def nav_line(title: str, slug: str) -> str:
    """The line to paste under a section of nav: in mkdocs.yml (6 spaces, like the others)."""
    return f"      - {yaml_scalar(title)}: {slug}.md"


def render(title: str, today: dt.date, treatment: bool) -> str:
    last, nxt = review_dates(today)
    text = TEMPLATE.read_text(encoding="utf-8")
    keep, drop = ("treatment", "general") if treatment else ("general", "treatment")
    text = re.sub(r"\{%s\}.*?\{/%s\}" % (drop, drop), "", text, flags=re.S)
    text = text.replace("{%s}" % keep, "").replace("{/%s}" % keep, "")
    for name, value in (("title_yaml", yaml_scalar(title)), ("title", title),
                        ("last_reviewed", last.isoformat()), ("next_review", nxt.isoformat())):
        text = text.replace("{%s}" % name, value)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def redirected_from(config_file: Path) -> dict[str, str]:
    """Old addresses in the redirects plugin ({old.md: new.md}); a new page must not reuse them."""
    if not config_file.exists():
        return {}
    try:
        from mkdocs.utils import yaml_load  # understands mkdocs.yml's !ENV tags
        with open(config_file, encoding="utf-8") as f:
            config = yaml_load(f) or {}
    except Exception:  # noqa: BLE001 - the hint is a courtesy; the build still checks
        return {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "redirects" in plugin:
            return dict((plugin["redirects"] or {}).get("redirect_maps") or {})
    return {}


def nav_sections(config_file: Path) -> list[str]:
    try:
        from mkdocs.utils import yaml_load
        with open(config_file, encoding="utf-8") as f:
            nav = (yaml_load(f) or {}).get("nav") or []
    except Exception:  # noqa: BLE001
        return []
    return [name for item in nav if isinstance(item, dict)
            for name, value in item.items() if isinstance(value, list)]


def create_page(title: str, docs: Path, slug: str | None = None, treatment: bool = False,
                today: dt.date | None = None, config_file: Path | None = None) -> Path:
    """Write docs/<slug>.md from the template and return its path. Raises Refused on a problem."""
    title = " ".join(title.split())
    if not title:
        raise Refused('give the page a title, for example: python3 tasks.py new-page "Living with lupus"')
    slug = slug if slug is not None else slug_from_title(title)
    if not slug:
        raise Refused(f"could not make a file name from the title {title!r}. "
                      f"Give one with --slug, for example --slug living-with-lupus")
    check_slug(slug)
    if not docs.is_dir():
        raise Refused(f"the folder {docs} does not exist. Run the command from the project folder.")
    page = docs / f"{slug}.md"
    if page.exists():
        raise Refused(f"{page} already exists, so nothing was written. Open it to edit it, or choose "
                      f"another name with --slug")
    old = redirected_from(config_file or ROOT / "mkdocs.yml")
    if f"{slug}.md" in old:
        raise Refused(f"'{slug}.md' is an old address that now redirects to '{old[slug + '.md']}' "
                      f"(redirect_maps in mkdocs.yml). Choose another name with --slug")
    page.write_text(render(title, today or dt.date.today(), treatment), encoding="utf-8")
    return page


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 tasks.py new-page",
                                     description="Create docs/<slug>.md from the page template.")
    parser.add_argument("title", help='the page title, in quotes: "Living with lupus"')
    parser.add_argument("--slug", help="the file name without .md (default: made from the title)")
    parser.add_argument("--treatment", action="store_true",
                        help="add the sections every treatment page needs, and the help boxes")
    parser.add_argument("--docs-dir", type=Path, default=ROOT / "docs", help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        page = create_page(args.title, args.docs_dir, args.slug, args.treatment, config_file=args.config)
    except Refused as problem:
        print(f"new-page: {problem}", file=sys.stderr)
        return 1
    sections = nav_sections(args.config)
    print(f"Created {_shown(page)}\n\n"
          f"Next steps:\n"
          f"1. Add the page to the nav. Open mkdocs.yml, find 'nav:' at the bottom, and paste this\n"
          f"   line under the section where the page belongs, lined up with the lines around it:\n\n"
          f"{nav_line(' '.join(args.title.split()), page.stem)}\n\n"
          + (f"   The sections are: {', '.join(sections)}.\n" if sections else "")
          + f"2. Add the page's address to tests/golden_urls.txt (the list of every page address),\n"
          f"   on a line of its own:  /{page.stem}/\n"
          f"3. Replace every '{PLACEHOLDER}' in the page with your own text. The tests fail while\n"
          f"   any is left.\n"
          f"4. Preview with: python3 tasks.py serve    Check with: python3 tasks.py test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
