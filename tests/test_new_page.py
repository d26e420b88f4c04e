"""New page command: `python3 tasks.py new-page "Title"` makes a page that builds, and refuses bad input.

The command runs against a temporary docs folder (--docs-dir), so the real docs/ is never touched.
A last test checks that no real page still holds the template's "Edit me:" placeholders.
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from checkers import load_hook
from conftest import DOCS, ROOT, mkdocs_build
from mkdocs.utils import meta as mkdocs_meta

SCRIPT = ROOT / "scripts" / "new_page.py"
_spec = importlib.util.spec_from_file_location("guide_new_page", SCRIPT)
new_page = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(new_page)

TREATMENT_SECTIONS = ["How it works", "What studies found", "Risks", "What we don't know yet",
                      "Other treatment choices", "Questions to ask"]


def run(tmp_path: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess:
    """Run the command as tasks.py does, into tmp_path/docs."""
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    cmd = [sys.executable, str(SCRIPT), *args, "--docs-dir", str(docs)]
    if config:
        cmd += ["--config", str(config)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)


def placeholders(docs: Path) -> list[str]:
    """One message per template placeholder left in a page: file:line, the text, what to do."""
    problems = []
    for page in sorted(docs.glob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
            if new_page.PLACEHOLDER in line:
                problems.append(f"{page.relative_to(docs.parent)}:{number}: template text is still here: "
                                f"{line.strip()[:90]!r}. Replace it with your own words, or delete the line.")
    return problems


def test_creates_a_page_with_front_matter_and_prints_the_nav_line(tmp_path):
    result = run(tmp_path, "Living with lupus: day to day")
    assert result.returncode == 0, result.stderr
    page = tmp_path / "docs" / "living-with-lupus-day-to-day.md"
    assert page.exists(), result.stdout
    markdown, meta = mkdocs_meta.get_data(page.read_text(encoding="utf-8"))
    today = dt.date.today()
    assert meta["title"] == "Living with lupus: day to day"
    assert meta["last_reviewed"] == today
    assert meta["next_review"] == new_page.review_dates(today)[1] > today
    assert isinstance(meta["tags"], list) and meta["description"]
    assert load_hook("pages").check_meta(meta, "new.md") == [], "the template's front matter must pass the build"
    assert '!!! key-points "Key points"' in markdown
    assert "# Living with lupus: day to day" in markdown
    nav = [line for line in result.stdout.splitlines() if line.strip().startswith("- ")]
    assert nav == ['      - "Living with lupus: day to day": living-with-lupus-day-to-day.md'], result.stdout
    assert yaml.safe_load(nav[0].strip()) == [{"Living with lupus: day to day": "living-with-lupus-day-to-day.md"}]
    assert "mkdocs.yml" in result.stdout and "Treatments" in result.stdout
    assert "tests/golden_urls.txt" in result.stdout and "  /living-with-lupus-day-to-day/\n" in result.stdout


def test_treatment_page_has_the_required_sections_and_help_boxes(tmp_path):
    result = run(tmp_path, "CAR-T cell therapy", "--treatment", "--slug", "car-t")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "docs" / "car-t.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == TREATMENT_SECTIONS, headings
    assert '!!! help-urgent "Urgent: ' in text and '!!! help-soon "Soon: ' in text


def test_the_new_page_builds_with_the_real_hooks(tmp_path):
    """The generated Markdown goes through a strict build with the citations and pages hooks."""
    assert run(tmp_path, "A new page", "--treatment").returncode == 0
    (tmp_path / "docs" / "data").mkdir()
    (tmp_path / "docs" / "data" / "references.yml").write_text("[]\n")
    hooks = ROOT / "overrides" / "hooks"
    config = tmp_path / "mkdocs.yml"
    config.write_text(yaml.safe_dump({
        "site_name": "New page check", "site_url": "https://example.org/", "strict": True,
        "theme": {"name": "mkdocs"}, "exclude_docs": "data/\n",
        "markdown_extensions": ["admonition", "attr_list", "toc"],
        "hooks": [str(hooks / "citations.py"), str(hooks / "pages.py")],
        "extra": {"references_file": "docs/data/references.yml"},
        "nav": [{"A new page": "a-new-page.md"}],
    }))
    result = mkdocs_build(config, tmp_path / "site")
    assert result.returncode == 0, result.output
    assert (tmp_path / "site" / "a-new-page" / "index.html").exists()


def test_refuses_to_overwrite_an_existing_page(tmp_path):
    assert run(tmp_path, "Living with lupus").returncode == 0
    page = tmp_path / "docs" / "living-with-lupus.md"
    page.write_text("An editor's own work.\n")
    again = run(tmp_path, "Living with lupus")
    assert again.returncode == 1
    assert "living-with-lupus.md already exists, so nothing was written" in again.stderr, again.stderr
    assert page.read_text() == "An editor's own work.\n"


@pytest.mark.parametrize("slug", ["Bad_Slug", "two words", "../escape", "-lead", "trail-", "a--b", "x" * 61,
                                  "page.md"])
def test_refuses_a_bad_slug(tmp_path, slug):
    result = run(tmp_path, "Some title", f"--slug={slug}")
    assert result.returncode == 1
    assert f"the slug {slug!r} is not allowed" in result.stderr and "--slug living-with-lupus" in result.stderr
    assert not any(tmp_path.rglob("*.md")), "nothing may be written for a bad slug"


def test_refuses_a_slug_the_site_uses_and_a_title_without_letters(tmp_path):
    assert "is used by the site itself" in run(tmp_path, "Assets").stderr
    result = run(tmp_path, "???")
    assert result.returncode == 1 and "Give one with --slug" in result.stderr, result.stderr


def test_refuses_an_old_address_that_redirects(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\nsite_url: !ENV [SITE_URL, 'https://example.org/']\nplugins:\n"
                      "  - redirects:\n      redirect_maps:\n        old-page.md: new-page.md\n")
    result = run(tmp_path, "Old page", config=config)
    assert result.returncode == 1
    assert "'old-page.md' is an old address that now redirects to 'new-page.md'" in result.stderr, result.stderr


def test_next_review_after_29_february_is_28_february():
    assert new_page.review_dates(dt.date(2028, 2, 29)) == (dt.date(2028, 2, 29), dt.date(2029, 2, 28))


def test_placeholder_check_names_file_line_and_text(tmp_path):
    run(tmp_path, "Half written")
    problems = placeholders(tmp_path / "docs")
    assert problems and problems[0].startswith("docs/half-written.md:3: template text is still here: "), problems
    assert "Replace it with your own words" in problems[0]


def test_no_page_still_has_template_text():
    problems = placeholders(DOCS)
    assert not problems, "\n".join(problems)
