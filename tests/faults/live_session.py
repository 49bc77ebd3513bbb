"""Child process: another Neck Guide on the same records, running a session until it is killed.

    python live_session.py DB_PATH

Starts a session through the records journal (which takes the session's lock, as the app does),
writes a few events, prints the session id once they are on disk, then waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))

from store_driver import new_runner

from neck_guide.store.journal import SessionJournal


def main(db: Path) -> None:
    journal = SessionJournal(db).start()
    runner, clock = new_runner(session_id=f"live-{int(time.time() * 1000)}")
    for event in runner.begin(clock.advance(0)):
        journal.append(event)
    assert journal.flush(30)
    print(runner.record.session_id, flush=True)
    while True:
        time.sleep(1)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
