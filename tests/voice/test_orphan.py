"""The speech process never outlives the app, however the app ends (here: SIGKILL, which no
handler sees), and stops writing into the speech cache at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

PARENT_SCRIPT = Path(__file__).with_name("orphan_parent.py")


def gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie waiting for a reaper counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("engine", ["pyttsx3", "fake"])
def test_the_speech_process_ends_when_the_app_is_killed(tmp_path: Path, engine: str) -> None:
    if engine == "pyttsx3" and shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (Debian: espeak-ng)")
    cache = tmp_path / "speech"
    command = [sys.executable, str(PARENT_SCRIPT), str(cache)] + (["fake"] if engine == "fake" else [])
    parent = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    child = 0
    try:
        assert parent.stdout is not None
        line = parent.stdout.readline()
        assert line.startswith("child "), f"the parent script said {line!r}"
        child = int(line.split()[1])
        assert not gone(child)
        parent.kill()  # SIGKILL: nothing in the app runs any more
        parent.wait(timeout=5)
        assert wait_gone(child, 2.0), "the speech process outlived the app by more than 2 s"
        files = sorted(p.name for p in cache.iterdir())
        time.sleep(0.5)
        assert sorted(p.name for p in cache.iterdir()) == files, "the cache changed after the app died"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait(timeout=5)
        if child and not gone(child):
            os.kill(child, signal.SIGKILL)
