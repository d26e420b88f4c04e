"""Editor commands (tasks.py): the help lists them all; the preview reloads under the strict CSP;
a busy port and Ctrl+C say one plain line; flake-check reads each run's report."""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import flake_check  # noqa: E402
import serve as preview  # noqa: E402


def _tasks():
    spec = importlib.util.spec_from_file_location("tasks", ROOT / "tasks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_help_lists_every_command():
    tasks = _tasks()
    text = subprocess.run([sys.executable, "tasks.py", "--help"], cwd=ROOT, capture_output=True, text=True).stdout
    for command in sorted(tasks.SCRIPTS | {"build", "test", "lock"}):
        assert f"python3 tasks.py {command}" in text, f"tasks.py --help does not list '{command}'"
    for command in tasks.SCRIPTS:
        assert (ROOT / "scripts" / f"{command.replace('-', '_')}.py").exists(), f"no scripts/ file for {command}"
    unknown = subprocess.run([sys.executable, "tasks.py", "no-such-command"], cwd=ROOT, capture_output=True, text=True)
    assert unknown.returncode == 2 and "Unknown command 'no-such-command'" in unknown.stdout


# --- The preview: strict CSP, relaxed only for its reload script ------------------------------

def test_preview_allows_only_its_own_reload_script(site):
    page = (site / "hsct" / "index.html").read_bytes()
    served = preview.allow_reload_script(page, b"livereload(1, 2);", "abc123")
    policy = re.search(rb'Content-Security-Policy" content="([^"]+)"', served).group(1).decode()
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'nonce-abc123'" in script_src and "'unsafe-inline'" not in policy, policy
    assert served.count(b"nonce-abc123") == 1 and b'<script nonce="abc123">livereload(1, 2);</script></body>' in served
    assert served.replace(b" 'nonce-abc123'", b"").replace(b'<script nonce="abc123">livereload(1, 2);</script>', b"") \
        == page, "the preview changed more of the page than its policy and its reload script"
    bare = preview.allow_reload_script(b"<html><body><p>x</p></body></html>", b"x()", "n")
    assert bare == b'<html><body><p>x</p><script nonce="n">x()</script></body></html>', bare


def test_built_pages_never_carry_the_preview_relaxation(site):
    bad = [str(p.relative_to(site)) for p in site.rglob("*.html")
           if re.search(r"'nonce-|'unsafe-inline'|livereload", p.read_text(encoding="utf-8"))]
    assert not bad, f"Built pages carry the preview's reload script or a relaxed policy: {bad}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_busy_port_says_one_line_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = subprocess.run([sys.executable, "scripts/serve.py", "--port", str(port)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 1, lines
    assert lines[0] == (f"Port {port} is already in use (is another preview running?). Stop it, or choose "
                        f"another port: python3 tasks.py serve --port {port + 1}"), lines


def _project_copy(tmp: Path) -> Path:
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    return tmp / "mkdocs.yml"


def _start_preview(config: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, str(ROOT / "scripts" / "serve.py"), "--port", str(port), "-f", str(config)],
                            cwd=config.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120  # the first build; a ceiling, not a pause
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("the preview stopped while starting:\n" + proc.stdout.read())
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc
        except OSError:
            time.sleep(0.2)  # polling interval while the first build runs
    proc.kill()
    pytest.fail(f"the preview did not answer on port {port} within 120 s")


def test_ctrl_c_stops_the_preview_with_one_line(tmp_path):
    port = _free_port()
    proc = _start_preview(_project_copy(tmp_path), port)
    os.killpg(proc.pid, signal.SIGINT)
    out = proc.communicate(timeout=60)[0]
    assert proc.returncode == 0 and "Traceback" not in out, out
    assert out.rstrip().splitlines()[-1] == "Preview stopped." and "Shutting down" not in out, out


@pytest.mark.browser
def test_preview_reloads_when_a_page_is_saved(browser, tmp_path):
    from browser_support import wait_until
    from test_browser import CSP_LISTENER
    config = _project_copy(tmp_path)
    port = _free_port()
    proc = _start_preview(config, port)
    context = browser.new_context()
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    try:
        page.goto(f"http://127.0.0.1:{port}/hsct/", wait_until="load")
        wait_until(page, "() => true", "the page")
        assert page.evaluate("window.__guideCsp") == [], page.evaluate("window.__guideCsp")
        source = tmp_path / "docs" / "hsct.md"
        text = source.read_text(encoding="utf-8")
        source.write_text(text.replace("\n# ", "\n# Saved just now: ", 1), encoding="utf-8")
        wait_until(page, "() => document.querySelector('h1').textContent.startsWith('Saved just now')",
                   "the preview to reload the page after docs/hsct.md was saved",
                   "() => ({heading: document.querySelector('h1').textContent, csp: window.__guideCsp})",
                   timeout=120_000)
        assert page.evaluate("window.__guideCsp") == [], "the reloaded page broke the CSP"
        assert "Enabled live reload" in console, console
    finally:
        context.close()
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=60)


# --- flake-check: reads each run's JUnit report ---------------------------------------------

def test_flake_check_reads_failures_from_a_junit_report(tmp_path):
    report = tmp_path / "run.xml"
    report.write_text(
        '<?xml version="1.0"?><testsuites><testsuite name="pytest" tests="3">'
        '<testcase classname="tests.test_browser" name="test_ok"/>'
        '<testcase classname="tests.test_browser" name="test_bad"><failure message="docs/x.md [/x/, light, 360px]: '
        'too wide">long text</failure></testcase>'
        '<testcase classname="tests.test_search" name="test_setup"><error message="Waited 15 s for the search '
        'results"/></testcase></testsuite></testsuites>', encoding="utf-8")
    total, failed = flake_check.parse_junit(report)
    assert total == 3, total
    assert failed == {"tests/test_browser.py::test_bad": "docs/x.md [/x/, light, 360px]: too wide",
                      "tests/test_search.py::test_setup": "Waited 15 s for the search results"}, failed
    with pytest.raises(ValueError, match="was not written"):
        flake_check.parse_junit(tmp_path / "missing.xml")
    (tmp_path / "bad.xml").write_text("<not closed", encoding="utf-8")
    with pytest.raises(ValueError, match="is not a JUnit XML report"):
        flake_check.parse_junit(tmp_path / "bad.xml")


def test_flake_check_takes_load_before_and_pytest_arguments_after_the_double_dash():
    args = flake_check.parse_args(["3", "--load", "--", "-k", "search", "--maxfail=1"])
    assert (args.runs, args.load, args.pytest_args) == (3, True, ["-k", "search", "--maxfail=1"]), args
    args = flake_check.parse_args(["2", "--", "-k", "load"])
    assert (args.runs, args.load, args.pytest_args) == (2, False, ["-k", "load"]), args


def test_flake_check_refuses_zero_runs():
    proc = subprocess.run([sys.executable, "scripts/flake_check.py", "0"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and "at least 1" in proc.stderr, proc.stderr
