"""Valid HTML and CSS: the Nu HTML Checker (vnu.jar, the W3C validator) reports 0 errors on every built
page and on the guide's own stylesheets (docs/stylesheets, in a second run with --css).

vnu runs once, in one Java process, over every built .html file plus a small broken fixture
(tests/fixtures/html/invalid/index.html), so the suite pays for one start of Java. The fixture
proves the checker can fail: it carries the faults Material's templates used to produce
(tabindex="" on a label, autocomplete on a checkbox).

Needs Java (`sudo apt-get install default-jre-headless`) and vnu-jar, which `python3 tasks.py test`
installs with `npm ci` into tools/vnu/node_modules (the version is pinned in
tools/vnu/package-lock.json). Without them the tests are skipped with one line; with
REQUIRE_BROWSER=1 (set by CI, which must run every checker) they fail instead.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

VNU_JAR = ROOT / "tools" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
BROKEN = FIXTURES / "html" / "invalid" / "index.html"
BROKEN_CSS = FIXTURES / "css" / "unclosed.css"
INSTALL = ("install Java with `sudo apt-get install default-jre-headless`, and vnu-jar with "
           "`python3 tasks.py test` (it runs `npm ci` in tools/vnu; needs npm)")


def vnu_command(java: str | None = None, jar: Path = VNU_JAR) -> list[str] | None:
    """The command that runs vnu, or None when Java or vnu.jar is missing."""
    java = java or shutil.which("java")
    if not java or not jar.is_file():
        return None
    return [java, "-Xss1m", "-jar", str(jar), "--errors-only", "--format", "json", "--exit-zero-always"]


def missing_tool_line(java: str | None, jar: Path) -> str:
    missing = [name for name, ok in (("java", bool(java)), (f"vnu.jar ({jar.relative_to(ROOT)})", jar.is_file()))
               if not ok]
    return f"HTML VALIDITY NOT CHECKED: {' and '.join(missing)} missing; {INSTALL}."


def run_vnu(command: list[str], files: list[Path]) -> dict[Path, list[dict]]:
    """{file: [vnu message, ...]} for every file (an empty list when it is valid)."""
    proc = subprocess.run(command + [str(f) for f in files], capture_output=True, text=True, timeout=600)
    try:
        messages = json.loads(proc.stderr or proc.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(f"vnu did not report in JSON (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    found: dict[Path, list[dict]] = {f: [] for f in files}
    for message in messages:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else None
        if path is None or path not in found:  # a fatal problem that names no file
            raise AssertionError(f"vnu could not check the files: {message}")
        found[path].append(message)
    return found


def validity_problems(found: dict[Path, list[dict]], site: Path) -> list[str]:
    """One line per error: built file:line:column, the source to open, vnu's message, and the markup."""
    problems = []
    for file, messages in found.items():
        for m in messages:
            if m.get("type") != "error":
                continue
            try:
                rel = file.relative_to(site).as_posix()
            except ValueError:
                rel = file.as_posix()
            page = rel.removesuffix("index.html").rstrip("/")
            source = ("docs/index.md" if page == "" else f"docs/{page}.md" if rel.endswith("index.html")
                      else f"docs/{rel}" if rel.endswith(".css") else rel)
            where = f"{rel}:{m.get('lastLine', '?')}:{m.get('firstColumn', m.get('lastColumn', '?'))}"
            extract = m.get("extract") or ""
            if "hiliteStart" in m:  # the faulty markup itself, without vnu's context
                extract = extract[m["hiliteStart"]:m["hiliteStart"] + m.get("hiliteLength", 0)] or extract
            extract = " ".join(extract.split())[:120]
            if rel.endswith(".css"):
                problems.append(f"{where} (stylesheet {source}): {m['message']}\n    code: {extract}\n"
                                f"    fix: in {source}, near that line: often a block left open (a missing "
                                "'}'), which makes every rule after it apply only inside that block.")
                continue
            problems.append(f"{where} (page {source}): {m['message']}\n    markup: {extract}\n"
                            "    fix: in the page's Markdown if the markup is its own text; otherwise in "
                            "overrides/ (string edits of a block's super(), see overrides/main.html).")
    return problems


def require_vnu(java: str | None, jar: Path = VNU_JAR) -> list[str]:
    """The vnu command; or skip with one line (fail under REQUIRE_BROWSER=1) when a tool is missing."""
    command = vnu_command(java, jar)
    if command is None:
        line = missing_tool_line(java, jar)
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(line + " REQUIRE_BROWSER=1 (CI) is set, so this is an error.", pytrace=False)
        pytest.skip(line)
    return command


@pytest.fixture(scope="module")
def vnu_results(site) -> dict[Path, list[dict]]:
    command = require_vnu(shutil.which("java"))
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10, f"only {len(pages)} HTML files were built in {site}"
    own_css = sorted((site / "stylesheets").glob("*.css"))   # the guide's own (docs/stylesheets), not the theme's
    assert own_css, f"no stylesheet built in {site / 'stylesheets'}"
    # The stylesheets in a second run with --css: vnu's --also-check-css shifts the line numbers
    # it reports for HTML files by one (vnu 24.x), which would send a maintainer to the wrong line.
    return {**run_vnu(command, pages + [BROKEN]), **run_vnu(command + ["--css"], own_css + [BROKEN_CSS])}


def test_every_built_page_is_valid_html(vnu_results, site):
    problems = validity_problems({f: m for f, m in vnu_results.items() if f not in (BROKEN, BROKEN_CSS)}, site)
    assert not problems, (f"The Nu HTML Checker found {len(problems)} error(s) in the built site:\n"
                          + "\n".join(problems))


def test_validity_checker_reports_a_broken_page(vnu_results, site):
    problems = validity_problems({BROKEN: vnu_results[BROKEN]}, BROKEN.parent.parent)
    text = "\n".join(problems)
    assert len(problems) == 2, text
    assert "invalid/index.html:6:" in text and "“tabindex”" in text, text
    assert "invalid/index.html:5:" in text and "“autocomplete”" in text, text
    assert "markup: <input" in text and "fix: " in text, text


def test_validity_checker_reports_a_stylesheet_left_open(vnu_results):
    problems = validity_problems({BROKEN_CSS: vnu_results[BROKEN_CSS]}, BROKEN_CSS.parent.parent)
    text = "\n".join(problems)
    assert problems and text.startswith("css/unclosed.css:"), text
    assert "(stylesheet docs/css/unclosed.css): CSS: Parse Error" in text and "a missing '}'" in text, text


def test_missing_java_or_vnu_skips_with_one_line_or_fails_in_ci(monkeypatch):
    jar = ROOT / "tools" / "vnu" / "missing.jar"
    monkeypatch.delenv("REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_vnu(None, jar)
    line = str(skipped.value)
    assert "\n" not in line and "java and vnu.jar (tools/vnu/missing.jar) missing" in line, line
    assert "default-jre-headless" in line and "npm ci" in line, line
    with pytest.raises(pytest.skip.Exception) as skipped:
        require_vnu("/usr/bin/java", jar)
    assert "NOT CHECKED: vnu.jar (tools/vnu/missing.jar) missing" in str(skipped.value)
    monkeypatch.setenv("REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception) as failed:
        require_vnu(None, jar)
    assert "REQUIRE_BROWSER=1 (CI) is set" in str(failed.value)
