#!/usr/bin/env python3
"""Build the copy of the guide that works offline, and pack it as a zip.

    python3 tasks.py build --offline                  site-offline/ and dist/lupus-guide-offline.zip
    python3 tasks.py build --offline --zip my.zip     another place for the zip (also --site-dir)

The copy is the guide built with Material's offline plugin (mkdocs.yml, turned on here with
GUIDE_OFFLINE=true): page links end in .html and search works from a page opened from the
file system (file://), with no internet and no request anywhere (overrides/hooks/offline_copy.py).
The zip holds one folder, lupus-guide/; unzip it and open lupus-guide/index.html.
The deploy workflow then publishes the zip with the online site (OFFLINE_DOWNLOAD=dist/...).
Exit status: MkDocs's own when the build fails, 0 otherwise.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = "lupus-guide"  # the one folder inside the zip
SITE_DIR = ROOT / "site-offline"
ZIP = ROOT / "dist" / "lupus-guide-offline.zip"  # the deploy workflow publishes this file (OFFLINE_DOWNLOAD)
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed dates: the same site gives the same zip


def pack(site: Path, zip_path: Path) -> Path:
    """Write every file of ``site`` into ``zip_path``, under FOLDER/, in a fixed order and with fixed dates."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in sorted(p for p in site.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(f"{FOLDER}/{path.relative_to(site).as_posix()}", date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    return zip_path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 tasks.py build --offline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR, help="where to build the copy")
    parser.add_argument("--zip", type=Path, default=ZIP, help="the zip to write")
    args = parser.parse_args(argv)
    env = dict(os.environ, GUIDE_OFFLINE="true", OFFLINE_DOWNLOAD="", NO_MKDOCS_2_WARNING="1")
    status = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
                             "-d", str(args.site_dir.resolve())], cwd=ROOT, env=env).returncode
    if status:
        return status
    zip_path = pack(args.site_dir, args.zip)
    print(f"Offline copy: {args.site_dir}; zip: {zip_path} ({zip_path.stat().st_size / 1_000_000:.1f} MB). "
          f"Unzip it and open {FOLDER}/index.html.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
