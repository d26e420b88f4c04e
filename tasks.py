#!/usr/bin/env python3
"""One entry point for editors and CI. Needs only Python 3.11+.

    python3 tasks.py serve [--port N]    live-reloading preview at http://127.0.0.1:8000 (or port N)
    python3 tasks.py build               build the static site into site/
    python3 tasks.py build --offline     the copy that works offline: site-offline/, dist/lupus-guide-offline.zip
    python3 tasks.py test [ARGS]         run the whole test suite (ARGS go to pytest)
    python3 tasks.py flake-check N       run the browser tests N times in a row; how many passed
    python3 tasks.py new-page "Title"    start a new page from the template
    python3 tasks.py add-reference FILE  add sources exported from Zotero, EndNote, Mendeley or PubMed
                                         (RIS, BibTeX, CSL JSON, .nbib); --write saves them
    python3 tasks.py readability         every page's reading level, as a table
    python3 tasks.py bench               build time, page weight, and Lighthouse if installed
    python3 tasks.py screenshots         screenshots of every page (light, dark; phone, desktop)
    python3 tasks.py lock                re-pin every dependency into requirements.lock
    python3 tasks.py --help              this list

Each command creates (or reuses) the virtual environment .venv and installs the
pinned dependencies from pyproject.toml, constrained by requirements.lock. `test` also
installs the Nu HTML Checker (vnu-jar, pinned in tools/vnu/package-lock.json) with
`npm ci` when npm is there; it runs on Java from apt (default-jre-headless).
Add --help after a command (python3 tasks.py serve --help) for its own options.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
LOCK = ROOT / "requirements.lock"
STAMP = VENV / ".installed-hash"
VNU = ROOT / "tools" / "vnu"            # package.json + package-lock.json pin vnu-jar


def _requirements(extras: bool = True) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"])
    if extras:
        reqs += project["optional-dependencies"]["test"]
    return reqs


def _constraints() -> Path:
    """requirements.lock minus the packages pyproject.toml pins itself, so a new pin there wins."""
    def name(req: str) -> str:
        return re.split(r"[=<>!~;\[\s]", req.strip(), maxsplit=1)[0].lower().replace("_", "-").replace(".", "-")
    direct = {name(req) for req in _requirements()}
    kept = [line for line in LOCK.read_text().splitlines()
            if line.strip() and not line.startswith("#") and name(line) not in direct]
    path = VENV / "constraints.txt"
    path.write_text("\n".join(kept) + "\n")
    return path


def ensure_venv() -> None:
    """Create .venv if needed and install pinned dependencies when they changed."""
    wanted = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + (LOCK.read_bytes() if LOCK.exists() else b"")
    ).hexdigest()
    if PY.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        print("Creating virtual environment in .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("Installing pinned dependencies ...", flush=True)
    cmd = [str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if LOCK.exists():
        cmd += ["-c", str(_constraints())]
    if subprocess.run(cmd + _requirements()).returncode != 0:
        raise SystemExit("pip could not install the versions pinned in pyproject.toml and requirements.lock "
                         "(its message is above). If you changed a version, check that it exists on PyPI; "
                         "if you have no internet, connect once and run the command again.")
    STAMP.write_text(wanted)


def ensure_vnu() -> None:
    """Install vnu-jar into tools/vnu/node_modules with `npm ci` when its lock file changed.

    `npm ci` installs exactly what tools/vnu/package-lock.json pins; --ignore-scripts skips
    vnu-jar's postinstall script, which would download a Java runtime (ours comes from apt).
    Without npm, or when npm fails (offline), it prints one line and carries on:
    tests/test_validity.py then skips with one line, or fails under REQUIRE_BROWSER=1 (CI).
    """
    lock = VNU / "package-lock.json"
    stamp = VNU / "node_modules" / ".installed-hash"
    wanted = hashlib.sha256(lock.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        print("Nu HTML Checker not installed: npm is missing (sudo apt-get install npm); "
              "the HTML validity test will be skipped.", flush=True)
        return
    print("Installing the Nu HTML Checker (npm ci in tools/vnu) ...", flush=True)
    proc = subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=VNU)
    if proc.returncode:
        print("Nu HTML Checker not installed: `npm ci` failed in tools/vnu (see above); "
              "the HTML validity test will be skipped.", flush=True)
        return
    stamp.write_text(wanted)


def run(args: list[str]) -> int:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    child = subprocess.Popen(args, cwd=ROOT, env=env)
    while True:
        try:
            return child.wait()
        except KeyboardInterrupt:  # Ctrl+C reaches the child too; let it finish and say its line
            continue


SCRIPTS = {"serve", "flake-check", "new-page", "add-reference", "readability", "bench", "screenshots"}  # scripts/<name>.py


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command not in SCRIPTS | {"build", "test", "lock"}:
        print(f"Unknown command {command!r}.\n{__doc__}")
        return 2
    ensure_venv()
    if command == "build":
        if "--offline" in rest:  # scripts/build_offline.py: the offline plugin on, then a zip
            rest.remove("--offline")
            return run([str(PY), str(ROOT / "scripts" / "build_offline.py"), *rest])
        return run([str(PY), "-m", "mkdocs", "build", "--strict", *rest])
    if command == "test":
        ensure_vnu()
        return run([str(PY), "-m", "pytest", *rest])
    if command == "lock":
        frozen = subprocess.run(
            [str(PY), "-m", "pip", "freeze", "--exclude-editable"],
            check=True, capture_output=True, text=True,
        ).stdout
        LOCK.write_text("# Generated by `python3 tasks.py lock`. Do not edit by hand.\n" + frozen)
        print(f"Wrote {LOCK.name}")
        return 0
    script = ROOT / "scripts" / f"{command.replace('-', '_')}.py"
    return run([str(PY), str(script), *rest])


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl+C: the command itself has said what stopped; no traceback here
        sys.exit(130)
