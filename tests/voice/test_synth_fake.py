"""The synthesiser's restart logic, against a real child process that misbehaves on command."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from neck_guide.voice.cache import Phrase, PhraseCache, spoken_seconds
from neck_guide.voice.fake_synth import FakeSynthesiser, tone_seconds
from neck_guide.voice.synth import (
    AHEAD,
    URGENT,
    EngineFailedError,
    EngineUnavailableError,
    Failed,
    Outcome,
    PhraseRejectedError,
    Rendered,
)


def wait_until(condition: Callable[[], bool], timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def child_pid(synth: FakeSynthesiser) -> int:
    child = synth._child
    assert child is not None
    return child.proc.pid


def test_renders_through_a_child_whose_prints_do_not_disturb_the_answers(
    fake_synth: FakeSynthesiser, capfd: pytest.CaptureFixture[str]
) -> None:
    path = fake_synth.render("Three")
    assert spoken_seconds(path) == pytest.approx(tone_seconds("Three"), abs=0.05)
    assert fake_synth.render("Two") != path
    assert capfd.readouterr().out == ""


def test_a_hung_engine_is_killed_and_the_next_phrase_gets_a_new_one(fake_synth: FakeSynthesiser) -> None:
    fake_synth.render("warm up")
    first = child_pid(fake_synth)
    started = time.monotonic()
    with pytest.raises(EngineFailedError, match="hung"):
        fake_synth.render("[hang] Three")
    assert time.monotonic() - started < 3.0, "the time limit per phrase was not kept"
    with pytest.raises(ProcessLookupError):
        os.kill(first, 0)  # the hung child is gone (no zombie left: it was waited for)
    assert fake_synth.render("Two").exists()
    assert child_pid(fake_synth) != first
    assert fake_synth.starts == 2 and fake_synth.available


def test_a_dead_engine_is_restarted(fake_synth: FakeSynthesiser) -> None:
    with pytest.raises(EngineFailedError, match="stopped"):
        fake_synth.render("[die] One")
    assert fake_synth.render("One").exists()
    assert fake_synth.starts == 2


def test_a_refused_phrase_leaves_the_engine_running(fake_synth: FakeSynthesiser) -> None:
    fake_synth.render("Hold")
    pid = child_pid(fake_synth)
    with pytest.raises(PhraseRejectedError):
        fake_synth.render("[reject] Hold")
    with pytest.raises(PhraseRejectedError, match="not installed"):
        fake_synth.render("Hold", voice="nobody")
    with pytest.raises(PhraseRejectedError, match="empty"):
        fake_synth.render("   ")
    fake_synth.render("Breathe in")
    assert child_pid(fake_synth) == pid


def test_gives_up_with_a_notice_after_failing_again_and_again(cache: PhraseCache) -> None:
    synth = FakeSynthesiser(cache, timeout_s=0.3, max_failures=3)
    try:
        for text in ("[die] a", "[hang] b"):
            with pytest.raises(EngineFailedError):
                synth.render(text)
        with pytest.raises(EngineUnavailableError):
            synth.render("[die] c")
        assert not synth.available
        assert synth.notice is not None and "on screen only" in synth.notice
        with pytest.raises(EngineUnavailableError):
            synth.render("Three")  # no more restarts
    finally:
        synth.close()


def test_a_success_resets_the_count_of_failures(cache: PhraseCache) -> None:
    synth = FakeSynthesiser(cache, max_failures=2)
    try:
        for n in range(3):
            with pytest.raises(EngineFailedError):
                synth.render(f"[die] {n}")
            synth.render(f"fine {n}")
        assert synth.available
    finally:
        synth.close()


def test_an_engine_that_cannot_start_says_why_at_once(cache: PhraseCache) -> None:
    synth = FakeSynthesiser(cache, fail_start="espeak-ng not found (install the espeak-ng package)")
    try:
        with pytest.raises(EngineUnavailableError):
            synth.render("Three")
        assert synth.notice == (
            "Voice unavailable: espeak-ng not found (install the espeak-ng package) — "
            "cues are shown on screen only"
        )
        assert synth.starts == 1
    finally:
        synth.close()


def test_an_engine_that_hangs_while_starting_is_timed_out(cache: PhraseCache) -> None:
    synth = FakeSynthesiser(cache, hang_start=True, start_timeout_s=0.5)
    try:
        with pytest.raises(EngineFailedError, match="hung on start"):
            synth.render("Three")
    finally:
        synth.close()


class Outcomes:
    def __init__(self) -> None:
        self.items: list[Outcome] = []
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.expected = 0

    def __call__(self, outcome: Outcome) -> None:
        with self.lock:
            self.items.append(outcome)
            if len(self.items) >= self.expected:
                self.done.set()

    def wait(self, n: int) -> list[Outcome]:
        self.expected = n
        if len(self.items) < n:
            assert self.done.wait(10), f"only {len(self.items)} of {n} outcomes came"
        return self.items


def test_submit_never_raises_and_reports_every_outcome_in_order(fake_synth: FakeSynthesiser) -> None:
    outcomes = Outcomes()
    texts = ["Three", "[hang] Two", "[die] One", "[reject] Release.", "Release now."]
    started = time.monotonic()
    for text in texts:
        fake_synth.submit(Phrase(text), outcomes)
    assert time.monotonic() - started < 0.1, "submit must not wait for the engine"
    got = outcomes.wait(len(texts))
    assert [o.phrase.text for o in got] == texts
    assert [type(o).__name__ for o in got] == ["Rendered", "Failed", "Failed", "Failed", "Rendered"]
    errors = [o.error for o in got if isinstance(o, Failed)]
    assert [type(e) for e in errors] == [EngineFailedError, EngineFailedError, PhraseRejectedError]


def test_urgent_phrases_jump_the_queue_of_phrases_rendered_ahead(fake_synth: FakeSynthesiser) -> None:
    outcomes = Outcomes()
    fake_synth.submit(Phrase("[slow=0.3] first"), outcomes, priority=AHEAD)
    wait_until(fake_synth._jobs.empty)  # the worker is busy with the first phrase
    for n in range(3):
        fake_synth.submit(Phrase(f"ahead {n}"), outcomes, priority=AHEAD)
    fake_synth.submit(Phrase("Three"), outcomes, priority=URGENT)
    got = [o.phrase.text for o in outcomes.wait(5)]
    assert got[:2] == ["[slow=0.3] first", "Three"]


def test_one_phrase_asked_twice_is_rendered_once(fake_synth: FakeSynthesiser, cache: PhraseCache) -> None:
    outcomes = Outcomes()
    fake_synth.submit(Phrase("[slow=0.2] Hold"), outcomes)
    fake_synth.submit(Phrase("[slow=0.2] Hold"), outcomes, priority=URGENT)
    got = outcomes.wait(2)
    assert all(isinstance(o, Rendered) for o in got)
    assert len({o.path for o in got if isinstance(o, Rendered)}) == 1
    assert len(list(Path(cache.root).glob("*.wav"))) == 1


def test_close_stops_a_hung_child_promptly(cache: PhraseCache) -> None:
    synth = FakeSynthesiser(cache, timeout_s=30)
    outcomes = Outcomes()
    synth.submit(Phrase("[hang] forever"), outcomes)
    wait_until(lambda: synth._child is not None)
    pid = child_pid(synth)
    started = time.monotonic()
    synth.close()
    assert time.monotonic() - started < 3
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
