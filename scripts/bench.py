#!/usr/bin/env python3
"""Benchmark: build time, first-view weight of every page, search index size, Lighthouse.

    .venv/bin/python scripts/bench.py                  everything (Lighthouse if installed)
    .venv/bin/python scripts/bench.py --runs 3 --no-lighthouse
    .venv/bin/python scripts/bench.py --lighthouse-bin /tmp/lh/node_modules/.bin/lighthouse
    .venv/bin/python scripts/bench.py --runs 1 --lighthouse-runs 3    Lighthouse: median of 3 runs per page

* Build time: median of --runs runs of `mkdocs build --strict` (wall clock, this machine).
* First view: each page loaded once in a fresh browser context (empty cache); every request
  is recorded, and its bytes are read from the built file: raw, and gzipped at level 6 for
  text (what a compressing host sends). The search index is listed on its own line and not
  in the page totals; Material's search worker is, because it starts on every page.
* Lighthouse (optional, never needed by the tests): mobile preset against a local server
  that gzips, with CHROME_PATH set to the same Chromium the tests use. With --lighthouse-runs N
  each page is measured N times and the run with the median performance score is shown
  (Lighthouse's own advice for a stable figure), followed by every run's score.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser_support import (SEARCH_INDEX, find_browser, first_view, launched_browser,  # noqa: E402
                             page_paths, serve, transfer_size)

LH_CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]


def build_times(out: Path, runs: int) -> list[float]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if proc.returncode:
            sys.exit("The build failed:\n" + proc.stdout + proc.stderr)
    return times


def url_to_file(site: Path, base: str, url: str) -> Path | None:
    if not url.startswith(base):
        return None
    path = url[len(base):].split("?")[0].split("#")[0]
    file = Path(os.path.normpath(site / path)) if path else site / "index.html"
    return file / "index.html" if file.is_dir() else file


def first_view_weights(browser, site: Path, paths: list[str]) -> list[dict]:
    rows = []
    with serve(site) as base:
        for path in paths:
            context = browser.new_context()
            urls: list[str] = []
            context.on("request", lambda r: urls.append(r.url))
            page = context.new_page()
            page.goto(base + path, wait_until="networkidle")
            context.close()
            files, foreign, index = [], [], None
            for url in dict.fromkeys(urls):
                file = url_to_file(site, base, url)
                if file is None or not file.is_file():
                    foreign.append(url)
                elif file == site / SEARCH_INDEX:
                    index = file
                else:
                    files.append(file)
            sizes = [transfer_size(f) for f in files]
            html = site / (path or "index.html")
            html = html / "index.html" if html.is_dir() else html
            parsed, _ = first_view(site, html)
            rows.append({"page": path or "/", "requests": len(files), "raw": sum(s[0] for s in sizes),
                         "wire": sum(s[1] for s in sizes), "index_loaded": index is not None,
                         "parsed_requests": len(parsed) + 1, "other": foreign})
    return rows


def find_lighthouse(explicit: str | None) -> str | None:
    """The Lighthouse to run: --lighthouse-bin, else one on PATH, else the project's node_modules;
    None when there is none (never a copy left somewhere else on the machine)."""
    candidates = [explicit, shutil.which("lighthouse"), ROOT / "node_modules/.bin/lighthouse"]
    for c in candidates:
        if c and Path(c).exists() and os.access(c, os.X_OK):
            return str(c)
    return None


def lighthouse_scores(lh: str, chrome: str, site: Path, paths: list[str], runs: int = 1) -> list[dict]:
    """One row per page: the run with the median performance score of `runs` runs, plus
    ``perf_runs`` (every run's performance score), or {"page", "error"}."""
    rows = []
    for path in paths:
        found = [r for r in (_lighthouse_once(lh, chrome, site, path) for _ in range(runs))]
        good = sorted((r for r in found if "error" not in r), key=lambda r: r["performance"])
        if not good:
            rows.append(found[0])
            continue
        rows.append({**good[(len(good) - 1) // 2], "perf_runs": [r.get("performance") for r in found]})
    return rows


def _lighthouse_once(lh: str, chrome: str, site: Path, path: str) -> dict:
    """One Lighthouse run (mobile preset) of one page, served gzipped from `site`."""
    env = dict(os.environ, CHROME_PATH=chrome)
    with serve(site, gzip_text=True) as base:
        proc = subprocess.run(
            [lh, base + path, "--quiet", "--output=json", "--output-path=stdout",
             "--only-categories=" + ",".join(LH_CATEGORIES),
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env=env, capture_output=True, text=True, timeout=300)
    if proc.returncode:
        return {"page": path or "/", "error": (proc.stderr or proc.stdout).strip()[-300:]}
    report = json.loads(proc.stdout)
    cats, audits = report["categories"], report["audits"]
    misses = sorted({a["id"] for name, cat in cats.items() if name != "performance" for ref in cat["auditRefs"]
                     if ref.get("weight") and (a := audits[ref["id"]]).get("score") is not None
                     and a["score"] < 1})
    return {"page": path or "/", **{c: round(cats[c]["score"] * 100) for c in LH_CATEGORIES},
            "lcp": audits["largest-contentful-paint"]["displayValue"],
            "fcp": audits["first-contentful-paint"]["displayValue"],
            "tbt": audits["total-blocking-time"]["displayValue"],
            "cls": audits["cumulative-layout-shift"]["displayValue"],
            "bytes": audits["total-byte-weight"]["numericValue"], "misses": misses,
            "dom": audits.get("dom-size", {}).get("numericValue")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument("--lighthouse-bin")
    parser.add_argument("--lighthouse-runs", type=int, default=1,
                        help="Lighthouse runs per page; the median performance run is shown (default 1)")
    parser.add_argument("--lighthouse-pages", nargs="*", help="URL paths (default: every page)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        times = build_times(site, args.runs)
        print(f"Build time (mkdocs build --strict, {args.runs} runs): median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f})")
        paths = page_paths(site)
        with launched_browser() as (browser, reason):
            if browser is None:
                print(f"No browser ({reason}); skipping page weights and Lighthouse.")
                return 1
            rows = first_view_weights(browser, site, paths)
        print("\nFirst view per page (fresh cache; bytes from the built files; search index excluded)")
        print(f"{'page':24} {'requests':>8} {'raw KB':>9} {'gzip KB':>9}")
        for r in rows:
            note = "" if r["requests"] == r["parsed_requests"] else f"  (HTML/CSS parse counts {r['parsed_requests']})"
            note += f"  other: {r['other']}" if r["other"] else ""
            print(f"{r['page']:24} {r['requests']:>8} {r['raw'] / 1000:>9.1f} {r['wire'] / 1000:>9.1f}{note}")
        heaviest = max(rows, key=lambda r: r["wire"])
        print(f"Heaviest: {heaviest['page']} {heaviest['wire'] / 1000:.1f} KB gzip; budget 150 KB, 15 requests.")
        raw, wire = transfer_size(site / SEARCH_INDEX)
        loaded = sum(r["index_loaded"] for r in rows)
        print(f"\nSearch index {SEARCH_INDEX}: {raw / 1000:.1f} KB raw, {wire / 1000:.1f} KB gzip "
              f"(fetched on first view by {loaded} of {len(rows)} pages, then cached)")

        lh = None if args.no_lighthouse else find_lighthouse(args.lighthouse_bin)
        if lh is None:
            print("\nLighthouse: not installed (optional). Try: mkdir -p /tmp/lh && cd /tmp/lh && "
                  "npm install lighthouse@12, then --lighthouse-bin /tmp/lh/node_modules/.bin/lighthouse")
            return 0
        chrome = find_browser()
        lh_paths = paths if args.lighthouse_pages is None else args.lighthouse_pages
        runs = max(1, args.lighthouse_runs)
        print(f"\nLighthouse (mobile, gzip server, {lh}; median of {runs} run(s) per page):")
        print(f"{'page':24} {'perf':>5} {'a11y':>5} {'b-p':>5} {'seo':>5} {'FCP':>7} {'LCP':>7} {'TBT':>7} "
              f"{'CLS':>5} {'KB':>5} {'DOM':>5}  perf of each run; a11y/b-p/seo audits below 100")
        for r in lighthouse_scores(lh, chrome, site, lh_paths, runs):
            if "error" in r:
                print(f"{r['page']:24} error: {r['error']}")
                continue
            print(f"{r['page']:24} {r['performance']:>5} {r['accessibility']:>5} {r['best-practices']:>5} "
                  f"{r['seo']:>5} {r['fcp']:>7} {r['lcp']:>7} {r['tbt']:>7} {r['cls']:>5} {r['bytes'] / 1024:>5.0f}"
                  f" {r['dom'] or 0:>5.0f}  {r['perf_runs']}; {', '.join(r['misses']) or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
