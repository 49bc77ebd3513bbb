"""Child process of the crash test: runs sessions into a records file forever, one line per commit.

    python crash_child.py DB_PATH

Each line is printed (and flushed) only after the event's transaction has committed; the parent
kills this process with SIGKILL at some point and checks that every line it read is in the file.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from store_driver import drive, new_runner

from neck_guide.engine.events import CueDue, Event
from neck_guide.store import SessionStore


def main(db: Path) -> None:
    store = SessionStore.open(db)

    def commit(event: Event) -> None:
        store.apply(event)
        if not isinstance(event, CueDue):
            line = {"type": type(event).__name__, **dataclasses.asdict(event)}
            sys.stdout.write(json.dumps(line) + "\n")
            sys.stdout.flush()

    n = 0
    while True:
        runner, clock = new_runner(
            ["trigger-point", "self-care", "clinical-neck"][n % 3], session_id=f"s{n:04d}"
        )
        drive(runner, clock, seed=n, sink=commit)
        n += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]))
