"""Where Neck Guide keeps its files, and where it finds the data it ships with.

By default the per-user locations of platformdirs (data, config, cache, logs). One override
moves all four under a single folder: ``--data-dir DIR`` on the command line, or the
environment variable ``NECK_GUIDE_HOME`` (a clinic's shared setup, or a test's temp dir).
Health data lives there, so the folders are made readable by their owner only.

The shipped data (``protocols/``, ``questionnaires/`` and ``resources/``) sits at the top of the
repository and is carried into the package by the build (pyproject.toml) and by the frozen bundle
(packaging/neck-guide.spec); it is found through :mod:`importlib.resources`: inside the package
when installed or frozen, beside it in a source checkout (editable install, ``python main.py``).
A missing folder is a broken installation, not an empty catalog: :func:`check_bundled` says so.

    BundledDataError    a folder the app ships with is missing (reinstall)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Final

import platformdirs

APP_NAME = "neck-guide"
ENV_HOME = "NECK_GUIDE_HOME"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class BundledDataError(Exception):
    """A folder Neck Guide ships with is missing: the installation is incomplete."""


def _package_dir() -> Path:
    package = files(__package__ or "neck_guide")
    # On disk (installed, editable, or frozen by PyInstaller) this is a Path; inside a zip it is
    # not, and the folders then count as missing: the app needs real files (Qt, SQLite, espeak).
    return package if isinstance(package, Path) else Path(str(package))


def _bundled_dir(name: str) -> Path:
    """The shipped folder ``name``: in the package (wheel, bundle) or, in a checkout, beside it.

    A checkout is recognised by its pyproject.toml, so a stray top-level ``resources`` folder in
    site-packages is never taken for ours. Where nothing is found, the package's own place is
    returned (what :func:`check_bundled` names).
    """
    inside = PACKAGE_DIR / name
    source = PROJECT_DIR / name
    if not inside.is_dir() and (PROJECT_DIR / "pyproject.toml").is_file() and source.is_dir():
        return source
    return inside


PACKAGE_DIR: Final = _package_dir()
#: The folder the package is imported from: the checkout in development, site-packages when
#: installed, the bundle's folder when frozen (the speech child's PYTHONPATH).
PROJECT_DIR: Final = PACKAGE_DIR.parent
BUNDLED_PROTOCOLS_DIR: Final = _bundled_dir("protocols")
BUNDLED_QUESTIONNAIRES_DIR: Final = _bundled_dir("questionnaires")
RESOURCES_DIR: Final = _bundled_dir("resources")


def check_bundled() -> None:
    """Raise BundledDataError naming each shipped folder that is missing."""
    shipped = (BUNDLED_PROTOCOLS_DIR, BUNDLED_QUESTIONNAIRES_DIR, RESOURCES_DIR)
    missing = [str(d) for d in shipped if not d.is_dir()]
    if missing:
        raise BundledDataError(
            f"Neck Guide is incompletely installed: {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing (the protocols, questionnaires, "
            "diagrams and sounds it ships with). Reinstall Neck Guide."
        )


@dataclass(frozen=True, slots=True)
class Paths:
    data: Path
    config: Path
    cache: Path
    logs: Path

    @property
    def database(self) -> Path:
        return self.data / "sessions.sqlite3"

    @property
    def user_protocols(self) -> Path:
        """Where a clinic puts its own protocol files (same id as a bundled one: theirs wins)."""
        return self.data / "protocols"

    @property
    def user_questionnaires(self) -> Path:
        """Where a clinic puts its own questionnaires and the wording files of licensed ones."""
        return self.data / "questionnaires"

    @property
    def settings_file(self) -> Path:
        return self.config / "settings.json"

    @property
    def window_file(self) -> Path:
        """The window's size, place and full-screen state between runs (QSettings, INI)."""
        return self.config / "window.ini"

    @property
    def speech_cache(self) -> Path:
        return self.cache / "speech"

    def ensure(self) -> Paths:
        """Create the folders (owner-only) if missing; returns self."""
        for d in (self.data, self.config, self.cache, self.logs):
            d.mkdir(parents=True, exist_ok=True)
            os.chmod(d, PRIVATE_DIR_MODE)
        return self


def resolve(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """The paths in force: ``data_dir`` if given, else ``$NECK_GUIDE_HOME``, else platformdirs."""
    home = data_dir if data_dir is not None else os.environ.get(ENV_HOME) or None
    if home is not None:
        root = Path(home).expanduser().resolve()
        return Paths(root / "data", root / "config", root / "cache", root / "logs")
    dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
    return Paths(
        Path(dirs.user_data_dir),
        Path(dirs.user_config_dir),
        Path(dirs.user_cache_dir),
        Path(dirs.user_log_dir),
    )
