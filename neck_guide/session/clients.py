"""Client codes: pseudonymous, never a name, one spelling per client.

A code is 1 to 24 letters, digits or dashes, starts with a letter or a digit and holds at least
one digit (``C-0042``). The records keep them in one canonical form (upper case, see
``neck_guide.engine.record.canonical_code``), so ``c-0042`` and ``C-0042`` are one client.
"""

from __future__ import annotations

import re
from typing import Final

CLIENT_CODE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,23}$")


def client_code_problem(text: str) -> str | None:
    """Why ``text`` is not a usable client code, or None when it is (or empty: no client)."""
    if not text:
        return None
    if not CLIENT_CODE.match(text):
        return (
            "A client code is 1 to 24 letters, digits or '-', starts with a letter or digit and has "
            "no spaces (e.g. C-0042)."
        )
    if not any(c.isdigit() for c in text):
        return "Use a code with a digit in it (e.g. C-0042), never the client's name."
    return None
