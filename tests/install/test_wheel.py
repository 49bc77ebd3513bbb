"""The wheel as a therapist's ``pip install .`` or ``pipx install .`` makes it, used outside the checkout.

One wheel is built from this checkout, as pip builds it, and installed into a fresh virtual
environment in a temp folder. Its dependencies are this test run's own (a path in a ``.pth``
file, written after the wheel is installed), so the test needs no network and no second copy
of PySide6; ``pip check`` holds the wheel's declared requirements against them. Every command
runs from the temp folder with the checkout off ``sys.path``: what works, works from the wheel.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from neck_guide import __version__

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).with_name("drive_session.py")
SHIPPED = ("protocols", "questionnaires", "resources")

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    """A virtual environment with the wheel installed, and a folder outside the checkout."""

    wheel: Path
    venv: Path
    site: Path
    outside: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def run(self, *command: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
        """``command`` with the environment's programs first on PATH, in a folder of its own."""
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env |= {"NECK_GUIDE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        env["PATH"] = os.pathsep.join([str(self.venv / "bin"), env.get("PATH", "")])
        return subprocess.run(
            [str(c) for c in command],
            cwd=self.outside,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )


def _pip(*args: str | Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", *map(str, args)], check=True, capture_output=True, timeout=300
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", work / "dist", ROOT)
    (wheel,) = (work / "dist").glob("neck_guide-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    _pip("--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    site = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # After the install, so pip never takes the checkout's editable neck-guide for this one.
    (site / "_test_run_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    outside = work / "elsewhere"
    outside.mkdir()
    yield Installed(wheel, venv, site, outside)


def test_the_wheel_carries_every_protocol_diagram_and_sound(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder in SHIPPED:
        shipped = [p for p in (ROOT / folder).rglob("*") if p.is_file()]
        assert shipped
        for path in shipped:
            assert f"neck_guide/{path.relative_to(ROOT).as_posix()}" in names


def test_the_installed_app_reads_its_data_from_its_own_package(installed: Installed, tmp_path: Path) -> None:
    code = (
        "from neck_guide import paths; print(paths.BUNDLED_PROTOCOLS_DIR); "
        "print(paths.BUNDLED_QUESTIONNAIRES_DIR); print(paths.RESOURCES_DIR)"
    )
    out = installed.run(installed.python, "-I", "-c", code, home=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(installed.site / "neck_guide" / name) for name in SHIPPED]


def test_its_declared_requirements_are_met(installed: Installed, tmp_path: Path) -> None:
    out = installed.run(installed.python, "-m", "pip", "check", home=tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr


def test_the_command_line_lists_shows_and_validates_the_bundled_protocols(
    installed: Installed, tmp_path: Path
) -> None:
    version = installed.run("neck-guide", "--version", home=tmp_path)
    assert version.stdout.strip() == f"neck-guide {__version__}"
    listed = installed.run("neck-guide", "protocols", home=tmp_path)
    assert listed.returncode == 0, listed.stderr
    ids = sorted(line.split()[0] for line in listed.stdout.splitlines()[1:])
    assert ids == sorted(p.stem for p in (ROOT / "protocols").glob("*.toml"))
    assert installed.run("neck-guide", "validate", home=tmp_path).returncode == 0
    shown = installed.run("neck-guide", "show", "self-care", home=tmp_path)
    assert shown.returncode == 0 and "Chin tuck" in shown.stdout, shown.stderr
    questionnaires = installed.run("neck-guide", "questionnaires", home=tmp_path)
    assert questionnaires.returncode == 0 and questionnaires.stderr == ""
    assert [line.split()[0] for line in questionnaires.stdout.splitlines() if not line.startswith(" ")] == [
        "ndi", "psfs", "pain"
    ]  # fmt: skip


def test_a_whole_session_in_the_window_is_recorded(installed: Installed, tmp_path: Path) -> None:
    home = tmp_path / "clinic"
    drove = installed.run(installed.python, "-I", DRIVER, home, home=home)
    assert drove.returncode == 0, drove.stderr
    export = tmp_path / "all.json"
    out = installed.run(
        "neck-guide", "--data-dir", home, "export", "--all", "--format", "json", "-o", export, home=home
    )
    assert out.returncode == 0, out.stderr
    document = json.loads(export.read_text())
    (session,) = document.get("sessions", [document])  # one session is written as itself
    plan = installed.run("neck-guide", "show", "self-care", home=home).stdout
    steps = re.search(r"\((\d+) steps\)", plan)
    assert steps is not None, plan
    assert session["protocol_id"] == "self-care" and session["status"] == "finished"
    assert len(session["steps"]) == int(steps[1])


@pytest.mark.parametrize("folder", SHIPPED)
def test_a_missing_shipped_folder_stops_the_app_with_an_error(
    installed: Installed, tmp_path: Path, folder: str
) -> None:
    shipped = installed.site / "neck_guide" / folder
    aside = tmp_path / folder
    shutil.move(shipped, aside)
    try:
        out = installed.run("neck-guide", "protocols", home=tmp_path)
    finally:
        shutil.move(aside, shipped)
    assert out.returncode == 3
    assert f"{shipped} is missing" in out.stderr and "Reinstall Neck Guide" in out.stderr
    assert "No protocols found" not in out.stdout
