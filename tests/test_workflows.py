"""CI configuration: the GitHub workflows and the pre-commit hooks are valid and say what they must.

The workflows cannot run here, so each is linted against GitHub's workflow JSON schema with
check-jsonschema (its schemas are bundled, so this works offline) and its key facts are asserted.
A deliberately broken workflow under tests/fixtures/workflows/ proves both checks can fail.
"""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from conftest import FIXTURES, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
BROKEN = FIXTURES / "workflows" / "broken-test.yml"


def schema_lint(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema",
                           "vendor.github-workflows", *map(str, paths)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key `on:` as True
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    """(job, step) for every step of every job."""
    for job in (workflow.get("jobs") or {}).values():
        for step in job.get("steps") or []:
            yield job, step


def uses(workflow: dict, action: str) -> list[dict]:
    return [step for _, step in steps(workflow) if str(step.get("uses", "")).split("@")[0] == action]


def env_of(workflow: dict, job: dict, step: dict) -> dict:
    return {**(workflow.get("env") or {}), **(job.get("env") or {}), **(step.get("env") or {})}


def check_test_workflow(path: Path) -> list[str]:
    """Key facts of the test workflow; one message per missing fact, naming the file."""
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    wf, problems = load(path), []
    on = wf.get("on") or {}
    if "pull_request" not in on:
        problems.append(f"{name}: add 'pull_request:' under 'on:' so every pull request is tested.")
    if "main" not in str((on.get("push") or {}).get("branches", "")):
        problems.append(f"{name}: add 'push: branches: [main]' under 'on:' so main is tested too.")
    if any(job.get("runs-on") != "ubuntu-latest" for job in (wf.get("jobs") or {}).values()):
        problems.append(f"{name}: every job needs 'runs-on: ubuntu-latest'.")
    if not any(str((s.get("with") or {}).get("python-version")) == "3.11" for s in uses(wf, "actions/setup-python")):
        problems.append(f"{name}: add an actions/setup-python step with python-version: \"3.11\".")
    runs = [(job, step) for job, step in steps(wf) if "run" in step]
    if not any(re.search(r"apt-get install\b.*\bchromium\b", s["run"]) for _, s in runs):
        problems.append(f"{name}: add a step that runs 'sudo apt-get install -y chromium'.")
    test_steps = [(j, s) for j, s in runs if "python3 tasks.py test" in s["run"]]
    if not test_steps:
        problems.append(f"{name}: add a step 'run: python3 tasks.py test' (the README's test command).")
    elif not all(str(env_of(wf, j, s).get("REQUIRE_BROWSER")) == "1" for j, s in test_steps):
        problems.append(f"{name}: give the test step 'env: REQUIRE_BROWSER: \"1\"' so a missing browser "
                        f"fails instead of skipping.")
    return problems


# --- The real workflows -----------------------------------------------------------------

def test_every_workflow_passes_the_schema_lint():
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert {"test.yml", "deploy.yml", "links.yml"} <= {f.name for f in files}, [f.name for f in files]
    result = schema_lint(*files)
    assert result.returncode == 0, "Fix these workflows (GitHub would reject them):\n" + result.stdout + result.stderr


def test_test_workflow_runs_the_readme_command_with_chromium():
    problems = check_test_workflow(WORKFLOWS / "test.yml")
    assert not problems, "\n".join(problems)


def test_deploy_workflow_builds_strict_and_publishes_with_the_pages_actions():
    wf = load(WORKFLOWS / "deploy.yml")
    assert "main" in str(wf["on"]["push"]["branches"])
    runs = [s["run"] for _, s in steps(wf) if "run" in s]
    assert any("python3 tasks.py build" in r for r in runs), "deploy.yml must build with: python3 tasks.py build"
    assert re.search(r'"build", "--strict"', (ROOT / "tasks.py").read_text()), "tasks.py build must pass --strict"
    assert not any(re.search(r"mkdocs build(?![^\n]*--strict)", r) for r in runs), "never build without --strict"
    assert uses(wf, "actions/configure-pages") and uses(wf, "actions/deploy-pages")
    upload = uses(wf, "actions/upload-pages-artifact")
    assert upload and upload[0]["with"]["path"].rstrip("/") == "site", "upload the site/ folder"
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False
    deploy_job = next(job for job in wf["jobs"].values() if any(
        str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in job.get("steps", [])))
    assert deploy_job["environment"]["name"] == "github-pages" and deploy_job.get("needs")


def offline_zip() -> Path:
    """Where `python3 tasks.py build --offline` writes the zip (scripts/build_offline.py, ZIP)."""
    spec = importlib.util.spec_from_file_location("build_offline", ROOT / "scripts" / "build_offline.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.ZIP


def check_deploy_offline(path: Path) -> list[str]:
    """The deploy workflow builds the offline copy, then publishes its zip with the site."""
    name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
    wf = load(path)
    runs = [(job, step) for job, step in steps(wf) if "run" in step]
    offline = [i for i, (_, s) in enumerate(runs) if "python3 tasks.py build --offline" in s["run"]]
    online = [i for i, (_, s) in enumerate(runs)
              if re.search(r"python3 tasks\.py build(?! --offline)", s["run"])]
    zip_path = offline_zip().relative_to(ROOT).as_posix()
    if not offline:
        return [f"{name}: add a step 'run: python3 tasks.py build --offline' before the site's build, so the "
                f"offline copy ({zip_path}) is built and published."]
    problems = []
    if not online or offline[0] > online[-1]:
        problems.append(f"{name}: build the offline copy (python3 tasks.py build --offline) before the site.")
    elif str(env_of(wf, *runs[online[-1]]).get("OFFLINE_DOWNLOAD")) != zip_path:
        problems.append(f"{name}: give the site's build step 'env: OFFLINE_DOWNLOAD: {zip_path}', so the site "
                        f"publishes the offline copy and links to it.")
    return problems


def test_deploy_workflow_builds_and_publishes_the_offline_copy():
    problems = check_deploy_offline(WORKFLOWS / "deploy.yml")
    assert not problems, "\n".join(problems)


def test_offline_check_rejects_a_deploy_workflow_without_the_offline_copy(tmp_path):
    wf = load(WORKFLOWS / "deploy.yml")
    for job in wf["jobs"].values():
        job["steps"] = [s for s in job.get("steps", []) if "--offline" not in s.get("run", "")]
    path = tmp_path / "deploy.yml"
    path.write_text(yaml.safe_dump(wf))
    problems = check_deploy_offline(path)
    assert len(problems) == 1 and "add a step 'run: python3 tasks.py build --offline'" in problems[0], problems
    wf = load(WORKFLOWS / "deploy.yml")
    for _, step in steps(wf):
        if "OFFLINE_DOWNLOAD" in (step.get("env") or {}):
            del step["env"]["OFFLINE_DOWNLOAD"]
    path.write_text(yaml.safe_dump(wf))
    problems = check_deploy_offline(path)
    assert len(problems) == 1 and "OFFLINE_DOWNLOAD: dist/lupus-guide-offline.zip" in problems[0], problems


def test_link_workflow_runs_weekly_checks_external_links_and_reports_failures():
    wf = load(WORKFLOWS / "links.yml")
    crons = [entry["cron"] for entry in wf["on"]["schedule"]]
    assert crons and all(re.fullmatch(r"\d+ \d+ \* \* [0-6]", c) for c in crons), f"weekly cron expected: {crons}"
    assert "workflow_dispatch" in wf["on"]
    assert any("python3 tasks.py build" in s.get("run", "") for _, s in steps(wf)), "check the built site"
    lychee = uses(wf, "lycheeverse/lychee-action")
    assert lychee and "site/" in lychee[0]["with"]["args"] and "--scheme https" in lychee[0]["with"]["args"]
    report = uses(wf, "peter-evans/create-issue-from-file")
    assert report and "exit_code != 0" in report[0]["if"], "open an issue when lychee finds a broken link"
    assert wf["permissions"].get("issues") == "write"
    assert any(s.get("run", "").strip() == "exit 1" and "exit_code != 0" in s.get("if", "")
               for _, s in steps(wf)), "the run must also fail visibly"


# --- The checks can fail: a broken workflow -------------------------------------------------

def test_schema_lint_rejects_a_broken_workflow():
    result = schema_lint(BROKEN)
    assert result.returncode != 0, "check-jsonschema accepted a broken workflow"
    assert "broken-test.yml" in result.stdout and "'runs-on' is a required property" in result.stdout, result.stdout


def test_fact_check_rejects_the_broken_workflow():
    problems = "\n".join(check_test_workflow(BROKEN))
    for needle in ("push: branches: [main]", "runs-on: ubuntu-latest", "python-version", "apt-get install",
                   "run: python3 tasks.py test"):
        assert needle in problems, f"missed: {needle}\n{problems}"
    assert problems.startswith("tests/fixtures/workflows/broken-test.yml: "), problems


def test_fact_check_requires_require_browser_on_the_test_step(tmp_path):
    wf = load(WORKFLOWS / "test.yml")
    for _, step in steps(wf):
        step.pop("env", None)
    path = tmp_path / "no-env.yml"
    path.write_text(yaml.safe_dump(wf))
    problems = check_test_workflow(path)
    assert len(problems) == 1 and "REQUIRE_BROWSER" in problems[0] and "no-env.yml" in problems[0], problems


# --- pre-commit ----------------------------------------------------------------------------

def test_pre_commit_config_lists_the_fast_checks():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"check-yaml", "trailing-whitespace", "end-of-file-fixer", "codespell"} <= set(hooks), sorted(hooks)
    assert "--unsafe" in hooks["check-yaml"].get("args", []), "mkdocs.yml has !ENV tags: check-yaml needs --unsafe"
    assert "--ignore-words=tests/wordlist.txt" in hooks["codespell"]["args"]
    pinned = next(d for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
                  ["optional-dependencies"]["test"] if d.startswith("codespell=="))
    used = next(d for d in hooks["codespell"]["additional_dependencies"] if d.startswith("codespell=="))
    assert used == pinned.split()[0], f"pre-commit's {used} differs from pyproject.toml's {pinned}"
    remote = [r["repo"] for r in config["repos"] if r["repo"] != "local"]
    assert not remote, f"pre-commit hooks from {remote} need GitHub; make them 'local' hooks installed from PyPI"
    slow = {"pytest", "mkdocs", "tasks"} & {h.get("entry", hid).split()[0] for hid, h in hooks.items()}
    assert not slow, f"pre-commit must stay fast; move {slow} to the test suite"


def test_wordlist_is_one_word_per_line():
    lines = (ROOT / "tests" / "wordlist.txt").read_text(encoding="utf-8").splitlines()
    bad = [f"tests/wordlist.txt:{n}: {line!r}" for n, line in enumerate(lines, 1)
           if not re.fullmatch(r"[A-Za-z][A-Za-z'-]*", line)]
    assert not bad, ("Each line of tests/wordlist.txt must be one correctly spelled word, nothing else "
                     "(no spaces, comments or blank lines). Write it in lower case to accept any case:\n"
                     + "\n".join(bad))


# --- tasks.py: a new pin in pyproject.toml wins over the old line in requirements.lock ---------

def test_constraints_leave_out_the_packages_pyproject_pins(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("guide_tasks", ROOT / "tasks.py")
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    lock = tmp_path / "requirements.lock"
    lock.write_text("# Generated\nclick==8.5.1\nmkdocs-material==9.8.1\nmkdocs_material_extensions==1.3.1\n"
                    "PyYAML==6.0.1\npyyaml_env_tag==1.1\n")
    monkeypatch.setattr(tasks, "LOCK", lock)
    monkeypatch.setattr(tasks, "VENV", tmp_path)
    kept = tasks._constraints().read_text().split()
    assert kept == ["click==8.5.1", "mkdocs_material_extensions==1.3.1", "pyyaml_env_tag==1.1"], kept


# --- README names every system package the tests need (the ones .ci/run installs) ---------------

def system_packages(ci_script: str) -> set[str]:
    """Debian packages .ci/run installs: each `need+=(name)`."""
    return set(re.findall(r"need\+=\(([a-z0-9.+-]+)\)", ci_script))


def test_readme_names_every_system_package_ci_installs():
    packages = system_packages((ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert {"chromium", "poppler-utils"} <= packages, packages
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next((l for l in readme.splitlines() if "apt-get install" in l), "")
    missing = sorted(p for p in packages if p not in line.split())
    assert not missing, (f"README.md: add {missing} to the 'sudo apt-get install ...' line and say what each is "
                         f"for; .ci/run installs them because the tests need them.")
    assert system_packages("need+=(chromium)\nneed+=(default-jre-headless)") == {"chromium", "default-jre-headless"}
