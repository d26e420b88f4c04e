"""Security headers: the built site ships a _headers file whose Content-Security-Policy works as a header.

GitHub Pages cannot send headers, so every page carries the CSP as a meta tag
(overrides/partials/head-meta.html). Hosts that read a _headers file (Netlify, Cloudflare
Pages) send it as a header too, which also covers what a meta tag cannot: frame-ancestors,
and Material's start-up script in <head>, which runs before the meta tag and differs with the
page's depth. overrides/hooks/headers.py writes _headers from the meta policy and those
scripts' hashes, plus X-Content-Type-Options, Referrer-Policy and Permissions-Policy
(mkdocs.yml, extra: headers).

The browser test serves the built site through a server that applies _headers, as such a
host would (browser_support.serve(headers_file=...)), and opens every page: no CSP violation,
no console error, and search works. A _headers file missing a hash proves it can fail.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from browser_support import (WaitFailed, headers_for, is_redirect_stub, label_for, open_search, read_headers_file,
                             serve)

HEADERS = "_headers"
HOOK = "overrides/hooks/headers.py"
REQUIRED = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "Permissions-Policy")
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"')
CSP_LISTENER = """window.__guideCsp = [];
document.addEventListener('securitypolicyviolation', e => window.__guideCsp.push(
  `${e.blockedURI === 'inline' ? (e.violatedDirective.startsWith('style') ? 'an inline style' : 'an inline script')
     : e.blockedURI || 'something'} (${e.violatedDirective})`));"""
NEEDED_HASH = re.compile(r"a hash \('(sha256-[A-Za-z0-9+/=]+)'\)")  # in Chromium's console message


def directives(policy: str) -> dict[str, list[str]]:
    """{directive: [sources]} of a CSP string."""
    out = {}
    for part in filter(None, (p.strip() for p in policy.split(";"))):
        name, *sources = part.split()
        out[name] = sources
    return out


def header_file_problems(site: Path) -> list[str]:
    """What the _headers file of a built site lacks; one message each, naming the file and the fix."""
    path = site / HEADERS
    if not path.is_file():
        return [f"site/{HEADERS} is missing: {HOOK} writes it (mkdocs.yml, hooks:)."]
    try:
        rules = read_headers_file(path.read_text(encoding="utf-8"), f"site/{HEADERS}")
    except ValueError as exc:
        return [str(exc)]
    sent = dict(headers_for("/", rules))
    problems = [f"site/{HEADERS}: no {name} header for every page ('/*'); {HOOK} writes it from mkdocs.yml, "
                f"extra: headers." for name in REQUIRED if not sent.get(name)]
    if sent.get("X-Content-Type-Options", "nosniff") != "nosniff":
        problems.append(f"site/{HEADERS}: X-Content-Type-Options must be nosniff.")
    meta = CSP_META.search((site / "index.html").read_text(encoding="utf-8"))
    policy = sent.get("Content-Security-Policy")
    if not meta or not policy:
        return problems
    header, page = directives(policy), directives(meta.group(1))
    if header.get("frame-ancestors") != ["'none'"]:
        problems.append(f"site/{HEADERS}: the CSP header needs frame-ancestors 'none' (no site may frame the guide).")
    for name, sources in header.items():
        extra = [s for s in sources if s not in page.get(name, [])]
        if name == "script-src":
            extra = [s for s in extra if not s.startswith("'sha256-")]
        if name != "frame-ancestors" and extra:
            problems.append(f"site/{HEADERS}: the CSP header allows {extra} in {name}, which the pages' own policy "
                            f"(overrides/partials/head-meta.html) does not; the header may add only hashes.")
    lost = {name: [s for s in sources if s not in header.get(name, [])] for name, sources in page.items()}
    lost = {name: s for name, s in lost.items() if s}
    if lost:
        problems.append(f"site/{HEADERS}: the CSP header lacks what the pages' policy has: {lost}.")
    return problems


def script_hash(body: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()


def served_problems(browser, base: str, site: Path, paths: list[str], moved: list[str],
                    search_timeout: float = 15_000) -> list[str]:
    """Open each page of ``paths`` (served with _headers applied) and search on it; follow each old
    address of ``moved``. One message per CSP violation, console error, missing header or dead search.
    ``search_timeout`` (ms): the longest wait for search results, a ceiling for a loaded machine."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    page.on("pageerror", lambda e: console.append(f"uncaught error: {e}"))
    problems = []
    fix = (f"{HOOK} writes site/{HEADERS} from the meta CSP in overrides/partials/head-meta.html and the hash "
           f"of every inline script in <head> before it; rebuild (site design, not the pages' Markdown).")
    try:
        for path in paths + moved:
            label = label_for(path, 1280) + " served with _headers"
            console.clear()
            response = page.goto(base + path, wait_until="load")
            if path in moved:
                try:
                    page.wait_for_url(lambda url: url.split("#")[0] != base + path, timeout=15_000)
                    page.wait_for_load_state("load")
                except Exception:  # noqa: BLE001 - said below
                    problems.append(f"{label}: the old address did not move on to its new page.")
            elif not (response and response.headers.get("content-security-policy")):
                problems.append(f"{label}: the server sent no Content-Security-Policy header; is site/{HEADERS} "
                                "there and its '/*' rule intact?")
            blocked = page.evaluate("window.__guideCsp || []")
            searched = None
            if path not in moved:
                try:
                    open_search(page, "lupus", timeout=search_timeout)
                    page.keyboard.press("Escape")
                except WaitFailed as exc:
                    searched = str(exc)
            needed = sorted({h for c in console for h in NEEDED_HASH.findall(c)})
            for v in blocked:
                problems.append(f"{label}: the CSP header blocked {v}"
                                + (f"; it needs {', '.join(repr(h) for h in needed)}" if needed else "") + f". {fix}")
            problems += [f"{label}: console error: {c[:300]}" for c in console if not blocked]
            if searched:
                problems.append(f"{label}: search does not work under the CSP header. {searched}")
    finally:
        context.close()
    return problems


