"""Every phrase a session may say is known before it starts, so it can be rendered ahead."""

from __future__ import annotations

from neck_guide.engine import cues
from neck_guide.paths import BUNDLED_PROTOCOLS_DIR
from neck_guide.protocol.loader import Catalog
from neck_guide.protocol.plan import expand
from neck_guide.voice.phrases import FIXED_PHRASES, phrases_for_plan, speech_plan


def test_every_cue_of_every_bundled_protocol_is_among_its_phrases() -> None:
    catalog = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)
    assert catalog.protocols, "no bundled protocol loaded"
    for protocol in catalog.protocols:
        plan = expand(protocol)
        phrases = phrases_for_plan(plan)
        for index, step in enumerate(plan.steps):
            for cue in cues.schedule(plan, index):
                assert cue.text in phrases, (protocol.id, step.key, cue.text)
        assert "Ease off." in phrases


def test_timing_verbosity_needs_only_the_timed_words() -> None:
    catalog = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)
    plan = expand(catalog.protocols[0])
    timing = phrases_for_plan(plan, "timing")
    assert set(FIXED_PHRASES) <= timing
    assert not any(text.startswith("Next:") for text in timing)
    assert all(step.announcement not in timing for step in plan.steps if step.kind != "rest")
    assert phrases_for_plan(plan, "none") == set()


def test_the_timed_words_come_first_and_nothing_twice() -> None:
    catalog = Catalog.load(BUNDLED_PROTOCOLS_DIR, None)
    plans = [expand(p) for p in catalog.protocols]
    ordered = speech_plan(plans)
    assert len(ordered) == len(set(ordered))
    first_announcement = min(ordered.index(s.announcement) for p in plans for s in p.steps)
    assert all(ordered.index(word) < first_announcement for word in FIXED_PHRASES)
