"""What can stop an export.

ExportError             the export could not be written
└── OutputExists        the output file is there already and --force was not given
"""

from __future__ import annotations


class ExportError(Exception):
    """An export could not be written (the message says where and what to do)."""


class OutputExists(ExportError, FileExistsError):  # noqa: N818 - says the outcome, like FileExistsError
    """The output file exists; exports never overwrite without being told to."""