# ----------------------------------------------------------------------------- the real site

def test_headers_file_sends_the_pages_policy_plus_frame_ancestors_and_the_other_headers(site):
    problems = header_file_problems(site)
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_every_page_works_under_the_csp_header(browser, site, site_urls):
    moved = sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html")
                   if is_redirect_stub(p.read_text(encoding="utf-8")))
    assert (site / HEADERS).is_file(), f"site/{HEADERS} is missing: {HOOK} writes it (mkdocs.yml, hooks:)."
    with serve(site, headers_file=site / HEADERS) as url:
        problems = served_problems(browser, url, site, site_urls, moved)
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------- the checks can fail

def test_header_file_check_fails_on_a_loose_or_incomplete_file(tmp_path):
    assert header_file_problems(tmp_path) == [f"site/{HEADERS} is missing: {HOOK} writes it (mkdocs.yml, hooks:)."]
    (tmp_path / "index.html").write_text('<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; '
                                         'script-src \'self\'; img-src \'self\' data:">', encoding="utf-8")
    (tmp_path / HEADERS).write_text("/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' "
                                    "'unsafe-inline' 'sha256-AAAA'\n  X-Content-Type-Options: sniff\n",
                                    encoding="utf-8")
    problems = "\n".join(header_file_problems(tmp_path))
    for needle in ("no Referrer-Policy header", "no Permissions-Policy header", "X-Content-Type-Options must be nosniff",
                   "needs frame-ancestors 'none'", "allows [\"'unsafe-inline'\"] in script-src",
                   "lacks what the pages' policy has: {'img-src': [\"'self'\", 'data:']}"):
        assert needle in problems, problems
    assert "sha256-AAAA" not in problems, problems  # a hash is what the header may add
    (tmp_path / HEADERS).write_text("  Referrer-Policy: no-referrer\n", encoding="utf-8")
    assert header_file_problems(tmp_path) == [f"site/{HEADERS}:1: 'Referrer-Policy: no-referrer' is not a "
                                              "'Name: value' header under a path line."]


@pytest.mark.browser
def test_served_check_fails_when_the_headers_file_misses_a_hash(browser, site, tmp_path):
    """Take out the hash of Material's start-up script for pages one folder deep (/hsct/).

    Search keeps working without that script (it stopped while Material's colour switch, which
    needs it, ran: overrides/main.html, 5), so it is not reported as broken."""
    head = (site / "hsct" / "index.html").read_text(encoding="utf-8").split("Content-Security-Policy")[0]
    startup = re.findall(r"<script>(.*?)</script>", head, re.S)[-1]
    digest = script_hash(startup)
    text = (site / HEADERS).read_text(encoding="utf-8")
    assert f"'{digest}'" in text, f"site/{HEADERS} does not carry the start-up script's hash {digest}"
    broken = tmp_path / HEADERS
    broken.write_text(text.replace(f" '{digest}'", ""), encoding="utf-8")
    with serve(site, headers_file=broken) as url:
        problems = served_problems(browser, url, site, ["", "hsct/"], [], search_timeout=5_000)
    text = "\n".join(problems)
    assert "docs/hsct.md [/hsct/, light, 1280px] served with _headers: the CSP header blocked an inline script " \
           f"(script-src-elem); it needs '{digest}'" in text and HOOK in text, text
    assert "search does not work" not in text, text
    assert "docs/index.md" not in text, text  # the home page's own hash is still there
