"""Client codes: pseudonymous, never a name, one spelling per client.

A code is 1 to 24 letters, digits or dashes, starts with a letter or a digit and holds at least
one digit (``C-0042``). Codes are compared and stored in one canonical form (upper case), so
``c-0042`` and ``C-0042`` are one client.
"""

from __future__ import annotations

import re
from typing import Final

CLIENT_CODE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,23}$")


class ClientCodeError(ValueError):
    """A client code that cannot be used; the message says why and what a good one looks like."""


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


def canonical_client_code(text: str | None) -> str | None:
    """The stored form of a client code (trimmed, upper case); None for no client.

    Raises ClientCodeError when the code is not usable.
    """
    code = (text or "").strip()
    if not code:
        return None
    problem = client_code_problem(code)
    if problem is not None:
        raise ClientCodeError(problem)
    return code.upper()
