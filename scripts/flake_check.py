#!/usr/bin/env python3
"""Run the browser tests several times in a row and report how stable they are.

    python3 tasks.py flake-check 5                 the browser tests, 5 runs in a row
    python3 tasks.py flake-check 5 --load          ... while a second build runs in a loop (CPU load)
    python3 tasks.py flake-check 3 -- -k search    ... only the tests whose name contains "search"

A flaky test is a broken test: one pass proves little, so run this before you hand work in.
Each run is a fresh `pytest -m browser` (the site is built anew each time) with
REQUIRE_BROWSER=1, so a missing Chromium fails instead of skipping. The results are read from
pytest's JUnit XML report, one file per run. It prints one line per run, then how many runs
passed and every test that failed, with the runs it failed in and its first message line.
Exit status: 0 when every run passed, 1 otherwise, 2 for bad arguments.

``--load`` starts `mkdocs build --strict` in a loop in the background for the whole check
(into a temporary folder), the kind of load a busy 2-core CI machine has.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_junit(path: Path) -> tuple[int, dict[str, str]]:
    """(tests run, {test id: first line of its failure}) from one JUnit XML report.

    Raises ValueError when the file is missing or is not a JUnit report (pytest crashed)."""
    if not path.exists():
        raise ValueError(f"{path} was not written: pytest stopped before it could report")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"{path} is not a JUnit XML report ({exc})") from exc
    failed, total = {}, 0
    for case in root.iter("testcase"):
        total += 1
        for kind in ("failure", "error"):
            bad = case.find(kind)
            if bad is not None:
                name = f"{case.get('classname', '').replace('.', '/')}.py::{case.get('name')}"
                message = (bad.get("message") or bad.text or kind).strip().splitlines()
                failed[name] = (message[0] if message else kind)[:200]
    return total, failed


class BuildLoop:
    """`mkdocs build --strict` over and over in the background, until stopped (CPU load)."""

    def __init__(self, python: str) -> None:
        self.python, self.builds, self._stop = python, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with tempfile.TemporaryDirectory() as out:
            env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
            while not self._stop.is_set():
                subprocess.run([self.python, "-m", "mkdocs", "build", "--strict", "-q", "-d", out],
                               cwd=ROOT, env=env, capture_output=True)
                self.builds += 1

    def __enter__(self) -> "BuildLoop":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def parse_args(argv: list[str]) -> argparse.Namespace:
    """runs (int), load (bool) and pytest_args (list of str) from the command line; exits 2 on bad ones."""
    parser = argparse.ArgumentParser(prog="python3 tasks.py flake-check",
                                     description="Run the browser tests N times in a row.")
    parser.add_argument("runs", type=int, help="how many runs in a row, e.g. 5")
    parser.add_argument("--load", action="store_true", help="keep a second build running meanwhile")
    parser.add_argument("pytest_args", nargs="*", help="more pytest arguments, after --")
    # Everything after "--" goes to pytest as it is, wherever --load stands before it
    # (argparse alone rejects "5 --load -- -k search").
    ours, rest = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv else (argv, [])
    args = parser.parse_args(ours)
    args.pytest_args = [*args.pytest_args, *rest]
    if args.runs < 1:
        parser.error("give a number of runs of at least 1, e.g. python3 tasks.py flake-check 5")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)

    env = dict(os.environ, REQUIRE_BROWSER="1", NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    failures: dict[str, list[int]] = defaultdict(list)
    first_line: dict[str, str] = {}
    passed_runs = 0
    load = BuildLoop(sys.executable) if args.load else None
    with tempfile.TemporaryDirectory() as tmp, (load or contextlib.nullcontext()):
        for run in range(1, args.runs + 1):
            report = Path(tmp) / f"run-{run}.xml"
            start = time.monotonic()
            proc = subprocess.run([sys.executable, "-m", "pytest", "-m", "browser", "-q", "-p", "no:cacheprovider",
                                   f"--junitxml={report}", *args.pytest_args],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            seconds = time.monotonic() - start
            try:
                total, failed = parse_junit(report)
            except ValueError as exc:
                total, failed = 0, {"(the whole run)": f"{exc}. Last output: {proc.stdout[-300:]!r}"}
            if proc.returncode == 0 and not failed and total:
                passed_runs += 1
                print(f"run {run}/{args.runs}: passed, {total} tests, {seconds:.0f} s", flush=True)
            else:
                print(f"run {run}/{args.runs}: FAILED {len(failed) or '?'} of {total} tests, {seconds:.0f} s",
                      flush=True)
                for name, line in failed.items():
                    failures[name].append(run)
                    first_line.setdefault(name, line)
                    print(f"    {name}: {line}", flush=True)
    extra = f" (a second build ran {load.builds} times meanwhile)" if load else ""
    print(f"\n{passed_runs} of {args.runs} runs passed{extra}.")
    for name, runs in sorted(failures.items(), key=lambda item: -len(item[1])):
        print(f"  failed in {len(runs)} of {args.runs} runs ({', '.join(map(str, runs))}): {name}\n"
              f"      {first_line[name]}")
    return 0 if passed_runs == args.runs else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
