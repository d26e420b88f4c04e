#!/usr/bin/env python3
"""Live-reloading preview for editors: `mkdocs serve`, with the site's strict CSP intact.

    python3 tasks.py serve                 http://127.0.0.1:8000, reloads when a file is saved
    python3 tasks.py serve --port 8001     another port (when 8000 is busy)

Why this wrapper: the site sends a strict Content-Security-Policy (no inline scripts except the
hashed ones in overrides/partials/head-meta.html). `mkdocs serve` reloads the page with a small
inline script that it adds to every page it serves, with a different timestamp each time, so
no fixed hash can allow it, and the policy blocked it: the preview never reloaded.

Here the preview server adds that script with a one-time nonce, and adds the same nonce to
that page's policy (`script-src ... 'nonce-…'`). Only the preview is relaxed, only for its own
reload script; `python3 tasks.py build` writes pages that never carry a nonce (a test checks).
The change is made by replacing `LiveReloadServer._inject_js_into_html` of MkDocs 1.6, which
pyproject.toml pins (MkDocs 1.x is frozen; the test suite fails if the method disappears).

A busy port or Ctrl+C prints one plain line, not a traceback. Exit status: 0 after Ctrl+C,
1 when the port is busy, otherwise MkDocs's own.
"""
from __future__ import annotations

import argparse
import errno
import logging
import re
import secrets
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEFAULT_PORT = 8000
CSP_META = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src)([^";]*)')


def allow_reload_script(html: bytes, script: bytes, nonce: str) -> bytes:
    """``html`` with ``script`` (JavaScript, no tags) appended before ``</body>`` under a nonce,
    and the nonce added to the page's Content-Security-Policy script-src. A page without the
    policy meta tag gets the script with the nonce and nothing else."""
    token = nonce.encode()
    html = CSP_META.sub(lambda m: m.group(1) + m.group(2) + b" 'nonce-" + token + b"'", html, count=1)
    tag = b'<script nonce="' + token + b'">' + script + b"</script>"
    end = html.rfind(b"</body>")
    return html + tag if end < 0 else html[:end] + tag + html[end:]


def patch_livereload() -> None:
    """Make MkDocs's preview server add its reload script with a nonce (see the docstring)."""
    from mkdocs import livereload

    def inject(self, content: bytes, epoch: int) -> bytes:
        script = livereload._SCRIPT_TEMPLATE.substitute(epoch=epoch, request_id=livereload._timestamp())
        return allow_reload_script(content, script.encode(), secrets.token_urlsafe(16))

    if not hasattr(livereload.LiveReloadServer, "_inject_js_into_html"):
        raise SystemExit("scripts/serve.py: this MkDocs has no LiveReloadServer._inject_js_into_html; "
                         "live reload needs updating for the new MkDocs version.")
    livereload.LiveReloadServer._inject_js_into_html = inject


def port_problem(port: int) -> str | None:
    """One line saying why the preview cannot use ``port`` on 127.0.0.1, or None if it can."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"Port {port} is already in use (is another preview running?). Stop it, or choose "
                        f"another port: python3 tasks.py serve --port {port + 1}")
            return f"Cannot use port {port} ({exc.strerror}). Choose another: python3 tasks.py serve --port 8001"
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python3 tasks.py serve",
                                     description="Preview the site; it reloads when you save a file.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on {HOST} (default {DEFAULT_PORT})")
    parser.add_argument("-f", "--config-file", default=str(ROOT / "mkdocs.yml"), help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args(argv)
    if not 1 <= args.port <= 65535:
        parser.error(f"--port must be a number from 1 to 65535, not {args.port}")
    problem = port_problem(args.port)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    patch_livereload()
    logging.getLogger("mkdocs.commands.serve").addFilter(  # we say "Preview stopped." instead
        lambda record: record.getMessage() != "Shutting down...")
    from mkdocs.__main__ import cli
    print(f"Preview at http://{HOST}:{args.port}/ - it reloads when you save a file. Press Ctrl+C to stop.",
          flush=True)
    try:
        cli.main(["serve", "--dev-addr", f"{HOST}:{args.port}", "-f", args.config_file, *rest],
                 prog_name="mkdocs", standalone_mode=False)
    except KeyboardInterrupt:
        pass
    print("Preview stopped.", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:  # Ctrl+C before the server started
        print("Preview stopped.")
        sys.exit(0)
