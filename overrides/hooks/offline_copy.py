"""Offline copy hook: the copy built with Material's offline plugin works from the file system, with no internet.

One job. ``python3 tasks.py build --offline`` turns on Material's ``offline`` plugin
(mkdocs.yml: ``enabled: !ENV [GUIDE_OFFLINE, false]``). The plugin makes page links end in
``.html`` and puts the search index in a script (``search/search_index.js``), because a page
opened from the file system (``file://``) can neither fetch files nor start a web worker.
For the worker it adds the ``iframe-worker`` shim, from unpkg.com. That breaks two promises
of this guide: no request leaves it, and it works in a clinic without internet. So, in the
offline build only, this hook

* copies the shim from ``vendor/iframe-worker/shim.js`` into the copy
  (``javascripts/iframe-worker-shim.js``) and lists it as the polyfill, so the plugin adds no
  unpkg.com address;
* works out the small script the shim writes into its hidden frame, which the pages' CSP
  governs too, and puts its SHA-256 hash in ``extra.offline_script_hashes``;
  ``overrides/partials/head-meta.html`` adds those hashes to ``script-src``. The script names
  Material's search worker as the page sees it, so there is one hash per page depth.

The online site is untouched: no shim, no extra hash. It stops the build when the shim or
Material's search worker cannot be found, or the shim's frame script cannot be read (a new
shim version: see vendor/iframe-worker/README.md). Tests: tests/test_offline.py.
"""
from __future__ import annotations

import base64
import hashlib
import posixpath
import re
from pathlib import Path
from urllib.parse import urlsplit

import material
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

SHIM = Path(__file__).resolve().parents[2] / "vendor" / "iframe-worker" / "shim.js"
SHIM_DEST = "javascripts/iframe-worker-shim.js"
WORKERS = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
FRAME_SCRIPT = re.compile(r"document\.write\(`<html><body><script>(?P<body>.*?)<\\/script>")


def offline_enabled(config) -> bool:
    plugin = config["plugins"].get("material/offline") or config["plugins"].get("offline")
    return bool(plugin and plugin.config.get("enabled", True))


def _function(source: str, name: str) -> str:
    """The source text of ``function <name>(...){...}`` in minified JavaScript (braces balanced)."""
    start = re.search(rf"function {re.escape(name)}\(", source)
    if not start:
        raise PluginError(f"offline_copy.py: {SHIM} has no function {name}; see vendor/iframe-worker/README.md.")
    depth = 0
    for end in range(source.index("{", start.end()), len(source)):
        depth += {"{": 1, "}": -1}.get(source[end], 0)
        if depth == 0:
            return source[start.start():end + 1]
    raise PluginError(f"offline_copy.py: cannot read function {name} of {SHIM}.")


def frame_script(shim: str, worker_url: str) -> str:
    """The inline script the shim writes into its frame for ``new Worker(worker_url)``.

    The shim's template is ``postMessage=${c};importScripts=${d};...{filename:"${e}",...}``: c and
    d are functions of the shim (their source text), e is the worker's URL as the page gave it."""
    match = FRAME_SCRIPT.search(shim)
    if not match:
        raise PluginError(f"offline_copy.py: {SHIM} writes no frame script this hook can read; "
                          f"see vendor/iframe-worker/README.md.")
    body = match["body"]
    names = re.findall(r"\$\{(\w+)\}", body)
    functions = {n: _function(shim, n) for n in dict.fromkeys(names) if re.search(rf"function {n}\(", shim)}
    if len(functions) != len(set(names)) - 1:
        raise PluginError(f"offline_copy.py: the frame script of {SHIM} uses {names}; expected functions and "
                          f"one worker address.")
    return re.sub(r"\$\{(\w+)\}", lambda m: functions.get(m[1], worker_url), body)


def sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def search_worker() -> str:
    """Material's search worker, from the site root: assets/javascripts/workers/search.<hash>.min.js."""
    found = sorted(WORKERS.glob("search.*.min.js"))
    if len(found) != 1:
        raise PluginError(f"offline_copy.py: expected one search worker in {WORKERS}, found {found}.")
    return f"assets/javascripts/workers/{found[0].name}"


@event_priority(10)  # before the offline plugin's on_config adds the unpkg.com shim
def on_config(config):
    config.extra["offline_script_hashes"] = []
    if not offline_enabled(config):
        return config
    if not SHIM.is_file():
        raise PluginError(f"offline_copy.py: {SHIM} is missing; see vendor/iframe-worker/README.md.")
    config.extra["polyfills"] = [SHIM_DEST]
    return config


def on_files(files, config):
    """Offline build: add the shim, and the hash of its frame script for each page depth."""
    if not offline_enabled(config):
        return files
    files.append(File.generated(config, SHIM_DEST, abs_src_path=str(SHIM)))
    shim, worker = SHIM.read_text(encoding="utf-8"), search_worker()
    bases = {posixpath.relpath(".", posixpath.dirname(f.dest_uri) or ".") for f in files.documentation_pages()}
    urls = {worker if base == "." else f"{base}/{worker}" for base in bases}
    urls.add(posixpath.join(urlsplit(config["site_url"] or "/").path or "/", worker))  # 404.html, as MkDocs links it
    config.extra["offline_script_hashes"] = sorted(sha256(frame_script(shim, url)) for url in urls)
    return files
