"""Headers hook: write site/_headers, so hosts that read it send the site's security policy as headers.

One job. Netlify and Cloudflare Pages send the headers listed in a ``_headers`` file at the
site's root; GitHub Pages ignores it. Sent as a header, the Content-Security-Policy can say
what a meta tag cannot (``frame-ancestors 'none'``: no other site may frame the guide), and it
also governs the inline scripts that come before the meta tag. Material's start-up script in
<head> is one; it names the site's root relative to the page, so it differs with the page's
depth ("." at the root, ".." one folder down, "/" on the 404 page) and needs one hash each.

After the build, this hook reads every built page. The policy has one home: the meta tag in
``overrides/partials/head-meta.html``, which every page must carry, identically. The header
policy is that policy, with the hash of each inline script found before the meta tag added
to ``script-src``, and ``frame-ancestors 'none'``. The other headers come from mkdocs.yml,
``extra: headers`` (a mapping of header name to value). The result goes to ``site/_headers``
for every path (``/*``), with a comment saying where each added hash comes from.

It stops the build, naming the page, when a page has no CSP meta tag or a different one, or
when ``extra: headers`` is not a mapping of names to text. The offline copy (Material's
``offline`` plugin, opened from the file system) gets no ``_headers``: no server reads it.
Tests: tests/test_headers.py.
"""
from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

FILE = "_headers"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"\s*/?>')
SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")


def sha256(text: str) -> str:
    """The CSP source for an inline script's text: 'sha256-<base64 of its SHA-256>'."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def pre_policy_scripts(html: str) -> list[str]:
    """The text of every inline script (no src, JavaScript) that comes before the CSP meta tag."""
    meta = CSP_META.search(html)
    before = html[: meta.start()] if meta else html
    return [m["body"] for m in SCRIPT.finditer(before)
            if "src=" not in m["attrs"] and not re.search(r'type="(?!text/javascript|module)', m["attrs"])]


def header_policy(meta_policy: str, hashes: list[str]) -> str:
    """``meta_policy`` with ``hashes`` added to script-src and frame-ancestors 'none'."""
    directives = []
    for part in filter(None, (p.strip() for p in meta_policy.split(";"))):
        name, *sources = part.split()
        if name == "script-src":
            sources += [h for h in hashes if h not in sources]
        if name != "frame-ancestors":
            directives.append(" ".join([name, *sources]))
    return "; ".join(directives + ["frame-ancestors 'none'"])


def build_headers(site: Path, extra_headers: dict) -> str:
    """The text of _headers for the built site in ``site``. Raises PluginError (see the module docstring)."""
    if not isinstance(extra_headers, dict) or not all(
            NAME.match(str(k)) and isinstance(v, str) and v.strip() and "\n" not in v for k, v in extra_headers.items()):
        raise PluginError("mkdocs.yml: extra: headers must map each header name to its value on one line, "
                          "for example  Referrer-Policy: no-referrer")
    policy, first, added = None, None, {}
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        html = page.read_text(encoding="utf-8")
        meta = CSP_META.search(html)
        if not meta:
            raise PluginError(f"headers.py: site/{rel} has no Content-Security-Policy meta tag; every page must "
                              f"include overrides/partials/head-meta.html (GitHub Pages sends no headers).")
        if policy is None:
            policy, first = meta.group(1), rel
        elif meta.group(1) != policy:
            raise PluginError(f"headers.py: site/{rel} carries another Content-Security-Policy than site/{first}; "
                              f"the policy has one home, overrides/partials/head-meta.html.")
        for script in pre_policy_scripts(html):
            added.setdefault(sha256(script), (rel, script))
    if policy is None:
        raise PluginError("headers.py: the built site has no pages.")
    lines = ["# Written by overrides/hooks/headers.py at each build: do not edit. The policy is the meta tag of",
             "# overrides/partials/head-meta.html, plus frame-ancestors and the hash of each inline script that",
             "# comes before the meta tag; the other headers are mkdocs.yml, extra: headers. Read by Netlify and",
             "# Cloudflare Pages; GitHub Pages ignores this file and uses the meta tag."]
    lines += [f"# {digest}: inline script in <head> of {rel}, first: {script[:50]!r}"
              for digest, (rel, script) in added.items()]
    lines += ["/*", f"  Content-Security-Policy: {header_policy(policy, list(added))}"]
    lines += [f"  {name}: {value.strip()}" for name, value in extra_headers.items()
              if name.lower() != "content-security-policy"]
    return "\n".join(lines) + "\n"


def offline(config) -> bool:
    plugin = config["plugins"].get("material/offline") or config["plugins"].get("offline")
    return bool(plugin and plugin.config.get("enabled", True))


@event_priority(-75)  # after every page is written, the redirect pages (-50) included
def on_post_build(config, **kwargs):
    """Write site/_headers (not in the offline copy)."""
    if offline(config):
        return
    site = Path(config["site_dir"])
    (site / FILE).write_text(build_headers(site, config["extra"].get("headers") or {}), encoding="utf-8")
