"""The command line: one entry point for the app and its subcommands.

``neck-guide`` with no subcommand starts the window. The parser turns the arguments into typed
values and each subcommand's handler is imported only when that subcommand runs, so listing
protocols never loads Qt.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from neck_guide import __version__
from neck_guide.paths import BundledDataError, Paths, check_bundled
from neck_guide.session.exports import FORMATS

EXIT_INCOMPLETE_INSTALL = 3


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

    p = sub.add_parser(
        "questionnaires", help="list questionnaires, or --check questionnaire and wording files"
    )
    p.add_argument("--check", nargs="+", default=[], metavar="PATH", help="check these files (or folders)")

    p = sub.add_parser("sessions", help="list recorded sessions")
    p.add_argument("--client", metavar="CODE", help="only this client's sessions")

    formats = list(FORMATS)
    p = sub.add_parser("export", help=f"export sessions as {', '.join(formats[:-1])} or {formats[-1]}")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--session", metavar="ID", help="one session (an id or its unique prefix)")
    which.add_argument("--all", action="store_true", help="every session")
    p.add_argument("--format", required=True, choices=formats)
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BundledDataError as e:
        print(f"neck-guide: {e}", file=sys.stderr)
        return EXIT_INCOMPLETE_INSTALL
    except BrokenPipeError:
        # Output piped into `head` or similar that stopped reading: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _data_files(command: str, args: argparse.Namespace, paths: Paths) -> int:
    """The commands about protocol and questionnaire files."""
    if command == "questionnaires":
        from neck_guide.questionnaire import commands as questionnaire_commands

        return questionnaire_commands.run(paths, [Path(p) for p in args.check])
    from neck_guide.protocol import commands as protocol_commands

    if command == "protocols":
        return protocol_commands.list_protocols(paths)
    if command == "validate":
        return protocol_commands.validate(paths, [Path(p) for p in args.paths])
    return protocol_commands.show(paths, str(args.protocol_id))


def _dispatch(args: argparse.Namespace) -> int:
    """Hand the typed arguments to the subcommand's handler (imported here, when it is needed)."""
    from neck_guide.logfile import start_log
    from neck_guide.paths import resolve

    data_dir = Path(args.data_dir).expanduser() if args.data_dir is not None else None
    command: str | None = args.command
    if command in (None, "run"):
        from neck_guide.session.launch import LaunchOptions
        from neck_guide.ui.app import run

        return run(
            LaunchOptions(
                data_dir=data_dir,
                time_scale=float(args.time_scale),
                protocol_id=getattr(args, "protocol_id", None),
                client_code=getattr(args, "client", None) or None,
                practice=bool(getattr(args, "practice", False)),
            )
        )
    check_bundled()  # (the window checks for itself, to show the problem in a dialog)
    paths = resolve(data_dir)
    start_log(paths.logs)  # the file is made only if something goes wrong
    if command in ("protocols", "validate", "show", "questionnaires"):
        return _data_files(command, args, paths)
    from neck_guide.session import commands as records_commands

    if command == "sessions":
        return records_commands.list_sessions(paths, args.client)
    return records_commands.export(
        paths,
        session=None if args.all else str(args.session),
        format=str(args.format),
        output=Path(args.output).expanduser(),
        force=bool(args.force),
    )
