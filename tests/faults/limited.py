"""Running a command the way an ordinary user would meet the disk: file permissions apply.

The tests run as root here and in CI, and root reads a folder of mode 000 and writes a read-only
file. :func:`as_user` runs a command with the two capabilities that let it do so dropped from the
bounding set (``setpriv``), so permissions bite as they do for the therapist's account; run as
an ordinary user, the command runs as it is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence

DROP = "--bounding-set=-dac_override,-dac_read_search,-fowner"


def as_user(argv: Sequence[str]) -> list[str]:
    """``argv`` to run with file permissions in force."""
    if os.geteuid() != 0:
        return list(argv)
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise RuntimeError("setpriv (util-linux) is needed to run as root with permissions in force")
    return [setpriv, DROP, "--", *argv]
