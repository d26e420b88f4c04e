"""Front matter and nav checks, using the same rules as the build hook (one home for the rules)."""
from __future__ import annotations

from pathlib import Path

from mkdocs.utils import meta as mkdocs_meta
from mkdocs.utils import yaml_load

from checkers import load_hook


def nav_files(config_file: Path) -> list[str]:
    """Every Markdown file named in the nav of a mkdocs.yml."""
    with open(config_file, encoding="utf-8") as f:
        config = yaml_load(f)
    found = []

    def walk(items):
        for item in items or []:
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict):
                for value in item.values():
                    walk(value) if isinstance(value, list) else found.append(value)
    walk(config.get("nav"))
    return [f for f in found if isinstance(f, str) and f.endswith(".md")]


def check_docs(docs: Path, config_file: Path) -> list[str]:
    """Return messages for pages missing from the nav or with bad front matter."""
    check_meta = load_hook("pages").check_meta
    problems = []
    in_nav = set(nav_files(config_file))
    for page in sorted(docs.glob("*.md")):
        rel = page.relative_to(docs).as_posix()
        where = f"{page.relative_to(config_file.parent)}"
        text = page.read_text(encoding="utf-8")
        meta = mkdocs_meta.get_data(text)[1]
        if rel not in in_nav:
            title = str(meta.get("title") or page.stem)
            title = f'"{title}"' if ":" in title else title
            problems.append(f"{where}: this page is not in the nav. Add it under 'nav:' in mkdocs.yml, in the "
                            f"section where it belongs, with a line like:  - {title}: {rel}")
        problems += check_meta(meta, f"{where}:1", text)
    return problems
