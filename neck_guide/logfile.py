"""The log: Neck Guide's warnings, errors and tracebacks, in a rotating file in the logs folder.

Started once by each entry point (the window, the commands) with :func:`start_log`. The file is
made only when there is something to write, is readable by its owner only whatever the umask, and
is kept small (``MAX_BYTES``, then ``BACKUPS`` older files). Uncaught exceptions, in any thread,
go to it with their traceback. Nothing in it names a client: messages about a record give its
kind and its session id, never a client code or a note (the records hold those).

Messages that ask the user to look at the log say where it is: :func:`log_location`.
"""

from __future__ import annotations

import io
import logging
import os
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Final

from neck_guide.paths import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE

LOG_NAME: Final = "neck-guide.log"
MAX_BYTES: Final = 512 * 1024
BACKUPS: Final = 3
FORMAT: Final = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"
_LOGGER: Final = "neck_guide"


class _PrivateRotatingFile(RotatingFileHandler):
    """A rotating file made on first use, in a folder made then too, both owner-only."""

    def _open(self) -> io.TextIOWrapper:
        folder = Path(self.baseFilename).parent
        folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE_MODE)
        os.fchmod(fd, PRIVATE_FILE_MODE)  # an older file, or a umask that widened the mode
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def start_log(folder: Path) -> Path:
    """Send Neck Guide's warnings and worse, and uncaught exceptions, to ``folder/neck-guide.log``
    (the one log: a log started before, elsewhere, is closed); returns the file's path."""
    path = folder / LOG_NAME
    logger = logging.getLogger(_LOGGER)
    for old in [h for h in logger.handlers if isinstance(h, _PrivateRotatingFile)]:
        logger.removeHandler(old)
        old.close()
    handler = _PrivateRotatingFile(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    _log_uncaught()
    return path


def log_path() -> Path | None:
    """The log file in use, or None when no log was started."""
    for handler in logging.getLogger(_LOGGER).handlers:
        if isinstance(handler, _PrivateRotatingFile):
            return Path(handler.baseFilename)
    return None


def log_location() -> str:
    """Where the log is, in words for a message: "the log (/path/neck-guide.log)"."""
    path = log_path()
    return f"the log ({path})" if path is not None else "the output in the terminal"


def _log_uncaught() -> None:
    """Uncaught exceptions, on the main thread or any other, go to the log too (then on as before)."""
    crash = logging.getLogger(f"{_LOGGER}.crash")
    if not getattr(sys.excepthook, "neck_guide", False):
        previous_hook = sys.excepthook

        def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
            crash.critical("uncaught %s", kind.__name__, exc_info=(kind, error, tb))
            previous_hook(kind, error, tb)

        hook.neck_guide = True  # type: ignore[attr-defined]
        sys.excepthook = hook
    if not getattr(threading.excepthook, "neck_guide", False):
        previous_thread_hook = threading.excepthook

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            name = args.thread.name if args.thread is not None else "?"
            error = args.exc_value
            info = (args.exc_type, error, args.exc_traceback) if error is not None else None
            crash.critical("uncaught %s in thread %s", args.exc_type.__name__, name, exc_info=info)
            previous_thread_hook(args)

        thread_hook.neck_guide = True  # type: ignore[attr-defined]
        threading.excepthook = thread_hook
