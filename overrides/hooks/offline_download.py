"""Offline download hook: the online site publishes the offline copy's zip and links to it.

One job. ``python3 tasks.py build --offline`` packs the offline copy as a zip. When the online
build is given that zip (mkdocs.yml: ``extra: offline_download: !ENV [OFFLINE_DOWNLOAD, ""]``,
a path from the project folder; the deploy workflow sets it), this hook adds the zip to the
site as ``lupus-guide-offline.zip`` and tells the templates about it
(``extra.offline_zip``: ``{"url": "lupus-guide-offline.zip", "size": "1.9 MB"}``), so the footer
of every page (``overrides/partials/guide-footer.html``) links to it with its size. Without a
zip, the site has no download and no link to one: never a link to a file that is not there.

It stops the build when ``offline_download`` names a file that does not exist or is not a
zip. The offline copy itself never includes the zip. Tests: tests/test_offline.py.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

PUBLISHED = "lupus-guide-offline.zip"


def on_files(files, config):
    config.extra["offline_zip"] = None
    wanted = (config["extra"].get("offline_download") or "").strip()
    plugin = config["plugins"].get("material/offline")
    if not wanted or (plugin and plugin.config.get("enabled")):
        return files
    path = (Path(config["config_file_path"]).parent / wanted).resolve()
    if not path.is_file() or not zipfile.is_zipfile(path):
        raise PluginError(f"offline_download.py: OFFLINE_DOWNLOAD (mkdocs.yml, extra: offline_download) names "
                          f"{wanted}, which is not a zip file. Run `python3 tasks.py build --offline` first.")
    files.append(File.generated(config, PUBLISHED, abs_src_path=str(path)))
    config.extra["offline_zip"] = {"url": PUBLISHED, "size": f"{path.stat().st_size / 1_000_000:.1f} MB"}
    return files
