"""Exports are written whole or not at all, and checked before they take their name (issue 10, case 2):
on a disk that fills up half-way, a PDF export said "Wrote 2 sessions (17 pages)", exit 0, and left
65,536 of 194,000 bytes that no reader opens; ``--force`` replaced a device with a regular file.

The full disk is a file-size limit (RLIMIT_FSIZE, half the export's size) on a real export process:
its writes past it fail as on a full disk, and any user can set it."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from export_sessions import filled_home

from neck_guide.cli import main


def _limited(limit_bytes: int) -> Callable[[], None]:
    def limit() -> None:  # in the child, before it runs: writes past the limit fail (EFBIG)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return limit


@pytest.mark.parametrize("fmt", ["pdf", "json", "fhir", "csv"])
def test_an_export_the_disk_cuts_short_fails_and_leaves_no_file(tmp_path: Path, fmt: str) -> None:
    filled_home(tmp_path)
    out = tmp_path / "out" / f"all.{fmt}"
    out.parent.mkdir()
    whole = main(["--data-dir", str(tmp_path / "home"), "export", "--all", "--format", fmt, "-o", str(out)])
    assert whole == 0
    size = out.stat().st_size
    half = max(size // 2, 33 * 1024)  # the disk fills up part-way (the records' 32 KB index still fits)
    assert half < size
    out.unlink()
    done = subprocess.run(
        [sys.executable, "-m", "neck_guide", "--data-dir", str(tmp_path / "home"), "export", "--all",
         "--format", fmt, "-o", str(out)],
        check=False, capture_output=True, text=True, timeout=120, preexec_fn=_limited(half),
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Wrote" not in done.stdout
    assert str(out) in done.stderr and ("too large" in done.stderr or "incomplete" in done.stderr)
    assert list(out.parent.iterdir()) == []  # no partial file, no temporary file left


def test_force_replaces_only_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled_home(tmp_path)
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    home = str(tmp_path / "home")
    assert main(["--data-dir", home, "export", "--all", "--format", "csv", "-o", str(fifo), "--force"]) == 1
    assert f"{fifo} is not a regular file" in capsys.readouterr().err
    assert fifo.is_fifo()
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "elsewhere.csv")
    assert main(["--data-dir", home, "export", "--all", "--format", "csv", "-o", str(link), "--force"]) == 1
    assert link.is_symlink() and not (tmp_path / "elsewhere.csv").exists()
    plain = tmp_path / "plain.csv"
    plain.write_text("old", encoding="utf-8")
    assert main(["--data-dir", home, "export", "--all", "--format", "csv", "-o", str(plain), "--force"]) == 0
    assert plain.read_text(encoding="utf-8").startswith("session_id")
