"""Pages: every page is in the nav and has title, description and sensible review dates."""
import datetime as dt
from checkers import load_hook
from checkers.frontmatter import check_docs
from conftest import DOCS, FIXTURES, ROOT, fixture_site, mkdocs_build

pages_hook = load_hook("pages")


def test_every_page_is_in_the_nav_with_required_front_matter():
    problems = check_docs(DOCS, ROOT / "mkdocs.yml")
    assert not problems, "Fix these pages:\n" + "\n".join(problems)


def test_checker_reports_missing_front_matter_and_missing_nav_entry():
    site = FIXTURES / "sites" / "missing-frontmatter"
    problems = "\n".join(check_docs(site / "docs", site / "mkdocs.yml"))
    assert "docs/orphan.md: this page is not in the nav" in problems, problems
    assert "docs/index.md:1: front matter is missing 'description:'" in problems, problems


def test_build_fails_on_missing_front_matter(tmp_path):
    result = mkdocs_build(fixture_site("missing-frontmatter"), tmp_path / "out")
    assert result.returncode != 0
    assert "docs/index.md: front matter is missing 'description:'" in result.output, result.output


def test_review_dates_must_be_in_order_and_within_three_years():
    meta = {"title": "T", "description": "D", "last_reviewed": dt.date(2026, 1, 1)}
    late = pages_hook.check_meta(dict(meta, next_review=dt.date(2029, 6, 1)), "docs/x.md")
    assert any("more than 3 years" in p for p in late), late
    backwards = pages_hook.check_meta(dict(meta, next_review=dt.date(2025, 1, 1)), "docs/x.md")
    assert any("must come after last_reviewed" in p for p in backwards), backwards
    text = pages_hook.check_meta(dict(meta, next_review="soon"), "docs/x.md")
    assert any("is not a date" in p for p in text), text


def test_overdue_review_is_a_notice_not_a_failure():
    meta = {"next_review": dt.date(2027, 1, 1)}
    notice = pages_hook.overdue_notice(meta, "docs/x.md", today=dt.date(2027, 6, 1))
    assert notice and "REVIEW OVERDUE: docs/x.md" in notice
    assert pages_hook.overdue_notice(meta, "docs/x.md", today=dt.date(2026, 6, 1)) is None
    assert not pages_hook.notice.name.startswith("mkdocs"), "strict mode would turn the notice into a failure"
