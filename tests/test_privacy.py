"""Privacy: no page loads anything from another origin (fonts, CDNs, analytics)."""
import shutil

from checkers.privacy import third_party_assets
from conftest import FIXTURES, ROOT, source_for


def test_built_site_loads_nothing_from_other_origins(site):
    problems = third_party_assets(site, source_of=lambda page: ROOT / source_for(site, page))
    assert not problems, "Third-party requests found:\n" + "\n".join(problems)


def test_google_fonts_are_off():
    assert "font: false" in (ROOT / "mkdocs.yml").read_text(), "Set theme.font: false in mkdocs.yml"


def test_privacy_checker_reports_remote_assets(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "html" / "third-party", site)
    problems = "\n".join(third_party_assets(site))
    assert "fonts.googleapis.com" in problems and "cdn.example.com/lib.js" in problems, problems
    assert "style.css:1" in problems, problems
