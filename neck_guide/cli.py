"""The command line: one entry point for the app and its subcommands.

``neck-guide`` with no subcommand starts the window. The handlers live beside what they
use (protocol, records, ui) and are imported only when their subcommand runs, so listing
protocols never loads Qt.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from neck_guide import __version__

Handler = Callable[[argparse.Namespace], int]

# subcommand -> "module:function"
HANDLERS: dict[str, str] = {
    "protocols": "neck_guide.protocol.commands:list_protocols",
    "validate": "neck_guide.protocol.commands:validate",
    "show": "neck_guide.protocol.commands:show",
    "sessions": "neck_guide.export.commands:list_sessions",
    "export": "neck_guide.export.commands:export",
    "run": "neck_guide.ui.app:run",
    "gui": "neck_guide.ui.app:run",
}


def time_scale(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0.1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"time scale {value:g} is outside 0.1..1000")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neck-guide",
        description="Guided clinical neck massage: timing, voice cues, ratings and session records.",
    )
    parser.add_argument("--version", action="version", version=f"neck-guide {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="keep data, settings, cache and logs under DIR (same as NECK_GUIDE_HOME)",
    )
    parser.add_argument(
        "--time-scale",
        type=time_scale,
        default=1.0,
        metavar="N",
        help="run timers N times faster (demos, practice drills, tests)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("protocols", help="list protocols: id, title, steps, planned duration")

    p = sub.add_parser("validate", help="validate protocol files (default: all known)")
    p.add_argument("paths", nargs="*", metavar="PATH")

    p = sub.add_parser("show", help="the expanded plan of a protocol, step by step")
    p.add_argument("protocol_id", metavar="ID")

    p = sub.add_parser("sessions", help="list recorded sessions")
    p.add_argument("--client", metavar="CODE", help="only this client's sessions")

    p = sub.add_parser("export", help="export sessions as csv, json, pdf or fhir")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", metavar="ID", help="one session (an id or its unique prefix)")
    which.add_argument("--all", action="store_true", help="every session")
    p.add_argument("--format", required=True, choices=["csv", "json", "pdf", "fhir"])
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")

    p = sub.add_parser("run", help="open the window straight at a protocol's screening")
    p.add_argument("protocol_id", metavar="PROTOCOL_ID")
    p.add_argument("--client", metavar="CODE", help="pseudonymous client code")
    p.add_argument("--practice", action="store_true", help="practice mode: score the holds")
    p.add_argument(
        "--time-scale", type=time_scale, default=argparse.SUPPRESS, metavar="N", help=argparse.SUPPRESS
    )
    return parser


def resolve_handler(command: str) -> Handler:
    module_name, func = HANDLERS[command].split(":")
    handler: Handler = getattr(importlib.import_module(module_name), func)
    return handler


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    if command == "gui":
        args.protocol_id = None
        args.client = None
        args.practice = False
    try:
        return resolve_handler(command)(args)
    except BrokenPipeError:
        # Output piped into `head` or similar that stopped reading: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
