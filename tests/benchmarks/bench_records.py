"""Records at the scale of a busy clinic's year; prints figures (run on demand, not collected by pytest).

    python tests/benchmarks/bench_records.py [--keep DIR]

The year: 8 sessions a day, 250 working days = 2,000 sessions of 125 step visits = 250,000 step
rows, about 120,000 ratings (60 % of non-rest visits rated), 300 clients, one session in ten a
practice run. Steps are taken from the bundled protocols. The file is built directly with
executemany in one transaction a day, through the real schema. Then:

- store open (with its page check), a client's history (the query behind the history view),
  the sessions list
- full CSV export of every session, as `neck-guide export --all --format csv` does it (every
  event a row, straight from the file: a session row, a visit row and a rating row each), and
  through whole records for comparison
- SessionJournal.append on the caller's thread while the writer thread commits into this file:
  a burst (whole sessions as fast as the runner makes events) and a paced run (an event every 2 ms)

Targets: history <= 200 ms, CSV <= 2 s, append far under 1 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from neck_guide.engine.clock import FakeClock  # noqa: E402
from neck_guide.engine.events import Event  # noqa: E402
from neck_guide.engine.runner import SessionRunner  # noqa: E402
from neck_guide.export.csv_export import write_records, write_stored  # noqa: E402
from neck_guide.protocol.loader import load_file  # noqa: E402
from neck_guide.protocol.plan import Plan, PlannedStep, expand  # noqa: E402
from neck_guide.store import SessionStore  # noqa: E402
from neck_guide.store.journal import SessionJournal  # noqa: E402
from neck_guide.store.writes import RATING_COLUMNS, SESSION_COLUMNS, VISIT_COLUMNS  # noqa: E402

SESSIONS_PER_DAY, DAYS, STEPS, CLIENTS = 8, 250, 125, 300
TZ = timezone(timedelta(hours=1))
Row = tuple[Any, ...]


def _plans() -> list[Plan]:
    names = ("clinical-neck", "trigger-point", "self-care")
    return [expand(load_file(ROOT / "protocols" / f"{p}.toml")) for p in names]


def _days() -> Iterator[datetime]:
    day = datetime(2025, 1, 6, 8, 0, tzinfo=TZ)
    made = 0
    while made < DAYS:
        if day.weekday() < 5:
            made += 1
            yield day
        day += timedelta(days=1)


def _iso(t: datetime) -> str:
    return t.isoformat(timespec="milliseconds")


def _session_rows(
    n: int, start: datetime, plan: Plan, rng: random.Random
) -> tuple[Row, list[Row], list[Row]]:
    sid = f"{rng.getrandbits(128):032x}"
    visits: list[Row] = []
    ratings: list[Row] = []
    t = start + timedelta(minutes=2)
    for visit in range(STEPS):
        ps = plan.steps[visit % len(plan.steps)]
        ended = t + timedelta(seconds=ps.max_s or 20.0)
        visits.append(
            (sid, visit, *_planned(ps), _iso(t), _iso(ended), ps.max_s or 20.0, "completed", 0.0, 1, 1, 0.0,
             None)
        )  # fmt: skip
        if ps.kind != "rest" and rng.random() < 0.6:
            kind = "pressure" if rng.random() < 0.7 else "pain"
            at = _iso(ended - timedelta(seconds=2))
            ratings.append((sid, visit, 0, kind, rng.randint(2, 9), at, 0, None, len(ratings) + 1, None))
        t = ended
    p = plan.protocol
    client = f"C-{rng.randrange(CLIENTS):04d}"
    pains = (rng.randint(3, 8), rng.randint(0, 5))
    session = (sid, p.id, p.version, p.title, client, n % 10 == 9, 1.0, 1, _iso(start), _iso(t), "finished",
               *pains, 60, 58, "", len(plan.steps), "", _iso(t))  # fmt: skip
    return session, visits, ratings


def _planned(ps: PlannedStep) -> Row:
    return (ps.index, ps.key, ps.phase.id, ps.phase.title, ps.step.id, ps.title, ps.technique, ps.step.muscle,
            ps.side, ps.kind, ps.repetition, ps.repetitions, ps.min_s, ps.max_s)  # fmt: skip


def build(path: Path) -> dict[str, int]:
    SessionStore.open(path).close()  # the real schema, current version
    store = SessionStore.open(path)
    conn = store.connection
    rng = random.Random(2025)
    plans = _plans()
    counts = {"sessions": 0, "steps": 0, "ratings": 0}
    insert_session = f"INSERT INTO sessions ({SESSION_COLUMNS}) VALUES ({', '.join('?' * 19)})"
    insert_visit = f"INSERT INTO step_visits (session_id, {VISIT_COLUMNS}) VALUES ({', '.join('?' * 25)})"
    for day in _days():
        conn.execute("BEGIN")
        for k in range(SESSIONS_PER_DAY):
            n = counts["sessions"]
            session, visits, ratings = _session_rows(n, day + timedelta(minutes=60 * k), plans[n % 3], rng)
            conn.execute("INSERT OR IGNORE INTO clients VALUES (?, ?)", (session[4], session[8]))
            conn.execute(insert_session, session)
            conn.executemany(insert_visit, visits)
            conn.executemany(
                f"INSERT INTO ratings (session_id, {RATING_COLUMNS}) VALUES ({', '.join('?' * 10)})", ratings
            )
            counts["sessions"] += 1
            counts["steps"] += len(visits)
            counts["ratings"] += len(ratings)
        conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    store.close()
    return counts


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, float]:
    """(median, max) seconds of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), max(times)


