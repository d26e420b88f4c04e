"""Checkers used by the tests and the maintainer scripts. Each returns messages for editors."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_hook(name: str):
    """Import overrides/hooks/<name>.py, so tests use the build's own rules (one home)."""
    module_name = f"guide_hook_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "overrides" / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    old_path = sys.path.copy()
    sys.path.insert(0, str(ROOT / "overrides" / "hooks"))  # as MkDocs does, so hooks can import siblings
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = old_path
    return module
