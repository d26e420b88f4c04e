"""Build: the site builds with --strict and prints no warning at all."""
import re

from conftest import ROOT


def test_build_succeeds_without_warnings(build):
    assert build.returncode == 0, "mkdocs build --strict failed. Fix the first error below:\n\n" + build.output
    warnings = [line for line in build.output.splitlines() if re.match(r"\s*(WARNING|ERROR)\b", line)]
    assert not warnings, "The build printed warnings (each one fails --strict):\n" + "\n".join(warnings)


def test_no_quiet_flag_anywhere():
    """`mkdocs build -q` hides warnings and still exits 0, so nothing may use it."""
    offenders = []
    for path in [ROOT / "tasks.py", ROOT / ".ci" / "run", *(ROOT / ".github").rglob("*.yml")]:
        if path.exists() and re.search(r"mkdocs\"?,? .*(\s|\")-q\b|mkdocs build[^\n]*\s-q\b", path.read_text()):
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"Remove -q from the mkdocs command in: {', '.join(offenders)}"


def test_material_end_of_life_banner_is_silenced(build):
    assert "Zensical" not in build.output, "Set NO_MKDOCS_2_WARNING=1 for every build (tasks.py does)."