def queries(path: Path) -> None:
    med, worst = timed(lambda: SessionStore.open(path).close(), 3)
    print(f"store open (page check of the whole file): median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms")
    with SessionStore.open(path) as store:
        clients = [c.code for c in store.clients()]
        sample = clients[:: len(clients) // 20]
        per_client = [timed(partial(store.history, code), 3)[0] for code in sample]
        h = store.history(clients[7])
        ms = [t * 1000 for t in per_client]
        print(
            f"history of one client (e.g. {len(h.treatments)} treatments, {len(h.practice)} practice): "
            f"median {statistics.median(ms):.2f} ms, max {max(ms):.2f} ms over {len(ms)} clients"
            " (target <= 200 ms)"
        )
        ids = [s.session_id for s in h.treatments]
        med, _ = timed(lambda: list(store.records(ids)), 3)
        print(f"  + loading those {len(ids)} whole records: {med * 1000:.1f} ms")
        med, worst = timed(store.sessions, 3)
        n = len(store.sessions())
        print(
            f"sessions list ({n} sessions with counts): median {med * 1000:.0f} ms, max {worst * 1000:.0f} ms"
        )


def csv_export(path: Path, folder: Path) -> None:
    target = folder / "year.csv"
    with SessionStore.open(path) as store:
        ids = [s.session_id for s in store.sessions()]

        def export() -> None:  # what `neck-guide export --all --format csv` does
            with open(target, "w", encoding="utf-8", newline="") as f:
                write_stored(store, ids, f)

        def export_records() -> None:  # the window's path (records in memory), for a whole year
            with open(target, "w", encoding="utf-8", newline="") as f:
                write_records(store.records(), f)

        through_records, _ = timed(export_records)
        med, worst = timed(export, 3)
    with open(target, encoding="utf-8") as f:
        rows = sum(1 for _ in f) - 1
    size_mb = target.stat().st_size / 1e6
    print(
        f"full CSV export: {rows} rows, {size_mb:.1f} MB: median {med:.2f} s, max {worst:.2f} s"
        f" (target <= 2 s); through whole records instead: {through_records:.2f} s"
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class TimedAppends:
    """Hands each event to the journal, timing each journal.append on the caller's thread."""

    def __init__(self, journal: SessionJournal, pace_s: float) -> None:
        self.journal = journal
        self.pace_s = pace_s
        self.samples_us: list[float] = []

    def __call__(self, event: Event) -> None:
        t0 = time.perf_counter_ns()
        self.journal.append(event)
        self.samples_us.append((time.perf_counter_ns() - t0) / 1000)
        if self.pace_s:
            time.sleep(self.pace_s)


def appends(path: Path) -> None:
    plan = _plans()[0]
    for label, pace_s, sessions in (
        ("burst, writer always busy", 0.0, 20),
        ("paced, an event every 2 ms", 0.002, 3),
    ):
        journal = SessionJournal(path).start()
        timer = TimedAppends(journal, pace_s)
        t0 = time.perf_counter()
        for n in range(sessions):
            clock = FakeClock()
            runner = SessionRunner(plan, clock, client_code="C-BENCH", session_id=f"bench-{pace_s}-{n}-{t0}")
            _drive(runner, clock, timer)
        made = time.perf_counter() - t0
        assert journal.flush(120)
        written = time.perf_counter() - t0
        journal.close()
        s = timer.samples_us
        p99, p999, median = _percentile(s, 0.99), _percentile(s, 0.999), statistics.median(s)
        print(
            f"append() on the caller thread, {label}: {len(s)} events; median {median:.1f} µs, "
            f"p99 {p99:.1f} µs, p99.9 {p999:.1f} µs, max {max(s):.0f} µs; made in {made:.2f} s, "
            f"all committed after {written:.2f} s ({len(s) / written:.0f} events/s)"
        )


def _drive(runner: SessionRunner, clock: FakeClock, sink: Callable[[Event], object] = lambda e: None) -> None:
    """A whole session; each event goes to ``sink`` as it happens (as the app's model hands it on)."""

    def on(events: list[Event]) -> None:
        for event in events:
            sink(event)

    on(runner.begin(clock.advance(1)))
    on(runner.record_pain(clock.advance(5), "pre", 5))
    on(runner.start(clock.advance(1)))
    while runner.state != "finished":
        spec = runner.current.step.rating
        if spec is not None and runner.current.kind != "rest":
            on(runner.rate(clock.advance(2), spec.ask[0], 5))
        remaining = runner.remaining(clock.monotonic())
        if remaining is None:
            on(runner.next(clock.advance(10)))
        else:
            on(runner.poll(clock.advance(remaining + 0.1)))
            if runner.state == "overtime":
                on(runner.next(clock.advance(1)))
    on(runner.record_pain(clock.advance(5), "post", 2))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--keep", metavar="DIR", help="build the file in DIR and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "sessions.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        t0 = time.perf_counter()
        counts = build(path)
        took, size_mb = time.perf_counter() - t0, path.stat().st_size / 1e6
        print(
            f"built {counts['sessions']} sessions, {counts['steps']} step rows, {counts['ratings']} ratings "
            f"in {took:.1f} s; file {size_mb:.0f} MB"
        )
        queries(path)
        csv_export(path, Path(tmp))
        appends(path)


if __name__ == "__main__":
    main()
