"""Links: every internal link and #anchor in the built HTML resolves; external links are https."""
import shutil
import subprocess
import sys
import urllib.request

import pytest
from checkers.links import check_links
from checkers.privacy import bad_external_links, external_links
from conftest import FIXTURES, ROOT, fixture_site, mkdocs_build, source_for


def test_internal_links_and_anchors_resolve(site):
    problems = check_links(site, source_of=lambda page: ROOT / source_for(site, page))
    assert not problems, "Broken internal links:\n" + "\n".join(problems)


def test_external_links_are_well_formed_https(site):
    problems = bad_external_links(site, source_of=lambda page: ROOT / source_for(site, page))
    assert not problems, "Malformed external links:\n" + "\n".join(problems)


@pytest.mark.network
def test_external_links_are_live(internet, site):
    """Opt in with: python3 tasks.py test -m network"""
    dead = []
    for url in sorted(external_links(site)):
        request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "lupus-guide-linkcheck"})
        try:
            urllib.request.urlopen(request, timeout=20)
        except Exception as exc:  # noqa: BLE001 - report every failure kind
            dead.append(f"{url}: {exc}")
    assert not dead, "Dead external links:\n" + "\n".join(dead)


# --- The checkers can fail: broken fixtures ------------------------------------------

@pytest.mark.parametrize("markexpr, wanted", [
    ("not network", False), ("not browser", False), ("not browser and not network", False), ("", False),
    ("network", True), ("network or browser", True), ("not browser and network", True)])
def test_network_tests_run_only_when_asked_for_by_name(markexpr, wanted):
    from conftest import network_wanted
    assert network_wanted(markexpr) is wanted, markexpr


def test_not_browser_leaves_the_live_link_check_out(tmp_path):
    """CONTRIBUTING's quick command, exactly as written, must not try the internet."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-m", "not browser", "-rs", "-p", "no:cacheprovider",
                           "tests/test_links.py::test_external_links_are_live"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "1 skipped" in proc.stdout, proc.stdout + proc.stderr
    assert "run with: python3 tasks.py test -m network" in proc.stdout, proc.stdout


def test_link_checker_reports_a_broken_link(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "broken-link", site)
    problems = check_links(site)
    assert len(problems) == 1, problems
    assert "index.html" in problems[0] and "no-such-page" in problems[0] and "does not exist" in problems[0]


def test_link_checker_reports_a_missing_anchor(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "missing-anchor", site)
    problems = check_links(site)
    assert len(problems) == 1, problems
    assert "#no-such-heading" in problems[0] and "has no element with that id" in problems[0]


def test_external_link_checker_reports_http_and_bad_hosts(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "bad-external", site)
    problems = "\n".join(bad_external_links(site))
    assert "must use https://" in problems and "no valid host name" in problems, problems


def test_build_fails_on_a_markdown_link_to_a_missing_page(tmp_path):
    result = mkdocs_build(fixture_site("broken-link"), tmp_path / "out")
    assert result.returncode != 0, "A link to a missing page must fail the strict build."
    assert "index.md" in result.output and "no-such-page.md" in result.output, result.output


def test_build_fails_on_a_markdown_link_to_a_missing_anchor(tmp_path):
    result = mkdocs_build(fixture_site("missing-anchor"), tmp_path / "out")
    assert result.returncode != 0, "A link to a missing #anchor must fail the strict build."
    assert "index.md" in result.output and "no-such-heading" in result.output, result.output


def test_build_lists_every_link_to_a_renamed_page_by_line(tmp_path):
    """CONTRIBUTING, 'Rename a page': after the redirect is added, the build names each link left."""
    result = mkdocs_build(fixture_site("renamed-page"), tmp_path / "out")
    assert result.returncode != 0, "Links to a renamed page's old name must stop the build."
    for needle in ("docs/index.md:12: the link 'old-name.md' uses the old name of a renamed page "
                   "(mkdocs.yml, redirect_maps: old-name.md: new-name.md). Change it to 'new-name.md'.",
                   "docs/index.md:18: the link 'old-name.md#risks' uses the old name of a renamed page",
                   "Change it to 'new-name.md#risks'.",
                   "docs/guide/more.md:12: the link '../old-name.md' uses the old name",
                   "Change it to '../new-name.md'."):
        assert needle in result.output, result.output
    assert "docs/index.md:15" not in result.output, "a link inside a code example is not a link"
