"""Entry point of ``neck-guide``, ``python main.py`` and ``python -m neck_guide``.

Qt is imported only when the window is wanted (see :mod:`neck_guide.ui.app`, the composition
root), so the subcommands stay light and the core never depends on it.
"""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    from neck_guide.cli import main as cli_main

    return cli_main(argv)
