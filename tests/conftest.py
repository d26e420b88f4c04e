"""Shared fixtures: the site is built once per test session, with --strict and without -q.

Tests read the built HTML and the data files. They never re-implement the build.
"""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from checkers.buildlog import explain

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@dataclass
class Build:
    """The result of one `mkdocs build --strict`."""

    site: Path
    returncode: int
    output: str


def mkdocs_build(config: Path, out: Path, extra_env: dict | None = None) -> Build:
    """Run `mkdocs build --strict` for a config file into `out`. Never with -q: it hides warnings."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    env.update(extra_env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        cwd=config.parent, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=300,
    )  # one stream, so the log reads in order and "the first error" really comes first
    return Build(out, proc.returncode, proc.stdout)


NETWORK_WANTED = re.compile(r"(?<!not )\bnetwork\b")


def network_wanted(markexpr: str | None) -> bool:
    """True when `-m` asks for the network tests by name (``-m network``, ``-m "network or x"``).

    ``-m "not browser"`` or ``-m "not network"`` do not: offline is the default.
    """
    return bool(NETWORK_WANTED.search(markexpr or ""))


def pytest_collection_modifyitems(config, items):
    """Leave the live-internet tests out unless they were asked for, then apply the browser rule.

    Tests marked `network` need the live internet: they run only when `-m` names them
    (python3 tasks.py test -m network). pyproject's default `-m 'not network'` is replaced by
    any `-m` an editor types (for example `-m "not browser"`), so without this they would run,
    and fail, offline. This is the only collection hook in the test suite; the browser rule
    (browser_support.leave_out_browser_tests) is called from here, so neither replaces the other.
    """
    if not network_wanted(config.getoption("markexpr")):
        skip = pytest.mark.skip(reason="needs the internet; run with: python3 tasks.py test -m network")
        for item in items:
            if "network" in item.keywords:
                item.add_marker(skip)
    leave_out_browser_tests(config, items)


def browser_failure_text(nodeid: str, error: BaseException) -> str | None:
    """What a failed browser test prints instead of a traceback, or None to keep the traceback.

    Browser checks fail with messages whose first lines already name the page, palette, width,
    the problem and who fixes it; pytest's source listing and Playwright's internals would push
    that below 40 lines of traceback. An unexpected Python error (a bug in a test) keeps its
    traceback. Shape: the message, a blank line, then how to run the test alone.
    """
    from playwright.sync_api import Error as PlaywrightError
    if isinstance(error, AssertionError):
        text = str(error)
        text = re.split(r"\n(?:assert |where |\+  where )", text, maxsplit=1)[0]  # pytest's own explanation
    elif isinstance(error, PlaywrightError):
        message = str(getattr(error, "message", "") or error)
        first, _, log = message.partition("Call log:")
        steps = [line.strip() for line in log.splitlines() if line.strip()][:4]
        text = (f"The browser could not do a step of this test: {first.strip()}\n"
                "    This is usually a slow or changed page, not the page's Markdown."
                + "".join(f"\n    {step}" for step in steps))
    else:
        return None
    return f"{text.strip()}\n\n(test {nodeid}; run it alone with: python3 tasks.py test \"{nodeid}\")"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Browser tests: show the message first, without the traceback (see browser_failure_text)."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None and item.get_closest_marker("browser"):
        text = browser_failure_text(item.nodeid, call.excinfo.value)
        if text:
            report.longrepr = text


@pytest.fixture(scope="session")
def internet() -> None:
    """For `network` tests: skip them with one line when the live internet cannot be reached."""
    try:
        socket.create_connection(("doi.org", 443), timeout=5).close()
    except OSError as exc:
        pytest.skip(f"NETWORK TESTS NOT RUN: doi.org cannot be reached ({exc.__class__.__name__}: {exc}). "
                    "They check live links and identifiers; run them on a machine with internet access.")


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Build:
    """The real site, built once for the whole session."""
    return mkdocs_build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("built") / "site")


@pytest.fixture(scope="session")
def site(build) -> Path:
    """Path of the built site; fails every dependent test with the build log if the build failed."""
    if build.returncode != 0:
        explained = "".join(f"{line}\n" for line in explain(build.output, ROOT / "mkdocs.yml"))
        pytest.fail("The site did not build. Fix the first error below, then run the tests again.\n\n"
                    + (explained + "\nThe build log:\n" if explained else "") + build.output, pytrace=False)
    return build.site


@pytest.fixture(scope="session")
def html_pages(site) -> list[Path]:
    """Every content page of the built site (not redirect stubs, not the 404 page)."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        if is_redirect_stub(path.read_text(encoding="utf-8")):
            continue
        pages.append(path)
    return pages


def source_for(site: Path, html_file: Path) -> str:
    """Map a built page back to the Markdown file an editor should open."""
    rel = html_file.relative_to(site).parent.as_posix()
    return "docs/index.md" if rel in ("", ".") else f"docs/{rel}.md"


def fixture_site(name: str) -> Path:
    """The mkdocs.yml of a small broken fixture site under tests/fixtures/sites/."""
    return FIXTURES / "sites" / name / "mkdocs.yml"


# Real-browser fixtures (browser, base_url, site_urls) and the no-browser summary live in browser_support.py.
from browser_support import base_url, browser, is_redirect_stub, site_urls  # noqa: E402,F401
from browser_support import leave_out_browser_tests, pytest_terminal_summary  # noqa: E402,F401
