#!/usr/bin/env python3
"""Screenshots of every page: phone (360x800) and desktop (1280x900), light and dark.

    .venv/bin/python scripts/screenshots.py                 build the site, shoot every page
    .venv/bin/python scripts/screenshots.py --site /tmp/s   use an already built site
    .venv/bin/python scripts/screenshots.py --pages hsct/ compare-options/ --devices phone

Files go to screenshots/ (gitignored) as <page>-<device>-<scheme>.png, full page height
(capped at --max-height pixels). Uses the same Chromium and local server as the tests.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import SCHEMES, launched_browser, page_paths, serve, settle  # noqa: E402

DEVICES = {"phone": {"width": 360, "height": 800}, "desktop": {"width": 1280, "height": 900}}


def slug(path: str) -> str:
    return {"": "home", "404.html": "404"}.get(path, path.strip("/").replace("/", "-"))


def take_screenshots(browser, site: Path, out: Path, paths: list[str] | None = None,
                     devices: list[str] | None = None, schemes: list[str] | None = None,
                     max_height: int = 12000) -> list[Path]:
    """Shoot `paths` (default: every page) of the built `site` into `out`; returns the files."""
    out.mkdir(parents=True, exist_ok=True)
    paths = page_paths(site) if paths is None else paths
    written = []
    with serve(site) as base:
        for scheme in schemes or list(SCHEMES):
            for device in devices or list(DEVICES):
                size = DEVICES[device]
                context = browser.new_context(viewport=size, color_scheme=scheme, reduced_motion="reduce")
                page = context.new_page()
                try:
                    for path in paths:
                        page.goto(base + path, wait_until="load")
                        settle(page)
                        height = min(page.evaluate("document.documentElement.scrollHeight"), max_height)
                        file = out / f"{slug(path)}-{device}-{scheme}.png"
                        page.screenshot(path=str(file), full_page=True,
                                        clip={"x": 0, "y": 0, "width": size["width"], "height": height})
                        written.append(file)
                finally:
                    context.close()
    return written


def build(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                   cwd=ROOT, check=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one now)")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--pages", nargs="*", help="URL paths such as '' hsct/ 404.html (default: all)")
    parser.add_argument("--devices", nargs="*", choices=list(DEVICES))
    parser.add_argument("--schemes", nargs="*", choices=list(SCHEMES))
    parser.add_argument("--max-height", type=int, default=12000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(site)
        with launched_browser() as (browser, reason):
            if browser is None:
                print(f"No browser: {reason}. Install one with `sudo apt-get install chromium`.", file=sys.stderr)
                return 1
            start = time.perf_counter()
            files = take_screenshots(browser, site, args.out, args.pages, args.devices, args.schemes, args.max_height)
    print(f"{len(files)} screenshots in {args.out} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
