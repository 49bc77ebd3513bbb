"""A client's progress on the real window: each measure's trend, the change since intake in words,
the points beyond the MCID ringed (shown on the history page until the client page takes it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from window_helpers import OFFSCREEN_NOISE, WindowOpener, text_problems

from neck_guide.engine.clock import FakeClock
from neck_guide.engine.runner import SessionRunner
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR, BUNDLED_QUESTIONNAIRES_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.questionnaire.loader import QuestionnaireCatalog
from neck_guide.questionnaire.response import Answer, ResponseRecord
from neck_guide.questionnaire.scoring import score
from neck_guide.store import SessionStore

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
CATALOG = QuestionnaireCatalog.load(BUNDLED_QUESTIONNAIRES_DIR, None)


def _seed(home: Path) -> None:
    """NDI 24 at intake, 16 four weeks on, 10 at eight; one session with pain 6 before it."""
    (home / "data").mkdir(parents=True, exist_ok=True)
    ndi = CATALOG.get("ndi")
    plan = expand(Catalog.load(BUNDLED_PROTOCOLS_DIR, None).get("self-care"))
    with SessionStore.open(home / "data" / "sessions.sqlite3") as store:
        for n, values in enumerate(([3, 3, 3, 3, 2, 2, 2, 2, 2, 2], [2] * 8 + [0, 0], [1] * 10)):
            at = f"2026-0{1 + n}-05T09:00:00.000+01:00"
            record = ResponseRecord.begin(ndi, f"r{n}", "C-0042", "scheduled", at)
            record.answers = [Answer(i.id, v, at) for i, v in zip(ndi.items, values, strict=True)]
            record.status, record.completed_at = "completed", at
            record.set_score(score(ndi, record.values()))
            store.save_response(record)
        clock = FakeClock()
        runner = SessionRunner(plan, clock, client_code="C-0042")
        runner.begin(clock.advance(1))
        runner.record_pain(clock.advance(1), "pre", 6)
        runner.finish(clock.advance(1))
        store.save(runner.record)


@pytest.mark.parametrize("size", [(1280, 800), (1024, 600)])
def test_the_trends_say_the_change_since_intake_and_ring_what_passes_the_mcid(
    open_window: WindowOpener, tmp_path: Path, size: tuple[int, int]
) -> None:
    _seed(tmp_path)
    app = open_window(tmp_path, size=size)
    app.window.open_history("C-0042")
    page = app.window.history_page
    ndi, psfs, pain = page.trends
    assert ndi.summary.text() == "NDI 24 → 10 since intake (−14: better, more than the MCID of 9.5)"
    assert [round(w) for w, _ in ndi.chart.beyond] == [8]  # 16 is within 9.5 of 24; 10 is not
    assert psfs.summary.text() == "PSFS: not measured yet" and psfs.chart.beyond == []
    assert pain.summary.text() == "Pain 6 at intake"  # the pain given before the session
    assert ndi.title.text() == "Neck Disability Index (0–50, lower is better)"
    problems = [
        p for panel in page.trends for w in (panel.title, panel.summary) for p in text_problems(w) or []
    ]
    assert problems == []
    page.client.setCurrentIndex(0)  # all sessions: no one client's progress
    assert not page.progress_title.isVisible() and not ndi.isVisible()
