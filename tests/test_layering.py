"""The pure core never loads Qt: only ``neck_guide/ui/`` (and the PDF writer) may import PySide6.

A fresh interpreter imports every module of the core, one at a time, and after each one looks
in ``sys.modules`` for PySide6, so a failure names the module that pulled it in. Modules that
do not exist yet are simply not found.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from neck_guide.paths import PROJECT_DIR

CORE_PACKAGES = (
    "neck_guide.protocol",
    "neck_guide.engine",
    "neck_guide.store",
    "neck_guide.voice",
    "neck_guide.export",
)
CORE_MODULES = (
    "neck_guide",
    "neck_guide.app",
    "neck_guide.cli",
    "neck_guide.paths",
    "neck_guide.settings",
    "neck_guide.diagram",
)
# Allowed to use Qt: the UI, the PDF writer, and the voice playback (Qt Multimedia) modules.
QT_ALLOWED = ("neck_guide.ui", "neck_guide.export.pdf", "neck_guide.voice.playback", "neck_guide.voice.qt")

PROBE = f"""
import importlib, importlib.util, json, pkgutil, sys

def allowed(name):
    return any(name == a or name.startswith(a + ".") or name.startswith(a + "_") for a in {QT_ALLOWED!r})

names = [m for m in {CORE_MODULES!r} if importlib.util.find_spec(m)]
for package in {CORE_PACKAGES!r}:
    if importlib.util.find_spec(package) is None:
        continue
    names.append(package)
    found = pkgutil.walk_packages(importlib.import_module(package).__path__, package + ".")
    names += sorted(info.name for info in found if not allowed(info.name))
def has_qt():
    return any(m == "PySide6" or m.startswith("PySide6.") for m in sys.modules)

imported, broken = [], {{}}
culprit = "(finding the modules: a package __init__)" if has_qt() else None
for name in names:
    try:
        importlib.import_module(name)
    except Exception as e:
        broken[name] = f"{{type(e).__name__}}: {{e}}"
        continue
    imported.append(name)
    if culprit is None and has_qt():
        culprit = name
print(json.dumps({{"imported": imported, "culprit": culprit, "broken": broken}}))
"""


def test_the_core_never_imports_pyside6() -> None:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_DIR)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, cwd=PROJECT_DIR, check=False
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert "neck_guide.protocol.loader" in report["imported"], report  # the walk really ran
    assert "neck_guide.cli" in report["imported"], report
    assert report["culprit"] is None, (
        f"importing {report['culprit']} loaded PySide6: only neck_guide.ui (and export/pdf.py) may use Qt"
    )
    assert report["broken"] == {}, f"core modules that fail to import: {report['broken']}"
