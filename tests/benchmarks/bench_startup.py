"""Start-up time: from process start to the main window shown and taking input.

Run on demand (prints figures; pytest does not collect it):

    python tests/benchmarks/bench_startup.py [--runs 7]

Each run is a fresh interpreter. "Interactive" is the first turn of the event loop after
``show()`` (a ``QTimer.singleShot(0)``): from then on the window answers input. The child runs
what ``neck-guide`` runs (``neck_guide.ui.app.build`` + ``place`` + ``show``) and, for
comparison, a bare PySide6 ``QWidget``. The time to the deferred start-up work (unfinished
sessions, the voice looking for an audio output) is printed too. Platforms: offscreen, and a
private Xvfb screen when Xvfb is installed. Target: interactive within 1 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_S = 1.0

CHILD_APP = r"""
import sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from neck_guide.cli import build_parser
from neck_guide.ui import app as ui_app

args = build_parser().parse_args(["--data-dir", {home!r}])
args.protocol_id, args.client, args.practice = None, None, False
parts = ui_app.build(args)
qapp = QApplication.instance()
ui_app.place(parts.window)
parts.window.show()

def deferred():
    ui_app.after_show(parts)
    print("DEFERRED", time.time(), flush=True)
    QTimer.singleShot(0, qapp.quit)

def ready():
    print("READY", time.time(), flush=True)
    QTimer.singleShot(0, deferred)

QTimer.singleShot(0, ready)
qapp.exec()
parts.close()
"""

CHILD_BARE = r"""
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
qapp = QApplication([])
w = QWidget()
w.resize(1280, 800)
w.show()
def ready():
    print("READY", time.time(), flush=True)
    print("DEFERRED", time.time(), flush=True)
    qapp.quit()
QTimer.singleShot(0, ready)
qapp.exec()
"""


def one_run(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning the interpreter to READY and to DEFERRED."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    marks = dict(
        line.split()[:2] for line in out.stdout.splitlines() if line.startswith(("READY", "DEFERRED"))
    )
    if "READY" not in marks:
        raise RuntimeError(f"the child did not report READY:\n{out.stdout}\n{out.stderr}")
    return float(marks["READY"]) - start, float(marks["DEFERRED"]) - start


def series(code: str, env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    one_run(code, env)  # warm the disk cache once; not counted
    ready, deferred = [], []
    for _ in range(runs):
        r, d = one_run(code, env)
        ready.append(r)
        deferred.append(d)
    return ready, deferred


def report(platform: str, env: dict[str, str], runs: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        app_code = CHILD_APP.format(root=str(ROOT), home=home)
        app_ready, app_deferred = series(app_code, env, runs)
    bare_ready, _ = series(CHILD_BARE, env, runs)
    med = statistics.median

    def ms(values: list[float]) -> str:
        return f"{med(values) * 1000:6.0f} ms ({min(values) * 1000:.0f}-{max(values) * 1000:.0f})"

    verdict = "OK" if med(app_ready) <= TARGET_S else "OVER TARGET"
    print(f"[{platform}] median of {runs} runs (min-max)")
    print(f"  bare PySide6 QWidget : {ms(bare_ready)}")
    print(f"  neck-guide window    : {ms(app_ready)}  {verdict} (target {TARGET_S * 1000:.0f} ms)")
    print(f"  + deferred start-up  : {ms(app_deferred)}  (recovery check, audio output probe)")
    print(f"  cost over bare Qt    : {(med(app_ready) - med(bare_ready)) * 1000:6.0f} ms")


def with_xvfb(runs: int) -> None:
    if shutil.which("Xvfb") is None:
        print("[xvfb] Xvfb not installed: skipped")
        return
    display = 90
    while Path(f"/tmp/.X11-unix/X{display}").exists() or Path(f"/tmp/.X{display}-lock").exists():
        display += 1
    server = subprocess.Popen(
        ["Xvfb", f":{display}", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 5
        while not Path(f"/tmp/.X11-unix/X{display}").exists() and time.time() < deadline:
            time.sleep(0.05)
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env["DISPLAY"] = f":{display}"
        report("xvfb", env, runs)
    finally:
        server.terminate()
        server.wait(5)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    print(f"python {sys.version.split()[0]} at {sys.executable}")
    report("offscreen", {**os.environ, "QT_QPA_PLATFORM": "offscreen"}, runs)
    with_xvfb(runs)


if __name__ == "__main__":
    main()
