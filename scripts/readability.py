#!/usr/bin/env python3
"""Print a reading-level table for every page: words, Flesch-Kincaid grade, SMOG, longest
sentence and number of citations. Editors use it while writing.

    python3 tasks.py readability            # builds the site into a temporary folder first
    python3 tasks.py readability --site DIR # use an already built site
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import textstat  # noqa: E402
from checkers.prose import CITE_RE, load_page, prose_text, sentences, words  # noqa: E402
from mkdocs.utils import meta as mkdocs_meta  # noqa: E402


def table(site: Path) -> list[tuple]:
    rows = []
    for md in sorted((ROOT / "docs").glob("*.md")):
        audience = mkdocs_meta.get_data(md.read_text(encoding="utf-8"))[1].get("audience", "patients")
        html = site / ("index.html" if md.stem == "index" else f"{md.stem}/index.html")
        if not html.exists():
            continue
        page = load_page(html.read_text(encoding="utf-8"), f"docs/{md.name}", md)
        text = prose_text(page)
        cites = sum(len(CITE_RE.findall(u.text)) for u in page.units)
        longest = max((len(words(s)) for u in page.units if u.kind != "heading" for s in sentences(u.text)),
                      default=0)
        rows.append((md.name, audience, len(text.split()), textstat.flesch_kincaid_grade(text),
                     textstat.smog_index(text), longest, cites))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an already built site folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
                           cwd=ROOT, env=env, check=True, capture_output=True)
        rows = table(site)
    print(f"| {'page':<24} | {'audience':<10} | {'words':>5} | {'FK grade':>8} | {'SMOG':>5} | "
          f"{'longest sentence':>16} | {'citations':>9} |")
    print(f"|{'-' * 26}|{'-' * 12}|{'-' * 7}|{'-' * 10}|{'-' * 7}|{'-' * 18}|{'-' * 11}|")
    for name, audience, n, fk, smog, longest, cites in rows:
        flag = " !" if audience == "patients" and (fk > 8 or smog > 10 or longest > 25) else ""
        print(f"| {name:<24} | {audience:<10} | {n:>5} | {fk:>8.1f} | {smog:>5.1f} | {longest:>16} | "
              f"{cites:>9} |{flag}")
    print("\nLimits on patient pages: FK grade <= 8, SMOG <= 10, sentences <= 25 words.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
