"""Where Neck Guide keeps its files.

By default the per-user locations of platformdirs (data, config, cache, logs). One override
moves all four under a single folder: ``--data-dir DIR`` on the command line, or the
environment variable ``NECK_GUIDE_HOME`` (a clinic's shared setup, or a test's temp dir).
Health data lives there, so the folders are made readable by their owner only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "neck-guide"
ENV_HOME = "NECK_GUIDE_HOME"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
RESOURCES_DIR = PROJECT_DIR / "resources"
BUNDLED_PROTOCOLS_DIR = PROJECT_DIR / "protocols"


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
